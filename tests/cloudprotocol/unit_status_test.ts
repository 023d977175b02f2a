// Copyright 2026 the aos-common authors. Apache-2.0 license.
import assert from "node:assert/strict";
import {
  decodeMessage,
  encodeMessage,
  type UnitNodeInfo,
  type UnitStatus,
} from "../../cloudprotocol/mod.ts";
import { assertFails, assertRoundTrip } from "./_assert.ts";

const NODE: UnitNodeInfo = {
  nodeId: "main",
  nodeType: "head-unit",
  title: "",
  maxDMIPS: 0,
  totalRAM: 0,
  osInfo: { os: "linux", features: [] },
  cpus: [],
  partitions: [],
  attrs: [],
  state: "provisioned",
  isConnected: true,
  runtimes: [],
  resources: [],
};

function status(extra: Partial<UnitStatus>): UnitStatus {
  return { messageType: "unitStatus", isDeltaInfo: true, ...extra };
}

Deno.test("a delta unitStatus keeps absent arrays absent and empty arrays empty", () => {
  const absent = decodeMessage({ messageType: "unitStatus", isDeltaInfo: true });
  assert.deepEqual(absent, { messageType: "unitStatus", isDeltaInfo: true });
  const empty = assertRoundTrip({
    messageType: "unitStatus",
    isDeltaInfo: true,
    unitConfig: [],
    nodes: [],
    items: [],
    instances: [],
    subjects: [],
  }) as UnitStatus;
  for (const key of ["unitConfig", "nodes", "items", "instances", "subjects"] as const) {
    assert.deepEqual(empty[key], [], key);
  }
  assert.deepEqual(encodeMessage(status({ nodes: [] })), {
    messageType: "unitStatus",
    isDeltaInfo: true,
    nodes: [],
  });
});

Deno.test("a node is written in AosCore's order: title always, other members only when set", () => {
  const data = encodeMessage(status({ nodes: [NODE] }));
  assert.equal(
    JSON.stringify(data),
    '{"messageType":"unitStatus","isDeltaInfo":true,"nodes":[{"identity":{"codename":"main","title":""},' +
      '"nodeGroupSubject":{"codename":"head-unit"},"maxDmips":0,"totalRam":0,"osInfo":{"os":"linux"},' +
      '"state":"provisioned","isConnected":true}]}',
  );
  const full = encodeMessage(status({
    nodes: [{
      ...NODE,
      physicalRAM: 1,
      cpus: [{ modelName: "m", numCores: 1, numThreads: 2, archInfo: { architecture: "arm64" } }],
      attrs: [{ name: "MainNode", value: "" }],
      partitions: [{ name: "p", types: [], path: "", totalSize: 3 }],
      error: { aosCode: 1, exitCode: 0, message: "" },
      runtimes: [{
        runtimeId: "crun",
        runtimeType: "crun",
        archInfo: { architecture: "arm64" },
        osInfo: { os: "linux", features: [] },
        maxInstances: 1,
      }],
      resources: [{ name: "audio", sharedCount: 2 }],
    }],
  })) as { nodes: Record<string, unknown>[] };
  assert.deepEqual(Object.keys(full.nodes[0]!), [
    "identity",
    "nodeGroupSubject",
    "maxDmips",
    "physicalRam",
    "totalRam",
    "osInfo",
    "cpus",
    "attrs",
    "partitions",
    "state",
    "isConnected",
    "errorInfo",
    "runtimes",
    "resources",
  ]);
  assert.deepEqual(full.nodes[0]!.partitions, [{ name: "p", types: [], totalSize: 3 }]);
});

Deno.test("node attributes keep their names, their order and a null value as an empty string", () => {
  const msg = decodeMessage({
    messageType: "unitStatus",
    isDeltaInfo: true,
    nodes: [{
      identity: { codename: "main" },
      nodeGroupSubject: { codename: "t" },
      osInfo: {},
      state: "paused",
      attrs: { Zeta: "1", MainNode: null, alpha: 7, __proto__: "p" },
    }],
  }) as UnitStatus;
  // JSON.parse makes "__proto__" an own member; the literal above sets the prototype instead.
  assert.deepEqual(msg.nodes![0]!.attrs, [
    { name: "Zeta", value: "1" },
    { name: "MainNode", value: "" },
    { name: "alpha", value: "7" },
  ]);
  const parsed = JSON.parse('{"attrs":{"__proto__":"x","b":""}}').attrs;
  const viaJson = decodeMessage({
    messageType: "unitStatus",
    isDeltaInfo: true,
    nodes: [{
      identity: { codename: "m" },
      nodeGroupSubject: { codename: "t" },
      osInfo: {},
      state: "paused",
      attrs: parsed,
    }],
  }) as UnitStatus;
  assert.deepEqual(viaJson.nodes![0]!.attrs, [{ name: "__proto__", value: "x" }, {
    name: "b",
    value: "",
  }]);
  const written = encodeMessage(viaJson) as { nodes: { attrs: object }[] };
  assert.equal(JSON.stringify(written.nodes[0]!.attrs), '{"__proto__":"x","b":""}');
});

