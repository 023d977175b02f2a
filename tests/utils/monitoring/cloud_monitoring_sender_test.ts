// Copyright 2026 the aos-common authors. Apache-2.0 license.
// CloudMonitoringSender: its messages are the cloud protocol's, and a monitor
// built on it sends monitoringData and alerts the cloud protocol encodes.
import assert from "node:assert/strict";
import {
  type AlertsMessage,
  type CloudMessage,
  decodeMessage,
  encodeMessage,
  type MonitoringMessage,
} from "../../../cloudprotocol/mod.ts";
import {
  CloudMonitoringSender,
  type CloudMonitoringSenderMessage,
} from "../../../utils/monitoring/cloud_monitoring_sender.ts";
import { ResourceMonitor } from "../../../utils/monitoring/resource_monitor.ts";
import { InMemoryIamProvider } from "../../../utils/iam/in_memory_iam_provider.ts";
import type { SystemQuotaAlert } from "../../../utils/alerts.ts";
import { AosError, errorIs } from "../../../utils/errors.ts";
import { data, nodeInfo, ScriptedNode, T0 } from "./_fakes.ts";

// The sender's message types are the cloud protocol's: this must compile.
const _asCloud = (m: CloudMonitoringSenderMessage): MonitoringMessage | AlertsMessage => m;

const IDENT = { itemId: "svc", subjectId: "user", instance: 2, preinstalled: true };

function quota(value: number): SystemQuotaAlert {
  return {
    tag: "systemQuotaAlert",
    timestamp: new Date(T0),
    nodeId: "main",
    parameter: "cpu",
    value,
    state: "raise",
  };
}

Deno.test("alerts handed over together share messages of at most 16", async () => {
  const sent: CloudMonitoringSenderMessage[] = [];
  const sender = new CloudMonitoringSender({ send: (m) => void sent.push(m) });
  await Promise.all(Array.from({ length: 20 }, (_, i) => sender.sendAlert(quota(i))));
  await sender.sendAlert(quota(99));
  assert.deepEqual(
    sent.map((m) =>
      m.messageType === "alerts" ? m.items.map((a) => (a as SystemQuotaAlert).value) : []
    ),
    [Array.from({ length: 16 }, (_, i) => i), [16, 17, 18, 19], [99]],
  );
});

Deno.test("a failed send rejects the alerts of that message only", async () => {
  let calls = 0;
  const sender = new CloudMonitoringSender({
    send: () => {
      if (++calls === 1) throw new AosError("failed", "offline");
    },
  });
  const results = await Promise.allSettled(
    Array.from({ length: 17 }, (_, i) => sender.sendAlert(quota(i))),
  );
  assert.equal(results.filter((r) => r.status === "rejected").length, 16);
  assert.equal(results[16]!.status, "fulfilled");
});

Deno.test("samples are batched per node and instance up to samplesPerMessage", async () => {
  const sent: CloudMonitoringSenderMessage[] = [];
  const sender = new CloudMonitoringSender({
    send: (m) => void sent.push(m),
    samplesPerMessage: 2,
  });
  for (let i = 0; i < 3; i++) {
    await sender.sendMonitoringData({
      nodeId: "main",
      monitoringData: data(i, { cpu: i }),
      instances: [{ instanceIdent: IDENT, runtimeId: "crun", monitoringData: data(i, { ram: i }) }],
    });
  }
  assert.equal(sent.length, 1);
  await sender.flush();
  await sender.flush(); // nothing more to send
  assert.equal(sent.length, 2);
  const [first, second] = sent as MonitoringMessage[];
  assert.deepEqual(first!.nodes.map((n) => [n.nodeId, n.items.map((d) => d.cpu)]), [["main", [
    0,
    1,
  ]]]);
  assert.deepEqual(first!.instances.map((i) => [i.itemId, i.instance, i.preinstalled, i.nodeId]), [
    ["svc", 2, true, "main"],
  ]);
  assert.deepEqual(second!.nodes[0]!.items.map((d) => d.cpu), [2]);
  assert.throws(
    () => new CloudMonitoringSender({ send: () => {}, samplesPerMessage: 17 }),
    (e) => errorIs(e, "invalidArgument"),
  );
});

Deno.test("a monitor on the sender produces monitoringData and alerts the cloud protocol encodes", async () => {
  const sent: CloudMonitoringSenderMessage[] = [];
  const sender = new CloudMonitoringSender({ send: (m) => void sent.push(m) });
  const node = new ScriptedNode();
  node.queue.push(data(0, { cpu: 2500, ram: 4096 }, { state: 300 }));
  const iam = new InMemoryIamProvider({ nodeInfo: nodeInfo() });
  await using monitor = new ResourceMonitor({
    currentNodeInfoProvider: iam.currentNodeInfoProvider,
    nodeMonitoringProvider: node,
    monitoringSender: sender,
    alertSender: sender,
    alertRules: {
      cpu: { minThreshold: 10, maxThreshold: 20, minTimeoutMs: 0 },
      ram: { minThreshold: 10, maxThreshold: 20, minTimeoutMs: 0 },
      partitions: [],
    },
    pollPeriodMs: 3_600_000,
  });
  await monitor.start();
  await monitor.poll();
  assert.deepEqual(sent.map((m) => m.messageType), ["alerts", "monitoringData"]);
  for (const message of sent) {
    const wire = JSON.parse(JSON.stringify(encodeMessage(message as CloudMessage)));
    assert.deepEqual(decodeMessage(wire).messageType, message.messageType);
    if (message.messageType === "alerts") {
      assert.deepEqual(wire.items.map((a: { parameter: string }) => a.parameter), ["cpu", "ram"]);
      assert.deepEqual(wire.items[0].node, { codename: "node1" });
      assert.equal(wire.items[0].state, undefined, "the quota state is not on the wire");
    } else {
      assert.deepEqual(wire.nodes[0].node, { codename: "node1" });
      assert.equal(wire.nodes[0].items[0].cpu, 2500);
      assert.deepEqual(wire.nodes[0].items[0].partitions, [{ name: "state", usedSize: 300 }]);
      assert.equal(wire.nodes[0].items[0].timestamp, "2026-05-07T06:00:00.000000Z");
    }
  }
});
