// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Progress of one download: the `downloadProgressAlert`s (a `started` alert
// once per interval, one `finished`, one `interrupted` per failed transfer)
// and the caller's progress callback.
import type { AosError } from "../utils/errors.ts";
import type { AlertSender, DownloadAlert, DownloadProgress, DownloadState } from "./types.ts";

const MAX_REASON = 256;

/** Where progress goes. */
export interface ProgressTarget {
  /** The digest of the download. */
  digest: string;
  /** The URL as the caller gave it. */
  url: string;
  /** Receives alerts; none are sent without it. */
  sender: AlertSender | undefined;
  /** Minimum time between `started` alerts. */
  intervalMs: number;
  /** Time source. */
  now: () => number;
  /** The caller's callback. */
  onProgress: ((progress: DownloadProgress) => void) | undefined;
}

/** Counts bytes of one download and reports them. */
export class ProgressReporter {
  /** Bytes in the file so far. */
  downloaded = 0;
  /** Size of the blob, 0 while unknown. */
  total = 0;
  /** The current attempt, from 1. */
  attempt = 0;
  readonly #target: ProgressTarget;
  #lastAlertAt = 0;

  /**
   * Creates a reporter.
   *
   * @param target Where progress goes.
   */
  constructor(target: ProgressTarget) {
    this.#target = target;
  }

  /**
   * Starts the interval of the next `started` alert: a new attempt begins.
   *
   * @param attempt The attempt number.
   */
  beginAttempt(attempt: number): void {
    this.attempt = attempt;
    this.#lastAlertAt = this.#target.now();
  }

  /**
   * Sets the counters once the response says where the transfer starts.
   *
   * @param downloaded Bytes already in the file.
   * @param total Size of the blob, 0 when unknown.
   */
  reset(downloaded: number, total: number): void {
    this.downloaded = downloaded;
    if (total > 0) this.total = total;
    this.#callback("started");
  }

  /**
   * Counts received bytes.
   *
   * @param bytes How many arrived.
   */
  add(bytes: number): void {
    this.downloaded += bytes;
    this.#callback("started");
    this.tick();
  }

  /** Sends a `started` alert when the interval has passed. */
  tick(): void {
    const now = this.#target.now();
    if (now - this.#lastAlertAt < this.#target.intervalMs) return;
    this.#lastAlertAt = now;
    this.#alert("started");
  }

  /** Reports the successful end. */
  finished(): void {
    if (this.total === 0) this.total = this.downloaded;
    this.#alert("finished");
    this.#callback("finished");
  }

  /**
   * Sends the `interrupted` alert of a failed transfer.
   *
   * @param error Why it failed.
   */
  interruptedAlert(error: AosError): void {
    this.#alert("interrupted", error);
  }

  /**
   * Tells the callback that an attempt failed.
   *
   * @param error Why.
   * @param retryInMs The wait before the next attempt, if one follows.
   */
  interrupted(error: AosError, retryInMs?: number): void {
    this.#callback("interrupted", error, retryInMs);
  }

  #alert(state: DownloadState, error?: AosError): void {
    const sender = this.#target.sender;
    if (sender === undefined) return;
    const alert: DownloadAlert = {
      timestamp: new Date(),
      tag: "downloadProgressAlert",
      digest: this.#target.digest,
      url: this.#target.url,
      downloadedBytes: this.downloaded,
      totalBytes: this.total,
      state,
    };
    if (error !== undefined) {
      alert.reason = error.message.slice(0, MAX_REASON);
      alert.error = error.toErrorInfo();
    }
    // Fire and forget: a failing sender must not fail the download.
    try {
      const sent = sender.sendAlert(alert);
      if (sent instanceof Promise) sent.catch(() => {});
    } catch {
      // Ignored, see above.
    }
  }

  #callback(
    state: DownloadProgress["state"],
    error?: AosError,
    retryInMs?: number,
  ): void {
    const onProgress = this.#target.onProgress;
    if (onProgress === undefined) return;
    const progress: DownloadProgress = {
      digest: this.#target.digest,
      url: this.#target.url,
      state,
      downloadedBytes: this.downloaded,
      totalBytes: this.total,
      attempt: this.attempt,
    };
    if (error !== undefined) progress.error = error;
    if (retryInMs !== undefined) progress.retryInMs = retryInMs;
    try {
      onProgress(progress);
    } catch {
      // A progress bar must not break the download.
    }
  }
}