Deno.test("node attribute limits: 16 attributes, names of 16 bytes, values of 64", () => {
  const node = (attrs: Record<string, unknown>) => () =>
    decodeMessage({
      messageType: "unitStatus",
      isDeltaInfo: true,
      nodes: [{
        identity: { codename: "m" },
        nodeGroupSubject: { codename: "t" },
        osInfo: {},
        state: "paused",
        attrs,
      }],
    });
  const many = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`a${i}`, ""]));
  assertFails(node(many), "limitExceeded", "/nodes/0/attrs");
  node({ ["é".repeat(8)]: "x".repeat(64) })();
  assertFails(
    node({ ["é".repeat(8) + "x"]: "" }),
    "limitExceeded",
    `/nodes/0/attrs/${"é".repeat(8)}x`,
  );
  assertFails(node({ "a/b~c": "x".repeat(65) }), "limitExceeded", "/nodes/0/attrs/a~1b~0c");
  assertFails(node({ a: {} }), "invalidType", "/nodes/0/attrs/a");
});

Deno.test("items and instances of preinstalled items are written and read by codename", () => {
  const msg = status({
    items: [
      {
        itemId: "aos-diag",
        itemType: "service",
        preinstalled: true,
        version: "1",
        state: "installed",
      },
      {
        itemId: "0e7b",
        itemType: "layer",
        version: "2",
        state: "failed",
        error: { aosCode: 10, exitCode: 0, message: "bad digest" },
      },
    ],
    instances: [{
      itemId: "aos-diag",
      itemType: "service",
      subjectId: "driver",
      preinstalled: true,
      version: "1",
      instances: [{
        nodeId: "main",
        runtimeId: "crun",
        instance: 0,
        stateChecksum: new Uint8Array([1]),
        state: "active",
      }],
    }],
  });
  const data = encodeMessage(msg) as { items: unknown[]; instances: Record<string, unknown>[] };
  assert.deepEqual(data.items[0], {
    item: { codename: "aos-diag", type: "service" },
    version: "1",
    state: "installed",
  });
  assert.deepEqual(data.items[1], {
    item: { id: "0e7b", type: "layer" },
    version: "2",
    state: "failed",
    errorInfo: { aosCode: 10, exitCode: 0, message: "bad digest" },
  });
  assert.deepEqual(data.instances[0]!.subject, { codename: "driver" });
  assert.deepEqual(decodeMessage(data), msg);
});

Deno.test("unitStatus limits: 2 unit configs, 16 nodes, 128 items, 64 instance groups of 16", () => {
  const of = (n: number, v: unknown) => Array.from({ length: n }, () => v);
  const item = { item: { id: "i", type: "service" }, version: "1", state: "installed" };
  decodeMessage({ messageType: "unitStatus", isDeltaInfo: true, items: of(128, item) });
  assertFails(
    () => decodeMessage({ messageType: "unitStatus", isDeltaInfo: true, items: of(129, item) }),
    "limitExceeded",
    "/items",
  );
  assertFails(
    () =>
      decodeMessage({
        messageType: "unitStatus",
        isDeltaInfo: true,
        unitConfig: of(3, { state: "absent" }),
      }),
    "limitExceeded",
    "/unitConfig",
  );
  const instance = {
    node: { codename: "n" },
    runtime: { codename: "r" },
    instance: 0,
    state: "active",
  };
  assertFails(
    () =>
      decodeMessage({
        messageType: "unitStatus",
        isDeltaInfo: true,
        instances: [{ ...item, subject: { id: "s" }, instances: of(17, instance) }],
      }),
    "limitExceeded",
    "/instances/0/instances",
  );
  assertFails(
    () => encodeMessage(status({ nodes: Array.from({ length: 17 }, () => NODE) })),
    "limitExceeded",
    "/nodes",
  );
});
