// Copyright 2026 the aos-common authors. Apache-2.0 license.
// One hash running on the `HashThread` worker (see `_hash_thread.ts`): it
// gathers chunks in a staging buffer and transfers each full buffer to the
// worker, keeping at most `STAGES` buffers, here or away.
import { AosError } from "./errors.ts";
import type { ChunkHasher } from "./_hash_thread.ts";
import type { HashReply, HashRequest } from "./_hash_thread_worker.ts";

/** Bytes per message to the worker. */
const STAGE_SIZE = 1 << 20;
/** Buffers one hash may hold, being filled or at the worker. */
const STAGES = 3;

/** Staging buffers shared by the hashes of one thread, reused across hashes. */
export interface BufferPool {
  /** A free buffer of the staging size, if any. */
  take(): ArrayBuffer | undefined;
  /** Keeps a buffer for later, or lets it go. */
  give(buffer: ArrayBuffer): void;
}

interface Pending<T> {
  resolve(value: T): void;
  reject(err: AosError): void;
}

/** A {@linkcode ChunkHasher} whose `Digester` lives on the worker. */
export class ThreadHash implements ChunkHasher {
  readonly #id: number;
  readonly #post: (request: HashRequest, transfer?: ArrayBuffer[]) => void;
  readonly #pool: BufferPool;
  readonly #onClose: () => void;
  #stage: Uint8Array | undefined;
  #filled = 0;
  #owned = 0;
  readonly #spare: ArrayBuffer[] = [];
  #wanted: Pending<ArrayBuffer> | undefined;
  #result: Pending<string> | undefined;
  // Calls run one after another, in the order they were made.
  #queue: Promise<unknown> = Promise.resolve();
  #failure: AosError | undefined;
  #closed = false;

  /**
   * Creates the client side of hash `id` (the worker was told to open it).
   *
   * @param id The hash's id on the worker.
   * @param post Sends a request; throws when the worker is gone.
   * @param pool Where buffers come from and go back to.
   * @param onClose Called once the hash is finished, dropped or failed.
   */
  constructor(
    id: number,
    post: (request: HashRequest, transfer?: ArrayBuffer[]) => void,
    pool: BufferPool,
    onClose: () => void,
  ) {
    this.#id = id;
    this.#post = post;
    this.#pool = pool;
    this.#onClose = onClose;
  }

  update(chunk: Uint8Array): Promise<void> {
    return this.#enqueue(() => this.#copy(chunk));
  }

  digest(): Promise<string> {
    const digest = this.#enqueue(() =>
      new Promise<string>((resolve, reject) => {
        this.#check();
        this.#result = { resolve, reject };
        if (this.#filled > 0) this.#send();
        this.#post({ op: "digest", id: this.#id });
      })
    );
    return digest.finally(() => this.#close());
  }

  drop(): void {
    if (this.#closed) return;
    this.#close();
    try {
      this.#post({ op: "drop", id: this.#id });
    } catch {
      // The worker is gone, and the hash with it.
    }
  }

  /**
   * Takes a message of the worker about this hash.
   *
   * @param reply A buffer handed back, or the digest.
   */
  receive(reply: HashReply): void {
    if ("buffer" in reply) {
      const wanted = this.#wanted;
      this.#wanted = undefined;
      if (wanted !== undefined) wanted.resolve(reply.buffer);
      else this.#spare.push(reply.buffer);
    } else if ("digest" in reply) {
      this.#result?.resolve(reply.digest);
    } else {
      this.#result?.reject(new AosError("failed", `Hashing failed: ${reply.error}`));
    }
  }

  /**
   * Ends the hash with an error: waiting and later calls reject with it.
   *
   * @param reason The error.
   */
  fail(reason: AosError): void {
    this.#failure ??= reason;
    this.#wanted?.reject(reason);
    this.#result?.reject(reason);
    this.#close();
  }

  #enqueue<T>(step: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(step);
    this.#queue = result.catch(() => {});
    return result;
  }

  async #copy(chunk: Uint8Array): Promise<void> {
    for (let at = 0; at < chunk.length;) {
      this.#check();
      const stage = this.#stage ??= new Uint8Array(await this.#buffer());
      const n = Math.min(chunk.length - at, stage.length - this.#filled);
      stage.set(chunk.subarray(at, at + n), this.#filled);
      this.#filled += n;
      at += n;
      if (this.#filled === stage.length) this.#send();
    }
  }

  #buffer(): ArrayBuffer | Promise<ArrayBuffer> {
    const spare = this.#spare.pop();
    if (spare !== undefined) return spare;
    if (this.#owned < STAGES) {
      this.#owned++;
      return this.#pool.take() ?? new ArrayBuffer(STAGE_SIZE);
    }
    return new Promise((resolve, reject) => {
      this.#wanted = { resolve, reject };
    });
  }

  #send(): void {
    const buffer = this.#stage!.buffer as ArrayBuffer;
    const length = this.#filled;
    this.#stage = undefined;
    this.#filled = 0;
    this.#post({ op: "data", id: this.#id, buffer, length }, [buffer]);
  }

  #check(): void {
    if (this.#failure !== undefined) throw this.#failure;
    if (this.#closed) throw new AosError("wrongState", "The hash is already finished");
  }

  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const buffer of this.#spare.splice(0)) this.#pool.give(buffer);
    if (this.#stage !== undefined) this.#pool.give(this.#stage.buffer as ArrayBuffer);
    this.#stage = undefined;
    this.#onClose();
  }
}
