// Copyright 2026 the aos-common authors. Apache-2.0 license.
import assert from "node:assert/strict";
import {
  ResourceMonitor,
  type ResourceMonitorOptions,
} from "../../../utils/monitoring/resource_monitor.ts";
import { InMemoryIamProvider } from "../../../utils/iam/in_memory_iam_provider.ts";
import type { AlertRules } from "../../../utils/alert_rules.ts";
import type { InstanceQuotaAlert, SystemQuotaAlert } from "../../../utils/alerts.ts";
import { AosError, errorIs } from "../../../utils/errors.ts";
import { delay } from "../../../utils/abort.ts";
import { instanceKey } from "../../../utils/instances.ts";
import {
  data,
  FakeInstances,
  FakeNodeConfig,
  nodeInfo,
  Recorder,
  ScriptedNode,
  T0,
} from "./_fakes.ts";

const POLL = 3000;
const IDENT_A = { itemId: "service1", subjectId: "subject1", instance: 0 };
const IDENT_B = { itemId: "service2", subjectId: "subject1", instance: 1 };

// The spec's system rules: thresholds cpu 1000/2000, ram 1638/2457,
// download and upload 10/20, state 102/204, storage 307/512.
const RULES: AlertRules = {
  cpu: { minThreshold: 10, maxThreshold: 20, minTimeoutMs: POLL / 3 },
  ram: { minThreshold: 20, maxThreshold: 30, minTimeoutMs: POLL / 3 },
  download: { minThreshold: 10, maxThreshold: 20, minTimeoutMs: POLL / 3 },
  upload: { minThreshold: 10, maxThreshold: 20, minTimeoutMs: POLL / 3 },
  partitions: [
    { name: "state", minThreshold: 10, maxThreshold: 20, minTimeoutMs: POLL / 3 },
    { name: "storage", minThreshold: 15, maxThreshold: 25, minTimeoutMs: POLL / 3 },
  ],
};

interface Setup {
  monitor: ResourceMonitor;
  node: ScriptedNode;
  config: FakeNodeConfig;
  instances: FakeInstances;
  iam: InMemoryIamProvider;
  out: Recorder;
}

function setup(
  options: Partial<ResourceMonitorOptions> & { rules?: AlertRules; withInstances?: boolean } = {},
): Setup {
  const node = new ScriptedNode();
  const config = new FakeNodeConfig(options.rules);
  const instances = new FakeInstances();
  const iam = new InMemoryIamProvider({ nodeInfo: nodeInfo() });
  const out = new Recorder();
  const monitor = new ResourceMonitor({
    currentNodeInfoProvider: iam.currentNodeInfoProvider,
    nodeConfigProvider: config,
    nodeMonitoringProvider: node,
    monitoringSender: out.monitoringSender,
    alertSender: out.alertSender,
    pollPeriodMs: 3_600_000, // ticks come from poll()
    averageWindowMs: 3 * 3_600_000,
    onError: out.onError,
    ...(options.withInstances === false ? {} : { instanceInfoProvider: instances }),
    ...options,
  });
  return { monitor, node, config, instances, iam, out };
}

/** The six values of the spec's vector, as sample figures. */
function level(
  seconds: number,
  cpu: number,
  ram: number,
  net: number,
  state: number,
  storage: number,
) {
  return data(seconds, { cpu, ram, download: net, upload: net }, { state, storage });
}

