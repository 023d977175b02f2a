// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The Node transport's own HTTP/1.1 response reader, fed responses cut at
// random points, whole and damaged: a valid response reads back exactly
// (interim 1xx answers skipped, any framing, any split), and damage ends in a
// response or a typed error, never a hang or a crash. The socket is a stand-in
// that hands the reader each piece through the reused read buffer a real
// socket uses (scribbled over after each read, as the next read would), so
// that the cuts are exactly the ones chosen; a few runs go over real TCP.
import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import net from "node:net";
import fc from "fast-check";
import { type Connect, exchange } from "../../downloader/_node/exchange.ts";
import { BodyDecoder, framingOf, parseHead } from "../../downloader/_node/http1_codec.ts";
import type { TransportResponse } from "../../downloader/_transport.ts";
import { concatBytes } from "../../utils/_bytes.ts";
import { testBytes } from "../_helpers/data.ts";
import { assertTyped, damageBytes, edits, outcome, runs, split, tokens } from "./_fuzz.ts";

const encoder = new TextEncoder();

/** A response as the generator builds it, with what the reader should make of it. */
interface Wire {
  bytes: Uint8Array;
  status: number;
  statusText: string;
  headers: [string, string][];
  body: Uint8Array;
}

const TOKEN = fc.stringMatching(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,12}$/).filter((name) =>
  !["content-length", "transfer-encoding", "set-cookie"].includes(name.toLowerCase())
);
const VALUE = fc.stringMatching(/^([!-~]([ !-~]{0,20}[!-~])?)?$/);
const EOL = fc.constantFrom("\r\n", "\n");
const BODY = fc.oneof(
  { weight: 9, arbitrary: fc.uint8Array({ maxLength: 400 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 300_000 }).map((n) => testBytes(n, n)) },
);

/** A chunked encoding of `body`: chunk sizes, extensions, hex case and trailers. */
const CHUNKED = fc.tuple(
  fc.array(fc.integer({ min: 1, max: 500 }), { maxLength: 8 }),
  fc.constantFrom("", ";ext", ';a=b;c="d"', " ; x"),
  fc.boolean(),
  fc.array(fc.tuple(TOKEN, VALUE), { maxLength: 2 }),
);

const WIRE: fc.Arbitrary<Wire> = fc.record({
  interim: fc.array(
    fc.tuple(fc.constantFrom(100, 102, 103), fc.array(fc.tuple(TOKEN, VALUE), { maxLength: 2 })),
    {
      maxLength: 2,
    },
  ),
  status: fc.oneof(fc.integer({ min: 200, max: 599 }), fc.constantFrom(200, 204, 206, 304)),
  statusText: fc.oneof(fc.constant(""), fc.stringMatching(/^[ -~]{1,20}$/)),
  space: fc.boolean(),
  headers: fc.array(fc.tuple(TOKEN, VALUE, fc.option(VALUE.filter((v) => v !== ""))), {
    maxLength: 6,
  }),
  framing: fc.constantFrom("length", "chunked", "close"),
  body: BODY,
  chunked: CHUNKED,
  eol: EOL,
}).map(({ interim, status, statusText, space, headers, framing, body, chunked, eol }) => {
  let head = "";
  for (const [code, fields] of interim) {
    head += `HTTP/1.1 ${code} Interim${eol}${
      fields.map(([n, v]) => `${n}: ${v}${eol}`).join("")
    }${eol}`;
  }
  const noBody = status === 204 || status === 304;
  const expected: [string, string][] = [];
  head += `HTTP/1.1 ${status}${statusText === "" && !space ? "" : ` ${statusText}`}${eol}`;
  for (const [name, value, folded] of headers) {
    if (folded === null) {
      head += `${name}: ${value}${eol}`;
      expected.push([name, value]);
    } else {
      head += `${name}:${value}${eol} ${folded}${eol}`;
      expected.push([name, `${value} ${folded}`.trim()]);
    }
  }
  let content = noBody ? new Uint8Array() : body;
  let payload = content;
  if (!noBody && framing === "length") {
    head += `Content-Length: ${content.length}${eol}`;
  } else if (!noBody && framing === "chunked") {
    const [sizes, extension, upper, trailers] = chunked;
    head += `Transfer-Encoding: chunked${eol}`;
    const parts: Uint8Array[] = [];
    let at = 0;
    for (const size of [...sizes, content.length]) {
      const piece = content.subarray(at, at + size);
      if (piece.length === 0) break;
      let hex = piece.length.toString(16);
      if (upper) hex = hex.toUpperCase();
      parts.push(encoder.encode(`${hex}${extension}${eol}`), piece, encoder.encode(eol));
      at += piece.length;
    }
    const trailer = trailers.map(([n, v]) => `${n}: ${v}${eol}`).join("");
    parts.push(encoder.encode(`0${extension}${eol}${trailer}${eol}`));
    payload = concatBytes(parts);
  } else if (framing === "close") {
    // The body runs until the connection closes.
  } else {
    content = payload = new Uint8Array();
  }
  if (framing === "chunked" && noBody) content = payload = new Uint8Array();
  const bytes = concatBytes([encoder.encode(head + eol), payload]);
  return { bytes, status, statusText, headers: expected, body: content };
});

