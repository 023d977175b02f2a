// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The worker of `HashThread` (see `_hash_thread.ts`), and the messages both
// sides exchange. Started as a `node:worker_threads` worker, it keeps one
// `Digester` and one open file per hash, and hashes each file as far as it
// is told the file has been written, reading it back (from the page cache:
// the bytes were just written). It handles one message at a time, in the
// order they were posted.
//
// `_hash_thread.ts` imports this file (for `HASH_THREAD`) so that it is part
// of the module graph and ships wherever the client does; it serves only when
// started as the worker.
import { closeSync, openSync, readSync } from "node:fs";
import { parentPort, workerData } from "node:worker_threads";
import type { MessagePort } from "node:worker_threads";
import { type DigestAlgorithm, Digester } from "./digest.ts";

/** The `workerData` that makes this module serve. */
export const HASH_THREAD = "aos-hash-thread";

/** A message to the worker. */
export type HashRequest =
  /** Starts hash `id` of the file at `path`. */
  | { op: "open"; id: number; algorithm: DigestAlgorithm; path: string }
  /** The file holds `upTo` bytes: hash them, then tell how far the hash is. */
  | { op: "hash"; id: number; upTo: number }
  /** Hashes up to `upTo`, then sends the digest and forgets the hash. */
  | { op: "digest"; id: number; upTo: number }
  /** Forgets the hash. */
  | { op: "drop"; id: number };

/** A message from the worker about hash `id`. */
export type HashReply =
  | { id: number; hashed: number }
  | { id: number; digest: string }
  | { id: number; error: string };

/** Bytes read from a file at a time: small enough to be hashed from the CPU cache. */
const READ_SIZE = 512 << 10;

interface FileHash {
  digester: Digester;
  fd: number;
  path: string;
  hashed: number;
}

if (workerData === HASH_THREAD && parentPort !== null) serve(parentPort);

function serve(port: MessagePort): void {
  const hashes = new Map<number, FileHash>();
  const buffer = new Uint8Array(READ_SIZE);
  const forget = (id: number) => {
    const hash = hashes.get(id);
    hashes.delete(id);
    if (hash !== undefined) closeSync(hash.fd);
  };
  const hashTo = (hash: FileHash, upTo: number) => {
    while (hash.hashed < upTo) {
      const want = Math.min(READ_SIZE, upTo - hash.hashed);
      const n = readSync(hash.fd, buffer, 0, want, hash.hashed);
      if (n === 0) throw new Error(`"${hash.path}" ends at byte ${hash.hashed}, before ${upTo}`);
      hash.digester.update(n === READ_SIZE ? buffer : buffer.subarray(0, n));
      hash.hashed += n;
    }
  };
  port.on("message", (request: HashRequest) => {
    const { id } = request;
    try {
      if (request.op === "open") {
        const fd = openSync(request.path, "r");
        hashes.set(id, {
          digester: new Digester(request.algorithm),
          fd,
          path: request.path,
          hashed: 0,
        });
        return;
      }
      if (request.op === "drop") return forget(id);
      const hash = hashes.get(id);
      // A hash that failed has been forgotten; its error was sent.
      if (hash === undefined) return;
      hashTo(hash, request.upTo);
      if (request.op === "hash") {
        port.postMessage({ id, hashed: hash.hashed } satisfies HashReply);
      } else {
        forget(id);
        port.postMessage({ id, digest: hash.digester.digest() } satisfies HashReply);
      }
    } catch (err) {
      forget(id);
      const error = err instanceof Error ? err.message : String(err);
      port.postMessage({ id, error } satisfies HashReply);
    }
  });
}
