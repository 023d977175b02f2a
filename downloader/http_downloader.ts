// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * {@linkcode HttpDownloader}: the HTTP(S) and `file://` implementation of
 * {@linkcode Downloader}.
 *
 * @module
 */

import { rename } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { canceledError } from "../utils/abort.ts";
import { type DigestAlgorithm, validateDigest } from "../utils/digest.ts";
import { AosError } from "../utils/errors.ts";
import { fsyncDir } from "../utils/fs.ts";
import { retry } from "../utils/retry.ts";
import { type ChunkHasher, HashThread, localHasher } from "../utils/_hash_thread.ts";
import {
  checkRate,
  parseSource,
  resolveConfig,
  type ResolvedConfig,
  type Source,
} from "./_config.ts";
import { copyFileUrl } from "./_file_url.ts";
import { httpAttempt } from "./_attempt.ts";
import { isPermanent, permanent, retryAfterOf } from "./_errors.ts";
import { ProgressReporter } from "./_progress.ts";
import { RateLimiter } from "./_rate_limiter.ts";
import { removeSidecar, sidecarPath } from "./_sidecar.ts";
import { Slots } from "./_slots.ts";
import { createTransport, type Transport } from "./_transport.ts";
import type {
  Downloader,
  DownloadOptions,
  DownloadProgress,
  HttpDownloaderConfig,
} from "./types.ts";

interface Entry {
  path: string;
  controller: AbortController;
  limiter: RateLimiter;
  listeners: Set<(progress: DownloadProgress) => void>;
  waiters: number;
  done: Promise<void>;
}

/**
 * Downloads blobs over HTTP(S) or from `file://` URLs into files, with
 * retries, resume, digest verification, progress alerts and cancellation.
 *
 * @example Download and verify a blob over HTTP
 * ```ts
 * import { HttpDownloader } from "@aoscore/common/downloader";
 * import { mkdtemp, readFile, rm } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import assert from "node:assert/strict";
 *
 * await using server = Deno.serve(
 *   { hostname: "127.0.0.1", port: 0, onListen() {} },
 *   () => new Response("layer bytes"),
 * );
 * const dir = await mkdtemp(join(tmpdir(), "dl-"));
 * const seen: number[] = [];
 * await using downloader = new HttpDownloader({ progressIntervalMs: 5000 });
 * await downloader.download(
 *   "sha256:3997bfa39738f279d788e49d0cc743d02a512c8855f798b3ee1c0daf589a6b9a",
 *   `http://127.0.0.1:${server.addr.port}/layer.tar.gz`,
 *   join(dir, "layer.tar.gz"),
 *   { onProgress: (p) => seen.push(p.downloadedBytes) },
 * );
 * assert.equal(await readFile(join(dir, "layer.tar.gz"), "utf8"), "layer bytes");
 * assert.equal(seen.at(-1), 11);
 * await rm(dir, { recursive: true });
 * ```
 */
export class HttpDownloader implements Downloader, AsyncDisposable {
  readonly #config: ResolvedConfig;
  readonly #source: HttpDownloaderConfig;
  readonly #active = new Map<string, Entry>();
  readonly #slots: Slots;
  readonly #globalLimiter: RateLimiter;
  #transport: Transport | undefined;
  readonly #hashThread = new HashThread();
  #closed = false;

  /**
   * Creates a downloader. Nothing is opened until the first download.
   *
   * @param config Options; every field has a default.
   * @throws {AosError} `invalidArgument` for an invalid option.
   */
  constructor(config: HttpDownloaderConfig = {}) {
    this.#config = resolveConfig(config);
    if (config.fetch !== undefined && config.tls !== undefined) {
      throw new AosError(
        "invalidArgument",
        "Invalid downloader options: fetch and tls exclude each other",
      );
    }
    this.#source = config;
    this.#slots = new Slots(this.#config.maxConcurrent);
    this.#globalLimiter = new RateLimiter(this.#config.rateLimit, this.#config.clock);
  }

