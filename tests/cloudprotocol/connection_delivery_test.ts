// Copyright 2026 the aos-common authors. Apache-2.0 license.
// At-least-once delivery of WebSocketCloudConnection against the simulated
// cloud: acks, resends, nacks, give-up, requests, invalid and repeated frames.
import assert from "node:assert/strict";
import {
  CloudDeliveryError,
  type CloudMessage,
  decodeFrame,
  type DesiredStatus,
  encodeFrame,
  type Envelope,
  PROTOCOL_VERSION,
  type RequestLog,
} from "../../cloudprotocol/mod.ts";
import { AosError } from "../../utils/errors.ts";
import { desiredStatus, eventually, monitoring, rig, SYSTEM_ID } from "./_connection.ts";

Deno.test("discovers, then connects with the bearer token from the discovery answer", async () => {
  await using r = await rig();
  await r.conn.connect();
  assert.equal(r.conn.isConnected(), true);
  assert.deepEqual(r.cloud.discoveries, [
    { version: 7, systemId: SYSTEM_ID, supportedProtocols: ["wss"] },
  ]);
  assert.deepEqual(r.cloud.upgrades, [101]);
  assert.equal(r.cloud.connections, 1);
  await r.cloud.ping();
  assert.deepEqual(r.errors, []);
});

Deno.test("send resolves once the cloud acked the frame; acks are never acked", async () => {
  await using r = await rig();
  await r.conn.connect();
  await r.conn.send({ messageType: "alerts", items: [] });
  await r.conn.send(monitoring());
  const [alerts, data] = r.cloud.received;
  assert.equal(r.cloud.received.length, 2, "the unit acked none of the cloud's acks");
  assert.equal(alerts?.envelope.data.messageType, "alerts");
  assert.equal(data?.envelope.data.messageType, "monitoringData");
  assert.equal(alerts?.envelope.header.systemId, SYSTEM_ID);
  assert.match(alerts!.envelope.header.txn, /^[0-9a-f-]{36}$/);
  assert.notEqual(alerts!.envelope.header.txn, data!.envelope.header.txn);
  assert.ok(alerts?.acked && data?.acked);
});

Deno.test("every frame from the cloud is acked with its txn before the handlers run", async () => {
  await using r = await rig();
  const seen: string[] = [];
  using _sub = r.conn.subscribe("desiredStatus", (message, envelope) => {
    // The ack went out first: the simulator has it by the time a later frame arrives.
    seen.push(`${message.nodes[0]?.nodeId}@${envelope.header.txn}`);
  });
  await r.conn.connect();
  const txns: string[] = [];
  for (const node of ["a", "b", "c"]) txns.push(await r.cloud.push(desiredStatus(node)));
  const acks = r.cloud.received.filter((f) => f.envelope.data.messageType === "ack");
  assert.deepEqual(acks.map((f) => f.envelope.header.txn), txns);
  assert.deepEqual(acks.map((f) => f.envelope.data), txns.map(() => ({ messageType: "ack" })));
  await eventually(() => seen.length === 3, "three deliveries");
  assert.deepEqual(seen, [`a@${txns[0]}`, `b@${txns[1]}`, `c@${txns[2]}`]);
});

Deno.test("an unacked frame is sent again with the same txn and bytes", async () => {
  await using r = await rig({ responseTimeoutMs: 40 });
  await r.conn.connect();
  r.cloud.withholdAcks(2);
  await r.conn.send(monitoring(42));
  const copies = r.cloud.received;
  assert.equal(copies.length, 3);
  assert.deepEqual(copies.map((c) => [c.duplicate, c.acked]), [
    [false, false],
    [true, false],
    [true, true],
  ]);
  const bytes = copies.map((c) => encodeFrame(c.envelope));
  assert.deepEqual(bytes[1], bytes[0], "same header (createdAt included) and data");
  assert.deepEqual(bytes[2], bytes[0]);
  assert.deepEqual(r.drops, []);
});

