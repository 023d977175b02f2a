// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The /proc and cgroup parsers on fixed texts.
import assert from "node:assert/strict";
import {
  parseCpuModel,
  parseCpuStatUsage,
  parseInteger,
  parseMeminfo,
  parseNetDev,
  parseProcStat,
} from "../../../utils/monitoring/_proc.ts";
import { errorIs } from "../../../utils/errors.ts";

Deno.test("/proc/stat: busy is everything but idle and iowait; guest time is not counted twice", () => {
  const text = "cpu  100 5 50 800 20 3 2 1 40 0\ncpu0 50 2 25 400 10 1 1 0 20 0\n" +
    "cpu1 50 3 25 400 10 2 1 1 20 0\nintr 12345 0\nctxt 99\n";
  assert.deepEqual(parseProcStat(text), { busy: 161, total: 981, cpus: 2 });
  // Kernels before 2.6.11 have four fields only.
  assert.deepEqual(parseProcStat("cpu 1 2 3 4\ncpu0 1 2 3 4\n"), { busy: 6, total: 10, cpus: 1 });
  assert.throws(() => parseProcStat("intr 1\n"), (e) => errorIs(e, "failed"));
});

Deno.test("/proc/meminfo: MemAvailable, or free + buffers + cached on old kernels", () => {
  assert.deepEqual(
    parseMeminfo("MemTotal:       1000 kB\nMemFree:         100 kB\nMemAvailable:    600 kB\n"),
    { total: 1_024_000, available: 614_400 },
  );
  assert.deepEqual(
    parseMeminfo("MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 50 kB\nCached: 250 kB\n"),
    { total: 1_024_000, available: 409_600 },
  );
  assert.throws(() => parseMeminfo("SwapTotal: 0 kB\n"), (e) => errorIs(e, "failed"));
});

Deno.test("/proc/net/dev: counters of the chosen interfaces added up", () => {
  const text = "Inter-|   Receive                                                |  Transmit\n" +
    " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets\n" +
    "    lo:    1000      10    0    0    0     0          0         0     1000      10    0    0    0     0       0          0\n" +
    "  eth0: 5000000    4000    0    0    0     0          0         0   700000     900    0    0    0     0       0          0\n" +
    "wlan0:12       1    0    0    0     0          0         0       34       1    0    0    0     0       0          0\n";
  assert.deepEqual(parseNetDev(text, (name) => name !== "lo"), {
    received: 5_000_012,
    sent: 700_034,
  });
  assert.deepEqual(parseNetDev(text, (name) => name === "lo"), { received: 1000, sent: 1000 });
});

Deno.test("cgroup files and the CPU model", () => {
  assert.equal(parseCpuStatUsage("usage_usec 1234\nuser_usec 1000\n", "cpu.stat"), 1234);
  assert.throws(() => parseCpuStatUsage("user_usec 1\n", "x/cpu.stat"), /x\/cpu\.stat/);
  assert.equal(parseInteger("4096\n", "memory.current"), 4096);
  assert.throws(() => parseInteger("max\n", "memory.current"), (e) => errorIs(e, "failed"));
  assert.equal(
    parseCpuModel("processor\t: 0\nmodel name\t: Intel(R) Xeon(R)\n"),
    "Intel(R) Xeon(R)",
  );
  assert.equal(parseCpuModel("processor : 0\nBogoMIPS : 50.00\n"), "unknown");
});