  /**
   * Downloads `url` to `path`. A file already at `path` is resumed when the
   * server allows it. The content is checked against `digest` when that is a
   * full OCI digest (`sha256:`, `sha384:`, `sha512:`) and verification is on.
   *
   * @param digest The blob's digest: the key of the download.
   * @param url An `http:`, `https:` or `file:` URL.
   * @param path The destination; its directory must exist.
   * @param options Cancellation, progress and per-call settings.
   * @returns Resolves when `path` holds the complete content.
   * @throws {AosError} `alreadyExist` when `digest` is being downloaded (see
   *   `onDuplicate`), `invalidArgument` for a malformed URL, `canceled` on
   *   cancel, abort or close, `wrongState` after close, `invalidChecksum` on a
   *   digest mismatch, else the last attempt's error (`runtime` with the HTTP
   *   status in `status`, `timeout`, `failed`, `notSupported`).
   */
  download(
    digest: string,
    url: string,
    path: string,
    options: DownloadOptions = {},
  ): Promise<void> {
    try {
      return this.#start(digest, url, path, options);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  #start(digest: string, url: string, path: string, options: DownloadOptions): Promise<void> {
    if (this.#closed) {
      throw new AosError("wrongState", `Cannot download "${url}": the downloader is closed`);
    }
    if (typeof digest !== "string" || digest === "") {
      throw new AosError("invalidArgument", `Cannot download "${url}": empty digest`);
    }
    if (typeof path !== "string" || path === "") {
      throw new AosError("invalidArgument", `Cannot download "${url}": empty destination path`);
    }
    const running = this.#active.get(digest);
    if (running !== undefined) {
      if (this.#config.onDuplicate === "attach" && running.path === resolve(path)) {
        return this.#wait(running, options);
      }
      throw new AosError(
        "alreadyExist",
        `Cannot download "${digest}": download already in progress`,
      );
    }
    const source = parseSource(url);
    const entry: Entry = {
      path: resolve(path),
      controller: new AbortController(),
      limiter: new RateLimiter(checkRate("rateLimit", options.rateLimit ?? 0), this.#config.clock),
      listeners: new Set(),
      waiters: 0,
      done: Promise.resolve(),
    };
    this.#active.set(digest, entry);
    entry.done = this.#run(entry, digest, url, path, source, options)
      .finally(() => this.#active.delete(digest));
    return this.#wait(entry, options);
  }

  /**
   * Cancels the running (or queued) download of `digest`. Resolves at once;
   * the download rejects with `canceled` and keeps its partial file.
   *
   * @param digest The digest given to `download`.
   * @returns Resolves when the cancellation was requested.
   * @throws {AosError} `notFound` when no download of `digest` runs.
   */
  cancel(digest: string): Promise<void> {
    const entry = this.#active.get(digest);
    if (entry === undefined) {
      return Promise.reject(
        new AosError("notFound", `Cannot cancel "${digest}": download not found`),
      );
    }
    entry.controller.abort(new AosError("canceled", "download canceled"));
    return Promise.resolve();
  }

  /**
   * Changes a bandwidth limit while downloads run.
   *
   * @param bytesPerSecond The new limit; 0 removes it.
   * @param digest The download to limit; without it, the limit shared by all.
   * @throws {AosError} `notFound` for an unknown digest, `invalidArgument` for a bad rate.
   */
  setRateLimit(bytesPerSecond: number, digest?: string): void {
    checkRate("rateLimit", bytesPerSecond);
    if (digest === undefined) return this.#globalLimiter.setRate(bytesPerSecond);
    const entry = this.#active.get(digest);
    if (entry === undefined) {
      throw new AosError("notFound", `Cannot limit "${digest}": download not found`);
    }
    entry.limiter.setRate(bytesPerSecond);
  }

  /**
   * Cancels every download (they reject with `canceled`), waits until they
   * have stopped and releases connections. Later downloads reject with
   * `wrongState`. Calling it again does nothing.
   *
   * @returns Resolves when everything has stopped.
   */
  async close(): Promise<void> {
    this.#closed = true;
    const reason = new AosError("canceled", "download canceled", {
      cause: new AosError("wrongState", "downloader closed"),
    });
    const running = [...this.#active.values()];
    for (const entry of running) entry.controller.abort(reason);
    await Promise.allSettled(running.map((entry) => entry.done));
    this.#transport?.close();
    this.#transport = undefined;
    await this.#hashThread.close();
  }

  /** Same as {@linkcode HttpDownloader.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** Follows a download for one caller; an abort detaches the caller, or cancels when it was the last. */
  #wait(entry: Entry, options: DownloadOptions): Promise<void> {
    const { signal, onProgress } = options;
    entry.waiters++;
    if (onProgress !== undefined) entry.listeners.add(onProgress);
    if (signal === undefined) return entry.done;
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        const reason = canceledError(signal, "download canceled");
        if (entry.waiters > 1) {
          entry.waiters--;
          if (onProgress !== undefined) entry.listeners.delete(onProgress);
          reject(reason);
        } else {
          entry.controller.abort(reason);
        }
      };
      signal.addEventListener("abort", onAbort, { once: true });
      if (signal.aborted) onAbort();
      entry.done.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
    });
  }