Deno.test("a nack makes the frame go again after retryAfter, without using a resend", async () => {
  await using r = await rig({ responseTimeoutMs: 5_000, maxResends: 0 });
  await r.conn.connect();
  r.cloud.nack(2, 60);
  const started = performance.now();
  await r.conn.send({ messageType: "alerts", items: [] });
  const elapsed = performance.now() - started;
  assert.equal(r.cloud.received.length, 3);
  assert.equal(new Set(r.cloud.received.map((c) => c.envelope.header.txn)).size, 1);
  // Two waits of retryAfter; with maxResends 0 a response timeout would have given it up.
  assert.ok(elapsed >= 110, `resent after ${elapsed} ms, before two retryAfter waits`);
});

Deno.test("an ack that crosses the nack of a resend settles the frame", async () => {
  await using r = await rig({ responseTimeoutMs: 100, maxResends: 1 });
  await r.conn.connect();
  // The first copy's ack is slow: the resend goes out and is nacked, then that ack comes.
  r.cloud.delay("ack", 250);
  const sent = r.conn.send(monitoring());
  await r.cloud.waitFor("monitoringData");
  r.cloud.nack(1, 1_000);
  await eventually(() => r.cloud.received.length === 2, "the nacked resend");
  // Had the ack been ignored, the copy after the nack would go unacked and be given up.
  r.cloud.withholdAcks();
  await sent;
  assert.deepEqual(r.cloud.received.map((f) => [f.duplicate, f.acked]), [[false, true], [
    true,
    false,
  ]]);
  assert.deepEqual(r.drops, []);
});

Deno.test("a frame never acked is given up after the last resend with a typed error", async () => {
  await using r = await rig({ responseTimeoutMs: 30, maxResends: 2 });
  await r.conn.connect();
  r.cloud.withholdAcks();
  const err = await r.conn.send({ messageType: "alerts", items: [] }).catch((e) => e);
  assert.ok(err instanceof CloudDeliveryError);
  assert.equal(err.reason, "noAck");
  assert.equal(err.kind, "timeout");
  assert.equal(err.messageType, "alerts");
  assert.equal(err.txn, r.cloud.received[0]?.envelope.header.txn);
  assert.equal(r.cloud.received.length, 3, "the first send and two resends");
  assert.deepEqual(r.drops, [err]);
  // The connection goes on: the next frame is delivered.
  r.cloud.withholdAcks(0);
  await r.conn.send({ messageType: "alerts", items: [] });
});

Deno.test("request resolves with the message carrying its correlationId", async () => {
  await using r = await rig();
  const handled: CloudMessage[] = [];
  using _sub = r.conn.subscribe("blobUrls", (m) => {
    handled.push(m);
  });
  using _blobs = r.cloud.handle("requestBlobUrls", (request) => ({
    messageType: "blobUrls",
    items: request.digests.map((digest) => ({
      digest,
      urls: [`https://blobs.example/${digest}`],
      sha256: new Uint8Array(32),
      size: 1,
    })),
  }));
  await r.conn.connect();
  const reply = await r.conn.request({ messageType: "requestBlobUrls", digests: ["sha256:ab"] });
  assert.equal(reply.messageType, "blobUrls");
  const sent = r.cloud.messages("requestBlobUrls")[0]!;
  assert.match(sent.correlationId!, /^[0-9a-f-]{36}$/);
  assert.equal(reply.correlationId, sent.correlationId);
  if (reply.messageType === "blobUrls") {
    assert.deepEqual(reply.items.map((i) => i.urls), [["https://blobs.example/sha256:ab"]]);
  }
  // A blobUrls nobody waits for goes to the subscribers.
  await r.cloud.push({ messageType: "blobUrls", correlationId: "other", items: [] });
  await eventually(() => handled.length === 1, "the unclaimed blobUrls");
  assert.equal(handled[0]?.correlationId, "other");
});