Deno.test("the spec's system vector: arm at max, raise above, continue, fall after two below min", async () => {
  const { monitor, node, out } = setup({ rules: RULES });
  await monitor.start();
  try {
    const steps: [number, number, number, number, number][] = [
      [1999, 2456, 19, 203, 511], // just below max
      [2000, 2457, 20, 204, 512], // at max: arms
      [2001, 2458, 21, 205, 513], // above: raise
      [2000, 2457, 20, 204, 512], // continue
      [2000, 2457, 20, 204, 512], // continue
      [999, 1637, 9, 101, 306], // below min: arms
      [999, 1637, 9, 101, 306], // fall
    ];
    const params = ["cpu", "ram", "download", "upload", "state", "storage"];
    const expected = [undefined, undefined, "raise", "continue", "continue", undefined, "fall"];
    for (const [i, values] of steps.entries()) {
      node.queue.push(level(i * POLL / 1000, ...values));
      await monitor.poll();
      const alerts = out.alerts.splice(0) as SystemQuotaAlert[];
      if (expected[i] === undefined) {
        assert.deepEqual(alerts, [], `step ${i}`);
        continue;
      }
      assert.deepEqual(alerts.map((a) => a.parameter), params, `step ${i}`);
      const valueOf = [values[0], values[1], values[2], values[2], values[3], values[4]];
      for (const [j, alert] of alerts.entries()) {
        assert.equal(alert.tag, "systemQuotaAlert");
        assert.equal(alert.nodeId, "node1");
        assert.equal(alert.state, expected[i]);
        assert.equal(alert.value, valueOf[j]);
        assert.equal(alert.timestamp.getTime(), T0 + i * POLL);
      }
    }
    assert.deepEqual(out.errors, []);
  } finally {
    await monitor.stop();
  }
});

Deno.test("CPU is compared rounded half up, as an integer", async () => {
  const { monitor, node, out } = setup({
    rules: { cpu: { minThreshold: 10, maxThreshold: 20, minTimeoutMs: 0 }, partitions: [] },
  });
  await monitor.start();
  node.queue.push(data(0, { cpu: 1999.4 }), data(1, { cpu: 1999.5 }));
  await monitor.poll();
  assert.deepEqual(out.take(), []);
  await monitor.poll();
  assert.deepEqual(out.take(), ["cpu:raise:2000"]);
  await monitor.close();
});

Deno.test("instance rules use the node's totals and raise instanceQuotaAlert with the ident", async () => {
  const { monitor, node, instances, out } = setup();
  instances.statuses = [{ ...IDENT_A, state: "active" }];
  const zero = (rule: { minThreshold: number; maxThreshold: number }) => ({
    ...rule,
    minTimeoutMs: 0,
  });
  instances.params.set(
    instanceKey(IDENT_A),
    {
      alertRules: {
        cpu: zero(RULES.cpu!),
        ram: zero(RULES.ram!),
        download: zero(RULES.download!),
        upload: zero(RULES.upload!),
        partitions: RULES.partitions.map(zero) as AlertRules["partitions"],
      },
    },
  );
  instances.usage.set(
    instanceKey(IDENT_A),
    level(0, 2001, 2458, 21, 205, 513),
  );
  await monitor.start();
  node.queue.push(data(0));
  await monitor.poll();
  const alerts = out.alerts as InstanceQuotaAlert[];
  assert.deepEqual(alerts.map((a) => a.parameter), [
    "cpu",
    "ram",
    "download",
    "upload",
    "state",
    "storage",
  ]);
  for (const alert of alerts) {
    assert.equal(alert.tag, "instanceQuotaAlert");
    assert.equal(alert.state, "raise");
    assert.deepEqual([alert.itemId, alert.subjectId, alert.instance], ["service1", "subject1", 0]);
  }
  await monitor.stop();
});