  async #run(
    entry: Entry,
    digest: string,
    url: string,
    path: string,
    source: Source,
    options: DownloadOptions,
  ): Promise<void> {
    const config = this.#config;
    const signal = entry.controller.signal;
    const progress = new ProgressReporter({
      digest,
      url,
      // Local copies send no alerts, as in AosCore.
      sender: source.kind === "http" ? this.#source.alertSender : undefined,
      intervalMs: config.progressIntervalMs,
      now: () => config.clock.now(),
      onProgress: (p) => entry.listeners.forEach((listener) => listener(p)),
    });
    const atomic = options.atomic ?? config.atomic;
    const file = atomic ? `${path}.part` : path;
    const sidecar = sidecarPath(path);
    const expected = (options.verify ?? config.verify) ? expectedDigest(digest) : undefined;
    let release: (() => void) | undefined;
    try {
      release = await this.#slots.acquire(signal);
      await retry(async (attempt) => {
        progress.beginAttempt(attempt);
        if (source.kind === "unsupported") {
          throw permanent(new AosError("notSupported", `unsupported protocol "${source.scheme}:"`));
        }
        if (source.kind === "file") {
          return await copyFileUrl({
            source: source.path,
            file,
            sidecar,
            expected,
            signal,
            progress,
            durable: atomic,
            openHasher: this.#openHasher,
          });
        }
        await httpAttempt({
          transport: this.#transportFor(),
          url: source.url,
          headers: options.headers ?? {},
          file,
          sidecar,
          expected,
          openHasher: this.#openHasher,
          signal,
          progress,
          limiters: [entry.limiter, this.#globalLimiter],
          clock: config.clock,
          connectTimeoutMs: config.connectTimeoutMs,
          stallTimeoutMs: config.stallTimeoutMs,
          stallMinBytes: config.stallMinBytes,
          maxRedirects: config.maxRedirects,
          progressIntervalMs: config.progressIntervalMs,
          durable: atomic,
          segments: config.segments,
        });
      }, {
        maxTries: config.maxAttempts,
        delayMs: config.initialRetryDelayMs,
        maxDelayMs: config.maxRetryDelayMs,
        jitter: config.jitter,
        signal,
        shouldRetry: (err) => {
          if (!config.retryAll && isPermanent(err)) return false;
          const after = retryAfterOf(err);
          return after === undefined ? true : Math.min(after, config.maxRetryAfterMs);
        },
        onRetry: (_attempt, delayMs, err) => progress.interrupted(err, delayMs),
      });
      if (atomic) {
        await rename(file, path);
        await fsyncDir(dirname(path));
      }
      await removeSidecar(sidecar);
    } catch (err) {
      const error = signal.aborted ? canceledError(signal, "download canceled") : AosError.wrap(
        err,
        undefined,
        `Cannot download "${url}" (${progress.attempt} attempt${
          progress.attempt === 1 ? "" : "s"
        })`,
      );
      progress.interrupted(AosError.from(err));
      throw error;
    } finally {
      release?.();
    }
    progress.finished();
  }

  readonly #openHasher = (
    algorithm: DigestAlgorithm,
    size: number | undefined,
    path: string,
  ): ChunkHasher => {
    const onWorker = size !== undefined && size >= this.#config.hashWorkerMinBytes;
    return onWorker ? this.#hashThread.open(algorithm, path) : localHasher(algorithm, path);
  };

  #transportFor(): Transport {
    this.#transport ??= createTransport({ tls: this.#source.tls, fetch: this.#source.fetch });
    return this.#transport;
  }
}

function expectedDigest(
  digest: string,
): { algorithm: "sha256" | "sha384" | "sha512"; digest: string } | undefined {
  try {
    const { algorithm, encoded } = validateDigest(digest);
    return { algorithm, digest: `${algorithm}:${encoded}` };
  } catch {
    return undefined;
  }
}
