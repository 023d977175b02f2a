// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Holds the compressed parts of an archive until they are sent: in memory up
// to a limit, then in a temporary file that is unlinked as soon as it is open,
// so nothing is left behind even if the process dies.

import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { AosError } from "../utils/errors.ts";
import { tempDir } from "../utils/fs.ts";

export class Spool {
  readonly #memoryLimit: number;
  readonly #tempDir: string | undefined;
  #chunks: Uint8Array[] = [];
  /** The buffer of `read` with `reuse`. */
  #reused = new Uint8Array(0);
  #size = 0;
  #fd: number | undefined;
  #leftover: string | undefined;

  constructor(memoryLimit: number, tempDir: string | undefined) {
    this.#memoryLimit = memoryLimit;
    this.#tempDir = tempDir;
  }

  /** Bytes appended so far: the offset of the next byte. */
  get size(): number {
    return this.#size;
  }

  /** Whether the bytes live in a file. */
  get onDisk(): boolean {
    return this.#fd !== undefined;
  }

  /** Appends a copy of `chunk`: the caller may reuse its buffer. */
  append(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    if (this.#fd === undefined && this.#size + chunk.length > this.#memoryLimit) this.#spill();
    if (this.#fd === undefined) {
      this.#chunks.push(chunk.slice());
    } else {
      writeAll(this.#fd, chunk, this.#size);
    }
    this.#size += chunk.length;
  }

  /**
   * Reads `length` bytes at `offset`: into a fresh buffer, or with `reuse` into
   * one that the next such read overwrites. Synchronous like the writes: a part
   * is at most a few hundred KiB, and the async paths of the runtimes copy
   * through buffers of their own that linger until a garbage collection.
   */
  read(offset: number, length: number, reuse = false): Uint8Array {
    if (reuse && this.#reused.length < length) this.#reused = new Uint8Array(length);
    const out = reuse ? this.#reused.subarray(0, length) : new Uint8Array(length);
    if (length === 0) return out;
    const fd = this.#fd;
    if (fd === undefined) {
      this.#copyFromMemory(out, offset);
      return out;
    }
    let done = 0;
    try {
      while (done < length) {
        const n = fs.readSync(fd, out, done, length - done, offset + done);
        if (n === 0) throw new AosError("eof", `log spool file ends at ${offset + done}`);
        done += n;
      }
    } catch (err) {
      throw AosError.wrap(err, undefined, "Cannot read the log spool file");
    }
    return out;
  }

  /** Releases the memory and the file. Idempotent. */
  close(): void {
    this.#chunks = [];
    this.#reused = new Uint8Array(0);
    if (this.#fd !== undefined) {
      const fd = this.#fd;
      this.#fd = undefined;
      fs.closeSync(fd);
    }
    if (this.#leftover !== undefined) {
      const file = this.#leftover;
      this.#leftover = undefined;
      fs.rmSync(file, { force: true });
    }
  }

  #copyFromMemory(out: Uint8Array, offset: number): void {
    let at = 0;
    let written = 0;
    for (const chunk of this.#chunks) {
      const end = at + chunk.length;
      if (end > offset && written < out.length) {
        const from = Math.max(0, offset - at);
        const piece = chunk.subarray(from, from + out.length - written);
        out.set(piece, written);
        written += piece.length;
      }
      at = end;
      if (written === out.length) break;
    }
  }

  #spill(): void {
    // Looked up only now: it reads the environment, a permission in Deno.
    const dir = this.#tempDir ?? tempDir();
    const file = path.join(dir, `aos-log-${randomUUID()}.spool`);
    let fd: number;
    try {
      fd = fs.openSync(file, "wx+", 0o600);
    } catch (err) {
      throw AosError.wrap(err, undefined, `Cannot create the log spool file in "${dir}"`);
    }
    try {
      fs.unlinkSync(file);
    } catch {
      // Systems that cannot unlink an open file: remove it on close instead.
      this.#leftover = file;
    }
    this.#fd = fd;
    let at = 0;
    for (const chunk of this.#chunks) {
      writeAll(fd, chunk, at);
      at += chunk.length;
    }
    this.#chunks = [];
  }
}

function writeAll(fd: number, chunk: Uint8Array, position: number): void {
  let done = 0;
  try {
    while (done < chunk.length) {
      done += fs.writeSync(fd, chunk, done, chunk.length - done, position + done);
    }
  } catch (err) {
    throw AosError.wrap(err, undefined, "Cannot write the log spool file");
  }
}