Deno.test("the sent sample: node figures at least the instances' sum, instance times the node's", async () => {
  const { monitor, node, instances, out } = setup();
  instances.statuses = [{ ...IDENT_A, state: "active" }, { ...IDENT_B, state: "activating" }];
  instances.usage.set(
    instanceKey(IDENT_A),
    data(5, { cpu: 1000, ram: 2048, download: 100, upload: 50 }, { state: 101, storage: 102 }),
  );
  instances.usage.set(
    instanceKey(IDENT_B),
    data(6, { cpu: 1500, ram: 1024, download: 200, upload: 150 }, { state: 201, storage: 202 }),
  );
  await monitor.start();
  node.queue.push(data(0));
  const sent = await monitor.poll();
  assert.deepEqual(out.samples, [sent]);
  const { cpu, ram, download, upload, partitions } = sent.monitoringData;
  assert.deepEqual([cpu, ram, download, upload], [2500, 3072, 300, 200]);
  assert.deepEqual(partitions, [{ name: "state", usedSize: 201 }, {
    name: "storage",
    usedSize: 202,
  }]);
  assert.equal(sent.nodeId, "node1");
  for (const instance of sent.instances) {
    assert.equal(instance.monitoringData.timestamp.getTime(), T0);
  }
  // Node figures above the instances' sum stay as they are.
  node.queue.push(data(1, { cpu: 9000, ram: 9000, download: 900, upload: 900 }, { state: 150 }));
  const second = await monitor.poll();
  assert.equal(second.monitoringData.cpu, 9000);
  assert.deepEqual(second.monitoringData.partitions, [
    { name: "state", usedSize: 201 },
    { name: "storage", usedSize: 202 },
  ]);
  await monitor.stop();
});

Deno.test("an instance whose params are notSupported is neither sampled nor averaged", async () => {
  const { monitor, node, instances, out } = setup();
  instances.statuses = [{ ...IDENT_A, state: "active" }, { ...IDENT_B, state: "active" }];
  const keyB = instanceKey(IDENT_B);
  instances.params.set(keyB, new AosError("notSupported", "no cgroup"));
  instances.usage.set(instanceKey(IDENT_A), data(0, { cpu: 30 }));
  instances.usage.set(keyB, data(0, { cpu: 70 }));
  await monitor.start();
  node.queue.push(data(0, { cpu: 600 }));
  const sent = await monitor.poll();
  assert.deepEqual(sent.instances.map((i) => i.instanceIdent.itemId), ["service1"]);
  const average = await monitor.getAverageMonitoringData();
  assert.deepEqual(average.instances.map((i) => i.instanceIdent.itemId), ["service1"]);
  assert.equal(average.monitoringData.cpu, 600);
  assert.deepEqual(out.errors, [], "notSupported is not an error");
  await monitor.stop();
});

Deno.test("inactive and failed instances leave the next sample; active twice is watched once", async () => {
  const { monitor, node, instances } = setup();
  const keyA = instanceKey(IDENT_A);
  const keyB = instanceKey(IDENT_B);
  instances.usage.set(keyA, data(0, { cpu: 1 }));
  instances.usage.set(keyB, data(0, { cpu: 2 }));
  await monitor.start();
  instances.notify([{ ...IDENT_A, state: "active" }, { ...IDENT_B, state: "active" }]);
  instances.notify([{ ...IDENT_A, state: "active" }]);
  node.queue.push(data(0), data(1), data(2));
  assert.equal((await monitor.poll()).instances.length, 2);
  assert.deepEqual(instances.paramCalls, [keyA, keyB], "params asked once per instance");
  instances.notify([{ ...IDENT_A, state: "failed" }]);
  assert.deepEqual((await monitor.poll()).instances.map((i) => i.instanceIdent.itemId), [
    "service2",
  ]);
  instances.notify([{ ...IDENT_B, state: "inactive" }]);
  assert.deepEqual((await monitor.poll()).instances, []);
  assert.deepEqual((await monitor.getAverageMonitoringData()).instances, []);
  await monitor.stop();
});