/** How the test hands the reader its input: cut points, read sizes and pauses. */
interface Delivery {
  cuts: number[];
  reads: number[];
  pauses: number[];
}
const DELIVERY: fc.Arbitrary<Delivery> = fc.record({
  cuts: fc.array(fc.nat(), { maxLength: 12 }),
  reads: fc.array(fc.integer({ min: 1, max: 70_000 }), { minLength: 1, maxLength: 4 }),
  pauses: fc.array(fc.nat(3), { minLength: 1, maxLength: 4 }),
});

/** A socket stand-in: the reader only writes its request, listens, and destroys. */
class PieceSocket extends EventEmitter {
  destroyed = false;
  write(_data: string): boolean {
    return true;
  }
  resume(): this {
    return this;
  }
  destroy(): this {
    this.destroyed = true;
    return this;
  }
}

/** What reading a response came to: its head and body, or the error it ended with. */
interface Result {
  response?: TransportResponse;
  body?: Uint8Array;
  error?: unknown;
}

async function readAll(response: TransportResponse, sizes: number[]): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for (let i = 0;; i++) {
    const view = await response.body.readInto(new Uint8Array(sizes[i % sizes.length]!));
    if (view.length === 0) return concatBytes(parts);
    parts.push(view.slice());
  }
}

const ticks = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise<void>((resolve) => queueMicrotask(resolve));
};

/** Sends `bytes` to the reader in the given pieces, then closes the connection. */
async function deliver(bytes: Uint8Array, delivery: Delivery): Promise<Result> {
  const socket = new PieceSocket();
  let onread: ((bytes: number, buffer: Uint8Array) => boolean) | undefined;
  let buffer: Uint8Array = new Uint8Array();
  const connect: Connect = (options) => {
    onread = options.callback;
    buffer = options.buffer;
    return socket as unknown as net.Socket;
  };
  const result: Result = {};
  const reading = exchange(connect, "GET / HTTP/1.1\r\n\r\n", new AbortController().signal).then(
    async (response) => {
      result.response = response;
      result.body = await readAll(response, delivery.reads);
    },
  ).catch((error) => {
    result.error = error;
  });
  const pieces = split(bytes, delivery.cuts).flatMap((piece) => {
    // A read is never larger than the socket's buffer.
    const out: Uint8Array[] = [];
    for (let at = 0; at < piece.length; at += buffer.length) {
      out.push(piece.subarray(at, at + buffer.length));
    }
    return out;
  });
  for (const [i, piece] of pieces.entries()) {
    if (socket.destroyed) break;
    buffer.set(piece);
    onread!(piece.length, buffer);
    buffer.fill(0xee, 0, piece.length);
    await ticks(delivery.pauses[i % delivery.pauses.length]!);
  }
  if (!socket.destroyed) {
    socket.emit("end");
    socket.emit("close");
  }
  await reading;
  return result;
}

