// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The soak run's own verdict: it must fail on growth and on any loss, and a
// seed must replay the same choices.
import assert from "node:assert/strict";
import { judgeMemory } from "./_memory.ts";
import { formatReport } from "./_report.ts";
import { emptyTally, lost, nameSeed, seededRandom } from "./_scenario.ts";

const MiB = 1 << 20;

Deno.test("judgeMemory calls steady memory flat even with a spike", () => {
  const samples = Array.from({ length: 100 }, (_, i) => (i === 70 ? 400 : 150) * MiB);
  const verdict = judgeMemory(samples);
  assert.equal(verdict.flat, true);
  assert.equal(verdict.peakBytes, 400 * MiB);
  assert.equal(verdict.growth, 0);
});

Deno.test("judgeMemory ignores warm-up but catches growth after it", () => {
  const warmUp = Array.from({ length: 100 }, (_, i) => (50 + i) * MiB);
  assert.equal(judgeMemory([...warmUp.slice(0, 25), ...Array(75).fill(150 * MiB)]).flat, true);
  assert.equal(judgeMemory(warmUp).flat, false);
  assert.throws(() => judgeMemory([1, 2, 3]), RangeError);
});

Deno.test("formatReport fails on data lost and on growth, and passes otherwise", () => {
  const flat = judgeMemory(Array(20).fill(100 * MiB));
  const growing = judgeMemory(Array.from({ length: 20 }, (_, i) => (100 + 10 * i) * MiB));
  const clean = { name: "a", tally: emptyTally(), ms: 1 };
  clean.tally.operations = 5;
  const run = { seconds: 1, seed: 7 };
  assert.equal(formatReport([clean], flat, flat, run).passed, true);
  assert.equal(formatReport([clean], growing, flat, run).passed, false);
  const broken = { name: "b", tally: emptyTally(), ms: 1 };
  lost(broken.tally, "a mixed body");
  const report = formatReport([clean, broken], flat, flat, run);
  assert.equal(report.passed, false);
  assert.match(report.text, /b PROBLEM: a mixed body/);
  assert.match(report.text, /FAIL: 1 s, data lost 1, SOAK_SEED=7/);
});

Deno.test("a seed replays the same choices, and names get different streams", () => {
  const draw = (seed: number) => {
    const random = seededRandom(seed);
    return [random.int(1, 1000), random.pick(["a", "b", "c"]), ...random.bytes(5)];
  };
  assert.deepEqual(draw(42), draw(42));
  assert.notDeepEqual(draw(nameSeed(42, "downloads")), draw(nameSeed(42, "fileserver")));
  const random = seededRandom(1);
  for (let i = 0; i < 1000; i++) {
    const n = random.int(3, 5);
    assert.ok(n >= 3 && n <= 5);
  }
});
