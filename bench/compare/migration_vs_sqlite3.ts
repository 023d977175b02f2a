// Copyright 2026 the aos-common authors. Apache-2.0 license.
// deno-lint-ignore-file no-console
// The migration workload of bench/migration_bench.ts (200 steps on about
// 100 MB), run in interleaved rounds so that every variant sees the same
// machine load: this module, node:sqlite executing the same statements
// without it, and the sqlite3 CLI. Prints the median and the best time of
// each, and the module's ratio to each peer; then a BENCH-RESULT line
// (bench/README.md): the goal is within 1.2x of the CLI running the same
// statements, by median.
//
//   deno run --allow-read --allow-write --allow-run --allow-env --allow-sys \
//     bench/compare/migration_vs_sqlite3.ts [rounds]
import process from "node:process";
import { hasCli, STEPS, workload } from "../_migration_fixture.ts";
import { printResult } from "./_result.ts";

const rounds = Number(process.argv[2] ?? 10);
await using w = await workload();
const variants = [
  ["Migration.migrateToVersion (node:sqlite)", () => w.module()],
  ["node:sqlite exec, same statements, no module", () => w.rawExec()],
  ...(hasCli
    ? [
      ["sqlite3 CLI, same statements", () => w.cliSame()],
      ["sqlite3 CLI, as AosCore (commit per step)", () => w.cliAosCore()],
    ] as const
    : []),
] as const;
if (!hasCli) console.warn("the sqlite3 CLI is missing (apt-get install sqlite3): peers skipped");

const times = variants.map(() => [] as number[]);
for (let r = 0; r < rounds; r++) {
  // Rotate the order, so that no variant always runs right after another.
  for (let j = 0; j < variants.length; j++) {
    const i = (r + j) % variants.length;
    await w.reset();
    const start = performance.now();
    await variants[i]![1]();
    times[i]!.push(performance.now() - start);
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const ours = { median: median(times[0]!), best: Math.min(...times[0]!) };
console.log(`${STEPS} steps on ${w.megabytes} MB, ${rounds} interleaved rounds`);
console.log("| variant | median | best | module / variant (median) | (best) |");
console.log("| --- | ---: | ---: | ---: | ---: |");
variants.forEach(([name], i) => {
  const m = median(times[i]!);
  const b = Math.min(...times[i]!);
  console.log(
    `| ${name} | ${m.toFixed(0)} ms | ${b.toFixed(0)} ms | ` +
      `${(ours.median / m).toFixed(2)} | ${(ours.best / b).toFixed(2)} |`,
  );
});
if (hasCli) {
  printResult({
    module: "migration",
    name: `${STEPS} steps on ${w.megabytes} MB, median of ${rounds}`,
    ours: ours.median,
    peer: median(times[2]!),
    peerName: "sqlite3 CLI",
    unit: "ms",
    goal: 1.2,
    higherIsBetter: false,
  });
}
