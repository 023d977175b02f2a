// Copyright 2026 the aos-common authors. Apache-2.0 license.
import assert from "node:assert/strict";
import { SyncMessageSender } from "../../utils/sync_message_sender.ts";
import { delay } from "../../utils/abort.ts";
import { AosError, errorIs } from "../../utils/errors.ts";

type Msg = { type: string; id?: number; body?: string };

function setup(timeoutMs = 1000) {
  const written: Msg[] = [];
  const sender = new SyncMessageSender<Msg, Msg>({ timeoutMs, write: (m) => void written.push(m) });
  sender.registerResponseHandler((m) => m.type === "certResponse");
  sender.registerResponseHandler((m) => m.type === "keyResponse");
  return { sender, written };
}

Deno.test("a response is delivered to the request waiting with a matching template", async () => {
  const { sender, written } = setup();
  const cert = sender.sendSync({ type: "certRequest" }, { type: "certResponse" });
  const key = sender.sendSync({ type: "keyRequest" }, { type: "keyResponse" });
  await delay(0);
  assert.deepEqual(written, [{ type: "certRequest" }, { type: "keyRequest" }]);
  assert.equal(sender.processResponse({ type: "keyResponse", body: "k" }), "delivered");
  assert.equal(sender.processResponse({ type: "certResponse", body: "c" }), "delivered");
  assert.deepEqual(await cert, { type: "certResponse", body: "c" });
  assert.deepEqual(await key, { type: "keyResponse", body: "k" });
});

Deno.test("requests of one kind receive their responses first come, first served", async () => {
  const { sender } = setup();
  const first = sender.sendSync({ type: "certRequest" }, { type: "certResponse" });
  const second = sender.sendSync({ type: "certRequest" }, { type: "certResponse" });
  sender.processResponse({ type: "certResponse", body: "1" });
  sender.processResponse({ type: "certResponse", body: "2" });
  assert.equal((await first).body, "1");
  assert.equal((await second).body, "2");
});

Deno.test("a function matches a response by id, without a handler", async () => {
  const { sender } = setup();
  const a = sender.sendSync({ type: "get", id: 1 }, (m) => m.id === 1);
  const b = sender.sendSync({ type: "get", id: 2 }, (m) => m.id === 2);
  assert.equal(sender.processResponse({ type: "value", id: 2, body: "two" }), "delivered");
  assert.equal(sender.processResponse({ type: "value", id: 1, body: "one" }), "delivered");
  assert.equal((await a).body, "one");
  assert.equal((await b).body, "two");
});

Deno.test("messages no handler claims are left to the caller; unclaimed responses are errors", () => {
  const { sender } = setup();
  assert.equal(sender.processResponse({ type: "alert" }), "unhandled");
  const result = sender.processResponse({ type: "certResponse" });
  assert.ok(result instanceof AosError);
  assert.equal(result.kind, "failed");
  assert.equal(result.message, "no matching request found");
});

Deno.test("no response in time rejects with timeout and forgets the request", async () => {
  const { sender } = setup(10);
  await assert.rejects(sender.sendSync({ type: "certRequest" }, { type: "certResponse" }), (e) => {
    assert.ok(errorIs(e, "timeout"));
    assert.equal((e as Error).message, "response timeout");
    return true;
  });
  assert.ok(
    sender.processResponse({ type: "certResponse" }) instanceof AosError,
    "the waiter is gone",
  );
  await assert.rejects(
    sender.sendSync({ type: "x" }, () => true, { timeoutMs: 5 }),
    (e) => errorIs(e, "timeout"),
  );
});

Deno.test("write failures reject with failed", async () => {
  const uninitialised = new SyncMessageSender<Msg, Msg>();
  await assert.rejects(uninitialised.sendSync({ type: "a" }, () => true), /stream not initialized/);
  await assert.rejects(uninitialised.send({ type: "a" }), /stream not initialized/);
  uninitialised.init(() => false);
  await assert.rejects(uninitialised.sendSync({ type: "a" }, () => true), (e) => {
    assert.ok(errorIs(e, "failed"));
    assert.equal((e as Error).message, "failed to send message");
    return true;
  });
  uninitialised.init(() => Promise.reject(new Error("stream reset")), 1000);
  await assert.rejects(
    uninitialised.sendSync({ type: "a" }, () => true),
    /failed to send message: stream reset/,
  );
  assert.equal(
    uninitialised.processResponse({ type: "a" }),
    "unhandled",
    "failed requests stop waiting",
  );
});

Deno.test("writes are serialised, never overlapping", async () => {
  let active = 0, maxActive = 0;
  const order: number[] = [];
  const sender = new SyncMessageSender<Msg, Msg>({
    write: async (m) => {
      active++;
      maxActive = Math.max(maxActive, active);
      await delay(5);
      order.push(m.id!);
      active--;
      return true;
    },
  });
  const pending = [1, 2, 3].map((id) => sender.sendSync({ type: "q", id }, (r) => r.id === id));
  await Promise.all([sender.send({ type: "note", id: 4 }), delay(40)]);
  for (const id of [3, 1, 2]) sender.processResponse({ type: "a", id });
  assert.deepEqual((await Promise.all(pending)).map((r) => r.id), [1, 2, 3]);
  assert.deepEqual(order, [1, 2, 3, 4]);
  assert.equal(maxActive, 1);
});

Deno.test("an abort or close() ends the wait", async () => {
  const { sender } = setup();
  const controller = new AbortController();
  const aborted = sender.sendSync({ type: "certRequest" }, { type: "certResponse" }, {
    signal: controller.signal,
  });
  controller.abort();
  await assert.rejects(aborted, (e) => errorIs(e, "canceled"));
  await assert.rejects(
    sender.sendSync({ type: "x" }, () => true, { signal: AbortSignal.abort() }),
    (e) => errorIs(e, "canceled"),
  );
  const pending = sender.sendSync({ type: "certRequest" }, { type: "certResponse" });
  sender.close();
  await assert.rejects(pending, (e) => errorIs(e, "wrongState"));
  const again = sender.sendSync({ type: "certRequest" }, { type: "certResponse" });
  sender.processResponse({ type: "certResponse", body: "ok" });
  assert.equal((await again).body, "ok", "usable after close");
});
