// Copyright 2026 the aos-common authors. Apache-2.0 license.
import assert from "node:assert/strict";
import { connect } from "node:net";
import { FileServer } from "../../fileserver/mod.ts";
import { AosError, hasErrno } from "../../utils/errors.ts";
import { bytesOf, withServer } from "./_fixture.ts";

async function rejectsKind(promise: Promise<unknown>, kind: string, message?: RegExp) {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof AosError, `expected AosError, got ${err}`);
    assert.equal(err.kind, kind);
    if (message !== undefined) assert.match(err.message, message);
    return true;
  });
}

/** Whether a TCP connection to the port is accepted. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.on("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.on("error", () => resolve(false));
  });
}

Deno.test("a second start() rejects with failed: Server is already running", async () => {
  await withServer(async ({ server }) => {
    await rejectsKind(server.start(), "failed", /^Server is already running$/);
    // A start still in progress counts as running too.
    const other = new FileServer({
      serverURL: "http://127.0.0.1:0",
      rootDir: ".",
      listenHostname: "127.0.0.1",
    });
    const first = other.start();
    await rejectsKind(other.start(), "failed", /already running/);
    await first;
    await other.stop();
  });
});

Deno.test("stop() closes the listener, is idempotent, and start() serves again on the same port", async () => {
  await withServer(async ({ server, port, put, url }) => {
    await put("f.txt", "again");
    await server.stop();
    await server.stop();
    assert.equal(await accepts(port), false);
    await assert.rejects(fetch(url("/f.txt")));
    await server.start();
    assert.equal(server.baseURL.port, String(port), "port 0 keeps the port first bound");
    const res = await fetch(url("/f.txt"));
    assert.equal(await res.text(), "again");
  });
});

Deno.test("stop() before start() and close() twice are no-ops", async () => {
  const server = new FileServer({ serverURL: "http://127.0.0.1:0", rootDir: "." });
  await server.stop();
  await server.close();
  await server[Symbol.asyncDispose]();
});

Deno.test("a second server on a taken port rejects from start() and stays stopped", async () => {
  await withServer(async ({ port, root }) => {
    const second = new FileServer({
      serverURL: `http://127.0.0.1:${port}`,
      rootDir: root,
      listenHostname: "127.0.0.1",
    });
    await assert.rejects(second.start(), (err: unknown) => {
      assert.ok(err instanceof AosError);
      assert.match(err.message, new RegExp(`Cannot listen on 127\\.0\\.0\\.1:${port}`));
      assert.ok(hasErrno(err, "EADDRINUSE"), `errno ${err.errno}`);
      return true;
    });
    // Not half-started: starting again fails the same way, not "already running".
    await assert.rejects(second.start(), /Cannot listen/);
    await second.stop();
  });
});

Deno.test("stop() lets an in-flight response finish within the grace period", async () => {
  await withServer(async ({ server, put, url }) => {
    const data = bytesOf(4 * 1024 * 1024, 9);
    await put("blob", data);
    const res = await fetch(url("/blob"));
    const reader = res.body!.getReader();
    const chunks: Uint8Array<ArrayBuffer>[] = [
      (await reader.read()).value! as Uint8Array<
        ArrayBuffer
      >,
    ];
    const stopped = server.stop();
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      chunks.push(r.value as Uint8Array<ArrayBuffer>);
    }
    await stopped;
    assert.deepEqual(new Uint8Array(await new Blob(chunks).arrayBuffer()), data);
  }, { shutdownGraceMs: 60_000 });
});

Deno.test("stop() cuts a response still running after the grace period", async () => {
  await withServer(async ({ server, put, url }) => {
    await put("blob", bytesOf(64 * 1024 * 1024, 5));
    const res = await fetch(url("/blob"));
    const reader = res.body!.getReader();
    await reader.read();
    // The client stops reading; stop() must not wait for it forever.
    await server.stop();
    await assert.rejects(async () => {
      for (let r = await reader.read(); !r.done; r = await reader.read()) {
        // drain what was already buffered
      }
    });
  }, { shutdownGraceMs: 50 });
});
