// Copyright 2026 the aos-common authors. Apache-2.0 license.
// One hash running on the `HashThread` worker (see `_hash_thread.ts`): it
// counts the bytes written to the file and tells the worker, every
// `ADVANCE` bytes, how far it may hash. Writers wait while the worker is
// more than `MAX_LAG` bytes behind, so the bytes it reads back are still in
// the page cache.
import { AosError } from "./errors.ts";
import type { ChunkHasher } from "./_hash_thread.ts";
import type { HashReply, HashRequest } from "./_hash_thread_worker.ts";

/** Bytes written between two messages to the worker. */
const ADVANCE = 8 << 20;
/** How far the hash may be behind the writer, in bytes. */
const MAX_LAG = 32 << 20;

interface Pending<T> {
  resolve(value: T): void;
  reject(err: AosError): void;
}

/** A {@linkcode ChunkHasher} whose `Digester` lives on the worker. */
export class ThreadHash implements ChunkHasher {
  readonly #id: number;
  readonly #post: (request: HashRequest) => void;
  readonly #onClose: () => void;
  #written = 0;
  #posted = 0;
  #hashed = 0;
  readonly #behind: Pending<void>[] = [];
  #result: Pending<string> | undefined;
  #failure: AosError | undefined;
  #closed = false;

  /**
   * Creates the client side of hash `id` (the worker was told to open it).
   *
   * @param id The hash's id on the worker.
   * @param post Sends a request; throws when the worker is gone.
   * @param onClose Called once the hash is finished, dropped or failed.
   */
  constructor(id: number, post: (request: HashRequest) => void, onClose: () => void) {
    this.#id = id;
    this.#post = post;
    this.#onClose = onClose;
  }

  prefix(length: number): Promise<void> {
    return this.#advance(length);
  }

  written(chunk: Uint8Array): Promise<void> {
    return this.#advance(chunk.length);
  }

  digest(): Promise<string> {
    try {
      this.#check();
      const digest = new Promise<string>((resolve, reject) => {
        this.#result = { resolve, reject };
      });
      this.#post({ op: "digest", id: this.#id, upTo: this.#written });
      return digest.finally(() => this.#close());
    } catch (err) {
      this.#close();
      return Promise.reject(err);
    }
  }

  drop(): void {
    if (this.#closed) return;
    this.#close();
    this.#wake();
    try {
      this.#post({ op: "drop", id: this.#id });
    } catch {
      // The worker is gone, and the hash with it.
    }
  }

  /**
   * Takes a message of the worker about this hash.
   *
   * @param reply How far it hashed, the digest, or why it failed.
   */
  receive(reply: HashReply): void {
    if ("hashed" in reply) {
      this.#hashed = reply.hashed;
      if (this.#written - this.#hashed <= MAX_LAG / 2) this.#wake();
    } else if ("digest" in reply) {
      this.#result?.resolve(reply.digest);
    } else {
      this.fail(new AosError("failed", `Hashing failed: ${reply.error}`));
    }
  }

  /**
   * Ends the hash with an error: waiting and later calls reject with it.
   *
   * @param reason The error.
   */
  fail(reason: AosError): void {
    this.#failure ??= reason;
    this.#wake();
    this.#result?.reject(reason);
    this.#close();
  }

  #advance(bytes: number): Promise<void> {
    try {
      this.#check();
      this.#written += bytes;
      if (this.#written - this.#posted >= ADVANCE) {
        this.#posted = this.#written;
        this.#post({ op: "hash", id: this.#id, upTo: this.#written });
      }
    } catch (err) {
      return Promise.reject(err);
    }
    if (this.#written - this.#hashed <= MAX_LAG) return Promise.resolve();
    return new Promise((resolve, reject) => this.#behind.push({ resolve, reject }));
  }

  #wake(): void {
    for (const waiting of this.#behind.splice(0)) {
      if (this.#failure === undefined) waiting.resolve();
      else waiting.reject(this.#failure);
    }
  }

  #check(): void {
    if (this.#failure !== undefined) throw this.#failure;
    if (this.#closed) throw new AosError("wrongState", "The hash is already finished");
  }

  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#onClose();
  }
}
