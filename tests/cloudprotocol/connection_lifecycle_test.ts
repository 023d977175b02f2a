// Copyright 2026 the aos-common authors. Apache-2.0 license.
// WebSocketCloudConnection's life: reconnects, the queue while disconnected,
// re-discovery, listeners, close.
import assert from "node:assert/strict";
import {
  CloudDeliveryError,
  type ConnectionListener,
  WebSocketCloudConnection,
} from "../../cloudprotocol/mod.ts";
import { CloudSimulator } from "../../cloudprotocol/testing.ts";
import { AosError } from "../../utils/errors.ts";
import { eventually, monitoring, rig, SYSTEM_ID } from "./_connection.ts";

function recorder(): ConnectionListener & { events: string[] } {
  const events: string[] = [];
  return {
    events,
    onConnect: () => events.push("connect"),
    onDisconnect: () => events.push("disconnect"),
  };
}

Deno.test("frames queued across a dropped connection arrive once per txn, in order", async () => {
  await using r = await rig({ responseTimeoutMs: 5_000 });
  const listener = recorder();
  using _l = r.conn.subscribeListener(listener);
  await r.conn.connect();
  // The 3rd frame kills the socket before it is acked; it and the rest go again.
  r.cloud.dropAfter(3);
  const sends = Array.from({ length: 10 }, (_, i) => r.conn.send(monitoring(i)));
  await Promise.all(sends);
  const delivered = r.cloud.messages("monitoringData");
  assert.deepEqual(delivered.map((m) => m.nodes[0]?.items[0]?.cpu), [...Array(10).keys()]);
  const txns = r.cloud.received.map((f) => f.envelope.header.txn);
  assert.equal(new Set(txns).size, 10);
  assert.equal(r.cloud.connectionsOpened, 2);
  assert.deepEqual(listener.events, ["connect", "disconnect", "connect"]);
  assert.deepEqual(r.cloud.discoveries.length, 1, "the cached discovery was used again");
});

Deno.test("frames sent while disconnected wait and go out in order after the reconnect", async () => {
  await using r = await rig({ reconnect: { initialDelayMs: 100, maxDelayMs: 100 } });
  await r.conn.connect();
  const down = Promise.withResolvers<void>();
  r.conn.addEventListener("disconnect", () => down.resolve(), { once: true });
  r.cloud.dropConnections();
  await down.promise;
  assert.equal(r.conn.isConnected(), false);
  const sends = [1, 2, 3].map((cpu) => r.conn.send(monitoring(cpu)));
  await Promise.all(sends);
  assert.deepEqual(r.cloud.messages().map((m) => m.messageType), Array(3).fill("monitoringData"));
  assert.deepEqual(
    r.cloud.messages("monitoringData").map((m) => m.nodes[0]?.items[0]?.cpu),
    [1, 2, 3],
  );
});

Deno.test("a full queue drops its oldest frames other than alerts and status, and says so", async () => {
  await using r = await rig({ queueLimit: 3 });
  const results: string[] = [];
  const track = (name: string, p: Promise<void>) =>
    p.then(() => results.push(`${name}:sent`), (e: CloudDeliveryError) => {
      results.push(`${name}:${e.reason}`);
    });
  const sends = [
    track("alerts", r.conn.send({ messageType: "alerts", items: [] })),
    track("m1", r.conn.send(monitoring(1))),
    track("m2", r.conn.send(monitoring(2))),
    track("m3", r.conn.send(monitoring(3))),
    track("m4", r.conn.send(monitoring(4))),
  ];
  assert.deepEqual(r.drops.map((e) => [e.reason, e.messageType, e.kind]), [
    ["queueFull", "monitoringData", "noMemory"],
    ["queueFull", "monitoringData", "noMemory"],
  ]);
  await r.conn.connect();
  await Promise.all(sends);
  assert.deepEqual(results.sort(), [
    "alerts:sent",
    "m1:queueFull",
    "m2:queueFull",
    "m3:sent",
    "m4:sent",
  ]);
  assert.deepEqual(
    r.cloud.messages().map((m) =>
      m.messageType === "monitoringData" ? m.nodes[0]?.items[0]?.cpu : m.messageType
    ),
    ["alerts", 3, 4],
  );
});

Deno.test("when only kept types are queued, the oldest of them goes", async () => {
  await using r = await rig({ queueLimit: 2 });
  const first = r.conn.send({ messageType: "alerts", items: [] });
  const second = r.conn.send({ messageType: "alerts", items: [] });
  const third = r.conn.send({ messageType: "alerts", items: [] });
  const err = await first.catch((e) => e);
  assert.ok(err instanceof CloudDeliveryError && err.reason === "queueFull");
  await r.conn.connect();
  await Promise.all([second, third]);
  assert.equal(r.cloud.messages("alerts").length, 2);
});

