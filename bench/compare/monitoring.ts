// Copyright 2026 the aos-common authors. Apache-2.0 license.
// deno-lint-ignore-file no-console
/**
 * The node monitor beside the shell-script way of reading the same figures,
 * on Deno or Node (`node bench/compare/monitoring.ts [seconds]`):
 *
 * 1. one sample of NodeMonitoringProvider (/proc/stat, /proc/meminfo,
 *    /proc/net/dev, statfs of /) against one `cat` of the same three files,
 *    taking turns, 200 rounds: median and best of each;
 * 2. a ResourceMonitor polling every second for 60 s (or `seconds`) in a
 *    child process: its own CPU time over wall time, from /proc/self/stat.
 *
 * Then a BENCH-RESULT line per goal (bench/README.md): one sample cheaper
 * than the `cat`, the monitor under 0.5 % of one core.
 *
 * Deno: `deno run --allow-read --allow-run --allow-ffi --allow-sys --allow-env
 * bench/compare/monitoring.ts` (FFI reads /proc without --allow-all).
 *
 * @module
 */
import { execFile, execFileSync } from "node:child_process";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { NodeMonitoringProvider } from "../../utils/monitoring/mod.ts";
import { readKernelFile } from "../../utils/monitoring/_kernel_file.ts";
import { printResult } from "./_result.ts";

const ROUNDS = 200;
const FILES = ["/proc/stat", "/proc/meminfo", "/proc/net/dev"];
const seconds = Number(process.argv[process.argv.length - 1]) || 60;
const deno = (globalThis as { Deno?: { execPath(): string } }).Deno;
const runtime = deno === undefined ? `Node ${process.version}` : "Deno";

function loadavg(): string {
  return readKernelFile("/proc/loadavg").split(" ").slice(0, 3).join(" ");
}

function catOnce(): Promise<void> {
  return new Promise((resolve, reject) =>
    execFile("cat", FILES, { encoding: "utf8" }, (err) => err ? reject(err) : resolve())
  );
}

function stats(times: number[]): string {
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  return `median ${(median * 1000).toFixed(0)} µs, best ${(sorted[0]! * 1000).toFixed(0)} µs`;
}

console.log(
  `${runtime}, ${execFileSync("nproc", { encoding: "utf8" }).trim()} CPUs, load ${loadavg()}`,
);

const provider = new NodeMonitoringProvider({ partitions: [{ name: "root", path: "/" }] });
await provider.getNodeMonitoringData();
const ours: number[] = [];
const cat: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  let start = performance.now();
  await provider.getNodeMonitoringData();
  ours.push(performance.now() - start);
  start = performance.now();
  await catOnce();
  cat.push(performance.now() - start);
}
const median = (t: number[]) => [...t].sort((a, b) => a - b)[Math.floor(t.length / 2)]!;
console.log(`one sample (3 files + statfs): ${stats(ours)}`);
console.log(`cat of the 3 files:            ${stats(cat)}`);
console.log(`sample / cat (medians): ${(median(ours) / median(cat)).toFixed(3)}`);

const child = fileURLToPath(new URL("./_monitor_load.ts", import.meta.url));
const args = deno === undefined ? [child, String(seconds)] : [
  "run",
  "--allow-read",
  "--allow-run",
  "--allow-ffi",
  "--allow-sys",
  "--allow-env",
  child,
  String(seconds),
];
console.log(`monitor, poll 1 s, for ${seconds} s (load ${loadavg()}) ...`);
const out = execFileSync(deno?.execPath() ?? process.execPath, args, { encoding: "utf8" });
const { cpuMs, wallMs, samples, alertMessages, bytesPerMessage } = JSON.parse(out);
console.log(
  `monitor: ${cpuMs.toFixed(0)} ms CPU in ${(wallMs / 1000).toFixed(1)} s: ` +
    `${(100 * cpuMs / wallMs).toFixed(3)} % of one core; ${samples} samples and ` +
    `${alertMessages} alert messages sent (${bytesPerMessage} B each); load after ${loadavg()}`,
);
const on = deno === undefined ? "Node" : "Deno";
printResult({
  module: "utils/monitoring",
  name: `one sample beside one cat of the same files, ${on}`,
  ours: median(ours) * 1000,
  peer: median(cat) * 1000,
  peerName: "cat",
  unit: "µs",
  goal: 1,
  higherIsBetter: false,
});
printResult({
  module: "utils/monitoring",
  name: `monitor polling every second for ${seconds} s, ${on}`,
  ours: 100 * cpuMs / wallMs,
  unit: "% of a core",
  goal: 0.5,
  higherIsBetter: false,
});