Deno.test("request rejects with noResponse when the response does not come in time", async () => {
  await using r = await rig();
  await r.conn.connect();
  const err = await r.conn.request(
    { messageType: "requestBlobUrls", correlationId: "c-1", digests: [] },
    { timeoutMs: 30 },
  ).catch((e) => e);
  assert.ok(err instanceof CloudDeliveryError);
  assert.equal(err.reason, "noResponse");
  assert.equal(err.kind, "timeout");
  // The request itself was delivered (and acked) once.
  assert.equal(r.cloud.messages("requestBlobUrls").length, 1);
  // A late response is just an incoming message now.
  const late: CloudMessage[] = [];
  using _sub = r.conn.subscribe("blobUrls", (m) => {
    late.push(m);
  });
  await r.cloud.push({ messageType: "blobUrls", correlationId: "c-1", items: [] });
  await eventually(() => late.length === 1, "the late response");
});

Deno.test("an invalid frame is dropped without an ack and reported; good frames still arrive", async () => {
  await using r = await rig();
  const delivered: string[] = [];
  using _sub = r.conn.subscribe("desiredStatus", (m) => {
    delivered.push(m.nodes[0]!.nodeId);
  });
  await r.conn.connect();
  const frame = (systemId: string, data: Record<string, unknown>) =>
    JSON.stringify({ header: { version: PROTOCOL_VERSION, systemId, txn: "bad" }, data });
  const encoder = new TextEncoder();
  r.cloud.sendRaw(encoder.encode("{not json"));
  r.cloud.sendRaw(encoder.encode(frame("another-unit", { messageType: "ack" })));
  r.cloud.sendRaw(encoder.encode(frame(SYSTEM_ID, { messageType: "alerts", items: [] })));
  r.cloud.sendRaw(encoder.encode(frame(SYSTEM_ID, { messageType: "desiredStatus", nodes: 5 })));
  r.cloud.sendRaw(frame(SYSTEM_ID, { messageType: "requestLog" }), true); // text: ignored
  await r.cloud.push(desiredStatus("after"));
  await eventually(() => delivered.length === 1, "the good frame");
  assert.deepEqual(delivered, ["after"]);
  const kinds = r.errors.map((e) => (e as { kind: string }).kind);
  assert.deepEqual(kinds, ["syntax", "systemIdMismatch", "unsupportedMessageType", "invalidType"]);
  const acked = r.cloud.received.filter((f) => f.envelope.data.messageType === "ack");
  assert.equal(acked.length, 1, "only the good frame was acked");
});

Deno.test("a frame sent again with a seen txn is acked again but delivered once", async () => {
  await using r = await rig();
  const delivered: Envelope<DesiredStatus>[] = [];
  using _sub = r.conn.subscribe("desiredStatus", (_m, envelope) => {
    delivered.push(envelope);
  });
  await r.conn.connect();
  const txn = await r.cloud.push(desiredStatus());
  await r.cloud.push(desiredStatus(), { txn });
  await r.cloud.push(desiredStatus("next"));
  await eventually(() => delivered.length === 2, "two deliveries");
  assert.deepEqual(delivered.map((e) => e.data.nodes[0]?.nodeId), ["main", "next"]);
  const acks = r.cloud.received.filter((f) => f.envelope.header.txn === txn);
  assert.equal(acks.length, 2);
});

Deno.test("handlers run in order; one that throws is reported and the next still runs", async () => {
  await using r = await rig();
  const order: string[] = [];
  using _a = r.conn.subscribe("requestLog", () => {
    order.push("a");
    throw new Error("handler a failed");
  });
  using _b = r.conn.subscribe("requestLog", () => {
    order.push("b");
    return Promise.reject(new Error("handler b failed"));
  });
  const c = r.conn.subscribe("requestLog", () => {
    order.push("c");
  });
  await r.conn.connect();
  const request: RequestLog = {
    messageType: "requestLog",
    logType: "systemLog",
    filter: { nodeIds: [] },
  };
  await r.cloud.push(request);
  await eventually(() => r.errors.length === 2, "two handler errors");
  c[Symbol.dispose]();
  await r.cloud.push(request);
  await eventually(() => order.length === 5, "the second round");
  assert.deepEqual(order, ["a", "b", "c", "a", "b"]);
  assert.match(r.errors[0]!.message, /handler a failed/);
});

