// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The goal table of BENCHMARKS.md and the result lines it is made from, without
// running any benchmark.
import assert from "node:assert/strict";
import { type BenchResult, parseResultLine } from "../../bench/compare/_result.ts";
import {
  END_MARKER,
  formatNumber,
  goalRows,
  meetsGoal,
  parseRegion,
  type RunRecord,
  START_MARKER,
  updateDocument,
} from "../../bench/compare/_table.ts";
import { errorIs } from "../../utils/errors.ts";

const ORDER = ["fileserver.sh", "monitoring.ts (Deno)", "network_vs_iproute2.ts"];
const DATE = new Date(Date.UTC(2026, 4, 4, 1, 35));

function result(overrides: Partial<BenchResult> = {}): BenchResult {
  return {
    module: "fileserver",
    name: "4 KiB file, Deno",
    ours: 13762,
    peer: 21268,
    peerName: "nginx",
    unit: "req/s",
    ratio: 13762 / 21268,
    goal: 0.6,
    higherIsBetter: true,
    ...overrides,
  };
}

function record(overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    key: "fileserver.sh",
    module: "fileserver",
    command: "ROUNDS=1 DURATION=2 bash bench/compare/fileserver.sh",
    status: "ran",
    quick: true,
    date: DATE,
    machine: "AMD EPYC, 2 cores",
    load: { before: 1.07, after: 2.5 },
    seconds: 192,
    results: [result()],
    ...overrides,
  };
}

const DOC = "# Benchmarks\n\nMachine: 2 cores.\n\n" + START_MARKER + "\n\nold text\n\n" +
  END_MARKER + "\n\n## utils\n\n| keep | me |\n| ---- | -- |\n| a    | b  |\n";

/** The document outside the region, which must come back byte for byte. */
function outside(doc: string): [string, string] {
  return [
    doc.slice(0, doc.indexOf(START_MARKER)),
    doc.slice(doc.indexOf(END_MARKER) + END_MARKER.length),
  ];
}

Deno.test("updateDocument replaces the marker region and leaves the rest as it was", () => {
  const updated = updateDocument(DOC, [record()], ORDER);
  assert.deepEqual(outside(updated), outside(DOC));
  assert.ok(!updated.includes("old text"));
  assert.ok(updated.includes("| fileserver | 4 KiB file, Deno |"));
  // Rewriting again with the same runs changes nothing.
  assert.equal(updateDocument(updated, [record()], ORDER), updated);
});

Deno.test("updateDocument formats a goal row: figures, peer, ratio, goal and verdict", () => {
  const [row] = goalRows(record());
  assert.deepEqual(row, [
    "fileserver",
    "4 KiB file, Deno",
    "13,762 req/s",
    "21,268 req/s (nginx)",
    "0.65x",
    "≥ 0.6x",
    "yes",
    "`fileserver.sh`",
  ]);
  const slow = goalRows(record({ results: [result({ ours: 9000, ratio: 9000 / 21268 })] }))[0]!;
  assert.equal(slow[6], "**no**");
  const bound = result({
    name: "monitor, Deno",
    ours: 0.183,
    peer: null,
    peerName: null,
    ratio: null,
    unit: "% of a core",
    goal: 0.5,
    higherIsBetter: false,
  });
  assert.deepEqual(goalRows(record({ results: [bound] }))[0]!.slice(2, 7), [
    "0.183 % of a core",
    "—",
    "—",
    "≤ 0.5 % of a core",
    "yes",
  ]);
  const context = result({ goal: null });
  assert.equal(meetsGoal(context), undefined);
  assert.deepEqual(goalRows(record({ results: [context] }))[0]!.slice(5, 7), ["—", "—"]);
});

Deno.test("updateDocument writes the run row: command, date, machine, load and mode", () => {
  const updated = updateDocument(DOC, [record()], ORDER);
  const { runs } = parseRegion(updated);
  assert.deepEqual(runs, [[
    "`fileserver.sh`",
    "`ROUNDS=1 DURATION=2 bash bench/compare/fileserver.sh`",
    "2026-05-04 01:35",
    "AMD EPYC, 2 cores",
    "1.07 → 2.50",
    "3 min 12 s",
    "quick",
  ]]);
});

Deno.test("a run that could not run says why in both tables", () => {
  // Nothing ran: no load, no duration.
  const { load: _load, seconds: _seconds, ...base } = record();
  const skipped: RunRecord = {
    ...base,
    key: "network_vs_iproute2.ts",
    module: "network",
    status: "not run",
    reason: "needs root",
    results: [],
  };
  const { goals, runs } = parseRegion(updateDocument(DOC, [skipped], ORDER));
  assert.deepEqual(goals, [[
    "network",
    "every goal of this run",
    "—",
    "—",
    "—",
    "—",
    "not run: needs root",
    "`network_vs_iproute2.ts`",
  ]]);
  assert.deepEqual(runs[0]!.slice(4), ["—", "—", "not run: needs root"]);
});