Deno.test("a 401 on the upgrade drops the cached discovery", async () => {
  await using r = await rig();
  r.cloud.refuse(401, "upgrade", 1);
  await r.conn.connect();
  assert.deepEqual(r.cloud.upgrades, [401, 101]);
  assert.equal(r.cloud.discoveries.length, 2);
  assert.match(r.errors[0]!.message, /HTTP 401/);
  assert.ok(!r.errors[0]!.message.includes(r.cloud.authToken), "the token is not in the error");
});

Deno.test("a server URL that fails is dropped from the cached discovery", async () => {
  await using bad = await CloudSimulator.start({ systemId: SYSTEM_ID });
  bad.refuse(503, "upgrade", Infinity);
  await using r = await rig();
  r.cloud.connectionInfo = [bad.webSocketUrl, r.cloud.webSocketUrl];
  await r.conn.connect();
  assert.deepEqual(bad.upgrades, [503]);
  const down = Promise.withResolvers<void>();
  r.conn.addEventListener("disconnect", () => down.resolve(), { once: true });
  r.cloud.dropConnections();
  await down.promise;
  await r.cloud.waitForConnections(2);
  assert.deepEqual(bad.upgrades, [503], "the failed URL was not tried again");
  assert.equal(r.cloud.discoveries.length, 1);
});

Deno.test("a failing discovery is retried with backoff and reported", async () => {
  await using r = await rig();
  r.cloud.refuse(500, "discovery", 2);
  await r.conn.connect();
  assert.equal(r.cloud.discoveries.length, 3);
  assert.deepEqual(r.errors.map((e) => e.message.match(/HTTP \d+/)?.[0]), ["HTTP 500", "HTTP 500"]);
});

Deno.test("discovery is done again after a round of failed attempts", async () => {
  await using r = await rig({ reconnect: { initialDelayMs: 1, maxDelayMs: 5, triesPerRound: 3 } });
  r.cloud.refuse(503, "upgrade", 3);
  await r.conn.connect();
  // The only URL failed and was dropped, so every attempt discovered again.
  assert.equal(r.cloud.discoveries.length, 4);
  assert.deepEqual(r.cloud.upgrades, [503, 503, 503, 101]);
});

Deno.test("nextRequestDelay of the discovery answer replaces the initial reconnect delay", async () => {
  await using r = await rig(
    { reconnect: { initialDelayMs: 60_000, maxDelayMs: 600_000, jitter: 0 } },
    { nextRequestDelay: 20 },
  );
  await r.conn.connect();
  r.cloud.dropConnections();
  // With the 60 s initial delay this would time out.
  await r.cloud.waitForConnections(2, { timeoutMs: 5_000 });
});

Deno.test("listeners see connect and disconnect strictly alternating", async () => {
  await using r = await rig();
  const listener = recorder();
  const sub = r.conn.subscribeListener(listener);
  assert.throws(
    () => r.conn.subscribeListener(listener),
    (e) => e instanceof AosError && e.kind === "alreadyExist",
  );
  const events: string[] = [];
  r.conn.addEventListener("connect", () => events.push("connect"));
  r.conn.addEventListener("disconnect", () => events.push("disconnect"));
  assert.equal(r.conn.isConnected(), false);
  await r.conn.connect();
  await r.conn.connect(); // already connected: no second notification
  for (let i = 2; i <= 3; i++) {
    r.cloud.dropConnections();
    await r.cloud.waitForConnections(i);
    await eventually(() => r.conn.isConnected(), "the reconnect");
  }
  await r.conn.close();
  const expected = ["connect", "disconnect", "connect", "disconnect", "connect", "disconnect"];
  assert.deepEqual(listener.events, expected);
  assert.deepEqual(events, expected);
  sub[Symbol.dispose]();
  assert.throws(
    () => r.conn.unsubscribeListener(listener),
    (e) => e instanceof AosError && e.kind === "notFound",
  );
});

Deno.test("a listener that throws is reported and the others are still told", async () => {
  await using r = await rig();
  const second = recorder();
  using _a = r.conn.subscribeListener({
    onConnect() {
      throw new Error("listener failed");
    },
    onDisconnect() {},
  });
  using _b = r.conn.subscribeListener(second);
  await r.conn.connect();
  assert.deepEqual(second.events, ["connect"]);
  assert.match(r.errors[0]!.message, /listener failed/);
});

