// Copyright 2026 the aos-common authors. Apache-2.0 license.
// deno-lint-ignore-file no-console -- ignored tests print why
// CgroupMonitoringProvider on files laid out as cgroup v2 lays them out, and
// on a real cgroup v2 group with a CPU-burning process in it.
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { delay } from "../../../utils/abort.ts";
import { errorIs, hasErrno } from "../../../utils/errors.ts";
import { CgroupMonitoringProvider } from "../../../utils/monitoring/cgroup_monitoring_provider.ts";
import { run } from "../../_helpers/tmpfs.ts";
import { Burner, cat, cpuFacts } from "./_kernel.ts";

const IDENT = { itemId: "svc", subjectId: "user", instance: 0 };

/** Where cgroup v2 is mounted and whether a group made there gets memory.current. */
async function cgroup2(): Promise<{ root?: string; why?: string; memory?: boolean }> {
  if (process.getuid?.() !== 0) return { why: "creating a cgroup needs root" };
  const mounts = await cat("/proc/self/mountinfo");
  const line = mounts.split("\n").find((l) => / - cgroup2 /.test(l));
  if (line === undefined) return { why: "no cgroup v2 hierarchy is mounted" };
  const root = line.split(" ")[4]!;
  const controllers = await cat(`${root}/cgroup.subtree_control`).catch(() => "");
  return { root, memory: controllers.split(/\s+/).includes("memory") };
}

const hierarchy = await cgroup2();
if (hierarchy.why !== undefined) {
  console.warn(`cgroup_monitoring_provider_test: ${hierarchy.why}; real cgroup cases ignored`);
} else if (!hierarchy.memory) {
  console.warn(
    "cgroup_monitoring_provider_test: the memory controller is not enabled on the cgroup v2 " +
      `hierarchy at ${hierarchy.root} (a hybrid v1/v2 system); the memory.current case is ignored`,
  );
}

async function withGroup(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = join(hierarchy.root!, `aos-test-${process.pid}-${Date.now()}`);
  await run("mkdir", [dir]);
  try {
    await fn(dir);
  } finally {
    // The group can go once its processes are gone.
    await run("rmdir", [dir]);
  }
}

Deno.test("CPU is the cgroup's usage over wall time and CPUs; RAM is memory.current", async () => {
  const dir = await mkdtemp(join(tmpdir(), "cgroup-"));
  try {
    const { cpus } = await cpuFacts();
    let monotonic = 0;
    const provider = new CgroupMonitoringProvider({
      cgroupPath: () => dir,
      runtimeId: () => "crun",
      maxDMIPS: 1000,
      monotonicNow: () => monotonic,
    });
    await writeFile(join(dir, "cpu.stat"), "usage_usec 1000000\nuser_usec 800000\n");
    await writeFile(join(dir, "memory.current"), "52428800\n");
    const first = await provider.getInstanceMonitoringData(IDENT);
    assert.deepEqual(first.instanceIdent, IDENT);
    assert.equal(first.runtimeId, "crun");
    assert.equal(first.monitoringData.cpu, 0, "no interval before the first sample");
    assert.equal(first.monitoringData.ram, 52_428_800);
    // 0.5 s of CPU in 1 s of wall time: half a CPU.
    monotonic = 1000;
    await writeFile(join(dir, "cpu.stat"), "usage_usec 1500000\nuser_usec 1200000\n");
    const second = await provider.getInstanceMonitoringData(IDENT);
    assert.equal(second.monitoringData.cpu, 1000 * 0.5 / cpus);
    // Each instance keeps its own interval.
    const other = await provider.getInstanceMonitoringData({ ...IDENT, instance: 1 });
    assert.equal(other.monitoringData.cpu, 0);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

Deno.test("without memory.current RAM reads 0; without the cgroup the read fails", async () => {
  const dir = await mkdtemp(join(tmpdir(), "cgroup-"));
  try {
    await writeFile(join(dir, "cpu.stat"), "usage_usec 5\n");
    const provider = new CgroupMonitoringProvider({ cgroupPath: (i) => join(dir, i.itemId) });
    await assert.rejects(
      provider.getInstanceMonitoringData(IDENT),
      (e) => errorIs(e, "runtime") && hasErrno(e, "ENOENT"),
    );
    const flat = new CgroupMonitoringProvider({ cgroupPath: () => dir });
    assert.equal((await flat.getInstanceMonitoringData(IDENT)).monitoringData.ram, 0);
    await writeFile(join(dir, "cpu.stat"), "nothing here\n");
    await assert.rejects(flat.getInstanceMonitoringData(IDENT), (e) => errorIs(e, "failed"));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

Deno.test("a real cgroup v2 group: a burning process makes its CPU figure match cpu.stat", {
  ignore: hierarchy.why !== undefined,
}, async () => {
  await withGroup(async (dir) => {
    const { cpus } = await cpuFacts();
    const provider = new CgroupMonitoringProvider({ cgroupPath: () => dir, maxDMIPS: 1000 });
    const usage = async () => Number(/^usage_usec (\d+)$/m.exec(await cat(`${dir}/cpu.stat`))![1]);
    await using _burner = new Burner(dir);
    while ((await cat(`${dir}/cgroup.procs`)).trim() === "") await delay(5);
    const before = await usage();
    const start = performance.now();
    await provider.getInstanceMonitoringData(IDENT);
    await delay(1000);
    const { monitoringData } = await provider.getInstanceMonitoringData(IDENT);
    const kernel = (await usage() - before) / ((performance.now() - start) * 1000 * cpus) * 1000;
    assert.ok(monitoringData.cpu > 0.2 * 1000 / cpus, `only ${monitoringData.cpu} DMIPS`);
    // Our interval lies within the kernel's, at a steady rate: within 25 %.
    assert.ok(
      Math.abs(monitoringData.cpu - kernel) < 0.25 * kernel,
      `provider ${monitoringData.cpu}, kernel ${kernel}`,
    );
  });
});

Deno.test("a real cgroup v2 group with the memory controller: RAM is memory.current", {
  ignore: hierarchy.why !== undefined || !hierarchy.memory,
}, async () => {
  await withGroup(async (dir) => {
    await using _burner = new Burner(dir);
    while ((await cat(`${dir}/cgroup.procs`)).trim() === "") await delay(5);
    const provider = new CgroupMonitoringProvider({ cgroupPath: () => dir });
    const { ram } = (await provider.getInstanceMonitoringData(IDENT)).monitoringData;
    const kernel = Number(await cat(`${dir}/memory.current`));
    assert.ok(ram > 0);
    assert.ok(Math.abs(ram - kernel) < 1 << 20, `provider ${ram}, kernel ${kernel}`);
  });
});
