// Copyright 2026 the aos-common authors. Apache-2.0 license.
// One HTTP(S) attempt, as one pipeline:
// 1. look at what the destination already holds, and its sidecar;
// 2. open: send a GET (ranged from the end of that prefix, validated by
//    `If-Range`, no HEAD probe) and decide from the answer whether to resume,
//    restart from zero, take the file as complete, or split it in ranges;
// 3. pump the body into the file while hashing it. A `206` that ends before
//    the file does is complete when its last byte arrives: the rest comes
//    with a new request (back to 2), without counting as a failure;
// 4. verify the digest.
import type { FileHandle } from "node:fs/promises";
import { AosError } from "../utils/errors.ts";
import type { ChunkHasher } from "../utils/_hash_thread.ts";
import {
  checkDigest,
  type DigestTarget,
  openDestination,
  type OpenHasher,
  partialSize,
  verifyFile,
} from "./_destination.ts";
import { attemptError, statusError } from "./_errors.ts";
import {
  contentLength,
  type ContentRange,
  parseContentRange,
  parseUnsatisfiedRange,
} from "./_headers.ts";
import type { ProgressReporter } from "./_progress.ts";
import { pump } from "./_pump.ts";
import type { RateLimiter } from "./_rate_limiter.ts";
import { sendGet } from "./_request.ts";
import { type FirstRange, segmentedTransfer, shouldSegment } from "./_segmented.ts";
import { readSidecar, removeSidecar, type Sidecar, validatorOf, writeSidecar } from "./_sidecar.ts";
import type { Transport, TransportResponse } from "./_transport.ts";
import { Watchdog } from "./_watchdog.ts";
import type { DownloaderClock, SegmentOptions } from "./types.ts";

/** Everything an attempt needs from its download and the configuration. */
export interface AttemptOptions extends DigestTarget {
  /** The HTTP client. */
  transport: Transport;
  /** The URL to fetch. */
  url: URL;
  /** Caller's extra request headers. */
  headers: Record<string, string>;
  /** Starts the hash of the file as it is written. */
  openHasher: OpenHasher;
  /** The download's signal (cancel, close). */
  signal: AbortSignal;
  /** Counters and alerts. */
  progress: ProgressReporter;
  /** Bandwidth limits to obey. */
  limiters: RateLimiter[];
  /** Time source. */
  clock: DownloaderClock;
  /** See the config of the same name. */
  connectTimeoutMs: number;
  /** See the config. */
  stallTimeoutMs: number;
  /** See the config. */
  stallMinBytes: number;
  /** See the config. */
  maxRedirects: number;
  /** See the config. */
  progressIntervalMs: number;
  /** fsync the file before returning. */
  durable: boolean;
  /** Parallel ranges, when enabled. */
  segments: Required<SegmentOptions> | undefined;
}

/** An attempt under way: its options, the controller that ends it, and its timer. */
export interface RunningAttempt extends AttemptOptions {
  /** Aborted to end the attempt (timeout, stall, cancel). */
  controller: AbortController;
  /** Ticks progress and detects stalls. */
  watchdog: Watchdog;
}

/**
 * Runs one attempt. Resolves when the file holds the whole, verified content.
 *
 * @param options The download.
 * @throws {AosError} Why the attempt failed; see `_errors.ts` for retry hints.
 */
export async function httpAttempt(options: AttemptOptions): Promise<void> {
  const attempt = new HttpAttempt(options);
  try {
    await attempt.run();
  } finally {
    await attempt.close();
  }
}

/** A body to write from `offset` on. */
interface Body {
  response: TransportResponse;
  /** Where its first byte goes. */
  offset: number;
  /** One past its last byte, when known. */
  end: number | undefined;
  /** Size of the resource, when known. */
  total: number | undefined;
  /** A `206`: more may follow from `end` on. */
  partial: boolean;
}

/** What an answer means for the file. */
type Answer =
  | { kind: "body"; body: Body }
  /** The file already holds the whole resource (a `416` for its size). */
  | { kind: "complete"; total: number }
  /** The first range of a resource worth splitting. */
  | { kind: "segmented"; plan: Sidecar; first: FirstRange };