Deno.test("a rule of an unknown partition is skipped; a partition missing from a sample skips its rule", async () => {
  const { monitor, node, out } = setup({
    rules: {
      cpu: { minThreshold: 10, maxThreshold: 20, minTimeoutMs: 0 },
      partitions: [
        { name: "ghost", minThreshold: 1, maxThreshold: 2, minTimeoutMs: 0 },
        { name: "state", minThreshold: 10, maxThreshold: 20, minTimeoutMs: 0 },
      ],
    },
  });
  await monitor.start();
  assert.ok(out.errors.some((e) => /ghost/.test(String(e))));
  out.errors.length = 0;
  node.queue.push(data(0, { cpu: 5000 }), data(1, { cpu: 5000 }, { state: 1000 }));
  await monitor.poll();
  assert.deepEqual(out.take(), ["cpu:raise:5000"]);
  assert.ok(out.errors.some((e) => /partition "state" is not in the sample/.test(String(e))));
  await monitor.poll();
  assert.deepEqual(out.take(), ["cpu:continue:5000", "state:raise:1000"]);
  await monitor.stop();
});

Deno.test("lifecycle: start twice and stop when stopped are wrongState; stop unsubscribes", async () => {
  const { monitor, config, instances, node, out } = setup();
  await assert.rejects(monitor.stop(), (e) => errorIs(e, "wrongState"));
  await assert.rejects(monitor.poll(), (e) => errorIs(e, "wrongState"));
  await monitor.start();
  await assert.rejects(monitor.start(), (e) => errorIs(e, "wrongState"));
  assert.equal(config.listeners.size, 1);
  assert.equal(instances.listeners.size, 1);
  await monitor.stop();
  assert.equal(monitor.running, false);
  assert.equal(config.listeners.size, 0);
  assert.equal(instances.listeners.size, 0);
  assert.equal(node.calls, 0);
  assert.deepEqual(out.samples, []);
  await monitor.close(); // idempotent when stopped
});

Deno.test("a failed start undoes its subscriptions and can be retried", async () => {
  const { monitor, config, instances, iam } = setup();
  instances.statuses = [{ ...IDENT_A, state: "active" }];
  config.failGet = true;
  await assert.rejects(monitor.start(), /config unavailable/);
  assert.equal(monitor.running, false);
  assert.equal(config.listeners.size, 0);
  assert.equal(instances.listeners.size, 0);
  // The current node info listener is gone too: subscribing it again would fail otherwise.
  assert.doesNotThrow(() => iam.setNodeInfo(nodeInfo()));
  config.failGet = false;
  await monitor.start();
  assert.equal((await monitor.getAverageMonitoringData()).instances.length, 1);
  await monitor.stop();
});

Deno.test("the poll timer ticks and stops with close(); nothing is left behind", async () => {
  const node = new ScriptedNode();
  for (let i = 0; i < 1000; i++) node.queue.push(data(i));
  const out = new Recorder();
  const iam = new InMemoryIamProvider({ nodeInfo: nodeInfo() });
  const monitor = new ResourceMonitor({
    currentNodeInfoProvider: iam.currentNodeInfoProvider,
    nodeMonitoringProvider: node,
    monitoringSender: out.monitoringSender,
    alertSender: out.alertSender,
    pollPeriodMs: 5,
    onError: out.onError,
  });
  await monitor.start();
  while (out.samples.length < 3) await delay(5);
  await monitor.close();
  const count = out.samples.length;
  await delay(30);
  assert.equal(out.samples.length, count, "no tick after close()");
  assert.deepEqual(out.errors, []);
});

Deno.test("aborting the start signal stops the monitor", async () => {
  const { monitor, config } = setup();
  const controller = new AbortController();
  await monitor.start({ signal: controller.signal });
  controller.abort();
  while (monitor.running) await delay(1);
  // Stopping is done once close() settles: wait for the unsubscription.
  while (config.listeners.size > 0) await delay(1);
  await assert.rejects(
    monitor.start({ signal: controller.signal }),
    (e) => errorIs(e, "canceled"),
  );
});

