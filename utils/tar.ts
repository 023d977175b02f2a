// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Layer archive helpers: the unpacked size of a tar or tar.gz layer, and
 * unpacking one with GNU tar as AosCore does.
 *
 * Deviation from AosCore: the unpacked size is computed natively from the
 * tar headers (streamed, flat memory) instead of parsing `tar -tv` output.
 * The sum is the same for files, directories and links; sparse files count
 * with their real size as `tar -tv` shows it; device entries count 0 where
 * AosCore adds their major number (a quirk of reading `major,minor` as a size).
 *
 * @module
 */

import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { pipeline, type Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { throwIfAborted } from "./abort.ts";
import { AosError } from "./errors.ts";
import { execCommand } from "./exec.ts";
import { concatBytes } from "./_bytes.ts";
import { toFilePath } from "./fs.ts";

/** Options of {@linkcode getUnpackedArchiveSize}. */
export interface UnpackedSizeOptions {
  /**
   * The archive is gzip-compressed (a `…layer.v1.tar+gzip` layer).
   *
   * @default {true}
   */
  gzip?: boolean;
  /** Aborts the read with a `canceled` error. */
  signal?: AbortSignal;
}

/**
 * The total size of the entries of a tar archive once unpacked: the sum of
 * file sizes (directories and links count 0). The archive is streamed, so
 * memory stays flat whatever its size.
 *
 * @example
 * ```ts ignore
 * import { getUnpackedArchiveSize } from "@aoscore/common/utils";
 *
 * const bytes = await getUnpackedArchiveSize("layer.tar.gz");
 * ```
 *
 * @param archive The archive file.
 * @param options Compression and cancellation.
 * @returns The size in bytes.
 * @throws {AosError} `notFound` for a missing archive, `runtime` for a
 * corrupt archive or gzip stream, `canceled` on abort.
 */
export async function getUnpackedArchiveSize(
  archive: string | URL,
  options: UnpackedSizeOptions = {},
): Promise<number> {
  const { gzip = true, signal } = options;
  const path = toFilePath(archive);
  await requireArchive(path);
  throwIfAborted(signal);
  const source = createReadStream(path, { highWaterMark: 1 << 20 });
  const stream: Readable = gzip ? pipeline(source, createGunzip(), () => {}) : source;
  const parser = new TarSizeParser(path);
  try {
    for await (const chunk of stream) {
      throwIfAborted(signal, `Reading archive "${path}" canceled`);
      if (parser.push(chunk as Uint8Array)) break;
    }
  } catch (err) {
    if (err instanceof AosError) throw err;
    throw new AosError("runtime", `Cannot read archive "${path}"`, { cause: err });
  } finally {
    stream.destroy();
    source.destroy();
  }
  return parser.finish();
}

/** Options of {@linkcode unpackTarImage}. */
export interface UnpackTarOptions {
  /** Kills `tar` and rejects with `canceled`. */
  signal?: AbortSignal;
}

/**
 * Unpacks a tar archive (plain or compressed, detected by `tar`) into an
 * existing directory with `tar xf <archive> -C <destination>`, as AosCore
 * does. GNU tar strips a leading `/` from member names and refuses members
 * with a `..` component (the call then fails). Needs `--allow-run` on Deno.
 *
 * @example
 * ```ts
 * import { execCommand, mkTmpDir, unpackTarImage } from "@aoscore/common/utils";
 * import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
 * import { join } from "node:path";
 * import assert from "node:assert/strict";
 *
 * const dir = await mkTmpDir();
 * await writeFile(join(dir, "hello.txt"), "hello");
 * await execCommand(["tar", "czf", join(dir, "image.tar.gz"), "-C", dir, "hello.txt"]);
 * await mkdir(join(dir, "out"));
 * await unpackTarImage(join(dir, "image.tar.gz"), join(dir, "out"));
 * assert.equal(await readFile(join(dir, "out", "hello.txt"), "utf8"), "hello");
 * await rm(dir, { recursive: true });
 * ```
 *
 * @param archive The archive file.
 * @param destination The directory to unpack into.
 * @param options Cancellation.
 * @returns A promise that resolves once everything is unpacked.
 * @throws {AosError} `notFound` for a missing archive; `runtime` (an
 * `ExecError`, `exit=2: …`) when tar fails; `canceled` on abort.
 */
export async function unpackTarImage(
  archive: string | URL,
  destination: string | URL,
  options: UnpackTarOptions = {},
): Promise<void> {
  const path = toFilePath(archive);
  await requireArchive(path);
  await execCommand(
    ["tar", "xf", path, "-C", toFilePath(destination)],
    options.signal === undefined ? {} : { signal: options.signal },
  );
}

async function requireArchive(path: string): Promise<void> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined) {
    throw new AosError("notFound", `Cannot read archive "${path}": archive does not exist`);
  }
}

const BLOCK = 512;
const decoder = new TextDecoder();

/**
 * Walks tar headers chunk by chunk, skipping file data, and sums the sizes.
 * Handles ustar, GNU (long names, old sparse) and PAX (size and sparse
 * overrides) headers.
 */