class HttpAttempt {
  readonly #a: RunningAttempt;
  readonly #forward: () => void;
  /** What the file's content came from, as the sidecar records it. */
  #source: Sidecar | undefined;
  #file: FileHandle | undefined;
  /** One past the last byte written by this attempt. */
  #end = -1;
  #hasher: ChunkHasher | undefined;
  /** The hash started with bytes from before this attempt, which may be what is wrong. */
  #resumed = false;
  #stallArmed = false;
  /** A failure to open the file is no transfer failure: it sends no alert. */
  #openingFile = false;

  constructor(options: AttemptOptions) {
    const controller = new AbortController();
    this.#forward = () => controller.abort(options.signal.reason);
    options.signal.addEventListener("abort", this.#forward, { once: true });
    if (options.signal.aborted) this.#forward();
    const watchdog = new Watchdog({
      progress: options.progress,
      now: () => options.clock.now(),
      intervalMs: options.progressIntervalMs,
      stallTimeoutMs: options.stallTimeoutMs,
      stallMinBytes: options.stallMinBytes,
      onStall: (err) => controller.abort(err),
    });
    this.#a = { ...options, controller, watchdog };
  }

  async run(): Promise<void> {
    const a = this.#a;
    try {
      // 1. What the destination holds.
      let offset = await partialSize(a.file);
      this.#source = offset > 0 ? await readSidecar(a.sidecar) : undefined;
      a.progress.downloaded = offset;
      if (this.#source?.totalBytes !== undefined) a.progress.total = this.#source.totalBytes;
      if (this.#source?.segments !== undefined) {
        return await segmentedTransfer({ attempt: a, plan: this.#source });
      }
      for (;;) {
        // 2. Open, and decide.
        const answer = await this.#open(offset);
        if (answer.kind === "complete") {
          a.progress.reset(offset, answer.total);
          return await verifyFile(a, offset > 0);
        }
        if (answer.kind === "segmented") {
          return await segmentedTransfer({ attempt: a, plan: answer.plan, first: answer.first });
        }
        // 3. Pump. A 206 that brought all of its Content-Range (a byte at
        // least) and ends before the file goes on from there: every request
        // moves the end forward, so a server cannot keep this looping.
        const { body } = answer;
        offset = await this.#write(body);
        if (!body.partial || body.total === undefined || offset >= body.total) break;
      }
      // 4. Sync and verify.
      await this.#verify();
    } catch (err) {
      const error = attemptError(err, a.controller.signal, a.url);
      if (!this.#openingFile) a.progress.interruptedAlert(error);
      throw error;
    }
  }

  async close(): Promise<void> {
    this.#hasher?.drop();
    this.#a.watchdog.stop();
    this.#a.signal.removeEventListener("abort", this.#forward);
    await this.#file?.close();
  }

  /**
   * Sends the GET (ranged when the file has a prefix) and decides where the
   * body goes. A wrong `206`, a `200` to a range, or a `416` for another size
   * restarts from zero within this attempt.
   */
  async #open(offset: number): Promise<Answer> {
    const a = this.#a;
    const source = this.#source;
    const headers: Record<string, string> = { "accept-encoding": "identity", ...a.headers };
    if (offset > 0) {
      const ranged: Record<string, string> = { ...headers, range: `bytes=${offset}-` };
      if (source?.validator !== undefined) ranged["if-range"] = source.validator;
      const response = await sendGet(a, ranged);
      if (response.status === 206) {
        const range = parseContentRange(response.headers.get("content-range"));
        const sameSize = source?.totalBytes === undefined || range?.total === source.totalBytes;
        if (range?.start === offset && sameSize) return partialBody(response, range);
        await response.body.cancel();
      } else if (response.status === 416) {
        await response.body.cancel();
        const size = parseUnsatisfiedRange(response.headers.get("content-range"));
        if (size === offset && (source?.totalBytes ?? size) === size) {
          return { kind: "complete", total: size };
        }
      } else {
        return await wholeBody(response, a.url);
      }
    } else if (a.segments !== undefined) {
      // Ask for a range so the answer tells whether ranges work and the size.
      const response = await sendGet(a, { ...headers, range: "bytes=0-" });
      // A 416 says the resource is empty (RFC 9110 section 14.1.1: no range
      // of an empty representation is satisfiable): the plain GET below gets it.
      if (response.status !== 206 && response.status !== 416) {
        return await wholeBody(response, a.url);
      }
      const range = parseContentRange(response.headers.get("content-range"));
      if (range?.start === 0) {
        if (!shouldSegment(response, range.total, a.segments)) return partialBody(response, range);
        const plan: Sidecar = {
          url: a.url.href,
          validator: validatorOf(response.headers)!,
          totalBytes: range.total!,
        };
        return { kind: "segmented", plan, first: { response, end: range.last + 1 } };
      }
      await response.body.cancel();
    }
    return await wholeBody(await sendGet(a, headers), a.url);
  }

  /** Writes one body into the file and the hash; returns where it ended. */
  async #write(body: Body): Promise<number> {
    const a = this.#a;
    const { response, offset, end, total } = body;
    try {
      await this.#prepare(body);
    } catch (err) {
      await response.body.cancel();
      throw err;
    }
    a.progress.reset(offset, total ?? 0);
    if (!this.#stallArmed) a.watchdog.armStall();
    this.#stallArmed = true;
    const signal = a.controller.signal;
    let received = 0;
    const where = () =>
      `Transfer interrupted at byte ${offset + received} of ${total ?? "unknown"}`;
    try {
      await pump(response.body, this.#file!, {
        position: offset,
        signal,
        limit: end === undefined ? undefined : end - offset,
        hasher: this.#hasher,
        onChunk: async (chunk) => {
          received += chunk.length;
          a.progress.add(chunk.length);
          for (const limiter of a.limiters) await limiter.take(chunk.length, signal);
        },
      });
    } catch (err) {
      if (signal.aborted) throw err;
      // Typed errors (ours, the Node transport's) keep their kind; all say where the transfer stopped.
      throw AosError.wrap(err, err instanceof AosError ? undefined : "failed", where());
    } finally {
      this.#end = offset + received;
    }
    if (end !== undefined && this.#end < end) {
      throw new AosError("failed", `${where()}: the connection closed early`);
    }
    return this.#end;
  }

  /**
   * Gets the sidecar, the file and the hash ready for a body: a body that
   * starts the file records where it comes from; a body that does not
   * continue what was written cuts the file there and starts the hash again.
   */
  async #prepare(body: Body): Promise<void> {
    const a = this.#a;
    const continues = body.offset === this.#end;
    if (this.#file === undefined) {
      this.#openingFile = true;
      this.#file = await openDestination(a.file, body.offset);
      this.#openingFile = false;
    } else if (!continues) {
      await this.#file.truncate(body.offset);
    }
    if (body.offset === 0 || this.#source === undefined) {
      this.#source = await recordSource(a, body);
    }
    if (a.expected !== undefined && !continues) {
      this.#hasher?.drop();
      this.#hasher = a.openHasher(a.expected.algorithm, body.total, a.file);
      this.#resumed = body.offset > 0;
      if (body.offset > 0) await this.#hasher.prefix(body.offset);
    }
    this.#end = body.offset;
  }

  async #verify(): Promise<void> {
    const a = this.#a;
    if (a.durable) await this.#file!.sync();
    const hasher = this.#hasher;
    if (hasher === undefined) return;
    this.#hasher = undefined;
    let actual: string;
    try {
      actual = await hasher.digest();
    } catch (err) {
      hasher.drop();
      throw err;
    }
    await checkDigest(a, actual, this.#resumed);
  }
}

function partialBody(response: TransportResponse, range: ContentRange): Answer {
  const body = { response, offset: range.start, end: range.last + 1, total: range.total };
  return { kind: "body", body: { ...body, partial: true } };
}

/** A `200` restarts the file from zero; any other status fails the attempt. */
async function wholeBody(response: TransportResponse, url: URL): Promise<Answer> {
  if (response.status === 200) {
    const length = contentLength(response.headers);
    return {
      kind: "body",
      body: { response, offset: 0, end: length, total: length, partial: false },
    };
  }
  await response.body.cancel();
  throw statusError(response, url);
}

/** Records in the sidecar where the file's content comes from. */
async function recordSource(a: RunningAttempt, body: Body): Promise<Sidecar> {
  const source: Sidecar = { url: a.url.href };
  const validator = validatorOf(body.response.headers);
  if (validator !== undefined) source.validator = validator;
  if (body.total !== undefined) source.totalBytes = body.total;
  if (source.validator !== undefined || source.totalBytes !== undefined) {
    await writeSidecar(a.sidecar, source);
  } else {
    await removeSidecar(a.sidecar);
  }
  return source;
}
