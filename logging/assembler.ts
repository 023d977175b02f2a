// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * {@linkcode LogAssembler}: the receiving side of `pushLog`, as the cloud does
 * it: collects the parts of one log, checks them, and decompresses them in
 * order.
 *
 * @module
 */

import zlib from "node:zlib";
import { canceledError } from "../utils/abort.ts";
import { concatBytes } from "../utils/_bytes.ts";
import { AosError, fromErrorInfo } from "../utils/errors.ts";
import { MAX_LOG_CONTENT_SIZE } from "./config.ts";
import { type ErrorInfo, nodeOf, type PushLog } from "./_protocol.ts";

/** Where a log sequence stands. */
export type LogAssemblyStatus = "pending" | "complete" | "empty" | "absent" | "error";

/** Options of {@linkcode LogAssembler}. */
export interface LogAssemblerOptions {
  /**
   * Most decompressed bytes of the whole log; more fails the read, so a
   * hostile sender cannot exhaust memory with a compression bomb.
   *
   * @default {1073741824}
   */
  maxSize?: number;
}

/** Options of {@linkcode LogAssembler.stream}. */
export interface LogReadOptions {
  /** Stops reading; the stream errors with kind `canceled`. */
  signal?: AbortSignal;
}

const DEFAULT_MAX_SIZE = 1024 * 1024 * 1024;
const GZIP_MAGIC = [0x1f, 0x8b, 0x08] as const;

/**
 * Collects the `pushLog` messages of one log (one correlation id from one
 * node) in any order, and gives the log text back once all parts are there.
 *
 * Every part is checked: numbering within `1..partsCount`, the same
 * `partsCount` throughout, content within {@linkcode MAX_LOG_CONTENT_SIZE} and
 * a gzip member or nothing. A repeated part with the same content is ignored
 * (a retried send); with other content it is an error. A part with no content
 * stands for no text. `empty`, `absent` and `error` end the sequence.
 *
 * @example Reassemble two parts
 * ```ts
 * import { LogAssembler } from "@aoscore/common/logging";
 * import type { PushLog } from "@aoscore/common/cloudprotocol";
 * import { gzipSync } from "node:zlib";
 * import assert from "node:assert/strict";
 *
 * const part = (n: number, text: string): PushLog => ({
 *   messageType: "pushLog", correlationId: "c1", nodeId: "main", part: n, partsCount: 2,
 *   status: "ok", content: new Uint8Array(gzipSync(text)),
 * });
 * const assembler = new LogAssembler();
 * assembler.add(part(2, "second line\n"));
 * assembler.add(part(1, "first line\n"));
 * assert.equal(await assembler.text(), "first line\nsecond line\n");
 * ```
 */
export class LogAssembler {
  readonly #maxSize: number;
  #correlationId: string | undefined;
  #node: string | undefined;
  #partsCount = 0;
  #parts: (Uint8Array | undefined)[] = [];
  #received = 0;
  #status: LogAssemblyStatus = "pending";
  #errorInfo: ErrorInfo | undefined;

  /**
   * Creates an assembler for one log.
   *
   * @param options The size limit.
   */
  constructor(options: LogAssemblerOptions = {}) {
    const maxSize = options.maxSize ?? DEFAULT_MAX_SIZE;
    if (!(maxSize >= 0)) {
      throw new AosError("invalidArgument", `Cannot create log assembler: maxSize is ${maxSize}`);
    }
    this.#maxSize = maxSize;
  }

  /** Where the sequence stands. */
  get status(): LogAssemblyStatus {
    return this.#status;
  }

  /** The `error` (errorInfo) of an `error` message. */
  get errorInfo(): ErrorInfo | undefined {
    return this.#errorInfo;
  }

  /** Number of parts announced, 0 before the first `ok` part. */
  get partsCount(): number {
    return this.#partsCount;
  }