class TarSizeParser {
  #path: string;
  #pending = new Uint8Array(0);
  #skip = 0;
  #offset = 0;
  #total = 0;
  #ended = false;
  /**
   * Metadata blocks being read: PAX records (`left` bytes) or an old GNU
   * sparse map; `then` bytes of data follow.
   */
  #collect: { kind: "pax" | "sparse"; data: Uint8Array[]; left: number; then: number } | undefined;
  /** Overrides from a PAX header, for the next entry. */
  #pax: Map<string, string> | undefined;

  constructor(path: string) {
    this.#path = path;
  }

  /** Feeds bytes; returns `true` once the end-of-archive marker was seen. */
  push(chunk: Uint8Array): boolean {
    let data = chunk;
    if (this.#skip > 0) {
      const n = Math.min(this.#skip, data.length);
      this.#skip -= n;
      this.#offset += n;
      data = data.subarray(n);
    }
    if (data.length === 0) return this.#ended;
    const buf = this.#pending.length === 0 ? data : concatBytes([this.#pending, data]);
    let at = 0;
    while (!this.#ended) {
      if (this.#skip > 0) {
        const n = Math.min(this.#skip, buf.length - at);
        this.#skip -= n;
        at += n;
        this.#offset += n;
        if (this.#skip > 0) break;
      }
      if (buf.length - at < BLOCK) break;
      this.#block(buf.subarray(at, at + BLOCK));
      at += BLOCK;
      this.#offset += BLOCK;
    }
    this.#pending = buf.slice(at);
    return this.#ended;
  }

  finish(): number {
    // An archive may also end without its end-of-archive blocks, as GNU tar accepts.
    if (
      !this.#ended && (this.#skip > 0 || this.#collect !== undefined || this.#pending.length > 0)
    ) {
      throw this.#error("unexpected end of archive");
    }
    return this.#total;
  }

  #block(block: Uint8Array): void {
    if (this.#collect !== undefined) return this.#collectBlock(block);
    if (block.every((b) => b === 0)) {
      // GNU tar also stops at the first zero block.
      this.#ended = true;
      return;
    }
    if (checksum(block) !== octal(block.subarray(148, 156))) {
      throw this.#error(`not a tar archive (bad header checksum at offset ${this.#offset})`);
    }
    const type = String.fromCharCode(block[156]!);
    const stored = size(block.subarray(124, 136));
    const padded = Math.ceil(stored / BLOCK) * BLOCK;
    if (type === "x") {
      // Per-entry PAX records: read, they override the next header.
      this.#pax = new Map();
      if (padded > 0) this.#collect = { kind: "pax", data: [], left: padded, then: 0 };
      return;
    }
    if (type === "g" || type === "L" || type === "K") {
      // Global PAX records and GNU long names are metadata, not entries.
      this.#skip = padded;
      return;
    }
    const pax = this.#pax;
    this.#pax = undefined;
    const dataSize = pax?.has("size") ? Number(pax.get("size")) : stored;
    const real = pax?.get("GNU.sparse.realsize") ?? pax?.get("GNU.sparse.size");
    if (type === "0" || type === "\0" || type === "7") {
      this.#total += real === undefined ? dataSize : Number(real);
    } else if (type === "S") {
      this.#total += size(block.subarray(483, 495));
    }
    const skip = Math.ceil(dataSize / BLOCK) * BLOCK;
    if (type === "S" && block[482] !== 0) {
      // Old GNU sparse: blocks of the sparse map come first, up to one whose flag is clear.
      this.#collect = { kind: "sparse", data: [], left: Infinity, then: skip };
    } else {
      this.#skip = skip;
    }
  }

  #collectBlock(block: Uint8Array): void {
    const collect = this.#collect!;
    if (collect.kind === "sparse") {
      if (block[504] !== 0) return;
    } else {
      collect.data.push(block.slice());
      collect.left -= BLOCK;
      if (collect.left > 0) return;
      this.#pax = parsePax(decoder.decode(concatBytes(collect.data)));
    }
    this.#collect = undefined;
    this.#skip = collect.then;
  }

  #error(what: string): AosError {
    return new AosError("runtime", `Cannot read archive "${this.#path}": ${what}`);
  }
}

function parsePax(text: string): Map<string, string> {
  const out = new Map<string, string>();
  // Records are "<length> <key>=<value>\n"; values may hold newlines, so walk by length.
  let at = 0;
  while (at < text.length) {
    const space = text.indexOf(" ", at);
    const length = Number(text.slice(at, space));
    if (space < 0 || !Number.isInteger(length) || length <= 0) break;
    const record = text.slice(space + 1, at + length - 1);
    const eq = record.indexOf("=");
    if (eq > 0) out.set(record.slice(0, eq), record.slice(eq + 1));
    at += length;
  }
  return out;
}

function checksum(block: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : block[i]!;
  return sum;
}

function octal(field: Uint8Array): number {
  const text = decoder.decode(field).replace(/[\0 ]+$/, "").trim();
  return text === "" ? 0 : parseInt(text, 8);
}

/** A numeric field: octal text, or GNU base-256 for large values. */
function size(field: Uint8Array): number {
  if ((field[0]! & 0x80) === 0) return octal(field);
  let n = field[0]! & 0x7f;
  for (let i = 1; i < field.length; i++) n = n * 256 + field[i]!;
  return n;
}
