// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * {@linkcode LogArchiver}: compresses log lines into gzip parts and sends them
 * as `pushLog` messages.
 *
 * @module
 */

import { canceledError, throwIfAborted } from "../utils/abort.ts";
import { AosError } from "../utils/errors.ts";
import { MAX_LOG_CONTENT_SIZE } from "./config.ts";
import { ArchiverError } from "./errors.ts";
import { GzipMember } from "./_gzip_member.ts";
import { type PushLog, pushLog } from "./_protocol.ts";
import { Spool } from "./_spool.ts";
import type {
  AddLinesOptions,
  LogArchiverOptions,
  LoggingConfig,
  LogSender,
  SendLogOptions,
  SendLogResult,
} from "./types.ts";

/** Input bytes gathered before they go to the compressor. */
const STAGING_SIZE = 64 * 1024;
const DEFAULT_MEMORY_LIMIT = 4 * 1024 * 1024;
/** AosCore's capacity of a correlation id: a UUID's text and one byte. */
const MAX_CORRELATION_ID = 37;
const NEWLINE = 0x0a;

type State = "open" | "sending" | "sent" | "closed" | "failed";

interface Part {
  /** Offset of the compressed member in the spool. */
  offset: number;
  /** Compressed length; 0 for a part that received no data. */
  length: number;
  /** Uncompressed bytes. */
  size: number;
}

const encoder = new TextEncoder();
const done: Promise<void> = Promise.resolve();

/**
 * Compresses a log into a sequence of independent gzip members ("parts") of
 * at most `maxPartSize` uncompressed bytes each, and hands them to a
 * {@linkcode LogSender} as `pushLog` messages, as AosCore's archiver does:
 * a line never straddles two parts, a line longer than a part gets a part of
 * its own, and an archive has at most `maxPartCount + 1` parts.
 *
 * Memory stays bounded whatever the size of the log: lines are compressed as
 * they come, and compressed parts beyond `memoryLimit` wait in an unlinked
 * temporary file. An archiver is single use: after `sendLog` it only closes.
 *
 * @example Archive three lines and send them
 * ```ts
 * import { LogArchiver, type LogSender } from "@aoscore/common/logging";
 * import assert from "node:assert/strict";
 *
 * const sent: { part: number; partsCount: number; status: string }[] = [];
 * const sender: LogSender = {
 *   sendLog: async (log) => void sent.push(log),
 * };
 * await using archiver = new LogArchiver(sender, { maxPartSize: 1024, maxPartCount: 10 });
 * await archiver.addLog("20260507061000Z aos-sm.service started\n");
 * await archiver.addLog("20260507061001Z aos-sm.service connected\n");
 * await archiver.sendLog("8c7b6a59-4837-4261-9504-f3e2d1c0b9a8");
 * assert.deepEqual(sent.map((log) => [log.part, log.partsCount, log.status]), [[1, 1, "ok"]]);
 * ```
 */
export class LogArchiver implements AsyncDisposable {
  readonly #sender: LogSender;
  readonly #maxPartSize: number;
  readonly #maxPartCount: number;
  readonly #ignoreSendErrors: boolean;
  readonly #spool: Spool;
  #state: State = "open";
  #failure: unknown;
  /** Finished parts; the open one is described by the fields below. */
  readonly #parts: Part[] = [];
  #member: GzipMember | undefined;
  #memberStart = 0;
  #currentSize = 0;
  #size = 0;
  #staging = new Uint8Array(STAGING_SIZE);
  #pos = 0;
  /** Whether the last part is finished (by `sendLog`). */
  #finished = false;
  /** The last queued operation; calls run one after another in call order. */
  #queue: Promise<void> = done;
  #pending = 0;
  #writable: WritableStream<string | Uint8Array> | undefined;

