// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Hashing a download off the event loop: `HashThread` runs `Digester`s on one
// `node:worker_threads` worker (Deno and Node), beside the transfer instead of
// taking turns with it. The worker reads back what was written to the file
// (from the page cache, as it was just written) rather than being sent the
// bytes: the event loop then only counts bytes, and one message per 8 MiB
// tells the worker how far to go. Copying the bytes to the worker, in
// messages or through shared memory, cost the event loop 0.3 s per GiB, as
// much as it saved. When the worker cannot start (a runtime or bundle
// without workers) or dies, hashing goes on on the calling thread: the same
// digests, only slower.
import { Worker } from "node:worker_threads";
import { AosError } from "./errors.ts";
import { type DigestAlgorithm, Digester } from "./digest.ts";
import { hashFile } from "./_digest_io.ts";
import { HASH_THREAD, type HashReply, type HashRequest } from "./_hash_thread_worker.ts";
import { OffloadedHash } from "./_offloaded_hash.ts";

/**
 * An incremental hash of a file being written front to back, whose work may
 * run on another thread.
 */
export interface ChunkHasher {
  /** Hashes the first `length` bytes the file already holds (before any `written`). */
  prefix(length: number): Promise<void>;
  /**
   * Hashes a chunk just written to the file, after the bytes before it.
   * Calls must come in file order. Keep the chunk unchanged until the
   * promise resolves; it may wait while the hash falls behind.
   */
  written(chunk: Uint8Array): Promise<void>;
  /** Finishes the hash: `"<algorithm>:<hex>"`. */
  digest(): Promise<string>;
  /** Forgets an unfinished hash. */
  drop(): void;
}

/**
 * A {@linkcode ChunkHasher} on the calling thread.
 *
 * @param algorithm The algorithm.
 * @param path The file, read for the prefix.
 * @returns The hasher.
 */
export function localHasher(algorithm: DigestAlgorithm, path: string): ChunkHasher {
  const hasher = new Digester(algorithm);
  return {
    prefix: (length) => hashFile(path, (chunk) => hasher.update(chunk), length, {}),
    written(chunk) {
      hasher.update(chunk);
      return Promise.resolve();
    },
    digest: () => Promise.resolve(hasher.digest()),
    drop() {},
  };
}

// The worker file has this file's extension: `.ts` from sources, `.js` from a build.
const WORKER_MODULE = new URL(
  `./_hash_thread_worker${/\.[cm]?[jt]s$/.exec(import.meta.url)?.[0] ?? ".js"}`,
  import.meta.url,
);
// `node:worker_threads` starts file: and data: URLs only: a module loaded
// over the network (Deno importing from JSR) starts as a data: URL importing it.
const WORKER_URL = WORKER_MODULE.protocol === "file:" ? WORKER_MODULE : new URL(
  `data:text/javascript,import ${encodeURIComponent(JSON.stringify(WORKER_MODULE.href))};`,
);

interface Running {
  worker: Worker;
  hashes: Map<number, OffloadedHash>;
  /** Set by a deliberate stop, so the exit that follows is not a failure. */
  stopped: boolean;
}

/**
 * One worker thread shared by any number of hashes. It starts on the first
 * {@linkcode HashThread.open} and runs until {@linkcode HashThread.close};
 * it keeps the process alive only while a hash is open.
 */
export class HashThread {
  readonly #workerUrl: URL;
  #running: Running | undefined;
  #broken = false;
  #nextId = 0;

  /**
   * Creates the thread; nothing starts until the first hash.
   *
   * @param workerUrl The worker's module: another one only in tests.
   */
  constructor(workerUrl: URL = WORKER_URL) {
    this.#workerUrl = workerUrl;
  }

  /** Whether the worker is running. */
  get running(): boolean {
    return this.#running !== undefined;
  }

  /**
   * Starts a hash of a file on the worker, starting the worker first if
   * needed; on the calling thread when the worker cannot start.
   *
   * @param algorithm The algorithm.
   * @param path The file being written.
   * @returns The hasher.
   */
  open(algorithm: DigestAlgorithm, path: string): ChunkHasher {
    const running = this.#start();
    if (running === undefined) return localHasher(algorithm, path);
    const id = this.#nextId = (this.#nextId + 1) | 0;
    const post = (request: HashRequest) => {
      if (this.#running !== running) throw new AosError("failed", "Hash thread stopped");
      running.worker.postMessage(request);
    };
    const hash = new OffloadedHash({
      id,
      post,
      local: () => localHasher(algorithm, path),
      onClose: () => {
        running.hashes.delete(id);
        if (running.hashes.size === 0) running.worker.unref();
      },
    });
    if (running.hashes.size === 0) running.worker.ref();
    running.hashes.set(id, hash);
    post({ op: "open", id, algorithm, path });
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
      worker = new Worker(this.#workerUrl, { workerData: HASH_THREAD });
    } catch {
      this.#broken = true;
      return undefined;
    }
    // Messages posted before the worker is up wait for it, so nobody waits
    // for the start; a worker that fails to start fails its first hashes,
    // and later ones stay on the calling thread.
    worker.unref();
    const running: Running = { worker, hashes: new Map(), stopped: false };
    worker.on("message", (reply: HashReply) => running.hashes.get(reply.id)?.receive(reply));
    // A lost worker is not restarted; its hashes go on on this thread.
    const lost = () => {
      if (running.stopped) return;
      this.#broken = true;
      void this.#stop(running);
    };
    worker.on("error", lost);
    worker.on("exit", lost);
    this.#running = running;
    return running;
  }

  /** Stops a worker: its hashes fail with `reason`, or without one go on locally. */
  async #stop(running: Running, reason?: AosError): Promise<void> {
    if (running.stopped) return;
    running.stopped = true;
    if (this.#running === running) this.#running = undefined;
    for (const hash of [...running.hashes.values()]) {
      if (reason === undefined) hash.fallBack();
      else hash.fail(reason);
    }
    await running.worker.terminate();
  }
}
