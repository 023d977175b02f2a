// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Defaults and validation of the downloader's configuration, and parsing of
// the URL of a download.
import { delay } from "../utils/abort.ts";
import { AosError } from "../utils/errors.ts";
import { fileUrlPath } from "./_file_url.ts";
import type {
  DownloaderClock,
  DuplicatePolicy,
  HttpDownloaderConfig,
  SegmentOptions,
} from "./types.ts";

/** The configuration with every default applied. */
export interface ResolvedConfig {
  /** See {@linkcode HttpDownloaderConfig}. */
  progressIntervalMs: number;
  /** See {@linkcode HttpDownloaderConfig}. */
  maxAttempts: number;
  /** See {@linkcode HttpDownloaderConfig}. */
  initialRetryDelayMs: number;
  /** See {@linkcode HttpDownloaderConfig}. */
  maxRetryDelayMs: number;
  /** See {@linkcode HttpDownloaderConfig}. */
  maxRetryAfterMs: number;
  /** See {@linkcode HttpDownloaderConfig}. */
  jitter: number;
  /** See {@linkcode HttpDownloaderConfig}. */
  retryAll: boolean;
  /** See {@linkcode HttpDownloaderConfig}. */
  connectTimeoutMs: number;
  /** See {@linkcode HttpDownloaderConfig}. */
  stallTimeoutMs: number;
  /** See {@linkcode HttpDownloaderConfig}. */
  stallMinBytes: number;
  /** See {@linkcode HttpDownloaderConfig}. */
  maxRedirects: number;
  /** See {@linkcode HttpDownloaderConfig}. */
  verify: boolean;
  /** See {@linkcode HttpDownloaderConfig}. */
  atomic: boolean;
  /** See {@linkcode HttpDownloaderConfig}. */
  maxConcurrent: number;
  /** See {@linkcode HttpDownloaderConfig}. */
  onDuplicate: DuplicatePolicy;
  /** See {@linkcode HttpDownloaderConfig}. */
  segments: Required<SegmentOptions> | undefined;
  /** See {@linkcode HttpDownloaderConfig}. */
  rateLimit: number;
  /** See {@linkcode HttpDownloaderConfig}. */
  clock: DownloaderClock;
}

const realClock: DownloaderClock = {
  now: () => performance.now(),
  sleep: (ms, signal) => delay(ms, signal === undefined ? {} : { signal }),
};

/**
 * Applies defaults and checks every number.
 *
 * @param config The caller's configuration.
 * @returns The complete configuration.
 * @throws {AosError} `invalidArgument` naming the bad field and its value.
 */
export function resolveConfig(config: HttpDownloaderConfig): ResolvedConfig {
  const resolved: ResolvedConfig = {
    progressIntervalMs: config.progressIntervalMs ?? 30_000,
    maxAttempts: config.maxAttempts ?? 3,
    initialRetryDelayMs: config.initialRetryDelayMs ?? 1000,
    maxRetryDelayMs: config.maxRetryDelayMs ?? 5000,
    maxRetryAfterMs: config.maxRetryAfterMs ?? 60_000,
    jitter: config.jitter ?? 0,
    retryAll: config.retryAll ?? false,
    connectTimeoutMs: config.connectTimeoutMs ?? 10_000,
    stallTimeoutMs: config.stallTimeoutMs ?? 60_000,
    stallMinBytes: config.stallMinBytes ?? 1024,
    maxRedirects: config.maxRedirects ?? 20,
    verify: config.verify ?? true,
    atomic: config.atomic ?? false,
    maxConcurrent: config.maxConcurrent ?? 0,
    onDuplicate: config.onDuplicate ?? "reject",
    segments: config.segments === undefined ? undefined : {
      count: config.segments.count ?? 4,
      minSize: config.segments.minSize ?? 64 * 1024 * 1024,
    },
    rateLimit: config.rateLimit ?? 0,
    clock: config.clock ?? realClock,
  };
  positive("progressIntervalMs", resolved.progressIntervalMs);
  positive("connectTimeoutMs", resolved.connectTimeoutMs);
  for (
    const name of [
      "maxAttempts",
      "initialRetryDelayMs",
      "maxRetryDelayMs",
      "maxRetryAfterMs",
      "stallTimeoutMs",
      "stallMinBytes",
      "maxRedirects",
      "maxConcurrent",
      "rateLimit",
    ] as const
  ) {
    nonNegative(name, resolved[name]);
  }
  for (const name of ["maxAttempts", "maxRedirects", "maxConcurrent"] as const) {
    if (!Number.isSafeInteger(resolved[name])) invalid(name, resolved[name], "not an integer");
  }
  if (!(resolved.jitter >= 0 && resolved.jitter <= 1)) {
    invalid("jitter", resolved.jitter, "not in [0, 1]");
  }
  if (resolved.onDuplicate !== "reject" && resolved.onDuplicate !== "attach") {
    invalid("onDuplicate", resolved.onDuplicate, 'not "reject" or "attach"');
  }
  if (resolved.segments !== undefined) {
    const { count, minSize } = resolved.segments;
    if (!Number.isSafeInteger(count) || count < 1) {
      invalid("segments.count", count, "not an integer ≥ 1");
    }
    nonNegative("segments.minSize", minSize);
  }
  return resolved;
}

/**
 * Checks a bandwidth limit.
 *
 * @param name The option's name, for the message.
 * @param value Bytes per second.
 * @returns The value.
 */
export function checkRate(name: string, value: number): number {
  nonNegative(name, value);
  return value;
}

/** Where a download comes from. */
export type Source =
  | { kind: "http"; url: URL }
  | { kind: "file"; path: string }
  | { kind: "unsupported"; scheme: string };

/**
 * Parses the URL of a download.
 *
 * @param url The URL text.
 * @returns The source.
 * @throws {AosError} `invalidArgument` for a malformed URL.
 */
export function parseSource(url: string): Source {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme === undefined) {
    throw new AosError("invalidArgument", `Cannot parse URL "${url}": no scheme`);
  }
  if (scheme === "file") return { kind: "file", path: fileUrlPath(url) };
  if (scheme !== "http" && scheme !== "https") return { kind: "unsupported", scheme };
  try {
    return { kind: "http", url: new URL(url) };
  } catch (cause) {
    throw new AosError("invalidArgument", `Cannot parse URL "${url}"`, { cause });
  }
}

function positive(name: string, value: number): void {
  if (!(Number.isFinite(value) && value > 0)) invalid(name, value, "not a positive number");
}

function nonNegative(name: string, value: number): void {
  if (!(Number.isFinite(value) && value >= 0)) invalid(name, value, "not a number ≥ 0");
}

function invalid(name: string, value: unknown, why: string): never {
  throw new AosError(
    "invalidArgument",
    `Invalid downloader option ${name}: ${String(value)} is ${why}`,
  );
}
