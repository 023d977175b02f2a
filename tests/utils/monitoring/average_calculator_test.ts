// Copyright 2026 the aos-common authors. Apache-2.0 license.
import assert from "node:assert/strict";
import { AverageCalculator } from "../../../utils/monitoring/average_calculator.ts";
import type { MonitoringData, NodeMonitoringSample } from "../../../utils/monitoring/types.ts";
import { errorIs } from "../../../utils/errors.ts";

const IDENT = { itemId: "service1", subjectId: "subject1", instance: 0 };

function data(
  cpu: number,
  ram: number,
  download: number,
  upload: number,
  partitions: Record<string, number> = {},
): MonitoringData {
  return {
    timestamp: new Date(0),
    cpu,
    ram,
    download,
    upload,
    partitions: Object.entries(partitions).map(([name, usedSize]) => ({ name, usedSize })),
  };
}

function sample(node: MonitoringData, instance?: MonitoringData): NodeMonitoringSample {
  return {
    nodeId: "node1",
    monitoringData: node,
    instances: instance === undefined
      ? []
      : [{ instanceIdent: IDENT, runtimeId: "crun", monitoringData: instance }],
  };
}

function figures(d: MonitoringData): number[] {
  return [d.cpu, d.ram, d.download, d.upload, ...d.partitions.map((p) => p.usedSize)];
}

Deno.test("the spec's vectors: window 3, node and instance averages after each sample", () => {
  const average = new AverageCalculator(3);
  average.startInstanceMonitoring(IDENT);
  const nodeIn = [
    data(0, 600, 300, 300, { state: 100 }),
    data(900, 300, 0, 300, { state: 400 }),
    data(1200, 200, 200, 0, { state: 500 }),
  ];
  const instanceIn = [
    data(600, 0, 300, 300, { state: 300 }),
    data(300, 900, 300, 0, { state: 0 }),
    data(200, 1200, 0, 200, { state: 800 }),
  ];
  const nodeOut = [[0, 600, 300, 300, 100], [300, 500, 200, 300, 200], [600, 400, 200, 200, 300]];
  const instanceOut = [[600, 0, 300, 300, 300], [500, 300, 300, 200, 200], [
    400,
    600,
    200,
    200,
    400,
  ]];
  for (let i = 0; i < 3; i++) {
    average.update(sample(nodeIn[i]!, instanceIn[i]!));
    const avg = average.getAverageMonitoringData();
    assert.deepEqual(figures(avg.monitoringData), nodeOut[i], `node after sample ${i + 1}`);
    assert.equal(avg.instances.length, 1);
    assert.deepEqual(
      figures(avg.instances[0]!.monitoringData),
      instanceOut[i],
      `instance after sample ${i + 1}`,
    );
  }
});

Deno.test("CPU is averaged without rounding, the integer figures round half up", () => {
  const average = new AverageCalculator(4);
  average.update(sample(data(1, 1, 1, 1)));
  average.update(sample(data(2, 2, 2, 2)));
  // cpu: 4 − 1 + 2 = 5 → 1.25; ram: 4 − 1 + 2 = 5 → round(1.25) = 1
  const avg = average.getAverageMonitoringData().monitoringData;
  assert.equal(avg.cpu, 1.25);
  assert.equal(avg.ram, 1);
  average.update(sample(data(3, 3, 3, 3)));
  // ram: 5 − round(1.25) + 3 = 7 → round(1.75) = 2; cpu: 5 − 1.25 + 3 = 6.75 → 1.6875
  const next = average.getAverageMonitoringData().monitoringData;
  assert.equal(next.cpu, 1.6875);
  assert.equal(next.ram, 2);
});

Deno.test("a window of one sample averages to the last sample", () => {
  const average = new AverageCalculator(1);
  for (const cpu of [10, 70, 30]) {
    average.update(sample(data(cpu, cpu, cpu, cpu, { p: cpu })));
    assert.deepEqual(figures(average.getAverageMonitoringData().monitoringData), [
      cpu,
      cpu,
      cpu,
      cpu,
      cpu,
    ]);
  }
});

Deno.test("a partition that appears late starts at its value (fixed) or near twice it (reference)", () => {
  const fixed = new AverageCalculator(3);
  const reference = new AverageCalculator(3, { compat: "reference" });
  for (const average of [fixed, reference]) {
    average.update(sample(data(0, 0, 0, 0)));
    average.update(sample(data(0, 0, 0, 0, { storage: 300 })));
  }
  const usage = (average: AverageCalculator) =>
    average.getAverageMonitoringData().monitoringData.partitions;
  assert.deepEqual(usage(fixed), [{ name: "storage", usedSize: 300 }]);
  // AosCore: A = 300 − 100 + 300 = 500 → 167
  assert.deepEqual(usage(reference), [{ name: "storage", usedSize: 167 }]);
});

Deno.test("a partition missing from a sample keeps its average", () => {
  const average = new AverageCalculator(3);
  average.update(sample(data(0, 0, 0, 0, { state: 300 })));
  average.update(sample(data(0, 0, 0, 0)));
  assert.deepEqual(average.getAverageMonitoringData().monitoringData.partitions, [
    { name: "state", usedSize: 300 },
  ]);
});

Deno.test("averages carry node ID, time and runtime (fixed); AosCore leaves them empty (reference)", () => {
  const now = new Date("2026-05-07T06:00:00Z");
  const fixed = new AverageCalculator(2, { now: () => now });
  const reference = new AverageCalculator(2, { compat: "reference" });
  for (const average of [fixed, reference]) {
    average.startInstanceMonitoring(IDENT);
    average.update(sample(data(1, 1, 1, 1), data(1, 1, 1, 1)));
  }
  const f = fixed.getAverageMonitoringData();
  assert.equal(f.nodeId, "node1");
  assert.equal(f.monitoringData.timestamp, now);
  assert.equal(f.instances[0]!.runtimeId, "crun");
  const r = reference.getAverageMonitoringData();
  assert.equal(r.nodeId, "");
  assert.equal(r.monitoringData.timestamp.getTime(), 0);
  assert.equal(r.instances[0]!.runtimeId, "");
});

Deno.test("instances: registration order, zeros before the first sample, errors", () => {
  const average = new AverageCalculator(3);
  const second = { ...IDENT, instance: 1 };
  average.startInstanceMonitoring(second);
  average.startInstanceMonitoring(IDENT);
  assert.throws(
    () => average.startInstanceMonitoring({ ...IDENT }),
    (e) => errorIs(e, "alreadyExist"),
  );
  const avg = average.getAverageMonitoringData();
  assert.deepEqual(avg.instances.map((i) => i.instanceIdent.instance), [1, 0]);
  assert.deepEqual(figures(avg.instances[0]!.monitoringData), [0, 0, 0, 0]);

  average.stopInstanceMonitoring(second);
  assert.throws(() => average.stopInstanceMonitoring(second), (e) => errorIs(e, "notFound"));
  assert.equal(average.getAverageMonitoringData().instances.length, 1);

  // An unregistered instance fails the update after the node was updated (AosCore's order).
  const stranger = sample(data(30, 0, 0, 0));
  stranger.instances.push({
    instanceIdent: second,
    runtimeId: "",
    monitoringData: data(1, 1, 1, 1),
  });
  assert.throws(() => average.update(stranger), (e) => errorIs(e, "notFound"));
  assert.equal(average.getAverageMonitoringData().monitoringData.cpu, 30);
});

Deno.test("an invalid window count is refused", () => {
  for (const n of [0, -1, 1.5, NaN]) {
    assert.throws(() => new AverageCalculator(n), (e) => errorIs(e, "invalidArgument"));
  }
});