  /** Part numbers still missing (empty before the first `ok` part). */
  get missing(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.#partsCount; i++) if (this.#parts[i] === undefined) out.push(i + 1);
    return out;
  }

  /**
   * Takes one message.
   *
   * @param log The message, as decoded from the cloud protocol.
   * @returns `true` once the sequence is finished (all parts, or a status).
   * @throws {AosError} `invalidArgument` for a message that does not belong or
   * contradicts earlier ones; `wrongState` after `empty`, `absent` or `error`.
   */
  add(log: PushLog): boolean {
    const node = nodeOf(log);
    const id = log.correlationId ?? "";
    if (this.#status !== "pending" && this.#status !== "complete") {
      throw new AosError(
        "wrongState",
        `Cannot take pushLog part ${log.part}: the log already ended with status "${this.#status}"`,
      );
    }
    if (this.#correlationId === undefined) {
      this.#correlationId = id;
      this.#node = node;
    } else if (id !== this.#correlationId || node !== this.#node) {
      throw invalid(
        log,
        `it belongs to correlation id "${id}" of node "${node}", ` +
          `not "${this.#correlationId}" of node "${this.#node}"`,
      );
    }
    switch (log.status) {
      case "ok":
        return this.#addPart(log);
      case "empty":
      case "absent":
        if (this.#received > 0) {
          throw invalid(log, `status "${log.status}" after ${this.#received} data parts`);
        }
        this.#status = log.status;
        return true;
      case "error":
        this.#status = "error";
        this.#errorInfo = log.error ?? { aosCode: 1, exitCode: 0, message: "" };
        this.#parts = [];
        return true;
      default:
        throw invalid(log, `unknown status "${String(log.status)}"`);
    }
  }

  /**
   * The log text, decompressed part by part in order.
   *
   * @param options Abort signal.
   * @returns The bytes of the log; no bytes for `empty` and `absent`.
   * @throws {AosError} `wrongState` while parts are missing; the sender's error
   * (from `errorInfo`) for an `error` sequence. The stream errors with
   * `failed` when a part does not decompress, `outOfRange` past `maxSize`.
   */
  stream(options: LogReadOptions = {}): ReadableStream<Uint8Array> {
    this.#checkReadable();
    const parts = this.#parts.slice();
    const maxSize = this.#maxSize;
    const { signal } = options;
    return ReadableStream.from(decompress(parts, maxSize, signal));
  }

  /**
   * The whole log as bytes.
   *
   * @param options Abort signal.
   * @returns The decompressed log.
   * @throws {AosError} As {@linkcode LogAssembler.stream}.
   */
  async bytes(options: LogReadOptions = {}): Promise<Uint8Array> {
    const chunks: Uint8Array[] = [];
    for await (const chunk of this.stream(options)) chunks.push(chunk);
    return concatBytes(chunks);
  }

  /**
   * The whole log as text (UTF-8; invalid bytes become U+FFFD).
   *
   * @param options Abort signal.
   * @returns The decompressed log.
   * @throws {AosError} As {@linkcode LogAssembler.stream}.
   */
  async text(options: LogReadOptions = {}): Promise<string> {
    return new TextDecoder().decode(await this.bytes(options));
  }

  #addPart(log: PushLog): boolean {
    const { part, partsCount, content } = log;
    if (!Number.isSafeInteger(partsCount) || partsCount < 1) {
      throw invalid(log, `partsCount is ${partsCount}`);
    }
    if (this.#partsCount === 0) {
      this.#partsCount = partsCount;
    } else if (partsCount !== this.#partsCount) {
      throw invalid(log, `partsCount is ${partsCount}, earlier parts said ${this.#partsCount}`);
    }
    if (!Number.isSafeInteger(part) || part < 1 || part > partsCount) {
      throw invalid(log, `part number outside 1..${partsCount}`);
    }
    if (content.length > MAX_LOG_CONTENT_SIZE) {
      throw invalid(log, `content is ${content.length} bytes, at most ${MAX_LOG_CONTENT_SIZE}`);
    }
    if (content.length > 0 && GZIP_MAGIC.some((byte, i) => content[i] !== byte)) {
      throw invalid(log, "content is not a gzip member");
    }
    const earlier = this.#parts[part - 1];
    if (earlier !== undefined) {
      if (!sameBytes(earlier, content)) {
        throw invalid(log, "a different part with this number came before");
      }
      return this.#status === "complete";
    }
    this.#parts[part - 1] = content.slice();
    this.#received++;
    if (this.#received === partsCount) this.#status = "complete";
    return this.#status === "complete";
  }