  /**
   * Creates an archiver.
   *
   * @param sender Receives the `pushLog` messages.
   * @param config The part size and count limits; see {@linkcode DEFAULT_LOGGING_CONFIG}.
   * @param options Sender error handling and spooling.
   * @throws {AosError} `invalidArgument` when a limit is not a non-negative integer.
   */
  constructor(sender: LogSender, config: LoggingConfig, options: LogArchiverOptions = {}) {
    this.#sender = sender;
    this.#maxPartSize = checkCount("maxPartSize", config.maxPartSize);
    this.#maxPartCount = checkCount("maxPartCount", config.maxPartCount);
    this.#ignoreSendErrors = options.ignoreSendErrors ?? false;
    const memoryLimit = checkCount("memoryLimit", options.memoryLimit ?? DEFAULT_MEMORY_LIMIT);
    this.#spool = new Spool(memoryLimit, options.tempDir);
  }

  /** Uncompressed bytes added so far. */
  get size(): number {
    return this.#size;
  }

  /** Parts so far: the finished ones and the open one. */
  get parts(): number {
    return this.#parts.length + (this.#finished ? 0 : 1);
  }

  /**
   * A stream to pipe log messages into: each chunk is one message, as for
   * {@linkcode LogArchiver.addLog}. The same stream is returned every time.
   */
  get writable(): WritableStream<string | Uint8Array> {
    this.#writable ??= new WritableStream({ write: (chunk) => this.addLog(chunk) });
    return this.#writable;
  }

