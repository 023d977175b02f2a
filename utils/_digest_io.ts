// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Private I/O and error helpers shared by the digest files.
import * as fs from "node:fs";
import { AosError, type ErrorKind } from "./errors.ts";
import { throwIfAborted } from "./abort.ts";

/** Cancellation and progress of a file read. */
export interface ReadOptions {
  signal?: AbortSignal | undefined;
  onProgress?: ((bytes: number) => void) | undefined;
}

export const CHUNK = 4 * 1024 * 1024;

/**
 * The two read buffers of {@linkcode hashFile}, reused across files. They may
 * start small (for trees of small files) and grow to {@linkcode CHUNK} once a
 * file proves larger.
 */
export class ChunkBuffers {
  current: Uint8Array;
  spare: Uint8Array;
  constructor(size: number = CHUNK) {
    this.current = new Uint8Array(size);
    this.spare = new Uint8Array(size);
  }
  swap(): void {
    [this.current, this.spare] = [this.spare, this.current];
  }
  growSpare(): void {
    if (this.spare.length < CHUNK) this.spare = new Uint8Array(CHUNK);
  }
}

/**
 * Feeds up to `limit` bytes of a file to `sink`. Two buffers alternate so the
 * next read runs on the I/O pool while the current chunk is hashed.
 */
export async function hashFile(
  path: string,
  sink: (chunk: Uint8Array) => void,
  limit: number,
  options: ReadOptions,
  buffers: ChunkBuffers = new ChunkBuffers(),
): Promise<void> {
  const { signal, onProgress } = options;
  throwIfAborted(signal, `Digest of "${path}" canceled`);
  if (limit <= 0) return;
  const fd = await fsCall(() => openRead(path), `Cannot open "${path}"`);
  try {
    let done = 0;
    let n = await readChunk(fd, buffers.current, limit - done, path);
    while (n > 0) {
      done += n;
      if (n === buffers.current.length) buffers.growSpare();
      const next = readChunk(fd, buffers.spare, limit - done, path);
      const chunk = buffers.current;
      sink(n === chunk.length ? chunk : chunk.subarray(0, n));
      onProgress?.(done);
      if (signal?.aborted) {
        await next.catch(() => {});
        throwIfAborted(signal, `Digest of "${path}" canceled`);
      }
      n = await next;
      buffers.swap();
    }
  } finally {
    await new Promise<void>((resolve) => fs.close(fd, () => resolve()));
  }
}

function openRead(path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    fs.open(path, "r", (err, fd) => err ? reject(err) : resolve(fd));
  });
}

function readChunk(fd: number, buf: Uint8Array, left: number, path: string): Promise<number> {
  const length = Math.min(buf.length, left);
  if (length <= 0) return Promise.resolve(0);
  return fsCall(
    () =>
      new Promise<number>((resolve, reject) => {
        fs.read(fd, buf, 0, length, null, (err, n) => err ? reject(err) : resolve(n));
      }),
    `Cannot read "${path}"`,
  );
}

export async function fsCall<T>(op: () => Promise<T>, message: string): Promise<T> {
  try {
    return await op();
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    const kind: ErrorKind = code === "ENOENT" || code === "ENOTDIR" ? "notFound" : "failed";
    throw AosError.wrap(err, kind, message);
  }
}

/** The digest with its algorithm lower-cased, as hashers print it. */
export function normalizeDigest(digest: string): string {
  const colon = digest.indexOf(":");
  return colon < 0
    ? digest.toLowerCase()
    : digest.slice(0, colon).toLowerCase() + digest.slice(colon);
}

export function digestMismatch(what: string, expected: string, actual: string): AosError {
  return new AosError(
    "invalidChecksum",
    `${what} does not match digest ${expected}: got ${actual}`,
  );
}

export function sizeMismatch(what: string, expected: number, actual: string): AosError {
  return new AosError("invalidChecksum", `${what} size is ${actual} bytes, want ${expected}`);
}

/** JSON-quotes a value for a message, shortened when long. */
export function quote(text: string): string {
  return JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}...` : text);
}
