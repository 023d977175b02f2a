// Copyright 2026 the aos-common authors. Apache-2.0 license.
// deno-lint-ignore-file no-console
// Runs a ResourceMonitor on this machine (poll 1 s, average window 60 s, alert
// rules on CPU, RAM and the root partition, every sample encoded as a
// monitoringData message) for N seconds, and prints the process's own CPU time
// over that wall time, from /proc/self/stat. Run by monitoring.ts.
import { execFileSync } from "node:child_process";
import process from "node:process";
import { encodeMessage } from "../../cloudprotocol/mod.ts";
import { delay } from "../../utils/abort.ts";
import { InMemoryIamProvider } from "../../utils/iam/mod.ts";
import {
  CloudMonitoringSender,
  localNodeInfo,
  NodeMonitoringProvider,
  ResourceMonitor,
} from "../../utils/monitoring/mod.ts";
import { readKernelFile } from "../../utils/monitoring/_kernel_file.ts";

const seconds = Number(process.argv[process.argv.length - 1]) || 60;
const ticksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }));

/** utime + stime of this process, in ms. */
function ownCpuMs(): number {
  const stat = readKernelFile("/proc/self/stat");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 1000 / ticksPerSecond;
}

const nodeInfo = await localNodeInfo({
  nodeId: "bench",
  partitions: [{ name: "root", path: "/", types: ["generic"] }],
});
const iam = new InMemoryIamProvider({ nodeInfo });
const sent = { monitoringData: 0, alerts: 0 };
let bytes = 0;
const sender = new CloudMonitoringSender({
  send: (message) => {
    bytes += JSON.stringify(encodeMessage(message)).length;
    sent[message.messageType]++;
  },
});
const monitor = new ResourceMonitor({
  currentNodeInfoProvider: iam.currentNodeInfoProvider,
  nodeMonitoringProvider: new NodeMonitoringProvider({
    maxDMIPS: nodeInfo.maxDMIPS,
    partitions: nodeInfo.partitions,
  }),
  monitoringSender: sender,
  alertSender: sender,
  alertRules: {
    cpu: { minThreshold: 80, maxThreshold: 90, minTimeoutMs: 3000 },
    ram: { minThreshold: 80, maxThreshold: 90, minTimeoutMs: 3000 },
    partitions: [{ name: "root", minThreshold: 95, maxThreshold: 98, minTimeoutMs: 3000 }],
  },
  pollPeriodMs: 1000,
  averageWindowMs: 60_000,
});
await monitor.start();
await delay(2500); // two ticks: code paths compiled, first figures read
const cpu0 = ownCpuMs();
const wall0 = performance.now();
const samples0 = sent.monitoringData;
await delay(seconds * 1000);
const cpuMs = ownCpuMs() - cpu0;
const wallMs = performance.now() - wall0;
await monitor.stop();
console.log(JSON.stringify({
  cpuMs,
  wallMs,
  samples: sent.monitoringData - samples0,
  alertMessages: sent.alerts,
  bytesPerMessage: Math.round(bytes / (sent.monitoringData + sent.alerts)),
}));