  /**
   * Adds one message, normally one log line with its `"\n"`. Its size is its
   * UTF-8 byte length. When it does not fit in the open part, that part is
   * finished (even if empty) and the message starts the next one.
   *
   * @param message The message; a `Uint8Array` is copied before the promise settles.
   * @returns A promise that settles when the message is taken.
   * @throws {ArchiverError} `tooManyParts` after `maxPartCount` part boundaries
   * (nothing is added; the archive can still be sent), `wrongState` after
   * {@linkcode LogArchiver.sendLog} or {@linkcode LogArchiver.close},
   * `compression` when the compressor fails.
   */
  addLog(message: string | Uint8Array): Promise<void> {
    try {
      this.#checkOpen("add a log message");
      if (this.#pending === 0) return this.#track(this.#addMessage(message));
      return this.#enqueue(() => this.#addMessage(message));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /**
   * Adds log text read from a stream, one message per line: each line with its
   * `"\n"`, and the text after the last `"\n"` as a last message. Lines may
   * span chunks; memory holds at most one part of a line that spans chunks.
   *
   * @param source Text as bytes (or strings) in any chunking: a `ReadableStream`,
   * an async iterable or an iterable.
   * @param options Abort signal and progress callback.
   * @returns A promise that settles when all text is taken.
   * @throws {ArchiverError} As {@linkcode LogArchiver.addLog}; the lines before
   * the failing one stay added. `canceled` when the signal aborts.
   */
  addLines(
    source:
      | ReadableStream<Uint8Array | string>
      | AsyncIterable<Uint8Array | string>
      | Iterable<Uint8Array | string>,
    options: AddLinesOptions = {},
  ): Promise<void> {
    try {
      this.#checkOpen("add log lines");
      return this.#enqueue(() => this.#addLines(source, options));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /**
   * Finishes the archive and sends it: parts `1..N` of `N` with status `ok`,
   * in order, each once the previous send settled; or, when nothing was
   * added, one `empty` message (part 1 of 1, no content).
   *
   * Before the first part goes out, every part is checked against
   * {@linkcode MAX_LOG_CONTENT_SIZE}, so a too large part fails the whole
   * archive instead of leaving the receiver with some parts.
   *
   * @param correlationId The id of the log request, at most 37 bytes.
   * @param options Abort signal and progress callback.
   * @returns What was sent.
   * @throws {ArchiverError} `contentTooLarge` (nothing sent), `wrongState` when
   * already sent or closed, `compression`.
   * @throws {AosError} The sender's rejection, with its kind, unless
   * `ignoreSendErrors` is set; `canceled` when the signal aborts.
   */
  sendLog(correlationId: string, options: SendLogOptions = {}): Promise<SendLogResult> {
    try {
      this.#checkOpen("send the log");
      checkCorrelationId(correlationId);
    } catch (err) {
      return Promise.reject(err);
    }
    this.#state = "sending";
    const result = this.#queue.then(() => this.#send(correlationId, options));
    this.#queue = result.then(noop, noop);
    return result;
  }

  /**
   * Releases the archive's memory and temporary file. An unsent archive is
   * dropped. Idempotent.
   *
   * @returns A promise that settles when the resources are released.
   */
  close(): Promise<void> {
    if (this.#state !== "failed") this.#state = "closed";
    this.#release();
    return done;
  }

  /**
   * Same as {@linkcode LogArchiver.close}.
   *
   * @returns A promise that settles when the resources are released.
   */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #checkOpen(action: string): void {
    if (this.#state === "failed") throw this.#failure;
    if (this.#state !== "open") {
      throw new ArchiverError("wrongState", `Cannot ${action}: the archiver is ${this.#state}`);
    }
  }

  #track(work: Promise<void> | undefined): Promise<void> {
    if (work === undefined) return done;
    this.#pending++;
    const tracked = work.finally(() => this.#pending--);
    this.#queue = tracked.then(noop, noop);
    return tracked;
  }

  #enqueue(work: () => Promise<void> | undefined): Promise<void> {
    this.#pending++;
    const result = this.#queue.then(work).finally(() => this.#pending--);
    this.#queue = result.then(noop, noop);
    return result;
  }

  /** Adds one message: synchronously when it fits, else returns the work left. */
  #addMessage(message: string | Uint8Array): Promise<void> | undefined {
    this.#checkWorking();
    this.#checkPartCount();
    if (typeof message === "string") {
      // Encode straight into the staging buffer when it has room for any encoding.
      if (message.length * 3 <= this.#staging.length - this.#pos) {
        const { written } = encoder.encodeInto(message, this.#staging.subarray(this.#pos));
        if (this.#currentSize + written <= this.#maxPartSize) {
          this.#pos += written;
          this.#account(written);
          return undefined;
        }
        return this.#failOn(this.#rollWith([this.#staging.slice(this.#pos, this.#pos + written)]));
      }
      message = encoder.encode(message);
    }
    if (this.#currentSize + message.length > this.#maxPartSize) {
      return this.#failOn(this.#rollWith([message]));
    }
    this.#account(message.length);
    return this.#failOn(this.#put(message));
  }

  async #addLines(
    source:
      | ReadableStream<Uint8Array | string>
      | AsyncIterable<Uint8Array | string>
      | Iterable<Uint8Array | string>,
    options: AddLinesOptions,
  ): Promise<void> {
    const { signal, onProgress } = options;
    throwIfAborted(signal, "adding log lines canceled");
    // A line that spans chunks: its pieces so far, or, once it is known to
    // need a part of its own, `spill` (its bytes then go straight to that part).
    let pieces: Uint8Array[] = [];
    let piecesSize = 0;
    let spill = false;
    let bytes = 0;
    for await (const input of source as AsyncIterable<Uint8Array | string>) {
      throwIfAborted(signal, "adding log lines canceled");
      this.#checkWorking();
      const chunk = typeof input === "string" ? encoder.encode(input) : input;
      bytes += chunk.length;
      let s = 0;
      const lastNewline = chunk.lastIndexOf(NEWLINE);
      while (s < chunk.length) {
        const nl = s > lastNewline ? -1 : chunk.indexOf(NEWLINE, s);
        const end = nl < 0 ? chunk.length : nl + 1;
        if (spill) {
          this.#account(end - s);
          await this.#failOn(this.#put(chunk.subarray(s, end)));
          spill = nl < 0;
          s = end;
        } else if (piecesSize > 0 || nl < 0) {
          // Pieces are copied: a stream may reuse its chunk buffers.
          pieces.push(chunk.slice(s, end));
          piecesSize += end - s;
          s = end;
          if (nl >= 0) {
            await this.#addPieces(pieces, piecesSize);
            pieces = [];
            piecesSize = 0;
          } else if (this.#currentSize + piecesSize > this.#maxPartSize) {
            this.#checkPartCount();
            await this.#failOn(this.#rollWith(pieces));
            pieces = [];
            piecesSize = 0;
            spill = true;
          }
        } else {
          s = await this.#addWholeLines(chunk, s, lastNewline + 1);
        }
      }
      onProgress?.({ bytes, parts: this.parts });
    }
    if (piecesSize > 0) await this.#addPieces(pieces, piecesSize);
  }

  /**
   * Adds the complete lines of `chunk[start, end)` that fit in the open part
   * in one copy; when the first line does not fit, starts a new part with it.
   * Returns where the next line starts.
   */
  async #addWholeLines(chunk: Uint8Array, start: number, end: number): Promise<number> {
    this.#checkPartCount();
    const room = this.#maxPartSize - this.#currentSize;
    let cut = end;
    if (end - start > room) {
      cut = room > 0 ? chunk.lastIndexOf(NEWLINE, start + room - 1) + 1 : 0;
      if (cut <= start) {
        // The first line does not fit: it starts the next part, alone for now.
        const lineEnd = chunk.indexOf(NEWLINE, start) + 1;
        await this.#failOn(this.#rollWith([chunk.subarray(start, lineEnd)]));
        return lineEnd;
      }
    }
    this.#account(cut - start);
    await this.#failOn(this.#put(chunk.subarray(start, cut)));
    return cut;
  }

  /** Adds one message made of pieces. */
  #addPieces(pieces: Uint8Array[], size: number): Promise<void> | undefined {
    this.#checkPartCount();
    if (this.#currentSize + size > this.#maxPartSize) return this.#failOn(this.#rollWith(pieces));
    this.#account(size);
    return this.#failOn(this.#putAll(pieces));
  }

  #account(size: number): void {
    this.#currentSize += size;
    this.#size += size;
  }

  #checkPartCount(): void {
    if (this.#parts.length >= this.#maxPartCount) {
      throw new ArchiverError(
        "tooManyParts",
        `Cannot add a log message: the archive already has ${this.#parts.length} part ` +
          `boundaries, the limit (maxPartCount) is ${this.#maxPartCount}`,
      );
    }
  }

  /** Throws the failure of an earlier queued call, or when closed meanwhile. */
  #checkWorking(): void {
    if (this.#state === "failed") throw this.#failure;
    if (this.#state === "closed") {
      throw new ArchiverError("wrongState", "Cannot add a log message: the archiver is closed");
    }
  }

  /** Finishes the open part and starts the next one with `pieces`. */
  async #rollWith(pieces: Uint8Array[]): Promise<void> {
    await this.#finishPart();
    this.#account(pieces.reduce((sum, piece) => sum + piece.length, 0));
    await this.#putAll(pieces);
  }

