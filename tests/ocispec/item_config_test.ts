// Copyright 2026 the aos-common authors. Apache-2.0 license.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  defaultItemConfig,
  itemConfigToJSON,
  loadItemConfig,
  parseItemConfig,
  saveItemConfig,
  stringifyItemConfig,
} from "../../ocispec/item_config.ts";
import { AosTime } from "../../utils/time.ts";
import { assertOciError, withTempDir } from "./_helpers.ts";

const FULL = new URL("./testdata/item_config_full.json", import.meta.url);
const MIN = 60_000;
const HOUR = 60 * MIN;

Deno.test("item config full sample loads, saves and loads back equal", () =>
  withTempDir(async (dir) => {
    const item = await loadItemConfig(FULL);
    assert.equal(item.author, "Aos cloud");
    assert.equal(item.skipResourceLimits, true);
    assert.equal(item.hostname, "test-host");
    assert.equal(item.balancingPolicy, "disabled");
    assert.deepEqual(item.runtimes, ["crun", "runc"]);
    assert.deepEqual(item.runParameters, {
      startInterval: MIN,
      startBurst: 0,
      restartInterval: 5 * MIN,
    });
    assert.deepEqual(item.sysctl, { "net.ipv4.ip_forward": "1", "kernel.msgmax": "8192" });
    assert.equal(item.offlineTTL, 27 * HOUR);
    assert.ok(item.created instanceof AosTime);
    assert.equal(item.created.micros, 456);
    assert.equal(item.quotas.ramLimit, 1073741824);
    assert.ok(!("cpuLimit" in item.quotas));
    assert.deepEqual(item.requestedResources, { cpu: 100, ram: 2048, storage: 4096, state: 512 });
    assert.deepEqual(
      new Set(item.allowedConnections),
      new Set(["item1/8080-8090/tcp", "item2/53/udp"]),
    );
    assert.deepEqual(item.resources, [{ name: "bluetooth", mode: "rw" }, {
      name: "wifi",
      mode: "",
    }]);
    const vis = item.permissions.find((p) => p.name === "vis");
    const core = item.permissions.find((p) => p.name === "systemCore");
    assert.equal(vis?.permissions.length, 2);
    assert.equal(core?.permissions.length, 3);
    assert.equal(vis?.permissions.find((f) => f.function === "*")?.permissions, "rw");
    assert.equal(core?.permissions.find((f) => f.function === "setTime")?.permissions, "w");
    assert.deepEqual(item.alertRules, {
      ram: { minTimeoutMs: 1000, minThreshold: 10.5, maxThreshold: 90 },
      cpu: { minTimeoutMs: 0, minThreshold: 20, maxThreshold: 80.25 },
      download: { minTimeoutMs: 2 * MIN, minThreshold: 100, maxThreshold: 1000 },
      upload: { minTimeoutMs: 0, minThreshold: 200, maxThreshold: 2000 },
      partitions: [],
    });

    const path = join(dir, "item.json");
    await saveItemConfig(path, item);
    const saved = JSON.parse(await readFile(path, "utf8"));
    assert.deepEqual(Object.keys(saved), [
      "created",
      "author",
      "skipResourceLimits",
      "hostname",
      "balancingPolicy",
      "runtimes",
      "runParameters",
      "sysctl",
      "offlineTTL",
      "quotas",
      "requestedResources",
      "allowedConnections",
      "resources",
      "permissions",
      "alertRules",
    ]);
    assert.equal(saved.created, "2024-05-20T10:11:12.123456Z");
    assert.deepEqual(saved.runParameters, {
      startInterval: "PT1M",
      startBurst: 0,
      restartInterval: "PT5M",
    });
    assert.equal(saved.offlineTTL, "P1DT3H");
    assert.deepEqual(saved.resources, [{ name: "bluetooth", mode: "rw" }, { name: "wifi" }]);
    assert.deepEqual(Object.keys(saved.alertRules), [
      "ram",
      "cpu",
      "download",
      "upload",
      "partitions",
    ]);
    assert.deepEqual(saved.alertRules.partitions, []);
    assert.deepEqual(saved.alertRules.cpu, { minThreshold: 20, maxThreshold: 80.25 });
    assert.ok(!("storage" in saved.alertRules) && !("cpuLimit" in saved.quotas));
    assert.deepEqual(await loadItemConfig(path), item);
  }));