Deno.test("close() during a reconnect backoff returns within 100 ms", async () => {
  await using r = await rig({ reconnect: { initialDelayMs: 60_000, maxDelayMs: 60_000 } });
  await r.conn.connect();
  const down = Promise.withResolvers<void>();
  r.conn.addEventListener("disconnect", () => down.resolve(), { once: true });
  r.cloud.dropConnections();
  await down.promise;
  const started = performance.now();
  await r.conn.close();
  const took = performance.now() - started;
  assert.ok(took < 100, `close took ${took} ms`);
});

Deno.test("close() rejects pending sends, requests and connects, and ends the loop", async () => {
  await using cloud = await CloudSimulator.start({ systemId: SYSTEM_ID });
  cloud.refuse(503, "discovery", Infinity);
  const conn = new WebSocketCloudConnection({
    discoveryUrl: cloud.discoveryUrl,
    systemId: SYSTEM_ID,
    reconnect: { initialDelayMs: 5, maxDelayMs: 5 },
  });
  const connecting = conn.connect();
  const sending = conn.send({ messageType: "alerts", items: [] });
  const requesting = conn.request({ messageType: "requestBlobUrls", digests: [] });
  await eventually(() => cloud.discoveries.length >= 2, "two discovery attempts");
  const beforeClose = cloud.discoveries.length;
  await conn.close();
  await assert.rejects(connecting, (e) => e instanceof AosError && e.kind === "canceled");
  for (const pending of [sending, requesting]) {
    await assert.rejects(pending, (e) => e instanceof CloudDeliveryError && e.reason === "closed");
  }
  await assert.rejects(conn.connect(), (e) => e instanceof AosError && e.kind === "canceled");
  await assert.rejects(
    conn.send({ messageType: "alerts", items: [] }),
    (e) => e instanceof CloudDeliveryError && e.reason === "closed",
  );
  await conn.close(); // a second close is fine
  // A loop still running would try every 5 ms; only the one request already
  // on the wire when close() aborted it may still reach a busy server.
  await new Promise((r) => setTimeout(r, 200));
  assert.ok(
    cloud.discoveries.length <= beforeClose + 1,
    `no attempt after close: ${cloud.discoveries.length - beforeClose} after it`,
  );
});

Deno.test("close() while connected closes the socket and tells the listeners", async () => {
  await using r = await rig();
  const listener = recorder();
  using _l = r.conn.subscribeListener(listener);
  await r.conn.connect();
  r.cloud.withholdAcks();
  const pending = r.conn.send({ messageType: "alerts", items: [] });
  await r.cloud.waitFor("alerts");
  await r.conn.close();
  await assert.rejects(pending, (e) => e instanceof CloudDeliveryError && e.reason === "closed");
  assert.deepEqual(listener.events, ["connect", "disconnect"]);
  await eventually(() => r.cloud.connections === 0, "the server side to close");
});

Deno.test("connect() can stop waiting; the connection keeps trying", async () => {
  await using r = await rig();
  r.cloud.refuse(503, "discovery", 3);
  const controller = new AbortController();
  const waiting = r.conn.connect({ signal: controller.signal });
  controller.abort();
  await assert.rejects(waiting, (e) => e instanceof AosError && e.kind === "canceled");
  await r.cloud.waitForConnections(1);
  await eventually(() => r.conn.isConnected(), "the background connect");
});

Deno.test("bad options are refused with invalidArgument", () => {
  const base = { discoveryUrl: "http://127.0.0.1:1/sd", systemId: "u" };
  for (
    const options of [
      { ...base, discoveryUrl: "ftp://127.0.0.1/sd" },
      { ...base, discoveryUrl: "not a url" },
      { ...base, systemId: "" },
      { ...base, responseTimeoutMs: 0 },
      { ...base, maxResends: -1 },
      { ...base, queueLimit: Number.NaN },
      { ...base, reconnect: { jitter: 2 } },
      { ...base, clientCert: "PEM" },
    ]
  ) {
    assert.throws(
      () => new WebSocketCloudConnection(options),
      (e) => e instanceof AosError && e.kind === "invalidArgument",
      JSON.stringify(options),
    );
  }
});

Deno.test("a discovery answer with no server is reported and discovery is asked again", async () => {
  await using r = await rig();
  const offered = r.cloud.connectionInfo;
  r.cloud.connectionInfo = [];
  void r.conn.connect().catch(() => {});
  await eventually(() => r.errors.length >= 1, "a failed attempt");
  assert.equal(r.errors[0]!.kind, "notFound");
  assert.match(r.errors[0]!.message, /named no WebSocket URL/);
  r.cloud.connectionInfo = offered;
  await r.conn.connect();
  assert.ok(r.cloud.discoveries.length >= 2, "the empty answer was not cached");
});
