// Copyright 2026 the aos-common authors. Apache-2.0 license.
// CloudSimulator's own behaviour, seen from a bare `ws` client where the
// connection would hide it.
import assert from "node:assert/strict";
import { loadWs, type WsSocket } from "../../cloudprotocol/_ws.ts";
import { encodeFrame, PROTOCOL_VERSION } from "../../cloudprotocol/mod.ts";
import { CloudSimulator } from "../../cloudprotocol/testing.ts";
import { AosError } from "../../utils/errors.ts";
import { monitoring, rig, SYSTEM_ID } from "./_connection.ts";

/** Opens a bare WebSocket; resolves with it, or with the refusal's status. */
async function open(url: string, token: string): Promise<WsSocket | number> {
  const { WebSocket } = await loadWs();
  const ws = new WebSocket(url, { headers: { authorization: `Bearer ${token}` } });
  return new Promise((resolve) => {
    ws.once("unexpected-response", (_req, res) => {
      res.resume();
      ws.once("close", () => resolve(res.statusCode ?? 0));
      ws.terminate();
    });
    ws.once("error", () => {});
    ws.once("open", () => resolve(ws));
  });
}

Deno.test("the simulator refuses an upgrade without its bearer token", async () => {
  await using cloud = await CloudSimulator.start({ authToken: "secret" });
  assert.equal(await open(cloud.webSocketUrl, "wrong"), 401);
  const ws = await open(cloud.webSocketUrl, "secret");
  assert.ok(typeof ws !== "number");
  const closed = new Promise<void>((r) => ws.once("close", () => r()));
  // A text frame and a frame of the wrong direction are recorded as invalid.
  ws.send("{}");
  ws.send(encodeFrame({
    header: { version: PROTOCOL_VERSION, systemId: "u", txn: "t1" },
    data: { messageType: "requestLog", logType: "systemLog", filter: { nodeIds: [] } },
  }));
  await cloud.waitForConnections(1);
  const deadline = Date.now() + 5000;
  while (cloud.invalid.length < 2 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 5));
  }
  assert.deepEqual(
    cloud.invalid.map((f) => f.error.message.includes("not accepted") || f.error.message),
    [
      "text frame",
      true,
    ],
  );
  await cloud.close();
  await closed;
  assert.deepEqual(cloud.upgrades, [401, 101]);
});

Deno.test("handler replies carry the request's correlationId; handler errors are recorded", async () => {
  await using r = await rig();
  using _ok = r.cloud.handle("requestBlobUrls", () => [{ messageType: "blobUrls", items: [] }]);
  using _bad = r.cloud.handle("alerts", () => {
    throw new Error("cloud handler failed");
  });
  await r.conn.connect();
  const reply = await r.conn.request({
    messageType: "requestBlobUrls",
    correlationId: "corr-7",
    digests: [],
  });
  assert.equal(reply.correlationId, "corr-7");
  await r.conn.send({ messageType: "alerts", items: [] });
  assert.match(r.cloud.errors[0]?.message ?? "", /cloud handler failed/);
});

Deno.test("slow acks make the unit resend; waits time out with a timeout error", async () => {
  await using r = await rig({ responseTimeoutMs: 40 });
  await r.conn.connect();
  r.cloud.delay("ack", 100);
  const sentAt = performance.now();
  await r.conn.send(monitoring());
  assert.ok(r.cloud.received.some((f) => f.duplicate), "a resend came before the slow ack");
  // acked says at once that an ack will go out; ackedAt says when it did.
  const [first] = r.cloud.received;
  assert.equal(first?.acked, true);
  assert.ok(first.ackedAt! - sentAt >= 90, `acked ${first.ackedAt! - sentAt} ms after the send`);
  await assert.rejects(
    r.cloud.waitFor("pushLog", 1, { timeoutMs: 20 }),
    (e) => e instanceof AosError && e.kind === "timeout",
  );
});

Deno.test("push needs a connected unit; close ends pending waits", async () => {
  await using cloud = await CloudSimulator.start({ systemId: SYSTEM_ID });
  await assert.rejects(
    cloud.push({ messageType: "ack" }),
    (e) => e instanceof AosError && e.kind === "wrongState",
  );
  const waiting = assert.rejects(
    cloud.waitForConnections(1),
    (e) => e instanceof AosError && e.kind === "canceled",
  );
  await cloud.close();
  await waiting;
});

Deno.test("restart keeps the port and the txns seen: a frame sent again after it is a duplicate", async () => {
  await using r = await rig({ responseTimeoutMs: 60_000 });
  await r.conn.connect();
  const { discoveryUrl } = r.cloud;
  r.cloud.withholdAcks(1);
  const sent = r.conn.send(monitoring(42));
  await r.cloud.waitFor("monitoringData");
  await r.cloud.restart(100);
  assert.equal(r.cloud.discoveryUrl, discoveryUrl);
  // The unacked frame goes out again after the reconnect, with its txn.
  await sent;
  const copies = r.cloud.received.filter((f) => f.envelope.data.messageType === "monitoringData");
  assert.equal(copies.length, 2);
  assert.equal(copies[1]!.envelope.header.txn, copies[0]!.envelope.header.txn);
  assert.deepEqual(copies.map((f) => [f.duplicate, f.acked]), [[false, false], [true, true]]);
  assert.equal(r.cloud.messages("monitoringData").length, 1);
  assert.equal(r.cloud.connectionsOpened, 2);
});

Deno.test("restart answers discovery again on the same URL; close during the downtime ends it", async () => {
  await using cloud = await CloudSimulator.start({ systemId: SYSTEM_ID });
  const body = JSON.stringify({ version: PROTOCOL_VERSION, systemId: SYSTEM_ID });
  const discover = () => fetch(cloud.discoveryUrl, { method: "POST", body });
  await (await discover()).body?.cancel();
  const restarting = cloud.restart(50);
  await assert.rejects(cloud.restart(), (e) => e instanceof AosError && e.kind === "wrongState");
  await restarting;
  const answer = await discover();
  assert.equal(answer.status, 200);
  assert.deepEqual((await answer.json()).connectionInfo, [cloud.webSocketUrl]);
  assert.equal(cloud.discoveries.length, 2);

  const down = cloud.restart(60_000);
  await cloud.close();
  await down;
  await assert.rejects(discover(), TypeError, "nothing listens after close");
  await assert.rejects(cloud.restart(), (e) => e instanceof AosError && e.kind === "wrongState");
});

Deno.test("an ack due on a socket cut meanwhile is never written: no ackedAt", async () => {
  await using r = await rig({ responseTimeoutMs: 60_000 });
  await r.conn.connect();
  r.cloud.delay("ack", 100);
  const sent = r.conn.send(monitoring());
  await r.cloud.waitFor("monitoringData");
  r.cloud.dropConnections();
  await sent; // sent again after the reconnect, and acked on the new socket
  const [cut, again] = r.cloud.received;
  assert.deepEqual([cut?.acked, cut?.ackedAt], [true, undefined]);
  assert.equal(again?.duplicate, true);
  assert.equal(typeof again?.ackedAt, "number");
});
