// Copyright 2026 the aos-common authors. Apache-2.0 license.
// One gzip member, compressed as a stream with AosCore's zlib parameters
// (level 9, 15-bit window, memLevel 8, default strategy; zlib's own header
// with mtime 0, XFL 2 and OS 3). Output goes to a callback as it is produced.

import zlib from "node:zlib";

/** Input bytes the compressor may hold before `write` asks the caller to wait. */
const HIGH_WATER_MARK = 256 * 1024;

interface Waiter {
  resolve(): void;
  reject(err: unknown): void;
}

export class GzipMember {
  readonly #gz: zlib.Gzip;
  readonly #ended: Promise<void>;
  #error: unknown;
  #failed = false;
  #waiter: Waiter | undefined;

  constructor(onData: (chunk: Uint8Array) => void) {
    // The stream options pass through to the Transform; the typings omit them.
    const options = { level: 9, writableHighWaterMark: HIGH_WATER_MARK } as zlib.ZlibOptions;
    const gz = zlib.createGzip(options);
    this.#gz = gz;
    gz.on("data", (chunk: Uint8Array) => {
      try {
        onData(chunk);
      } catch (err) {
        gz.destroy(err instanceof Error ? err : new Error(String(err)));
      }
    });
    gz.on("drain", () => this.#settle());
    this.#ended = new Promise<void>((resolve, reject) => {
      gz.once("end", resolve);
      gz.once("error", (err) => {
        this.#failed = true;
        this.#error = err;
        this.#settle(err);
        reject(err);
      });
    });
    // Failures surface through write() and end(); this keeps an early one from
    // being reported as unhandled before anyone waits.
    this.#ended.catch(() => {});
  }

  /**
   * Hands over `chunk` (the member keeps it: do not reuse it). Returns a
   * promise when the caller must wait before writing more.
   */
  write(chunk: Uint8Array): Promise<void> | undefined {
    if (this.#failed) return Promise.reject(this.#error);
    if (this.#gz.write(chunk)) return undefined;
    return new Promise<void>((resolve, reject) => {
      this.#waiter = { resolve, reject };
    });
  }

  /** Finishes the member; resolves once its last byte went to the callback. */
  end(): Promise<void> {
    if (!this.#failed) this.#gz.end();
    return this.#ended;
  }

  /** Drops the member without finishing it; a pending `write` rejects. */
  destroy(): void {
    if (!this.#failed) {
      this.#failed = true;
      this.#error = new Error("gzip member destroyed");
      this.#settle(this.#error);
    }
    this.#gz.destroy();
  }

  #settle(err?: unknown): void {
    const waiter = this.#waiter;
    this.#waiter = undefined;
    if (waiter === undefined) return;
    if (err === undefined) waiter.resolve();
    else waiter.reject(err);
  }
}
