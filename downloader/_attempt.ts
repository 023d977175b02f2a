// Copyright 2026 the aos-common authors. Apache-2.0 license.
// What the plain and the segmented HTTP attempt share: their context, the GET
// with its connect timeout, opening the destination, and digest checks.
import { type FileHandle, open, rm, stat } from "node:fs/promises";
import { AosError, hasErrno } from "../utils/errors.ts";
import type { DigestAlgorithm } from "../utils/digest.ts";
import type { ChunkHasher } from "../utils/_hash_thread.ts";
import { permanent } from "./_http.ts";
import type { ProgressReporter } from "./_progress.ts";
import type { RateLimiter } from "./_rate_limiter.ts";
import { removeSidecar } from "./_sidecar.ts";
import { getFollowingRedirects, type Transport, type TransportResponse } from "./_transport.ts";
import type { Watchdog } from "./_watchdog.ts";
import type { DownloaderClock, SegmentOptions } from "./types.ts";

/** Everything an attempt needs. */
export interface AttemptContext {
  /** The HTTP client. */
  transport: Transport;
  /** The URL to fetch. */
  url: URL;
  /** Caller's extra request headers. */
  headers: Record<string, string>;
  /** The file the bytes go to (the destination, or its `.part`). */
  file: string;
  /** The sidecar of the download. */
  sidecar: string;
  /** The expected digest (normalised) when verifying. */
  expected: { algorithm: DigestAlgorithm; digest: string } | undefined;
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
  /** See the config of the same names. */
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

/**
 * Starts the hash of a file written front to back, on a worker thread when
 * the content (`size` bytes, `undefined` when unknown) is large enough to pay
 * for it.
 */
export type OpenHasher = (
  algorithm: DigestAlgorithm,
  size: number | undefined,
  path: string,
) => ChunkHasher;

/** Per-attempt state shared with the segmented transfer. */
export interface AttemptState {
  /** Aborted to end the attempt (timeout, stall, cancel). */
  controller: AbortController;
  /** The attempt's timer. */
  watchdog: Watchdog;
}

/** What a digest check needs. */
export type DigestTarget = Pick<AttemptContext, "file" | "sidecar" | "expected">;

/**
 * Sends a GET, following redirects, and fails the attempt with `timeout`
 * when the final response headers take longer than the connect timeout.
 *
 * @param ctx The download.
 * @param controller The attempt's controller.
 * @param headers The request headers.
 * @returns The response.
 */
export async function get(
  ctx: AttemptContext,
  controller: AbortController,
  headers: Record<string, string>,
): Promise<TransportResponse> {
  const timer = setTimeout(() => {
    controller.abort(
      new AosError("timeout", `No response from ${ctx.url.host} within ${ctx.connectTimeoutMs} ms`),
    );
  }, ctx.connectTimeoutMs);
  try {
    const request = { url: ctx.url, headers, signal: controller.signal };
    const { response } = await getFollowingRedirects(ctx.transport, request, ctx.maxRedirects);
    return response;
  } catch (err) {
    // Redirect refusals are ours and will not change on a retry.
    if (err instanceof AosError && !controller.signal.aborted) throw permanent(err);
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Opens the destination: truncated for a fresh start, for writing at
 * `offset` (cut there) for a resume. A missing directory or a permission
 * problem is permanent.
 *
 * @param path The file.
 * @param offset Where writing starts.
 * @returns The open file.
 */
export async function openDestination(path: string, offset: number): Promise<FileHandle> {
  try {
    const file = await open(path, offset > 0 ? "r+" : "w");
    if (offset > 0) await file.truncate(offset);
    return file;
  } catch (cause) {
    const err = AosError.wrap(cause, "failed", `failed to open file "${path}"`);
    const lasting = ["ENOENT", "ENOTDIR", "EISDIR", "EACCES", "EPERM", "EROFS"];
    throw lasting.some((name) => hasErrno(cause, name)) ? permanent(err) : err;
  }
}

/**
 * Verifies a whole file (one the server said is complete, or the ranges of a
 * segmented download), on the hash worker when it is large.
 *
 * @param ctx The download.
 * @param resumed Whether the content predates this download call.
 */
export async function verifyFile(
  ctx: DigestTarget & Pick<AttemptContext, "openHasher">,
  resumed: boolean,
): Promise<void> {
  if (ctx.expected === undefined) return;
  const size = (await stat(ctx.file)).size;
  const hasher = ctx.openHasher(ctx.expected.algorithm, size, ctx.file);
  let actual: string;
  try {
    await hasher.prefix(size);
    actual = await hasher.digest();
  } catch (err) {
    hasher.drop();
    throw err;
  }
  await checkDigest(ctx, actual, resumed);
}

/**
 * Compares a digest with the expected one; on a mismatch the file and its
 * sidecar are deleted. The mismatch is permanent unless part of the content
 * came from an earlier attempt (a fresh download may then succeed).
 *
 * @param ctx The download.
 * @param actual The digest of the file.
 * @param resumed Whether part of the content came from before this attempt.
 */
export async function checkDigest(
  ctx: DigestTarget,
  actual: string,
  resumed: boolean,
): Promise<void> {
  if (actual === ctx.expected!.digest) return;
  await rm(ctx.file, { force: true });
  await removeSidecar(ctx.sidecar);
  const err = new AosError(
    "invalidChecksum",
    `Digest mismatch: expected ${ctx.expected!.digest}, got ${actual}`,
  );
  throw resumed ? err : permanent(err);
}

/**
 * The error an attempt reports: the abort reason when it was aborted
 * (cancel, timeout, stall), else the error as an `AosError`.
 *
 * @param err What was thrown.
 * @param signal The attempt's signal.
 * @param url The URL.
 * @returns The error.
 */
export function attemptError(err: unknown, signal: AbortSignal, url: URL): AosError {
  if (signal.aborted) return AosError.from(signal.reason);
  if (err instanceof AosError) return err;
  return AosError.wrap(err, "failed", `Transfer from ${url.host} failed`);
}
