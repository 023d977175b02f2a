// Copyright 2026 the aos-common authors. Apache-2.0 license.
// AosCore's part rules over a stream of messages: the part count check, the
// roll to a new part, and the bytes on their way to the compressor. Every
// method that may have to wait returns a promise, and nothing otherwise, so
// the common case (a line that fits) costs no promise at all.

import { AosError } from "../utils/errors.ts";
import { ArchiverError } from "./errors.ts";
import { GzipEncoder } from "./_gzip_encoder.ts";
import type { Spool } from "./_spool.ts";

/** A promise when the caller must wait, else nothing. */
export type Wait = Promise<void> | undefined;

/** A finished part. */
export interface Part {
  /** Offset of the compressed member in the spool. */
  offset: number;
  /** Compressed length; 0 for a part that received no data. */
  length: number;
  /** Uncompressed bytes. */
  size: number;
}

/** Input bytes gathered before they go to the compressor. */
const STAGING_SIZE = 64 * 1024;
/** The compressor holds at most its high-water mark (4 buffers) and one more in flight. */
const MAX_FREE_BUFFERS = 6;
const encoder = new TextEncoder();

export class PartWriter {
  /** Finished parts; the open one is described by the fields below. */
  readonly parts: Part[] = [];
  readonly #maxPartSize: number;
  readonly #maxPartCount: number;
  readonly #spool: Spool;
  #encoder: GzipEncoder | undefined;
  /** Whether the open part has bytes in the encoder, so its member must be finished. */
  #memberOpen = false;
  #memberStart = 0;
  #currentSize = 0;
  #size = 0;
  #staging: Uint8Array = new Uint8Array(STAGING_SIZE);
  #pos = 0;
  /** Staging buffers the compressor is done with. */
  #free: Uint8Array[] = [];
  #failure: unknown;
  #closed = false;

  constructor(maxPartSize: number, maxPartCount: number, spool: Spool) {
    this.#maxPartSize = maxPartSize;
    this.#maxPartCount = maxPartCount;
    this.#spool = spool;
  }

  /** Uncompressed bytes taken so far. */
  get size(): number {
    return this.#size;
  }

  /** Uncompressed bytes the open part can still take (negative after an oversized line). */
  get room(): number {
    return this.#maxPartSize - this.#currentSize;
  }

  /** The compression or spool error that broke the writer. */
  get failure(): unknown {
    return this.#failure;
  }