  #checkReadable(): void {
    if (this.#status === "error") {
      const info = this.#errorInfo!;
      const cause = fromErrorInfo(info) ?? new AosError("failed", info.message);
      throw AosError.wrap(cause, undefined, "The log sender reported an error");
    }
    if (this.#status === "pending") {
      const missing = this.missing;
      const shown = missing.length > 10
        ? `${missing.slice(0, 10).join(", ")}, ...`
        : missing.join(", ");
      throw new AosError(
        "wrongState",
        this.#partsCount === 0
          ? "Cannot read the log: no message received"
          : `Cannot read the log: parts ${shown} of ${this.#partsCount} are missing`,
      );
    }
  }
}

/**
 * Reassembles a log from its `pushLog` messages.
 *
 * @example
 * ```ts
 * import { assembleLog } from "@aoscore/common/logging";
 * import type { PushLog } from "@aoscore/common/cloudprotocol";
 * import { gzipSync } from "node:zlib";
 * import assert from "node:assert/strict";
 *
 * const part = (n: number, text: string): PushLog => ({
 *   messageType: "pushLog", correlationId: "c1", nodeId: "main", part: n, partsCount: 2,
 *   status: "ok", content: new Uint8Array(gzipSync(text)),
 * });
 * const bytes = await assembleLog([part(2, "world\n"), part(1, "hello\n")]);
 * assert.equal(new TextDecoder().decode(bytes), "hello\nworld\n");
 * ```
 *
 * @param logs The messages of one log, in any order.
 * @param options The size limit.
 * @returns The decompressed log; no bytes for `empty` and `absent`.
 * @throws {AosError} As {@linkcode LogAssembler.add} and {@linkcode LogAssembler.stream};
 * `wrongState` when parts are missing at the end.
 */
export async function assembleLog(
  logs: Iterable<PushLog> | AsyncIterable<PushLog>,
  options: LogAssemblerOptions = {},
): Promise<Uint8Array> {
  const assembler = new LogAssembler(options);
  for await (const log of logs) assembler.add(log);
  return await assembler.bytes();
}

async function* decompress(
  parts: (Uint8Array | undefined)[],
  maxSize: number,
  signal: AbortSignal | undefined,
): AsyncGenerator<Uint8Array> {
  let size = 0;
  for (const [i, content] of parts.entries()) {
    if (content === undefined || content.length === 0) continue;
    const gunzip = zlib.createGunzip();
    gunzip.end(content);
    try {
      for await (const chunk of gunzip as AsyncIterable<Uint8Array>) {
        if (signal?.aborted) throw canceledError(signal, "reading the log canceled");
        size += chunk.length;
        if (size > maxSize) {
          throw new AosError("outOfRange", `Cannot read the log: it exceeds maxSize ${maxSize}`);
        }
        yield new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length);
      }
    } catch (err) {
      if (err instanceof AosError) throw err;
      throw AosError.wrap(err, "failed", `Cannot decompress log part ${i + 1} of ${parts.length}`);
    }
  }
}

function invalid(log: PushLog, why: string): AosError {
  return new AosError(
    "invalidArgument",
    `Cannot take pushLog part ${log.part} of ${log.partsCount}: ${why}`,
  );
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