  async #finishPart(): Promise<void> {
    await this.#flush();
    const member = this.#member;
    this.#member = undefined;
    if (member !== undefined) await member.end();
    const offset = this.#memberStart;
    this.#parts.push({ offset, length: this.#spool.size - offset, size: this.#currentSize });
    this.#memberStart = this.#spool.size;
    this.#currentSize = 0;
  }

  async #putAll(pieces: Uint8Array[]): Promise<void> {
    for (const piece of pieces) await this.#put(piece);
  }

  /** Copies `bytes` into the staging buffer, handing full buffers to the compressor. */
  #put(bytes: Uint8Array, from = 0): Promise<void> | undefined {
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

  #flush(): Promise<void> | undefined {
    if (this.#pos === 0) return undefined;
    const chunk = this.#staging.subarray(0, this.#pos);
    this.#staging = new Uint8Array(STAGING_SIZE);
    this.#pos = 0;
    // Created on the first byte: a part that receives nothing has no bytes at
    // all, not an empty gzip member, as in AosCore.
    this.#member ??= new GzipMember((out) => this.#spool.append(out));
    return this.#member.write(chunk);
  }

  /** Marks the archiver failed when compression or spooling fails. */
  #failOn(work: Promise<void> | undefined): Promise<void> | undefined {
    return work?.catch((err: unknown) => {
      if (this.#state === "closed") {
        throw new ArchiverError("wrongState", "Cannot add a log message: the archiver was closed");
      }
      if (this.#state !== "failed") {
        this.#failure = err instanceof AosError ? err : new ArchiverError(
          "compression",
          `Cannot compress log part ${this.parts}`,
          err,
        );
        this.#state = "failed";
        this.#release();
      }
      throw this.#failure;
    });
  }

  async #send(correlationId: string, options: SendLogOptions): Promise<SendLogResult> {
    const { signal, onProgress } = options;
    try {
      throwIfAborted(signal, "sending the log canceled");
      if (this.#state === "failed") throw this.#failure;
      await this.#failOn(this.#finishPart());
      this.#finished = true;
      const parts = this.#parts;
      const errors: unknown[] = [];
      if (parts.length === 1 && parts[0]!.size === 0) {
        await this.#deliver(
          pushLog(correlationId, "empty", 1, 1, new Uint8Array()),
          errors,
          signal,
        );
        return { partsCount: 1, size: 0, compressedSize: 0, errors };
      }
      const tooLarge = parts.findIndex((part) => part.length > MAX_LOG_CONTENT_SIZE);
      if (tooLarge >= 0) {
        throw new ArchiverError(
          "contentTooLarge",
          `Cannot send log part ${tooLarge + 1} of ${parts.length}: it is ` +
            `${parts[tooLarge]!.length} bytes compressed, a message carries at most ` +
            `${MAX_LOG_CONTENT_SIZE}`,
        );
      }
      let bytes = 0;
      for (const [i, part] of parts.entries()) {
        throwIfAborted(signal, "sending the log canceled");
        if (this.#state !== "sending") {
          throw new ArchiverError("wrongState", "Cannot send the log: the archiver was closed");
        }
        const content = await this.#spool.read(part.offset, part.length);
        const log = pushLog(correlationId, "ok", i + 1, parts.length, content);
        await this.#deliver(log, errors, signal);
        bytes += part.length;
        onProgress?.({ part: i + 1, partsCount: parts.length, bytes });
      }
      return { partsCount: parts.length, size: this.#size, compressedSize: bytes, errors };
    } finally {
      if (this.#state === "sending") this.#state = "sent";
      this.#release();
    }
  }

  async #deliver(log: PushLog, errors: unknown[], signal: AbortSignal | undefined): Promise<void> {
    try {
      await abortable(this.#sender.sendLog(log), signal);
    } catch (err) {
      if (signal?.aborted) throw canceledError(signal, "sending the log canceled");
      if (!this.#ignoreSendErrors) {
        throw AosError.wrap(
          err,
          undefined,
          `Cannot send log part ${log.part} of ${log.partsCount}`,
        );
      }
      errors.push(err);
    }
  }

  #release(): void {
    this.#member?.destroy();
    this.#member = undefined;
    this.#staging = new Uint8Array(0);
    this.#pos = 0;
    this.#spool.close();
  }
}

function noop(): void {}

/** Settles with `work`, or rejects as soon as `signal` aborts. */
function abortable(work: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (signal === undefined) return work;
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => reject(canceledError(signal, "sending the log canceled"));
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

function checkCount(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new AosError(
      "invalidArgument",
      `Cannot create log archiver: ${name} must be a non-negative integer, got ${value}`,
    );
  }
  return value;
}

function checkCorrelationId(id: string): void {
  if (typeof id !== "string" || encoder.encode(id).length > MAX_CORRELATION_ID) {
    throw new AosError(
      "invalidArgument",
      `Cannot send the log: correlation id "${id}" is longer than ${MAX_CORRELATION_ID} bytes`,
    );
  }
}
