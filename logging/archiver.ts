// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * {@linkcode LogArchiver}: compresses log lines into gzip parts and sends them
 * as `pushLog` messages.
 *
 * @module
 */

import { setImmediate } from "node:timers";
import { canceledError, throwIfAborted } from "../utils/abort.ts";
import { AosError } from "../utils/errors.ts";
import { MAX_LOG_CONTENT_SIZE } from "./config.ts";
import { ArchiverError } from "./errors.ts";
import { LineSplitter } from "./_lines.ts";
import { PartWriter } from "./_part_writer.ts";
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

const DEFAULT_MEMORY_LIMIT = 4 * 1024 * 1024;
/** Input compressed between two turns of the event loop in `addLines` (a few ms at level 9). */
const TURN_BYTES = 256 * 1024;
/** AosCore's capacity of a correlation id: a UUID's text and one byte. */
const MAX_CORRELATION_ID = 37;

type State = "open" | "sending" | "sent" | "closed";

const encoder = new TextEncoder();
const done: Promise<void> = Promise.resolve();

/**
 * Compresses a log into a sequence of independent gzip members ("parts") of
 * at most `maxPartSize` uncompressed bytes each, and hands them to a
 * {@linkcode LogSender} as `pushLog` messages, as AosCore's archiver does:
 * a line never straddles two parts, a line longer than a part gets a part of
 * its own, and an archive has at most `maxPartCount + 1` parts.
 *
 * Memory stays bounded whatever the size of the log: only the open part's
 * text is held, each part is compressed as it ends, and compressed parts
 * beyond `memoryLimit` wait in an unlinked temporary file. Compression runs
 * on the calling thread, one part at a time; `addLines` lets the event loop
 * run after every 256 KiB. An archiver is single use: after `sendLog` it only
 * closes.
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
  readonly #ignoreSendErrors: boolean;
  readonly #reuseContent: boolean;
  readonly #spool: Spool;
  readonly #writer: PartWriter;
  #state: State = "open";
  /** Whether the last part is finished (by `sendLog`). */
  #finished = false;
  /** The last queued call; calls run one after another in call order. */
  #queue: Promise<unknown> = done;
  #pending = 0;
  #writable: WritableStream<string | Uint8Array> | undefined;

  /**
   * Creates an archiver.
   *
   * @param sender Receives the `pushLog` messages.
   * @param config The part size and count limits; see {@linkcode DEFAULT_LOGGING_CONFIG}.
   * @param options Sender error handling, content reuse and spooling.
   * @throws {AosError} `invalidArgument` when a limit is not a non-negative integer.
   */
  constructor(sender: LogSender, config: LoggingConfig, options: LogArchiverOptions = {}) {
    this.#sender = sender;
    const maxPartSize = checkCount("maxPartSize", config.maxPartSize);
    const maxPartCount = checkCount("maxPartCount", config.maxPartCount);
    this.#ignoreSendErrors = options.ignoreSendErrors ?? false;
    this.#reuseContent = options.reuseContent ?? false;
    const memoryLimit = checkCount("memoryLimit", options.memoryLimit ?? DEFAULT_MEMORY_LIMIT);
    this.#spool = new Spool(memoryLimit, options.tempDir);
    this.#writer = new PartWriter(maxPartSize, maxPartCount, this.#spool);
  }

  /** Uncompressed bytes added so far. */
  get size(): number {
    return this.#writer.size;
  }

  /** Parts so far: the finished ones and the open one. */
  get parts(): number {
    return this.#writer.parts.length + (this.#finished ? 0 : 1);
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
   * @param message The message. A `Uint8Array` must stay unchanged until the
   * promise settles.
   * @returns A promise that settles when the message is taken.
   * @throws {ArchiverError} `tooManyParts` after `maxPartCount` part boundaries
   * (nothing is added; the archive can still be sent), `wrongState` after
   * {@linkcode LogArchiver.sendLog} or {@linkcode LogArchiver.close},
   * `compression` when the compressor fails.
   */
  addLog(message: string | Uint8Array): Promise<void> {
    const add = (): void =>
      typeof message === "string"
        ? this.#writer.addString(message)
        : this.#writer.addMessage([message], message.length);
    try {
      this.#checkOpen("add a log message");
      // Nothing queued: take the message now, which costs no promise.
      if (this.#pending === 0) {
        add();
        return done;
      }
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#enqueue(add);
  }

  /**
   * Adds log text read from a stream, one message per line: each line with its
   * `"\n"`, and the text after the last `"\n"` as a last message. Lines may
   * span chunks; memory holds at most one part of a line that spans chunks.
   * Each chunk is taken before the next is read, so a source may reuse its
   * buffer.
   *
   * @param source Text as bytes (or strings) in any chunking: a `ReadableStream`,
   * an async iterable or an iterable.
   * @param options Abort signal and progress callback.
   * @returns A promise that settles when all text is taken.
   * @throws {ArchiverError} As {@linkcode LogArchiver.addLog}; the lines before
   * the failing one stay added and the source is canceled. `canceled` when the
   * signal aborts; a failing source's error wrapped in an {@linkcode AosError}.
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
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#enqueue(() => this.#addLines(source, options));
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
    this.#queue = result.catch(noop);
    return result;
  }

  /**
   * Releases the archive's memory and temporary file. An unsent archive is
   * dropped, and pending calls reject with `wrongState`. Idempotent.
   *
   * @returns A promise that settles when the resources are released.
   */
  close(): Promise<void> {
    this.#state = "closed";
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
    if (this.#writer.failure !== undefined) throw this.#writer.failure;
    if (this.#state !== "open") {
      throw new ArchiverError("wrongState", `Cannot ${action}: the archiver is ${this.#state}`);
    }
  }

  #enqueue(work: () => void | Promise<void>): Promise<void> {
    this.#pending++;
    const result = this.#queue.then(work).finally(() => this.#pending--);
    this.#queue = result.catch(noop);
    return result;
  }

  async #addLines(
    source:
      | ReadableStream<Uint8Array | string>
      | AsyncIterable<Uint8Array | string>
      | Iterable<Uint8Array | string>,
    options: AddLinesOptions,
  ): Promise<void> {
    const { signal, onProgress } = options;
    const splitter = new LineSplitter(this.#writer);
    let bytes = 0;
    let sinceTurn = 0;
    const take = async (input: Uint8Array | string): Promise<void> => {
      const chunk = typeof input === "string" ? encoder.encode(input) : input;
      let at = 0;
      do {
        throwIfAborted(signal, "adding log lines canceled");
        const end = Math.min(chunk.length, at + TURN_BYTES - sinceTurn);
        splitter.take(chunk.subarray(at, end));
        sinceTurn += end - at;
        at = end;
        // Compression runs on this thread: let timers and I/O in now and then.
        if (sinceTurn >= TURN_BYTES) {
          sinceTurn = 0;
          await new Promise((resolve) => setImmediate(resolve));
        }
      } while (at < chunk.length);
      bytes += chunk.length;
      onProgress?.({ bytes, parts: this.parts });
    };
    throwIfAborted(signal, "adding log lines canceled");
    try {
      if (Symbol.asyncIterator in source) {
        for await (const input of source) await take(input);
      } else {
        for (const input of source) await take(input);
      }
    } catch (err) {
      // Ours are AosErrors already; anything else came from the source.
      throw err instanceof AosError ? err : AosError.wrap(err, undefined, "Cannot read log lines");
    }
    splitter.end();
  }

  async #send(correlationId: string, options: SendLogOptions): Promise<SendLogResult> {
    const { signal, onProgress } = options;
    const writer = this.#writer;
    try {
      throwIfAborted(signal, "sending the log canceled");
      writer.checkUsable();
      writer.finish();
      this.#finished = true;
      const parts = writer.parts;
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
        const content = this.#spool.read(part.offset, part.length, this.#reuseContent);
        const log = pushLog(correlationId, "ok", i + 1, parts.length, content);
        await this.#deliver(log, errors, signal);
        bytes += part.length;
        onProgress?.({ part: i + 1, partsCount: parts.length, bytes });
      }
      return { partsCount: parts.length, size: writer.size, compressedSize: bytes, errors };
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
    this.#writer.close();
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
