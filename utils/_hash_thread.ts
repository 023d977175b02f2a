// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Hashing off the event loop: `HashThread` runs `Digester`s on one
// `node:worker_threads` worker (Deno and Node), so the hash of a download
// runs beside its transfer instead of taking turns with it. Each hash copies
// its chunks into 1 MiB staging buffers and transfers a full one to the
// worker (no copy), which hands it back once hashed: one message per MiB
// rather than per chunk, as a message costs more than copying a chunk. A hash
// owns at most three buffers; when all are away, `update` waits, so a reader
// never runs more than that ahead of its hash. When the worker cannot start
// (a runtime or bundle without workers), hashing stays on the calling thread:
// the same digests, only slower.
import { Worker } from "node:worker_threads";
import { AosError } from "./errors.ts";
import { type DigestAlgorithm, Digester } from "./digest.ts";
import { HASH_THREAD, type HashReply, type HashRequest } from "./_hash_thread_worker.ts";
import { type BufferPool, ThreadHash } from "./_thread_hash.ts";

/** An incremental hash whose work may run on another thread. */
export interface ChunkHasher {
  /**
   * Feeds a chunk. Keep the chunk unchanged until the promise resolves: it
   * has been hashed or copied by then. Calls are taken in order.
   */
  update(chunk: Uint8Array): Promise<void>;
  /** Finishes the hash: `"<algorithm>:<hex>"`. */
  digest(): Promise<string>;
  /** Forgets an unfinished hash. */
  drop(): void;
}

/**
 * A {@linkcode ChunkHasher} on the calling thread.
 *
 * @param algorithm The algorithm.
 * @returns The hasher.
 */
export function localHasher(algorithm: DigestAlgorithm): ChunkHasher {
  const hasher = new Digester(algorithm);
  return {
    update(chunk) {
      hasher.update(chunk);
      return Promise.resolve();
    },
    digest: () => Promise.resolve(hasher.digest()),
    drop() {},
  };
}

// The worker file has this file's extension: `.ts` from sources, `.js` from a build.
const WORKER_URL = new URL(
  `./_hash_thread_worker${/\.[cm]?[jt]s$/.exec(import.meta.url)?.[0] ?? ".js"}`,
  import.meta.url,
);

/** Staging buffers kept for later hashes. */
const POOL_SIZE = 6;

interface Running {
  worker: Worker;
  hashes: Map<number, ThreadHash>;
  /** Set by a deliberate stop, so the exit that follows is not a failure. */
  stopped: boolean;
}

/**
 * One worker thread shared by any number of hashes. It starts on the first
 * {@linkcode HashThread.open} and runs until {@linkcode HashThread.close};
 * it keeps the process alive only while a hash is open.
 */
export class HashThread {
  #running: Running | undefined;
  #broken = false;
  #nextId = 0;
  readonly #buffers: ArrayBuffer[] = [];
  readonly #pool: BufferPool = {
    take: () => this.#buffers.pop(),
    give: (buffer) => {
      if (this.#buffers.length < POOL_SIZE) this.#buffers.push(buffer);
    },
  };

  /** Whether the worker is running. */
  get running(): boolean {
    return this.#running !== undefined;
  }

  /**
   * Starts a hash on the worker, starting the worker first if needed; on the
   * calling thread when the worker cannot start.
   *
   * @param algorithm The algorithm.
   * @returns The hasher.
   */
  open(algorithm: DigestAlgorithm): ChunkHasher {
    const running = this.#start();
    if (running === undefined) return localHasher(algorithm);
    const id = this.#nextId = (this.#nextId + 1) | 0;
    const post = (request: HashRequest, transfer?: ArrayBuffer[]) => {
      if (this.#running !== running) throw new AosError("failed", "Hash thread stopped");
      running.worker.postMessage(request, transfer ?? []);
    };
    const hash = new ThreadHash(id, post, this.#pool, () => {
      running.hashes.delete(id);
      if (running.hashes.size === 0) running.worker.unref();
    });
    if (running.hashes.size === 0) running.worker.ref();
    running.hashes.set(id, hash);
    post({ op: "open", id, algorithm });
    return hash;
  }

  /**
   * Stops the worker. Hashes still running reject with `wrongState`; a later
   * {@linkcode HashThread.open} starts a new worker.
   *
   * @returns Resolves when the worker has exited.
   */
  async close(): Promise<void> {
    const running = this.#running;
    if (running !== undefined) {
      await this.#stop(running, new AosError("wrongState", "Hash thread closed"));
    }
  }

  #start(): Running | undefined {
    if (this.#broken) return undefined;
    if (this.#running !== undefined) return this.#running;
    let worker: Worker;
    try {
      worker = new Worker(WORKER_URL, { workerData: HASH_THREAD });
    } catch {
      this.#broken = true;
      return undefined;
    }
    // Messages posted before the worker is up wait for it, so nobody waits
    // for the start; a worker that fails to start fails its first hashes,
    // and later ones stay on the calling thread.
    worker.unref();
    const running: Running = { worker, hashes: new Map(), stopped: false };
    worker.on("message", (reply: HashReply) => {
      const hash = running.hashes.get(reply.id);
      if (hash !== undefined) hash.receive(reply);
      else if ("buffer" in reply) this.#pool.give(reply.buffer);
    });
    const lost = (cause: unknown) => {
      if (running.stopped) return;
      this.#broken = true;
      void this.#stop(running, AosError.wrap(cause, "failed", "Hash thread stopped"));
    };
    worker.on("error", lost);
    worker.on("exit", (code) => lost(new Error(`exit code ${code}`)));
    this.#running = running;
    return running;
  }

  async #stop(running: Running, reason: AosError): Promise<void> {
    if (running.stopped) return;
    running.stopped = true;
    if (this.#running === running) this.#running = undefined;
    for (const hash of [...running.hashes.values()]) hash.fail(reason);
    await running.worker.terminate();
  }
}