Deno.test("valid responses cut anywhere read back exactly", async () => {
  await fc.assert(
    fc.asyncProperty(WIRE, DELIVERY, async (wire, delivery) => {
      const result = await deliver(wire.bytes, delivery);
      assert.equal(result.error, undefined, String(result.error));
      const { response, body } = result;
      assert.equal(response!.status, wire.status);
      assert.equal(response!.statusText, wire.statusText);
      const headers = [...response!.headers].filter(([n]) =>
        !/^(content-length|transfer-encoding)$/.test(n)
      );
      assert.deepEqual(headers, [...new Headers(wire.headers)]);
      assert.deepEqual(body, wire.body);
    }),
    runs(100),
  );
});

Deno.test("damaged responses cut anywhere end in a response or a typed error", async () => {
  await fc.assert(
    fc.asyncProperty(WIRE, edits(), DELIVERY, async (wire, list, delivery) => {
      const result = await deliver(damageBytes(wire.bytes, list), delivery);
      if (result.error !== undefined) assertTyped(result.error);
      else assert.ok(result.body instanceof Uint8Array);
    }),
    runs(100),
  );
});

Deno.test("a response head of any text parses, or fails typed", () => {
  const pieces = [
    "HTTP/1.1 ",
    "HTTP/1.0 ",
    "HTTP/2 ",
    "200",
    "99",
    "1000",
    " ",
    "OK",
    "\r\n",
    "\n",
    ":",
    "a",
    "Content-Length",
    "Transfer-Encoding",
    "chunked",
    ",",
    "5",
    "-1",
    "\t",
    "\0",
    "é",
    "\u0100",
  ];
  fc.assert(
    fc.property(tokens(pieces), (text) => {
      const head = outcome(() => parseHead(text), text);
      if (head.error !== undefined) return;
      assert.ok(head.value.status >= 0 && head.value.status <= 999);
      const framing = outcome(() => framingOf(head.value), text);
      if (framing.value?.kind === "length") assert.ok(Number.isSafeInteger(framing.value.length));
    }),
    runs(300),
  );
});

Deno.test("a chunked body decodes the same in any split as in one piece", () => {
  const pieces = [
    "0",
    "1",
    "5",
    "a",
    "F",
    "fffffffffffff",
    ";x",
    " ",
    "\r\n",
    "\n",
    "\r",
    "abcde",
    "x",
    ":",
    "\r\n\r\n",
  ];
  fc.assert(
    fc.property(tokens(pieces), fc.array(fc.nat(), { maxLength: 10 }), (text, cuts) => {
      const bytes = encoder.encode(text);
      const decode = (parts: Uint8Array[]) => {
        const decoder = new BodyDecoder({ kind: "chunked" });
        const out: Uint8Array[] = [];
        const fed = outcome(() => {
          for (const part of parts) decoder.feed(part, (piece) => out.push(piece.slice()));
        }, text);
        return { error: fed.error?.message, content: concatBytes(out), done: decoder.done };
      };
      const whole = decode([bytes]);
      const pieces = decode(split(bytes, cuts));
      if (whole.error === undefined) assert.deepEqual(pieces, whole, JSON.stringify(text));
      else assert.equal(pieces.error, whole.error, JSON.stringify(text));
    }),
    runs(300),
  );
});

Deno.test("valid responses over real TCP, written in pieces, read back exactly", async () => {
  await fc.assert(
    fc.asyncProperty(WIRE, fc.array(fc.nat(), { maxLength: 4 }), async (wire, cuts) => {
      const server = net.createServer((socket) => {
        socket.once("data", async () => {
          for (const piece of split(wire.bytes, cuts)) {
            socket.write(piece);
            await new Promise((resolve) => setTimeout(resolve, 1));
          }
          socket.end();
        });
        socket.on("error", () => {});
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      try {
        const { port } = server.address() as net.AddressInfo;
        const connect: Connect = (onread) => net.connect({ host: "127.0.0.1", port, onread });
        const response = await exchange(
          connect,
          "GET / HTTP/1.1\r\n\r\n",
          new AbortController().signal,
        );
        assert.equal(response.status, wire.status);
        assert.deepEqual(await readAll(response, [65536]), wire.body);
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    }),
    runs(5),
  );
});