  /** Throws the writer's failure, or `wrongState` once closed. */
  checkUsable(): void {
    if (this.#failure !== undefined) throw this.#failure;
    if (this.#closed) {
      throw new ArchiverError("wrongState", "Cannot add a log message: the archiver is closed");
    }
  }

  /** AosCore's first check on every message, before its size is even looked at. */
  checkPartCount(): void {
    if (this.parts.length >= this.#maxPartCount) {
      throw new ArchiverError(
        "tooManyParts",
        `Cannot add a log message: the archive already has ${this.parts.length} part ` +
          `boundaries, the limit (maxPartCount) is ${this.#maxPartCount}`,
      );
    }
  }

  /** Takes one message given as text. */
  addString(message: string): Wait {
    this.checkUsable();
    this.checkPartCount();
    // Encode straight into the staging buffer when it has room for any encoding.
    if (message.length * 3 > this.#staging.length - this.#pos) {
      const bytes = encoder.encode(message);
      return this.addMessage([bytes], bytes.length);
    }
    const { written } = encoder.encodeInto(message, this.#staging.subarray(this.#pos));
    if (written <= this.room) {
      this.#pos += written;
      this.#account(written);
      return undefined;
    }
    return this.startPart([this.#staging.slice(this.#pos, this.#pos + written)]);
  }

  /** Takes one message given as pieces (copied before the returned wait ends). */
  addMessage(pieces: Uint8Array[], size: number): Wait {
    this.checkUsable();
    this.checkPartCount();
    if (size > this.room) return this.startPart(pieces);
    this.#account(size);
    return this.#putAll(pieces, 0);
  }

  /** Bytes that belong to the open part; the caller did the checks. */
  append(bytes: Uint8Array): Wait {
    this.#account(bytes.length);
    return this.#guard(this.#put(bytes, 0));
  }

  /** Finishes the open part and starts the next one with `pieces`. */
  startPart(pieces: Uint8Array[]): Promise<void> {
    return this.#guard(this.#startPart(pieces))!;
  }

  /** Finishes the open part: the last one, before sending. */
  finish(): Promise<void> {
    return this.#guard(this.#finishPart())!;
  }

  /** Drops the open member and the staged bytes. */
  close(): void {
    this.#closed = true;
    this.#encoder?.destroy();
    this.#encoder = undefined;
    this.#staging = new Uint8Array(0);
    this.#free = [];
    this.#pos = 0;
  }

  async #startPart(pieces: Uint8Array[]): Promise<void> {
    await this.#finishPart();
    let size = 0;
    for (const piece of pieces) size += piece.length;
    this.#account(size);
    await this.#putAll(pieces, 0);
  }

  async #finishPart(): Promise<void> {
    await this.#flush();
    if (this.#memberOpen) {
      this.#memberOpen = false;
      await this.#encoder!.finishMember();
    }
    const offset = this.#memberStart;
    this.parts.push({ offset, length: this.#spool.size - offset, size: this.#currentSize });
    this.#memberStart = this.#spool.size;
    this.#currentSize = 0;
  }

  #account(size: number): void {
    this.#currentSize += size;
    this.#size += size;
  }

  #putAll(pieces: Uint8Array[], from: number): Wait {
    for (let i = from; i < pieces.length; i++) {
      const wait = this.#guard(this.#put(pieces[i]!, 0));
      if (wait !== undefined) return wait.then(() => this.#putAll(pieces, i + 1));
    }
    return undefined;
  }

  /** Copies `bytes` into the staging buffer, handing full buffers to the compressor. */
  #put(bytes: Uint8Array, from: number): Wait {
    for (;;) {
      const n = Math.min(bytes.length - from, this.#staging.length - this.#pos);
      this.#staging.set(bytes.subarray(from, from + n), this.#pos);
      this.#pos += n;
      from += n;
      if (from === bytes.length) return undefined;
      const wait = this.#flush();
      if (wait !== undefined) return wait.then(() => this.#put(bytes, from));
    }
  }

  #flush(): Wait {
    if (this.#pos === 0) return undefined;
    if (this.#closed) return Promise.reject(this.#closedError());
    const buffer = this.#staging;
    this.#staging = this.#free.pop() ?? new Uint8Array(STAGING_SIZE);
    const pos = this.#pos;
    this.#pos = 0;
    // A member starts with its first byte: a part that receives nothing has
    // no bytes at all, not an empty gzip member, as in AosCore.
    this.#encoder ??= new GzipEncoder((out) => this.#spool.append(out));
    this.#memberOpen = true;
    // Buffers come back once compressed: recycling them keeps a long log from
    // leaving a trail of garbage that the runtime frees late.
    return this.#encoder.write(buffer.subarray(0, pos), () => {
      if (this.#free.length < MAX_FREE_BUFFERS) this.#free.push(buffer);
    });
  }

  /** Records a compression or spool failure: the writer is unusable after it. */
  #guard(work: Wait): Wait {
    return work?.catch((err: unknown) => {
      if (this.#failure !== undefined) throw this.#failure;
      if (this.#closed) throw this.#closedError();
      if (err instanceof ArchiverError) throw err;
      this.#failure ??= err instanceof AosError ? err : new ArchiverError(
        "compression",
        `Cannot compress log part ${this.parts.length + 1}`,
        err,
      );
      this.close();
      throw this.#failure;
    });
  }

  #closedError(): ArchiverError {
    return new ArchiverError("wrongState", "Cannot add a log message: the archiver was closed");
  }
}
