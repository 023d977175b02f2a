// Copyright 2026 the aos-common authors. Apache-2.0 license.
// AosCore's part rules over a stream of messages: the part count check, the
// roll to a new part, and the text of the open part, gathered in one buffer
// and compressed into one gzip member when the part ends. All of it is
// synchronous: the compressor and the spool are, so a message costs no
// promise, and no buffer is handed anywhere that could outlive the call.

import { AosError } from "../utils/errors.ts";
import { ArchiverError } from "./errors.ts";
import { gzipMember } from "./_gzip_encoder.ts";
import type { Spool } from "./_spool.ts";

/** A finished part. */
export interface Part {
  /** Offset of the compressed member in the spool. */
  offset: number;
  /** Compressed length; 0 for a part that received no data. */
  length: number;
  /** Uncompressed bytes. */
  size: number;
}

/** First size of the buffer of the open part's text; it grows to what a part holds. */
const TEXT_SIZE = 64 * 1024;
const encoder = new TextEncoder();

export class PartWriter {
  /** Finished parts; the open one is described by the fields below. */
  readonly parts: Part[] = [];
  readonly #maxPartSize: number;
  readonly #maxPartCount: number;
  readonly #spool: Spool;
  #memberStart = 0;
  #currentSize = 0;
  #size = 0;
  /** The open part's text so far: `#pos` bytes. */
  #text: Uint8Array = new Uint8Array(TEXT_SIZE);
  #pos = 0;
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
  addString(message: string): void {
    this.checkUsable();
    this.checkPartCount();
    // Encode straight into the text buffer when it has room for any encoding.
    if (message.length * 3 > this.#text.length - this.#pos) {
      const bytes = encoder.encode(message);
      return this.addMessage([bytes], bytes.length);
    }
    const { written } = encoder.encodeInto(message, this.#text.subarray(this.#pos));
    if (written <= this.room) {
      this.#pos += written;
      this.#account(written);
    } else {
      this.startPart([this.#text.slice(this.#pos, this.#pos + written)]);
    }
  }

  /** Takes one message given as pieces. */
  addMessage(pieces: Uint8Array[], size: number): void {
    this.checkUsable();
    this.checkPartCount();
    if (size > this.room) return this.startPart(pieces);
    this.#account(size);
    for (const piece of pieces) this.#put(piece);
  }

  /** Bytes that belong to the open part; the caller did the checks. */
  append(bytes: Uint8Array): void {
    this.#account(bytes.length);
    this.#put(bytes);
  }

  /** Finishes the open part and starts the next one with `pieces`. */
  startPart(pieces: Uint8Array[]): void {
    this.finish();
    for (const piece of pieces) this.append(piece);
  }

  /** Finishes the open part (the last one, before sending). */
  finish(): void {
    // A part that received nothing has no bytes at all, not an empty gzip
    // member, as in AosCore.
    if (this.#pos > 0) this.#compress();
    const offset = this.#memberStart;
    this.parts.push({ offset, length: this.#spool.size - offset, size: this.#currentSize });
    this.#memberStart = this.#spool.size;
    this.#currentSize = 0;
  }

  /** Drops the open part's text. */
  close(): void {
    this.#closed = true;
    this.#text = new Uint8Array(0);
    this.#pos = 0;
  }

  #account(size: number): void {
    this.#currentSize += size;
    this.#size += size;
  }

  /** Appends `bytes` to the open part's text, growing its buffer as needed. */
  #put(bytes: Uint8Array): void {
    const end = this.#pos + bytes.length;
    if (end > this.#text.length) {
      const grown = new Uint8Array(Math.max(end, this.#text.length * 2));
      grown.set(this.#text.subarray(0, this.#pos));
      this.#text = grown;
    }
    this.#text.set(bytes, this.#pos);
    this.#pos = end;
  }

  /** Compresses the open part's text into the spool; a failure breaks the writer for good. */
  #compress(): void {
    this.checkUsable();
    try {
      this.#spool.append(gzipMember(this.#text.subarray(0, this.#pos)));
      this.#pos = 0;
      // A message longer than a part grew the buffer beyond what parts need.
      if (this.#text.length > Math.max(TEXT_SIZE, 2 * this.#maxPartSize)) {
        this.#text = new Uint8Array(TEXT_SIZE);
      }
    } catch (err) {
      this.#failure = err instanceof AosError ? err : new ArchiverError(
        "compression",
        `Cannot compress log part ${this.parts.length + 1}`,
        err,
      );
      this.close();
      throw this.#failure;
    }
  }
}
