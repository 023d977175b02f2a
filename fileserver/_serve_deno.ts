// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Serves the reply core with `Deno.serve`.
//
// A cached file sent whole is a clone of a `Response` built once for it. A new
// `Response` validates every header and copies the body, which cost more than
// everything else the request needs; a clone shares the checked headers and
// the bytes (it goes straight to the socket, so no code can change them).
// The handler also answers without a promise whenever the reply is ready
// (all but directory listings).
import type { CachedFile } from "./_cache.ts";
import type { DenoRuntime } from "./_deno.ts";
import type { Replier } from "./_reply.ts";
import { toResponse } from "./_response.ts";
import type { Listener } from "./_serve_node.ts";

/**
 * Binds and serves `replier`; throws when the address cannot be bound.
 *
 * Stopping drains in-flight responses (new requests meanwhile get 503), then
 * aborts the server, which also cuts responses still running at the deadline.
 */
export function listenDeno(
  deno: DenoRuntime,
  replier: Replier,
  hostname: string,
  port: number,
): Listener {
  const controller = new AbortController();
  const prepared = new WeakMap<CachedFile, Response>();
  let inFlight = 0;
  let draining = false;
  let onIdle: (() => void) | undefined;
  const done = () => {
    if (--inFlight === 0) onIdle?.();
  };
  const server = deno.serve({
    port,
    hostname,
    signal: controller.signal,
    onListen() {},
    onError: () => new Response(null, { status: 500 }),
  }, (request, info) => {
    if (draining) {
      return new Response(null, { status: 503, headers: { connection: "close" } });
    }
    inFlight++;
    info.completed.then(done, done);
    const head = { method: request.method, target: request.url, headers: request.headers };
    const reply = replier.reply(head);
    if (reply instanceof Promise) return reply.then((r) => toResponse(r, replier, head));
    const whole = reply.whole;
    if (whole === undefined) return toResponse(reply, replier, head);
    let response = prepared.get(whole);
    if (response === undefined) {
      response = new Response(whole.bytes, { headers: whole.headers });
      prepared.set(whole, response);
    }
    return response.clone();
  });
  return {
    port: server.addr.port,
    async close(graceMs) {
      draining = true;
      if (inFlight > 0) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        await new Promise<void>((resolve) => {
          onIdle = resolve;
          timer = setTimeout(resolve, graceMs);
        });
        clearTimeout(timer);
      }
      controller.abort();
      await server.finished;
    },
  };
}
