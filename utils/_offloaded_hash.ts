// Copyright 2026 the aos-common authors. Apache-2.0 license.
// One hash running on the `HashThread` worker (see `_hash_thread.ts`): it
// counts the bytes written to the file and tells the worker, every
// `ADVANCE` bytes, how far it may hash. Writers wait while the worker is
// more than `MAX_LAG` bytes behind, so the bytes it reads back are still in
// the page cache. Should the worker be lost, the hash goes on on the calling
// thread, which first reads what was written so far.
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

/** What an {@linkcode OffloadedHash} is made of. */
export interface OffloadedHashParts {
  /** The hash's id on the worker (told to open it). */
  id: number;
  /** Sends a request; throws when the worker is gone. */
  post: (request: HashRequest) => void;
  /** The same hash on the calling thread, for when the worker is lost. */
  local: () => ChunkHasher;
  /** Called once the hash is finished, dropped or failed. */
  onClose: () => void;
}

/** A {@linkcode ChunkHasher} whose `Digester` lives on the worker. */
export class OffloadedHash implements ChunkHasher {
  readonly #id: number;
  readonly #post: (request: HashRequest) => void;
  readonly #makeLocal: () => ChunkHasher;
  readonly #onClose: () => void;
  #local: { hasher: ChunkHasher; ready: Promise<void> } | undefined;
  #written = 0;
  #posted = 0;
  #hashed = 0;
  readonly #behind: Pending<void>[] = [];
  #result: Pending<string> | undefined;
  #failure: AosError | undefined;
  #closed = false;

  /**
   * Creates the client side of a hash.
   *
   * @param parts Its id, the worker link and the local fallback.
   */
  constructor(parts: OffloadedHashParts) {
    this.#id = parts.id;
    this.#post = parts.post;
    this.#makeLocal = parts.local;
    this.#onClose = parts.onClose;
  }

  prefix(length: number): Promise<void> {
    const local = this.#local;
    if (local !== undefined) return local.ready.then(() => local.hasher.prefix(length));
    return this.#advance(length);
  }

  written(chunk: Uint8Array): Promise<void> {
    const local = this.#local;
    if (local !== undefined) return local.ready.then(() => local.hasher.written(chunk));
    return this.#advance(chunk.length);
  }

  digest(): Promise<string> {
    const local = this.#local;
    if (local !== undefined) {
      this.#close();
      return local.ready.then(() => local.hasher.digest());
    }
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
   * Goes on on the calling thread after the worker was lost: the local hash
   * first reads what was written so far, then takes the later chunks.
   */
  fallBack(): void {
    if (this.#local !== undefined || this.#failure !== undefined) return;
    if (this.#closed && this.#result === undefined) return;
    const hasher = this.#makeLocal();
    const ready = hasher.prefix(this.#written);
    ready.catch(() => {});
    this.#local = { hasher, ready };
    this.#wake();
    const result = this.#result;
    this.#result = undefined;
    if (result !== undefined) {
      ready.then(() => hasher.digest()).then(
        result.resolve,
        (err) => result.reject(AosError.from(err)),
      );
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
