// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * A minimal ustar writer for the demo's generated layers: regular files
 * only, names under 100 bytes. Enough for `getUnpackedArchiveSize` and any
 * tar to read.
 *
 * @module
 */

/** A file to put in an archive. */
export interface TarFile {
  /** Path inside the archive, under 100 bytes. */
  name: string;
  /** Content. */
  data: Uint8Array;
  /** Permission bits. @default {0o644} */
  mode?: number;
}

const BLOCK = 512;
const encoder = new TextEncoder();

/**
 * Writes `files` as one ustar archive.
 *
 * @param files The files, in order.
 * @returns The archive, with its two closing zero blocks.
 */
export function tar(files: readonly TarFile[]): Uint8Array {
  const padded = (n: number) => Math.ceil(n / BLOCK) * BLOCK;
  const size = files.reduce((sum, f) => sum + BLOCK + padded(f.data.length), 2 * BLOCK);
  const out = new Uint8Array(size);
  const mtime = Math.floor(Date.now() / 1000);
  let at = 0;
  for (const file of files) {
    const head = out.subarray(at, at + BLOCK);
    const put = (offset: number, text: string) => head.set(encoder.encode(text), offset);
    const octal = (offset: number, width: number, value: number) =>
      put(offset, `${value.toString(8).padStart(width - 1, "0")}\0`);
    put(0, file.name);
    octal(100, 8, file.mode ?? 0o644);
    octal(108, 8, 0);
    octal(116, 8, 0);
    octal(124, 12, file.data.length);
    octal(136, 12, mtime);
    put(148, "        ");
    put(156, "0");
    put(257, "ustar\x0000");
    const sum = head.reduce((a, b) => a + b, 0);
    put(148, `${sum.toString(8).padStart(6, "0")}\0 `);
    out.set(file.data, at + BLOCK);
    at += BLOCK + padded(file.data.length);
  }
  return out;
}
