// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Turns a reply into a web `Response`, for `handle()` and `Deno.serve`.
import type { Replier, Reply, RequestHead } from "./_reply.ts";

/**
 * The response for a reply; a file body becomes a stream. When the stream
 * cannot be set up, the failure is reported and the answer is an empty 500.
 */
export function toResponse(reply: Reply, replier: Replier, head: RequestHead): Response {
  let body: BodyInit | null = reply.body ?? null;
  if (reply.file !== undefined) {
    try {
      body = reply.file.readable(reply.start ?? 0, reply.length ?? 0);
    } catch (err) {
      replier.report(err, head.method, head.target);
      return new Response(null, { status: 500, headers: { "content-length": "0" } });
    }
  }
  return new Response(body, { status: reply.status, headers: reply.headers });
}
