// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The Node transport (its own HTTP/1.1 over node:net and node:tls, read into
// a reused buffer) against servers that send exactly the bytes a test wants.
// It runs on Deno too: node:net and node:tls are all it needs.
import assert from "node:assert/strict";
import net from "node:net";
import tls from "node:tls";
import { createNodeTransport } from "../../downloader/_node/transport.ts";
import type { BodyReader, Transport } from "../../downloader/_transport.ts";
import { HttpDownloader } from "../../downloader/mod.ts";
import { AosError, errorIs } from "../../utils/errors.ts";
import { concatBytes } from "../../utils/_bytes.ts";
import { hasOpenssl, makeTestPki } from "../_helpers/certs.ts";
import { fileDigest, sha256Digest, testBytes } from "../_helpers/data.ts";
import { tempDir } from "../_helpers/temp_dir.ts";

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A server that answers every connection with `answer` (after the request head). */
class ScriptedServer implements AsyncDisposable {
  readonly #server: net.Server;
  readonly #sockets: Set<net.Socket>;
  readonly port: number;

  private constructor(server: net.Server, sockets: Set<net.Socket>) {
    this.#server = server;
    this.#sockets = sockets;
    this.port = (server.address() as net.AddressInfo).port;
  }

  static async start(
    answer: (socket: net.Socket) => Promise<void>,
    secure?: { cert: string; key: string },
  ): Promise<ScriptedServer> {
    const sockets = new Set<net.Socket>();
    const onSocket = (socket: net.Socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => {});
      let head = "";
      const onData = (data: Uint8Array) => {
        head += new TextDecoder().decode(data);
        if (!head.includes("\r\n\r\n")) return;
        socket.off("data", onData);
        answer(socket).catch(() => socket.destroy());
      };
      socket.on("data", onData);
    };
    const server = secure === undefined
      ? net.createServer(onSocket)
      : tls.createServer(secure, onSocket);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return new ScriptedServer(server, sockets);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise((resolve) => this.#server.close(resolve));
  }
}

/** Writes the pieces one by one, pausing between them so each arrives on its own. */
async function writeSlowly(socket: net.Socket, pieces: string[]): Promise<void> {
  for (const piece of pieces) {
    socket.write(piece);
    await pause(2);
  }
}

async function readAll(body: BodyReader, size = 64 * 1024, delayMs = 0): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for (;;) {
    const view = await body.readInto(new Uint8Array(size));
    if (view.length === 0) break;
    parts.push(view);
    if (delayMs > 0) await pause(delayMs);
  }
  return concatBytes(parts);
}

async function get(transport: Transport, url: string, signal = new AbortController().signal) {
  return await transport.get({ url: new URL(url), headers: {}, signal });
}

Deno.test("skips a 103 answer and decodes a chunked body that arrives a few bytes at a time", async () => {
  await using server = await ScriptedServer.start(async (socket) => {
    const wire = "HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n" +
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nETag: "e"\r\n\r\n' +
      "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n";
    await writeSlowly(socket, wire.match(/[\s\S]{1,7}/g)!);
    socket.end();
  });
  const transport = createNodeTransport();
  try {
    const response = await get(transport, `http://127.0.0.1:${server.port}/f`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("etag"), '"e"');
    assert.equal(new TextDecoder().decode(await readAll(response.body, 4)), "hello world");
  } finally {
    transport.close();
  }
});

