// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Serves the fetch-style handler with `Deno.serve`.
import type { DenoRuntime } from "./_deno.ts";
import type { Listener } from "./_serve_node.ts";

/**
 * Binds and serves `handler`; throws when the address cannot be bound.
 *
 * Stopping drains in-flight responses (new requests meanwhile get 503), then
 * aborts the server, which also cuts responses still running at the deadline.
 */
export function listenDeno(
  deno: DenoRuntime,
  handler: (request: Request) => Promise<Response>,
  hostname: string,
  port: number,
): Listener {
  const controller = new AbortController();
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
      return Promise.resolve(new Response(null, { status: 503, headers: { connection: "close" } }));
    }
    inFlight++;
    info.completed.then(done, done);
    return handler(request);
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