Deno.test("a default item config saves AosCore's default members only", () => {
  assert.equal(
    stringifyItemConfig(defaultItemConfig()),
    '{"created":"1970-01-01T00:00:00.000000Z","author":"","skipResourceLimits":false,' +
      '"balancingPolicy":"enabled","quotas":{}}',
  );
  assert.deepEqual(parseItemConfig({}), defaultItemConfig());
  const withEmpty = { ...defaultItemConfig(), hostname: "", requestedResources: {} };
  assert.deepEqual(Object.keys(itemConfigToJSON(withEmpty)), [
    "created",
    "author",
    "skipResourceLimits",
    "balancingPolicy",
    "quotas",
    "requestedResources",
  ]);
});

Deno.test("run parameters keep set-but-zero members", () => {
  const cases: [Record<string, unknown>, Record<string, number>][] = [
    [{ startInterval: "PT0S" }, { startInterval: 0 }],
    [{ restartInterval: "0" }, { restartInterval: 0 }],
    [{ startBurst: 0 }, { startBurst: 0 }],
    [{}, {}],
    [{ startInterval: "1s", restartInterval: "PT1S", startBurst: 1 }, {
      startInterval: 1000,
      restartInterval: 1000,
      startBurst: 1,
    }],
  ];
  for (const [input, want] of cases) {
    const item = parseItemConfig({ runParameters: input });
    assert.deepEqual(item.runParameters, want, JSON.stringify(input));
    assert.deepEqual(parseItemConfig(itemConfigToJSON(item)).runParameters, want);
  }
  assert.deepEqual(
    itemConfigToJSON(parseItemConfig({ runParameters: { startInterval: "0" } })).runParameters,
    {
      startInterval: "PT0S",
    },
  );
});

Deno.test("durations read in all three syntaxes and write as ISO 8601", () => {
  const ttl = (v: string) => parseItemConfig({ offlineTTL: v }).offlineTTL;
  assert.equal(ttl("PT1M"), MIN);
  assert.equal(ttl("1m"), MIN);
  assert.equal(ttl("60"), MIN);
  assert.equal(ttl("1.6"), 2000);
  assert.equal(ttl("PT1.5S"), 1500);
  assert.equal(
    itemConfigToJSON({ ...defaultItemConfig(), offlineTTL: 27 * HOUR }).offlineTTL,
    "P1DT3H",
  );
  assert.ok(!("offlineTTL" in itemConfigToJSON({ ...defaultItemConfig(), offlineTTL: 0 })));
  for (const bad of ["abc", ""]) {
    assertOciError(() => parseItemConfig({ offlineTTL: bad }), {
      kind: "invalidArgument",
      field: "/offlineTTL",
      message: /duration/,
    });
  }
  assertOciError(() => parseItemConfig({ alertRules: { partitions: [{ minTimeout: "x" }] } }), {
    kind: "invalidArgument",
    field: "/alertRules/partitions/0/minTimeout",
  });
});

Deno.test("balancingPolicy accepts exactly enabled and disabled", () => {
  assert.equal(parseItemConfig({ balancingPolicy: "disabled" }).balancingPolicy, "disabled");
  for (const bad of ["Disabled", "foo"]) {
    assertOciError(() => parseItemConfig({ balancingPolicy: bad }), {
      kind: "invalidArgument",
      field: "/balancingPolicy",
      message: new RegExp(`got "${bad}"`),
    });
  }
});

Deno.test("item config rejects null map values, wrong shapes and over-long lists", () => {
  assertOciError(() => parseItemConfig({ sysctl: { a: null } }), {
    kind: "invalidArgument",
    field: "/sysctl/a",
  });
  assertOciError(() => parseItemConfig({ permissions: { vis: "rw" } }), {
    kind: "invalidArgument",
    field: "/permissions/vis",
    message: /want an object/,
  });
  assertOciError(() => parseItemConfig({ permissions: { vis: { f: null } } }), {
    kind: "invalidArgument",
    field: "/permissions/vis/f",
  });
  assertOciError(() => parseItemConfig({ runtimes: Array(5).fill({ codename: "crun" }) }), {
    kind: "outOfRange",
    field: "/runtimes",
  });
  assertOciError(() => parseItemConfig({ quotas: { ramLimit: -1 } }), {
    kind: "invalidArgument",
    field: "/quotas/ramLimit",
  });
  assertOciError(() => parseItemConfig({ alertRules: { download: { minThreshold: 1.5 } } }), {
    kind: "invalidArgument",
    field: "/alertRules/download/minThreshold",
  });
  // `null` keys of map-like members still count as keys.
  assert.deepEqual(
    parseItemConfig({ allowedConnections: { "a/1/tcp": null } }).allowedConnections,
    [
      "a/1/tcp",
    ],
  );
});
