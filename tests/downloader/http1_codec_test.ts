// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The HTTP/1.1 pieces of the Node transport: request head, response head,
// body framing and the chunked decoder.
import assert from "node:assert/strict";
import {
  BodyDecoder,
  type Framing,
  framingOf,
  parseHead,
  requestHead,
} from "../../downloader/_node/http1_codec.ts";
import { errorIs } from "../../utils/errors.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

Deno.test("the request head has the target, Host and Connection: close", () => {
  const head = requestHead(new URL("http://example.com:8080/a/b?c=d"), { Range: "bytes=5-" });
  assert.equal(
    head,
    "GET /a/b?c=d HTTP/1.1\r\nHost: example.com:8080\r\nRange: bytes=5-\r\n" +
      "Connection: close\r\n\r\n",
  );
  const own = requestHead(new URL("http://[::1]/x"), { host: "blobs", connection: "keep-alive" });
  assert.equal(own, "GET /x HTTP/1.1\r\nhost: blobs\r\nConnection: close\r\n\r\n");
});

Deno.test("a header that would split the request is refused with invalidArgument", () => {
  for (const headers of [{ "x": "a\r\nInjected: 1" }, { "bad name": "v" }, { "x": "a\0" }]) {
    assert.throws(
      () => requestHead(new URL("http://h/"), headers),
      (err) => errorIs(err, "invalidArgument"),
    );
  }
});

Deno.test("parses the status line and fields, folded lines included", () => {
  const head = parseHead(
    "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 0-9/20\r\nX-Long: a\r\n  b\r\n" +
      "Set-Cookie: 1\r\nSet-Cookie: 2\r\nEmpty:",
  );
  assert.equal(head.status, 206);
  assert.equal(head.statusText, "Partial Content");
  assert.equal(head.headers.get("content-range"), "bytes 0-9/20");
  assert.equal(head.headers.get("x-long"), "a b");
  assert.equal(head.headers.get("set-cookie"), "1, 2");
  assert.equal(head.headers.get("empty"), "");
  assert.equal(parseHead("HTTP/1.0 200").statusText, "");
});

Deno.test("a malformed response head fails with failed", () => {
  for (
    const text of ["HTTP/2 200 OK", "ICY 200 OK", "HTTP/1.1 2000 X", "HTTP/1.1 200 OK\r\nNo colon"]
  ) {
    assert.throws(
      () => parseHead(text),
      (err) => errorIs(err, "failed") && /Malformed HTTP response/.test(String(err)),
      text,
    );
  }
});

Deno.test("the framing follows RFC 9112: no body, chunked, length or until close", () => {
  const framing = (status: number, fields: Record<string, string>): Framing =>
    framingOf({ status, statusText: "", headers: new Headers(fields) });
  assert.deepEqual(framing(204, { "content-length": "5" }), { kind: "none" });
  assert.deepEqual(framing(304, {}), { kind: "none" });
  assert.deepEqual(framing(200, { "transfer-encoding": "gzip, chunked", "content-length": "5" }), {
    kind: "chunked",
  });
  assert.deepEqual(framing(200, { "transfer-encoding": "gzip" }), { kind: "close" });
  assert.deepEqual(framing(200, { "content-length": "12" }), { kind: "length", length: 12 });
  assert.deepEqual(framing(200, { "content-length": "7, 7" }), { kind: "length", length: 7 });
  assert.deepEqual(framing(200, {}), { kind: "close" });
  for (const bad of ["7, 8", "-1", "1e3", ""]) {
    assert.throws(() => framing(200, { "content-length": bad }), (err) => errorIs(err, "failed"));
  }
});

/** Feeds `wire` to a decoder in pieces of `step` bytes and collects the content. */
function decode(framing: Framing, wire: string, step: number): { body: string; done: boolean } {
  const body = new BodyDecoder(framing);
  const bytes = encoder.encode(wire);
  const pieces: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += step) {
    body.feed(bytes.subarray(at, at + step), (piece) => pieces.push(piece.slice()));
  }
  return { body: pieces.map((piece) => decoder.decode(piece)).join(""), done: body.done };
}

Deno.test("a chunked body decodes the same in any split, with extensions and trailers", () => {
  const wire =
    "5\r\nhello\r\n1;name=value\r\n \r\nA \r\n0123456789\r\n0\r\nTrailer: x\r\n\r\nGARBAGE";
  for (let step = 1; step <= wire.length; step++) {
    assert.deepEqual(decode({ kind: "chunked" }, wire, step), {
      body: "hello 0123456789",
      done: true,
    });
  }
  assert.deepEqual(decode({ kind: "chunked" }, "3\nabc\n0\n\n", 2), { body: "abc", done: true });
  assert.deepEqual(decode({ kind: "chunked" }, "3\r\nabc\r\n", 4), { body: "abc", done: false });
});

Deno.test("a malformed chunked body fails with failed", () => {
  for (const wire of ["zz\r\n", "3\r\nabcd\r\n", "-1\r\n", `${"1".repeat(9000)}`]) {
    assert.throws(
      () => decode({ kind: "chunked" }, wire, 3),
      (err) => errorIs(err, "failed") && /chunk/.test(String(err)),
      wire.slice(0, 20),
    );
  }
});

Deno.test("a length body stops at its length; a close body takes everything", () => {
  assert.deepEqual(decode({ kind: "length", length: 5 }, "hello, world", 2), {
    body: "hello",
    done: true,
  });
  assert.deepEqual(decode({ kind: "length", length: 0 }, "x", 1), { body: "", done: true });
  assert.deepEqual(decode({ kind: "close" }, "all of it", 4), { body: "all of it", done: false });
  assert.deepEqual(decode({ kind: "none" }, "ignored", 4), { body: "", done: true });
});
