// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The worker of `HashThread` (see `_hash_thread.ts`), and the messages both
// sides exchange. Started as a `node:worker_threads` worker, it holds one
// `Digester` per open hash. Data arrives in transferred buffers, which go
// back, unchanged, once hashed; a worker handles its messages in the order
// they were posted, so each hash sees its bytes in order.
//
// `_hash_thread.ts` imports this file (for `HASH_THREAD`) so that it is part
// of the module graph and ships wherever the client does; it serves only when
// started as the worker.
import { parentPort, workerData } from "node:worker_threads";
import type { MessagePort } from "node:worker_threads";
import { type DigestAlgorithm, Digester } from "./digest.ts";

/** The `workerData` that makes this module serve. */
export const HASH_THREAD = "aos-hash-thread";

/** A message to the worker. */
export type HashRequest =
  | { op: "open"; id: number; algorithm: DigestAlgorithm }
  | { op: "data"; id: number; buffer: ArrayBuffer; length: number }
  | { op: "digest"; id: number }
  | { op: "drop"; id: number };

/** A message from the worker: a buffer handed back, or a finished hash. */
export type HashReply =
  | { id: number; buffer: ArrayBuffer }
  | { id: number; digest: string }
  | { id: number; error: string };

if (workerData === HASH_THREAD && parentPort !== null) serve(parentPort);

function serve(port: MessagePort): void {
  const hashers = new Map<number, Digester>();
  port.on("message", (request: HashRequest) => {
    const { id } = request;
    switch (request.op) {
      case "open":
        hashers.set(id, new Digester(request.algorithm));
        break;
      case "data": {
        const { buffer, length } = request;
        hashers.get(id)?.update(new Uint8Array(buffer, 0, length));
        port.postMessage({ id, buffer } satisfies HashReply, [buffer]);
        break;
      }
      case "digest": {
        const hasher = hashers.get(id);
        hashers.delete(id);
        port.postMessage(
          (hasher === undefined
            ? { id, error: `no open hash ${id}` }
            : { id, digest: hasher.digest() }) satisfies HashReply,
        );
        break;
      }
      case "drop":
        hashers.delete(id);
        break;
    }
  });
}