Deno.test("failures of providers and senders are reported and the next tick goes on", async () => {
  const { monitor, node, instances, out } = setup();
  instances.statuses = [{ ...IDENT_A, state: "active" }];
  instances.usage.set(instanceKey(IDENT_A), data(0, { cpu: 40 }));
  await monitor.start();
  node.queue.push(new AosError("runtime", "proc is gone"));
  const sent = await monitor.poll();
  assert.equal(sent.monitoringData.cpu, 40, "zeros plus the instance's figures");
  assert.ok(out.errors.some((e) => /proc is gone/.test(String((e as AosError).cause))));
  out.failSamples = true;
  node.queue.push(data(1, { cpu: 100 }));
  await monitor.poll();
  assert.ok(out.errors.some((e) => errorIs(e, "failed") && /monitoring data/.test(String(e))));
  out.failSamples = false;
  node.queue.push(data(2, { cpu: 100 }));
  await monitor.poll();
  assert.equal(out.samples.length, 2);
  await monitor.stop();
});

const LOW_CPU: AlertRules = {
  cpu: { minThreshold: 10, maxThreshold: 20, minTimeoutMs: 0 },
  partitions: [],
};

Deno.test("a node config change replaces the rules: fixed sends a fall, reference drops the alert", async () => {
  for (const compat of ["fixed", "reference"] as const) {
    const { monitor, node, config, out } = setup({ rules: LOW_CPU, compat });
    await monitor.start();
    node.queue.push(data(0, { cpu: 3000 }), data(1, { cpu: 3000 }));
    await monitor.poll();
    assert.deepEqual(out.take(), ["cpu:raise:3000"]);
    await config.change(LOW_CPU);
    assert.deepEqual(out.take(), compat === "fixed" ? ["cpu:fall:3000"] : [], compat);
    await monitor.poll();
    assert.deepEqual(out.take(), ["cpu:raise:3000"], `${compat}: the new rule raises again`);
    await monitor.stop();
    assert.deepEqual(out.take(), compat === "fixed" ? ["cpu:fall:3000"] : [], `${compat}: stop`);
  }
});

Deno.test("fixed: percent thresholds follow a change of the node's totals; reference keeps them", async () => {
  for (const compat of ["fixed", "reference"] as const) {
    const { monitor, node, iam, out } = setup({ rules: LOW_CPU, compat });
    await monitor.start();
    iam.setNodeInfo(nodeInfo({ maxDMIPS: 100_000 })); // max threshold 2000 → 20000
    node.queue.push(data(0, { cpu: 3000 }));
    await monitor.poll();
    assert.deepEqual(out.take(), compat === "fixed" ? [] : ["cpu:raise:3000"], compat);
    await monitor.stop();
  }
});

Deno.test("reference mode leaves the node ID of sent samples empty", async () => {
  const { monitor, node } = setup({ compat: "reference" });
  await monitor.start();
  node.queue.push(data(0));
  assert.equal((await monitor.poll()).nodeId, "");
  await monitor.stop();
});

Deno.test("invalid periods are refused", () => {
  for (const bad of [{ pollPeriodMs: 0 }, { averageWindowMs: -1 }, { pollPeriodMs: NaN }]) {
    assert.throws(() => setup(bad), (e) => errorIs(e, "invalidArgument"));
  }
});

Deno.test("the window holds averageWindow / pollPeriod samples, at least one", async () => {
  // Poll 10 s. CPU 0 then 300: A = 0, then 0 − 0 + 300 = 300, read as 300 / N.
  for (const [window, n] of [[60_000, 6], [30_000, 3], [5_000, 1]] as const) {
    const { monitor, node } = setup({ pollPeriodMs: 10_000, averageWindowMs: window });
    await monitor.start();
    node.queue.push(data(0, { cpu: 0 }), data(1, { cpu: 300 }));
    await monitor.poll();
    await monitor.poll();
    const avg = (await monitor.getAverageMonitoringData()).monitoringData.cpu;
    assert.equal(avg, n === 1 ? 300 : 300 / n, `window ${window} ms`);
    await monitor.stop();
  }
});
