// Copyright 2026 the aos-common authors. Apache-2.0 license.
import assert from "node:assert/strict";
import {
  type Alert,
  ALERT_TAGS,
  type AlertSender,
  AosTime,
  decodeMessage,
  encodeMessage,
} from "../../cloudprotocol/mod.ts";
import { assertFails } from "./_assert.ts";

const T = new AosTime(Date.UTC(2026, 4, 7, 6, 1, 58), 123);
const IDENT = { itemId: "i", subjectId: "s", instance: 1 };

const ALERTS: Alert[] = [
  { tag: "systemAlert", timestamp: T, nodeId: "main", message: "disk failure" },
  { tag: "coreAlert", timestamp: T, nodeId: "main", coreComponent: "SM", message: "restarted" },
  {
    tag: "resourceAllocateAlert",
    timestamp: T,
    ...IDENT,
    nodeId: "main",
    resource: "/dev/video0",
    message: "busy",
  },
  { tag: "systemQuotaAlert", timestamp: T, nodeId: "main", parameter: "cpu", value: 95 },
  {
    tag: "instanceQuotaAlert",
    timestamp: T,
    ...IDENT,
    preinstalled: true,
    parameter: "ram",
    value: 1 << 30,
  },
  {
    tag: "downloadProgressAlert",
    timestamp: T,
    digest: "sha256:ab",
    url: "https://blobs.example/ab",
    downloadedBytes: 100,
    totalBytes: 1000,
    state: "interrupted",
    reason: "connection reset",
    error: { aosCode: 2, exitCode: 104, message: "connection reset by peer" },
  },
  { tag: "updateItemInstanceAlert", timestamp: T, ...IDENT, version: "1.2.3", message: "crashed" },
];

const WIRE = [
  ["timestamp", "tag", "node", "message"],
  ["timestamp", "tag", "node", "coreComponent", "message"],
  ["timestamp", "tag", "item", "subject", "instance", "node", "deviceId", "message"],
  ["timestamp", "tag", "node", "parameter", "value"],
  ["timestamp", "tag", "item", "subject", "instance", "parameter", "value"],
  [
    "timestamp",
    "tag",
    "digest",
    "url",
    "downloadedBytes",
    "totalBytes",
    "state",
    "reason",
    "errorInfo",
  ],
  ["timestamp", "tag", "item", "subject", "instance", "version", "message"],
];

Deno.test("every alert tag is written with its members in AosCore's order and read back", () => {
  assert.deepEqual(ALERTS.map((a) => a.tag), [...ALERT_TAGS]);
  const data = encodeMessage({ messageType: "alerts", items: ALERTS }) as {
    items: Record<string, unknown>[];
  };
  data.items.forEach((item, i) => assert.deepEqual(Object.keys(item), WIRE[i], ALERT_TAGS[i]));
  assert.equal(data.items[0]!.timestamp, "2026-05-07T06:01:58.000123Z");
  assert.deepEqual(data.items[4]!.item, { codename: "i" });
  assert.deepEqual(decodeMessage(data), { messageType: "alerts", items: ALERTS });
});

Deno.test("a download alert without reason or error writes neither; an empty reason is written", () => {
  const base = {
    tag: "downloadProgressAlert",
    timestamp: new Date(0),
    digest: "d",
    url: "u",
    downloadedBytes: 0,
    totalBytes: 0,
    state: "started",
  } as const;
  const write = (alert: Alert) =>
    (encodeMessage({ messageType: "alerts", items: [alert] }) as { items: unknown[] }).items[0];
  assert.deepEqual(write(base), {
    timestamp: "1970-01-01T00:00:00.000000Z",
    tag: "downloadProgressAlert",
    digest: "d",
    url: "u",
    downloadedBytes: 0,
    totalBytes: 0,
    state: "started",
  });
  assert.equal((write({ ...base, reason: "" }) as { reason?: string }).reason, "");
});

Deno.test("the quota alert state is not part of the wire: never written, ignored on input", () => {
  const alert: Alert = {
    tag: "systemQuotaAlert",
    timestamp: T,
    nodeId: "n",
    parameter: "ram",
    value: 1,
    state: "raise",
  };
  const data = encodeMessage({ messageType: "alerts", items: [alert] }) as {
    items: Record<string, unknown>[];
  };
  assert.equal("state" in data.items[0]!, false);
  data.items[0]!.state = "fall";
  const { state: _, ...withoutState } = alert;
  assert.deepEqual(decodeMessage(data), { messageType: "alerts", items: [withoutState] });
});

Deno.test("alerts: unknown or missing tag, over 16 items, and over-long text are rejected both ways", () => {
  const item = {
    timestamp: "2026-05-07T06:01:58Z",
    tag: "systemAlert",
    node: { codename: "n" },
    message: "m",
  };
  assertFails(
    () => decodeMessage({ messageType: "alerts", items: [{ ...item, tag: "unknown" }] }),
    "invalidEnum",
    "/items/0/tag",
  );
  assertFails(
    () => decodeMessage({ messageType: "alerts", items: Array.from({ length: 17 }, () => item) }),
    "limitExceeded",
    "/items",
  );
  assertFails(
    () => decodeMessage({ messageType: "alerts", items: [{ ...item, message: "€".repeat(86) }] }),
    "limitExceeded",
    "/items/0/message",
  );
  assertFails(
    () =>
      decodeMessage({
        messageType: "alerts",
        items: [{ ...item, tag: "coreAlert", coreComponent: "cm" }],
      }),
    "invalidEnum",
    "/items/0/coreComponent",
  );
  const bad = { ...ALERTS[0]!, tag: "bogusAlert" } as unknown as Alert;
  assertFails(
    () => encodeMessage({ messageType: "alerts", items: [bad] }),
    "invalidEnum",
    "/items/0/tag",
  );
  const long = { ...ALERTS[3]!, parameter: "p".repeat(17) } as Alert;
  assertFails(
    () => encodeMessage({ messageType: "alerts", items: [long] }),
    "limitExceeded",
    "/items/0/parameter",
  );
});

Deno.test("an AlertSender may be synchronous or asynchronous", async () => {
  const seen: string[] = [];
  const sync: AlertSender = { sendAlert: (alert) => void seen.push(alert.tag) };
  const async: AlertSender = {
    sendAlert: (alert) => Promise.resolve().then(() => void seen.push(`async ${alert.tag}`)),
  };
  for (const sender of [sync, async]) await sender.sendAlert(ALERTS[0]!);
  assert.deepEqual(seen, ["systemAlert", "async systemAlert"]);
});
