// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * The downloader's interface (what other modules depend on), its options and
 * the progress it reports.
 *
 * @module
 */

import type { AosError } from "../utils/errors.ts";
import type { AlertSender, DownloadAlert } from "../cloudprotocol/alerts.ts";
import type { DownloadState } from "../cloudprotocol/types.ts";

export type { AlertSender, DownloadAlert, DownloadState };

/**
 * Fetches a blob identified by its digest from a URL into a file. Other
 * modules depend on this interface; {@linkcode HttpDownloader} implements it.
 */
export interface Downloader {
  /**
   * Downloads `url` to `path`.
   *
   * @param digest The blob's digest: the key for {@linkcode Downloader.cancel}
   *   and, when it is a full OCI digest, the checksum the content must match.
   * @param url An `http:`, `https:` or `file:` URL.
   * @param path The destination file; its directory must exist.
   * @param options Cancellation, progress and per-call settings.
   * @returns Resolves when `path` holds the complete content.
   */
  download(digest: string, url: string, path: string, options?: DownloadOptions): Promise<void>;
  /**
   * Cancels the running download of `digest`. It resolves at once; the
   * download then rejects with `canceled` and leaves its partial file for a
   * later resume.
   *
   * @param digest The digest given to `download`.
   * @returns Resolves when the cancellation was requested.
   */
  cancel(digest: string): Promise<void>;
}

/** Progress of one download, as given to {@linkcode DownloadOptions.onProgress}. */
export interface DownloadProgress {
  /** The digest of the download. */
  digest: string;
  /** The URL of the download. */
  url: string;
  /**
   * `started` while bytes arrive, `interrupted` when an attempt failed,
   * `finished` once, at the end of a successful download.
   */
  state: Exclude<DownloadState, "paused">;
  /** Bytes in the file so far (a resumed prefix included). */
  downloadedBytes: number;
  /** Size of the whole blob; 0 while unknown. */
  totalBytes: number;
  /** The attempt number, from 1. */
  attempt: number;
  /** Why the attempt failed (`interrupted` only). */
  error?: AosError;
  /** Wait before the next attempt (`interrupted` only, when another attempt follows). */
  retryInMs?: number;
}

/** Options of one {@linkcode Downloader.download} call. */
export interface DownloadOptions {
  /** Aborting it cancels the download like {@linkcode Downloader.cancel}. */
  signal?: AbortSignal;
  /**
   * Called after every chunk written and on every state change, to drive a
   * progress bar. It must be quick; an exception it throws is ignored.
   */
  onProgress?: (progress: DownloadProgress) => void;
  /** Extra request headers (for example `Authorization`); dropped on a redirect to another origin. */
  headers?: Record<string, string>;
  /** Overrides {@linkcode HttpDownloaderConfig.verify} for this call. */
  verify?: boolean;
  /** Overrides {@linkcode HttpDownloaderConfig.atomic} for this call. */
  atomic?: boolean;
  /**
   * Bandwidth limit of this download in bytes per second; 0 for none.
   *
   * @default {0}
   */
  rateLimit?: number;
}

/** CA and client certificates for HTTPS (PEM strings). */
export interface DownloaderTlsOptions {
  /** Extra trusted CA certificates, added to the runtime's default roots. */
  caCerts?: readonly string[];
  /** Client certificate chain for mutual TLS. */
  cert?: string;
  /** Private key of {@linkcode DownloaderTlsOptions.cert}. */
  key?: string;
}

