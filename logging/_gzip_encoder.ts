// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Writes a sequence of gzip members through one zlib stream with AosCore's
// parameters (level 9, 15-bit window, memLevel 8, default strategy; zlib's own
// header with mtime 0, XFL 2 and OS 3). A member ends with a Z_FINISH flush and
// the next starts after a reset, which is byte for byte a fresh deflate
// stream: one native state serves the whole archive, so memory stays flat.

import zlib from "node:zlib";

/** Input bytes the compressor may hold before `write` asks the caller to wait. */
const HIGH_WATER_MARK = 256 * 1024;

interface Waiter {
  resolve(): void;
  reject(err: unknown): void;
}

export class GzipEncoder {
  readonly #gz: zlib.Gzip;
  #error: unknown;
  #failed = false;
  #waiters = new Set<Waiter>();

  constructor(onData: (chunk: Uint8Array) => void) {
    // The stream options pass through to the Transform; the typings omit them.
    const options = { level: 9, writableHighWaterMark: HIGH_WATER_MARK } as zlib.ZlibOptions;
    const gz = zlib.createGzip(options);
    this.#gz = gz;
    gz.on("data", (chunk: Uint8Array) => {
      try {
        onData(chunk);
      } catch (err) {
        this.#fail(err);
        gz.destroy();
      }
    });
    gz.on("error", (err) => this.#fail(err));
  }

  /**
   * Hands over `chunk`, which the encoder keeps until it calls `consumed`.
   * Returns a promise when the caller must wait before writing more.
   */
  write(chunk: Uint8Array, consumed: () => void): Promise<void> | undefined {
    if (this.#failed) return Promise.reject(this.#error);
    if (this.#gz.write(chunk, (err) => err ? undefined : consumed())) return undefined;
    return this.#wait((done) => this.#gz.once("drain", done));
  }

  /** Ends the current member; resolves once its last byte went to the callback. */
  async finishMember(): Promise<void> {
    await this.#wait((done) => this.#gz.flush(zlib.constants.Z_FINISH, done));
    // Output normally reaches the callback before the flush completes; should
    // a runtime still hold some, wait for it so members never mix.
    while (this.#gz.readableLength > 0) {
      await this.#wait((done) => this.#gz.once("data", () => done()));
    }
    // A failure can still complete the flush: never reset a broken stream.
    if (this.#failed) throw this.#error;
    // In both runtimes, missing from the typings of Gzip.
    (this.#gz as unknown as { reset(): void }).reset();
  }

  /** Drops the stream; a pending call rejects. */
  destroy(): void {
    this.#fail(new Error("gzip encoder destroyed"));
    this.#gz.destroy();
  }

  /** Waits for `start`'s callback, or rejects when it reports an error or the stream fails. */
  #wait(start: (done: (err?: unknown) => void) => void): Promise<void> {
    if (this.#failed) return Promise.reject(this.#error);
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject };
      this.#waiters.add(waiter);
      start((err) => {
        this.#waiters.delete(waiter);
        if (err === undefined || err === null) resolve();
        else reject(this.#failed ? this.#error : err);
      });
    });
  }

  #fail(err: unknown): void {
    if (this.#failed) return;
    this.#failed = true;
    this.#error = err;
    for (const waiter of this.#waiters) waiter.reject(err);
    this.#waiters.clear();
  }
}
