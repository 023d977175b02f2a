// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Presence rules of spec §2.1, §5.3 and the tables: required members, defaults,
// `null`, unknown members and case-insensitive names.
import assert from "node:assert/strict";
import { decodeMessage, type DesiredStatus, encodeMessage } from "../../cloudprotocol/mod.ts";
import { assertFails } from "./_assert.ts";

const ITEM = { id: "0e7b3c1d-5f2a-4b8c-9d6e-1a2b3c4d5e6f" };
const SUBJECT = { id: "55aa66bb-77cc-48dd-99ee-00ff11223344" };
const T = "2026-05-07T06:00:00.000000Z";

function desired(extra: Record<string, unknown>): Record<string, unknown> {
  return { messageType: "desiredStatus", ...extra };
}

Deno.test("a missing or unknown required enum is invalidEnum, an unknown item type counts as missing", () => {
  assertFails(
    () => decodeMessage(desired({ nodes: [{ item: { codename: "n" } }] })),
    "invalidEnum",
    "/nodes/0/state",
  );
  assertFails(
    () => decodeMessage(desired({ nodes: [{ item: { codename: "n" }, state: "Paused" }] })),
    "invalidEnum",
    "/nodes/0/state",
  );
  assertFails(
    () => decodeMessage(desired({ subjects: [{ identity: SUBJECT }] })),
    "invalidEnum",
    "/subjects/0/type",
  );
  assertFails(
    () => decodeMessage({ messageType: "requestLog", filter: {} }),
    "invalidEnum",
    "/logType",
  );
  assertFails(
    () =>
      decodeMessage({
        messageType: "requestLog",
        logType: "systemLog",
        filter: {},
        uploadOptions: {},
      }),
    "invalidEnum",
    "/uploadOptions/type",
  );
  assertFails(
    () => decodeMessage({ messageType: "stateAcceptance", item: ITEM, subject: SUBJECT }),
    "invalidEnum",
    "/result",
  );
  assertFails(
    () =>
      decodeMessage({
        messageType: "finishProvisioningRequest",
        node: { codename: "n" },
        certificates: [{ chain: "" }],
      }),
    "invalidEnum",
    "/certificates/0/type",
  );
  assertFails(
    () =>
      decodeMessage({
        messageType: "renewCertificatesNotification",
        certificates: [{ type: "Online", node: { codename: "n" } }],
        unitSecrets: {},
      }),
    "invalidEnum",
    "/certificates/0/type",
  );
  for (const tag of [undefined, "unknown", "SystemAlert", 7]) {
    assertFails(
      () => decodeMessage({ messageType: "alerts", items: [{ timestamp: T, tag }] }),
      "invalidEnum",
      "/items/0/tag",
    );
  }
  assertFails(
    () =>
      decodeMessage(
        desired({ items: [{ item: { id: "i", type: "services" }, owner: { id: "o" } }] }),
      ),
    "missingField",
    "/items/0/item/type",
  );
});

Deno.test("an absent member with a default reads as that default", () => {
  assert.deepEqual(decodeMessage({ messageType: "nack" }), {
    messageType: "nack",
    retryAfter: 500,
  });
  assert.deepEqual(decodeMessage({ messageType: "nack", retryAfter: -1 }), {
    messageType: "nack",
    retryAfter: 0,
  });
  assert.deepEqual(decodeMessage({ messageType: "updateState", item: {}, subject: {} }), {
    messageType: "updateState",
    itemId: "",
    subjectId: "",
    instance: 0,
    stateChecksum: new Uint8Array(0),
    state: "",
  });
  assert.deepEqual(decodeMessage(desired({})), {
    messageType: "desiredStatus",
    nodes: [],
    items: [],
    instances: [],
    subjects: [],
    certificates: [],
    certificateChains: [],
  });
  const renew = decodeMessage({
    messageType: "renewCertificatesNotification",
    certificates: [{ node: { codename: "n" } }],
    unitSecrets: { nodes: [{ node: { codename: "n" } }] },
  });
  assert.deepEqual(renew, {
    messageType: "renewCertificatesNotification",
    certificates: [{ type: "offline", nodeId: "n", serial: "" }],
    unitSecrets: { version: "", nodes: [{ nodeId: "n", secret: "" }] },
  });
  assert.deepEqual(decodeMessage({ messageType: "blobUrls", items: [{}] }), {
    messageType: "blobUrls",
    items: [{ digest: "", urls: [], sha256: new Uint8Array(0), size: 0 }],
  });
});

Deno.test("null is absent: unset when optional, the default when defaulted, missing when required", () => {
  assert.deepEqual(
    decodeMessage({
      messageType: "requestLog",
      correlationId: null,
      logType: "systemLog",
      filter: { from: null, nodeIds: null, item: null },
      uploadOptions: null,
    }),
    { messageType: "requestLog", logType: "systemLog", filter: { nodeIds: [] } },
  );
  assert.deepEqual(
    (decodeMessage(desired({ items: null, unitConfig: null })) as DesiredStatus).items,
    [],
  );
  assertFails(() => decodeMessage({ messageType: "pushLog", node: null }), "missingField", "/node");
  assertFails(
    () => decodeMessage({ messageType: "alerts", items: [null] }),
    "invalidType",
    "/items/0",
  );
});