/** A time source, replaceable in tests. */
export interface DownloaderClock {
  /** Milliseconds since an arbitrary origin; never goes backwards. */
  now(): number;
  /**
   * Waits `ms` milliseconds (bandwidth limiting).
   *
   * @param ms How long.
   * @param signal Rejects early when aborted.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** What to do when a download of a digest that is already running is requested. */
export type DuplicatePolicy =
  /** Reject at once with `alreadyExist` (AosCore's behaviour). */
  | "reject"
  /** Wait for the running download when it writes the same path (otherwise reject). */
  | "attach";

/** Options of parallel ranged downloads (off unless given). */
export interface SegmentOptions {
  /**
   * Number of ranges fetched concurrently.
   *
   * @default {4}
   */
  count?: number;
  /**
   * Smallest blob split into ranges, in bytes.
   *
   * @default {67108864}
   */
  minSize?: number;
}

/** Configuration of {@linkcode HttpDownloader}. Every field is optional. */
export interface HttpDownloaderConfig {
  /** Receives `downloadProgressAlert`s. Without it no alert is sent. */
  alertSender?: AlertSender;
  /**
   * Interval of `started` progress alerts, in milliseconds.
   *
   * @default {30000}
   */
  progressIntervalMs?: number;
  /**
   * Attempts per download, the first included; 0 retries until success or cancel.
   *
   * @default {3}
   */
  maxAttempts?: number;
  /**
   * Wait after the first failed attempt, in milliseconds; it doubles after each.
   *
   * @default {1000}
   */
  initialRetryDelayMs?: number;
  /**
   * Longest back-off wait, in milliseconds.
   *
   * @default {5000}
   */
  maxRetryDelayMs?: number;
  /**
   * Longest wait a server's `Retry-After` may ask for, in milliseconds.
   *
   * @default {60000}
   */
  maxRetryAfterMs?: number;
  /**
   * Share of each back-off wait that is random, from 0 to 1.
   *
   * @default {0}
   */
  jitter?: number;
  /**
   * Retry every failure, as AosCore does, instead of stopping on those that
   * cannot go away (HTTP 4xx other than 408 and 429, an unsupported scheme, a
   * refused redirect, a destination that cannot be opened).
   * @default {false}
   */
  retryAll?: boolean;
  /**
   * Time allowed for the response headers, redirects included, in milliseconds.
   *
   * @default {10000}
   */
  connectTimeoutMs?: number;
  /**
   * Fail an attempt when fewer than `stallMinBytes` arrive in this many milliseconds; 0 disables.
   *
   * @default {60000}
   */
  stallTimeoutMs?: number;
  /**
   * See {@linkcode HttpDownloaderConfig.stallTimeoutMs}.
   *
   * @default {1024}
   */
  stallMinBytes?: number;
  /**
   * Redirects followed per request.
   *
   * @default {20}
   */
  maxRedirects?: number;
  /**
   * Verify the content against the digest when it is a full OCI digest.
   *
   * @default {true}
   */
  verify?: boolean;
  /**
   * Verify contents of at least this many bytes on a worker thread, which
   * reads the file back behind the writer, rather than on the event loop
   * (where hashing takes turns with reading and writing). The worker starts
   * with the first such download and stops on `close()`; starting it costs
   * about as much as hashing 30 MiB. `Infinity` keeps hashing on the event
   * loop (single-core devices); 0 sends every verified download of known size
   * to the worker.
   * @default {67108864}
   */
  hashWorkerMinBytes?: number;
  /**
   * Write to `<path>.part`, fsync, verify, then rename to `path` and fsync its directory, so `path`
   * only ever holds complete content.
   * @default {false}
   */
  atomic?: boolean;
  /**
   * Downloads transferring at once; more wait in FIFO order. 0 for no limit.
   *
   * @default {0}
   */
  maxConcurrent?: number;
  /**
   * A second download of a running digest.
   *
   * @default {"reject"}
   */
  onDuplicate?: DuplicatePolicy;
  /** Fetch large blobs as concurrent ranges. Off by default. */
  segments?: SegmentOptions;
  /**
   * Bandwidth limit shared by all downloads, in bytes per second; 0 for none.
   *
   * @default {0}
   */
  rateLimit?: number;
  /** CA and client certificates for HTTPS. */
  tls?: DownloaderTlsOptions;
  /** A `fetch` to use instead of the runtime's HTTP client (proxies, tests). Excludes `tls`. */
  fetch?: typeof fetch;
  /** Time source of progress intervals, stall detection and bandwidth limits. */
  clock?: DownloaderClock;
}
