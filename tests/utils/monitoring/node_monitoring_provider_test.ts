// Copyright 2026 the aos-common authors. Apache-2.0 license.
// deno-lint-ignore-file no-console -- ignored tests print why
// NodeMonitoringProvider on this machine's kernel, checked against the
// kernel's own figures read with `cat`, `df` and `getconf`.
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { connect, createServer } from "node:net";
import { join } from "node:path";
import { delay } from "../../../utils/abort.ts";
import { NodeMonitoringProvider } from "../../../utils/monitoring/node_monitoring_provider.ts";
import { localNodeInfo } from "../../../utils/monitoring/local_node_info.ts";
import type { TrafficCounters } from "../../../utils/monitoring/types.ts";
import { mountTmpfs, run, tmpfsUnavailable } from "../../_helpers/tmpfs.ts";
import { Burner, cpuFacts, meminfo, processTicks } from "./_kernel.ts";

const noTmpfs = await tmpfsUnavailable();
if (noTmpfs !== undefined) {
  console.warn(`node_monitoring_provider_test: ${noTmpfs}; partition case ignored`);
}

Deno.test("RAM is MemTotal − MemAvailable of /proc/meminfo; localNodeInfo has MemTotal", async () => {
  const provider = new NodeMonitoringProvider();
  const { ram } = await provider.getNodeMonitoringData();
  const total = await meminfo("MemTotal");
  const used = total - await meminfo("MemAvailable");
  // Other processes allocate between the two reads: allow 5 % of RAM.
  assert.ok(Math.abs(ram - used) < total * 0.05, `provider ${ram}, kernel ${used}`);
  assert.ok(ram > 0 && ram < total);
  const info = await localNodeInfo({ nodeId: "here" });
  assert.equal(info.totalRAM, total);
  const { cpus } = await cpuFacts();
  assert.equal(info.maxDMIPS, 100 * cpus);
  assert.equal(info.cpus[0]!.numThreads, cpus);
});

Deno.test("a CPU-burning child makes the CPU figure rise at least by its own share", async () => {
  const { cpus, ticksPerSecond } = await cpuFacts();
  const provider = new NodeMonitoringProvider({ maxDMIPS: 1000 });
  await provider.getNodeMonitoringData(); // starts the interval
  const started = performance.now();
  let burnt: number;
  {
    await using burner = new Burner();
    await delay(1000);
    burnt = await processTicks(burner.pid);
  }
  const { cpu } = await provider.getNodeMonitoringData();
  const seconds = (performance.now() - started) / 1000;
  // The child's time lies inside the interval, so the node was busy at least that long.
  const childShare = burnt / ticksPerSecond / seconds / cpus;
  assert.ok(childShare > 0.2 / cpus, `the child ran ${burnt} ticks only`);
  assert.ok(cpu >= 1000 * childShare * 0.9, `node ${cpu} DMIPS, child alone ${1000 * childShare}`);
  assert.ok(cpu <= 1000);
});

Deno.test("partition usage is statfs' used bytes, as df reports them", {
  ignore: noTmpfs !== undefined,
}, async () => {
  await using fs = await mountTmpfs(16 << 20);
  const provider = new NodeMonitoringProvider({
    partitions: [{ name: "scratch", path: fs.path }, { name: "gone", path: "/nonexistent/x" }],
  });
  const before = await provider.getNodeMonitoringData();
  assert.deepEqual(before.partitions.map((p) => p.name), ["scratch"], "a missing path is left out");
  await writeFile(join(fs.path, "data"), new Uint8Array(4 << 20));
  const after = (await provider.getNodeMonitoringData()).partitions[0]!.usedSize;
  assert.equal(after - before.partitions[0]!.usedSize, 4 << 20);
  const df = await run("df", ["-B1", "--output=used", fs.path]);
  assert.equal(after, Number(df.trim().split("\n")[1]));
});

Deno.test("traffic is the bytes of /proc/net/dev since the previous sample", async () => {
  const provider = new NodeMonitoringProvider({ interfaces: ["lo"] });
  const first = await provider.getNodeMonitoringData();
  assert.deepEqual([first.download, first.upload], [0, 0], "no period before the first sample");
  const payload = new Uint8Array(1 << 20);
  const server = createServer((socket) => socket.resume().on("end", () => socket.end()));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.end(payload));
    socket.on("error", reject).resume().on("close", () => resolve());
  });
  await new Promise((resolve) => server.close(resolve));
  const { download, upload } = await provider.getNodeMonitoringData();
  // Loopback counts each byte as received and as sent.
  assert.ok(download >= payload.length, `download ${download}`);
  assert.ok(upload >= payload.length, `upload ${upload}`);
});

Deno.test("a traffic provider's counters are turned into bytes per period; a drop is a reset", async () => {
  const counters: TrafficCounters[] = [
    { received: 100, sent: 10 },
    { received: 250, sent: 30 },
    { received: 40, sent: 35 },
  ];
  const provider = new NodeMonitoringProvider({
    trafficProvider: { getSystemTraffic: () => Promise.resolve(counters.shift()!) },
  });
  const got = [];
  for (let i = 0; i < 3; i++) {
    const { download, upload } = await provider.getNodeMonitoringData();
    got.push([download, upload]);
  }
  assert.deepEqual(got, [[0, 0], [150, 20], [40, 5]]);
});

Deno.test("samples carry the injected clock's time", async () => {
  const now = new Date("2026-05-07T06:00:00Z");
  const provider = new NodeMonitoringProvider({ now: () => now });
  assert.equal((await provider.getNodeMonitoringData()).timestamp, now);
});
