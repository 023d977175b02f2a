// Copyright 2026 the aos-common authors. Apache-2.0 license.
// A `node:http` response body as a `BodyReader`. Node delivers a body in
// socket-sized chunks (64 KiB); each read here copies every chunk that has
// arrived into the caller's buffer, so the file sees one write per buffer
// rather than one per chunk. Chunks are taken from 'data' events (no promise
// per chunk), and the response is paused while a buffer's worth waits, so
// memory stays flat when the file is slower than the network.
import type http from "node:http";
import type { BodyReader } from "./_transport.ts";

/** Bytes queued before the response is paused. */
const HIGH_WATER = 256 << 10;

/**
 * Reads a response body into caller buffers.
 *
 * @param res The response.
 * @param signal Aborts the request (its reason is the error then).
 * @param release Frees the request: called once, at the end or on failure.
 * @returns The reader.
 */
export function nodeBodyReader(
  res: http.IncomingMessage,
  signal: AbortSignal,
  release: () => void,
): BodyReader {
  const queue: Uint8Array[] = [];
  let queued = 0;
  let ended = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  const notify = () => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };
  res.on("data", (chunk: Uint8Array) => {
    queue.push(chunk);
    queued += chunk.length;
    if (queued >= HIGH_WATER) res.pause();
    notify();
  });
  res.on("end", () => {
    // Node ends quietly when a body with a promised length is cut short.
    if (!res.complete) failure ??= new Error("connection closed before the body was complete");
    ended = true;
    notify();
  });
  res.on("error", (err) => {
    failure ??= err;
    notify();
  });
  res.on("close", () => {
    if (!ended) failure ??= new Error("connection closed before the body was complete");
    notify();
  });
  let released = false;
  const finish = () => {
    if (released) return;
    released = true;
    release();
  };
  return {
    async readInto(target) {
      for (;;) {
        let filled = 0;
        while (filled < target.length && queue.length > 0) {
          const chunk = queue[0]!;
          const n = Math.min(chunk.length, target.length - filled);
          target.set(n === chunk.length ? chunk : chunk.subarray(0, n), filled);
          filled += n;
          queued -= n;
          if (n === chunk.length) queue.shift();
          else queue[0] = chunk.subarray(n);
        }
        if (queued < HIGH_WATER && res.isPaused() && !ended) res.resume();
        if (filled > 0) return target.subarray(0, filled);
        if (failure !== undefined) {
          finish();
          throw signal.aborted ? signal.reason : failure;
        }
        if (ended) {
          finish();
          return target.subarray(0, 0);
        }
        await new Promise<void>((resolve) => wake = resolve);
      }
    },
    cancel() {
      finish();
      return Promise.resolve();
    },
  };
}