Deno.test("a partial run replaces its own rows and keeps the others, in the runner's order", () => {
  const monitoring = record({
    key: "monitoring.ts (Deno)",
    module: "utils/monitoring",
    command: "deno run bench/compare/monitoring.ts 5",
    results: [result({ module: "utils/monitoring", name: "first" }), result({ name: "second" })],
  });
  const network = record({ key: "network_vs_iproute2.ts", results: [result({ name: "veth" })] });
  const first = updateDocument(DOC, [network, monitoring], ORDER);
  const second = updateDocument(
    first,
    [record({ quick: false, results: [result({ name: "only this" })] })],
    ORDER,
  );
  assert.deepEqual(outside(second), outside(DOC));
  const { goals, runs } = parseRegion(second);
  assert.deepEqual(goals.map((row) => row[1]), ["only this", "first", "second", "veth"]);
  assert.deepEqual(runs.map((row) => [row[0], row[6]]), [
    ["`fileserver.sh`", "full"],
    ["`monitoring.ts (Deno)`", "quick"],
    ["`network_vs_iproute2.ts`", "quick"],
  ]);
  // A key the runner no longer has is dropped.
  assert.deepEqual(parseRegion(updateDocument(second, [], ORDER.slice(0, 2))).runs.length, 2);
});

Deno.test("updateDocument puts the region before the first section when there are no markers", () => {
  const plain = "# Benchmarks\n\nIntro.\n\n## utils\n\nText.\n";
  const updated = updateDocument(plain, [record()], ORDER);
  assert.ok(updated.startsWith("# Benchmarks\n\nIntro.\n\n" + START_MARKER + "\n"));
  assert.ok(updated.endsWith(END_MARKER + "\n\n## utils\n\nText.\n"));
  assert.throws(
    () => updateDocument("# B\n\n" + END_MARKER + "\n" + START_MARKER + "\n", [], ORDER),
    (e) => errorIs(e, "invalidArgument"),
  );
  assert.throws(
    () => updateDocument("# B\n\n" + START_MARKER + "\n", [], ORDER),
    (e) => errorIs(e, "invalidArgument"),
  );
});

Deno.test("the region is already as deno fmt would write it", async () => {
  const skipped = record({
    key: "network_vs_iproute2.ts",
    status: "failed",
    reason: "exit code 1",
  });
  const doc = updateDocument(DOC, [record(), skipped], ORDER);
  const fmt = new Deno.Command(Deno.execPath(), {
    args: ["fmt", "--ext=md", "-"],
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const writer = fmt.stdin.getWriter();
  await writer.write(new TextEncoder().encode(doc));
  await writer.close();
  const out = await fmt.output();
  assert.ok(out.success);
  assert.equal(new TextDecoder().decode(out.stdout), doc);
});

Deno.test("formatNumber groups thousands, keeps whole numbers whole and three significant digits", () => {
  assert.equal(formatNumber(1_234_567.8), "1,234,568");
  assert.equal(formatNumber(969.4), "969");
  assert.equal(formatNumber(39.21), "39.2");
  assert.equal(formatNumber(1.234), "1.23");
  assert.equal(formatNumber(0.18345), "0.183");
  assert.equal(formatNumber(78), "78");
  assert.equal(formatNumber(0), "0");
  assert.equal(formatNumber(-2.5), "-2.50");
});

Deno.test("parseResultLine reads result lines, fills defaults and rejects broken ones", () => {
  assert.equal(parseResultLine("sha256 of 64 MiB, best of 1"), undefined);
  assert.deepEqual(
    parseResultLine(
      'BENCH-RESULT {"module":"logging","name":"archive","ours":30,"unit":"MiB/s",' +
        '"higherIsBetter":true,"goal":1.8,"peer":15,"peerName":"gzip -9"}',
    ),
    {
      module: "logging",
      name: "archive",
      ours: 30,
      peer: 15,
      peerName: "gzip -9",
      unit: "MiB/s",
      ratio: 2,
      goal: 1.8,
      higherIsBetter: true,
    },
  );
  const bound = parseResultLine(
    'BENCH-RESULT {"module":"m","name":"n","ours":3,"unit":"%","higherIsBetter":false}',
  );
  assert.deepEqual([bound?.peer, bound?.ratio, bound?.goal], [null, null, null]);
  for (
    const bad of [
      "BENCH-RESULT {not json",
      "BENCH-RESULT [1]",
      'BENCH-RESULT {"module":"m","name":"n","ours":null,"unit":"ms","higherIsBetter":false}',
      'BENCH-RESULT {"module":"m","name":"","ours":1,"unit":"ms","higherIsBetter":false}',
      'BENCH-RESULT {"module":"m","name":"n","ours":1,"unit":"ms","higherIsBetter":"yes"}',
      'BENCH-RESULT {"module":"m","name":"n","ours":1,"unit":"ms","higherIsBetter":true,"peer":"x"}',
    ]
  ) {
    assert.throws(() => parseResultLine(bad), (e) => errorIs(e, "invalidArgument"), bad);
  }
});