Deno.test("unknown members are ignored everywhere", () => {
  const msg = decodeMessage({
    messageType: "deprovisioningRequest",
    node: { codename: "n", id: "ignored", extra: [1, 2, 3] },
    password: "p",
    future: { anything: true },
  });
  assert.deepEqual(msg, { messageType: "deprovisioningRequest", nodeId: "n", password: "p" });
});

Deno.test("member names match case-insensitively at every level; values and attr names keep their case", () => {
  const msg = decodeMessage({
    MESSAGETYPE: "unitStatus",
    ISDELTAINFO: true,
    Nodes: [{
      IDENTITY: { CodeName: "main", TITLE: "T" },
      NodeGroupSubject: { CODENAME: "t" },
      MAXDMIPS: 5,
      TotalRAM: 6,
      physicalRAM: 7,
      OsInfo: { OS: "linux" },
      ATTRS: { MainNode: "", aoscomponents: "cm" },
      State: "paused",
    }],
  });
  assert.deepEqual(msg, {
    messageType: "unitStatus",
    isDeltaInfo: true,
    nodes: [{
      nodeId: "main",
      title: "T",
      nodeType: "t",
      maxDMIPS: 5,
      physicalRAM: 7,
      totalRAM: 6,
      osInfo: { os: "linux", features: [] },
      cpus: [],
      attrs: [{ name: "MainNode", value: "" }, { name: "aoscomponents", value: "cm" }],
      partitions: [],
      state: "paused",
      isConnected: false,
      runtimes: [],
      resources: [],
    }],
  });
  const rules = decodeMessage(desired({
    unitConfig: {
      Nodes: [{
        nodegroupsubject: { codename: "t" },
        ALERTRULES: { RAM: { MINTIMEOUT: "PT1S", MaxThreshold: 90 } },
      }],
    },
  }));
  assert.deepEqual(
    (rules as { unitConfig: { nodes: { alertRules: unknown }[] } }).unitConfig.nodes[0]!.alertRules,
    { ram: { minTimeoutMs: 1000, minThreshold: 0, maxThreshold: 90 }, partitions: [] },
  );
});

Deno.test("of two names that differ only in case, the exact spelling wins, else the first", () => {
  const read = (data: Record<string, unknown>) =>
    (decodeMessage({ messageType: "ack", ...data }) as { correlationId?: string }).correlationId;
  assert.equal(read({ CorrelationId: "b", correlationId: "a" }), "a");
  assert.equal(read({ CORRELATIONID: "x", correlationid: "y" }), "x");
  assert.equal(read({ correlationId: null, CorrelationID: "z" }), "z");
});

Deno.test("correlationId is optional, written only when non-empty, at most 37 bytes", () => {
  assert.deepEqual(decodeMessage({ messageType: "ack", correlationId: "" }), {
    messageType: "ack",
  });
  assert.deepEqual(encodeMessage({ messageType: "ack", correlationId: "" }), {
    messageType: "ack",
  });
  assert.deepEqual(encodeMessage({ messageType: "ack", correlationId: "x".repeat(37) }), {
    messageType: "ack",
    correlationId: "x".repeat(37),
  });
  assertFails(
    () => decodeMessage({ messageType: "ack", correlationId: "x".repeat(38) }),
    "limitExceeded",
    "/correlationId",
  );
  assertFails(
    () => encodeMessage({ messageType: "ack", correlationId: "é".repeat(19) }),
    "limitExceeded",
    "/correlationId",
  );
});

Deno.test("desiredStatus is written with its messageType, and its correlationId only when set", () => {
  const data = encodeMessage({
    messageType: "desiredStatus",
    nodes: [],
    items: [],
    instances: [],
    subjects: [],
    certificates: [],
    certificateChains: [],
  });
  assert.deepEqual(Object.keys(data), [
    "messageType",
    "nodes",
    "items",
    "instances",
    "subjects",
    "certificates",
    "certificateChains",
  ]);
});

Deno.test("an item with only a codename is a preinstalled ident; with an id it is not", () => {
  const base = { messageType: "stateRequest", instance: 1, default: false };
  assert.deepEqual(
    decodeMessage({ ...base, item: { codename: "diag" }, subject: { codename: "driver" } }),
    {
      messageType: "stateRequest",
      itemId: "diag",
      subjectId: "driver",
      instance: 1,
      preinstalled: true,
      default: false,
    },
  );
  assert.deepEqual(
    decodeMessage({
      ...base,
      item: { id: "i", codename: "diag" },
      subject: { id: "s", codename: "x" },
    }),
    { messageType: "stateRequest", itemId: "i", subjectId: "s", instance: 1, default: false },
  );
  assert.deepEqual(
    decodeMessage({ ...base, item: { codename: "diag" }, subject: { id: "s" } }),
    {
      messageType: "stateRequest",
      itemId: "diag",
      subjectId: "s",
      instance: 1,
      preinstalled: true,
      default: false,
    },
  );
});
