// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * The soak run's closing report and its verdict.
 *
 * @module
 */
import type { MemoryVerdict } from "./_memory.ts";
import type { Tally } from "./_scenario.ts";

/** One scenario's outcome. */
export interface ScenarioResult {
  name: string;
  tally: Tally;
  ms: number;
}

const MiB = 1 << 20;

function row(cells: string[], widths: number[]): string {
  return cells.map((cell, i) => i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))
    .join("  ");
}

/**
 * Formats the report and decides the verdict: zero data lost, no problem,
 * every scenario did some work, resident memory flat. The JS heap is shown
 * beside RSS to tell a JavaScript leak from native growth.
 */
export function formatReport(
  results: readonly ScenarioResult[],
  memory: MemoryVerdict,
  heap: MemoryVerdict,
  run: { seconds: number; seed: number },
): { text: string; passed: boolean } {
  const header = ["scenario", "operations", "faults injected", "faults survived", "data lost"];
  const rows = results.map(({ name, tally }) => [
    name,
    tally.operations.toLocaleString("en-US"),
    tally.faultsInjected.toLocaleString("en-US"),
    tally.faultsSurvived.toLocaleString("en-US"),
    tally.dataLost.toLocaleString("en-US"),
  ]);
  const sum = (pick: (t: Tally) => number) =>
    results.reduce((n, r) => n + pick(r.tally), 0).toLocaleString("en-US");
  rows.push([
    "total",
    sum((t) => t.operations),
    sum((t) => t.faultsInjected),
    sum((t) => t.faultsSurvived),
    sum((t) => t.dataLost),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const lines = ["", "soak report", row(header, widths), ...rows.map((r) => row(r, widths))];
  for (const { name, tally } of results) {
    const details = Object.entries(tally.details).map(([k, v]) =>
      `${k} ${v.toLocaleString("en-US")}`
    );
    if (details.length > 0) lines.push(`  ${name}: ${details.join(", ")}`);
    for (const problem of tally.problems) lines.push(`  ${name} PROBLEM: ${problem}`);
  }
  lines.push(
    `memory: RSS ${(memory.startBytes / MiB).toFixed(1)} MiB after warm-up, ` +
      `${(memory.endBytes / MiB).toFixed(1)} MiB at the end ` +
      `(${(memory.growth * 100).toFixed(1)} %), peak ${(memory.peakBytes / MiB).toFixed(1)} MiB: ` +
      (memory.flat ? "flat" : "GROWING") +
      `; JS heap ${(heap.startBytes / MiB).toFixed(1)} -> ${(heap.endBytes / MiB).toFixed(1)} MiB`,
  );
  const dataLost = results.reduce((n, r) => n + r.tally.dataLost, 0);
  const passed = dataLost === 0 && memory.flat;
  lines.push(
    `${passed ? "PASS" : "FAIL"}: ${run.seconds.toFixed(0)} s, data lost ${dataLost}, ` +
      `SOAK_SEED=${run.seed}`,
  );
  return { text: lines.join("\n"), passed };
}