Deno.test("send and subscribe refuse message types of the wrong direction", async () => {
  await using r = await rig();
  for (const type of ["ack", "nack", "desiredStatus"] as const) {
    await assert.rejects(
      r.conn.send({ messageType: type } as CloudMessage),
      (e) => e instanceof AosError && e.kind === "invalidArgument",
    );
  }
  for (const type of ["ack", "nack", "unitStatus"] as const) {
    assert.throws(
      () => r.conn.subscribe(type, () => {}),
      (e) => e instanceof AosError && e.kind === "invalidArgument",
    );
  }
  // A message that breaks the protocol is refused before anything is queued.
  await assert.rejects(
    r.conn.send({ messageType: "pushLog" } as CloudMessage),
    (e) => e instanceof AosError && (e as { kind: string }).kind === "missingField",
  );
});

Deno.test("aborting a send removes the queued frame; the others still go", async () => {
  await using r = await rig();
  const controller = new AbortController();
  const kept = r.conn.send({ messageType: "alerts", items: [] });
  const aborted = r.conn.send(monitoring(), { signal: controller.signal });
  controller.abort(new Error("not needed any more"));
  const err = await aborted.catch((e) => e);
  assert.ok(err instanceof CloudDeliveryError);
  assert.equal(err.reason, "aborted");
  assert.equal(err.kind, "canceled");
  await r.conn.connect();
  await kept;
  assert.deepEqual(r.cloud.messages().map((m) => m.messageType), ["alerts"]);
});

Deno.test("the frame on the wire is the codec's encoding of the message", async () => {
  await using r = await rig();
  await r.conn.connect();
  await r.conn.send(monitoring(7.5));
  const [got] = r.cloud.received;
  const bytes = encodeFrame(got!.envelope);
  const again = decodeFrame(bytes);
  assert.equal(again.header.version, PROTOCOL_VERSION);
  assert.ok(again.header.createdAt instanceof Date);
  assert.equal(again.data.messageType, "monitoringData");
});

Deno.test("a burst of frames in one turn arrives whole and in order over several writes", async () => {
  await using r = await rig({ responseTimeoutMs: 5_000 });
  await r.conn.connect();
  // About 250 KiB: the socket is written in batches of 16 KiB, the last at the end of the turn.
  const message = (i: number) => {
    const m = monitoring(i);
    m.nodes[0]!.items[0]!.partitions = Array.from(
      { length: 4 },
      (_, n) => ({ name: `partition-${n}-${"p".repeat(50)}`, usedSize: i }),
    );
    return m;
  };
  await Promise.all(Array.from({ length: 600 }, (_, i) => r.conn.send(message(i))));
  const cpus = r.cloud.messages("monitoringData").map((m) => m.nodes[0]?.items[0]?.cpu);
  assert.deepEqual(cpus, [...Array(600).keys()]);
  assert.deepEqual(r.cloud.invalid, []);
  // A lone frame goes out at the end of its turn, with nothing after it.
  await r.conn.send(monitoring(600));
  assert.equal(r.cloud.messages("monitoringData").length, 601);
});

Deno.test("non-ASCII text reaches the cloud as the UTF-8 the codec writes", async () => {
  await using r = await rig();
  await r.conn.connect();
  const name = "раздел-é-中文-🚀";
  const sent = monitoring(1);
  sent.nodes[0]!.nodeId = name;
  sent.nodes[0]!.items[0]!.partitions = [{ name, usedSize: 1 }];
  await r.conn.send(sent);
  const [got] = r.cloud.messages("monitoringData");
  assert.equal(got?.nodes[0]?.nodeId, name);
  assert.equal(got?.nodes[0]?.items[0]?.partitions[0]?.name, name);
  assert.deepEqual(r.cloud.invalid, []);
});