Deno.test("a reader slower than the network gets every byte in order", async () => {
  const body = testBytes(3 << 20);
  await using server = await ScriptedServer.start(async (socket) => {
    socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n`);
    socket.end(body);
    await Promise.resolve();
  });
  const transport = createNodeTransport();
  try {
    const response = await get(transport, `http://127.0.0.1:${server.port}/f`);
    const got = await readAll(response.body, 100_000, 1);
    assert.equal(sha256Digest(got), sha256Digest(body));
  } finally {
    transport.close();
  }
});

Deno.test("a body cut short fails the read; a body without length ends with the connection", async () => {
  await using server = await ScriptedServer.start(async (socket) => {
    socket.end("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
    await Promise.resolve();
  });
  await using closing = await ScriptedServer.start(async (socket) => {
    socket.end("HTTP/1.1 200 OK\r\n\r\nuntil the end");
    await Promise.resolve();
  });
  const transport = createNodeTransport();
  try {
    const short = await get(transport, `http://127.0.0.1:${server.port}/f`);
    await assert.rejects(readAll(short.body), /connection closed before the body was complete/);
    const whole = await get(transport, `http://127.0.0.1:${closing.port}/f`);
    assert.equal(new TextDecoder().decode(await readAll(whole.body)), "until the end");
  } finally {
    transport.close();
  }
});

Deno.test("an abort while waiting for the head rejects with the abort reason", async () => {
  await using server = await ScriptedServer.start(() => new Promise(() => {}));
  const transport = createNodeTransport();
  try {
    const controller = new AbortController();
    const pending = get(transport, `http://127.0.0.1:${server.port}/f`, controller.signal);
    await pause(20);
    controller.abort(new AosError("timeout", "too slow"));
    await assert.rejects(pending, (err) => errorIs(err, "timeout"));
  } finally {
    transport.close();
  }
});

Deno.test("a response head over 64 KiB or a garbled one fails with failed", async () => {
  await using huge = await ScriptedServer.start(async (socket) => {
    socket.end(`HTTP/1.1 200 OK\r\nX: ${"a".repeat(70_000)}\r\n\r\n`);
    await Promise.resolve();
  });
  await using garbled = await ScriptedServer.start(async (socket) => {
    socket.end("SSH-2.0-OpenSSH\r\n\r\n");
    await Promise.resolve();
  });
  const transport = createNodeTransport();
  try {
    for (const port of [huge.port, garbled.port]) {
      await assert.rejects(
        get(transport, `http://127.0.0.1:${port}/f`),
        (err) => errorIs(err, "failed"),
      );
    }
  } finally {
    transport.close();
  }
});

const pki = hasOpenssl() ? makeTestPki() : undefined;
if (pki === undefined) {
  // deno-lint-ignore no-console
  console.warn("node_transport_test: openssl is missing, the TLS test is ignored");
}

Deno.test({
  name: "reads a chunked body over TLS with a custom CA",
  ignore: pki === undefined,
  async fn() {
    await using server = await ScriptedServer.start(async (socket) => {
      socket.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
      for (let i = 0; i < 64; i++) socket.write(`4000\r\n${"x".repeat(0x4000)}\r\n`);
      socket.end("0\r\n\r\n");
      await Promise.resolve();
    }, { cert: pki!.serverCert, key: pki!.serverKey });
    const transport = createNodeTransport({ caCerts: [pki!.ca] });
    try {
      const response = await get(transport, `https://127.0.0.1:${server.port}/f`);
      assert.equal((await readAll(response.body)).length, 64 * 0x4000);
    } finally {
      transport.close();
    }
  },
});

Deno.test("HttpDownloader downloads and verifies a chunked body", async () => {
  const body = testBytes(1 << 20, 4);
  await using server = await ScriptedServer.start(async (socket) => {
    socket.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
    for (let at = 0; at < body.length; at += 100_000) {
      const piece = body.subarray(at, at + 100_000);
      socket.write(`${piece.length.toString(16)}\r\n`);
      socket.write(piece);
      socket.write("\r\n");
    }
    socket.end("0\r\n\r\n");
    await Promise.resolve();
  });
  await using dir = await tempDir();
  await using downloader = new HttpDownloader();
  const dest = dir.join("f");
  await downloader.download(sha256Digest(body), `http://127.0.0.1:${server.port}/f`, dest);
  assert.equal(await fileDigest(dest), sha256Digest(body));
});
