// Copyright 2026 the aos-common authors. Apache-2.0 license.
// deno-lint-ignore-file no-console
/**
 * The cloudprotocol codec beside plain JSON on the same bytes, interleaved,
 * on Deno or Node (`node bench/compare/cloudprotocol_vs_json.ts`): each side
 * runs in batches, turn about, and the best batch counts, which keeps the
 * ratio steady on a busy machine. The first argument sets the number of
 * rounds (200). Prints a BENCH-RESULT line per input (bench/README.md): the
 * goal is at least 0.6x the baseline's throughput (issue 12).
 *
 * @module
 */
import process from "node:process";
import { decodeFrame, encodeFrame } from "../../cloudprotocol/mod.ts";
import { desiredStatusFrame, unitStatusFrame } from "../_cloudprotocol_inputs.ts";
import { printResult } from "./_result.ts";

// Short batches, many rounds: on a loaded machine a long batch is often cut
// by the scheduler, which penalises the slower side more than the faster one.
const ROUNDS = Number(process.argv[2] ?? 200);
const BATCH = 5;

const inputs = {
  desiredStatus: new TextEncoder().encode(desiredStatusFrame()),
  unitStatus: new TextEncoder().encode(unitStatusFrame()),
};

const runtime = "Deno" in globalThis &&
    typeof (globalThis as { Deno?: { version?: unknown } }).Deno?.version === "object"
  ? "Deno"
  : "Node";
console.log(`${runtime}, best of ${ROUNDS} batches of ${BATCH}`);
for (const [name, bytes] of Object.entries(inputs)) {
  const sides = {
    json: () =>
      new TextEncoder().encode(JSON.stringify(JSON.parse(new TextDecoder().decode(bytes)))),
    codec: () => encodeFrame(decodeFrame(bytes)),
  };
  const best = { json: Infinity, codec: Infinity };
  for (let round = 0; round < ROUNDS; round++) {
    for (const side of ["json", "codec"] as const) {
      const start = performance.now();
      for (let i = 0; i < BATCH; i++) sides[side]();
      best[side] = Math.min(best[side], (performance.now() - start) / BATCH);
    }
  }
  const mb = bytes.length / 1e6;
  console.log(
    `${name} (${(bytes.length / 1024).toFixed(0)} KiB): JSON.parse + JSON.stringify ` +
      `${(best.json * 1000).toFixed(0)} µs (${(mb / (best.json / 1000)).toFixed(0)} MB/s), ` +
      `decodeFrame + encodeFrame ${(best.codec * 1000).toFixed(0)} µs ` +
      `(${(mb / (best.codec / 1000)).toFixed(0)} MB/s): codec at ${
        (100 * best.json / best.codec).toFixed(0)
      } % ` +
      `of the baseline's throughput`,
  );
  printResult({
    module: "cloudprotocol",
    name: `${name} ${(bytes.length / 1024).toFixed(0)} KiB decoded + encoded, ${runtime}`,
    ours: mb / (best.codec / 1000),
    peer: mb / (best.json / 1000),
    peerName: "JSON.parse + stringify",
    unit: "MB/s",
    goal: 0.6,
    higherIsBetter: true,
  });
}
