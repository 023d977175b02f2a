// Copyright 2026 the aos-common authors. Apache-2.0 license.
import assert from "node:assert/strict";
import { AlertProcessor } from "../../../utils/monitoring/alert_processor.ts";
import { errorIs } from "../../../utils/errors.ts";

/** Feeds `[value, seconds]` pairs and returns what each one reported. */
function run(processor: AlertProcessor, series: [number, number][]): (string | undefined)[] {
  const start = Date.UTC(2026, 4, 7);
  return series.map(([value, s]) =>
    processor.checkAlertDetection(value, new Date(start + s * 1000))
  );
}

Deno.test("the spec's vector: raise at the 6th value, continue at the 7th, fall at the 9th", () => {
  const alert = new AlertProcessor({ minThreshold: 90, maxThreshold: 95, minTimeoutMs: 1000 });
  const got = run(alert, [[1, 0], [2, 1], [90, 3], [91, 5], [95, 7], [96, 9], [90, 11], [80, 13], [
    80,
    15,
  ]]);
  assert.deepEqual(got, [
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
    "raise",
    "continue",
    undefined,
    "fall",
  ]);
  assert.equal(alert.active, false);
});

Deno.test("timeout 0: the crossing raises, continue on every sample, fall needs two samples", () => {
  const alert = new AlertProcessor({ minThreshold: 50, maxThreshold: 80, minTimeoutMs: 0 });
  assert.deepEqual(run(alert, [[79, 0], [80, 1]]), [undefined, "raise"]);
  assert.ok(alert.active);
  assert.deepEqual(run(alert, [[80, 2], [60, 3], [50, 4]]), ["continue", "continue", "continue"]);
  assert.deepEqual(run(alert, [[49, 5], [49, 6]]), [undefined, "fall"]);
  assert.equal(alert.active, false);
});

Deno.test("a value at max arms, a value at min counts as above it", () => {
  const alert = new AlertProcessor({ minThreshold: 10, maxThreshold: 20, minTimeoutMs: 1000 });
  assert.deepEqual(run(alert, [[20, 0], [20, 1]]), [undefined, "raise"]);
  assert.deepEqual(run(alert, [[10, 2], [10, 3]]), ["continue", "continue"]);
  assert.deepEqual(run(alert, [[9, 4], [10, 5], [9, 6], [9, 7]]), [
    undefined,
    "continue",
    undefined,
    "fall",
  ]);
});

Deno.test("dropping below max before the timeout resets it: no raise", () => {
  const alert = new AlertProcessor({ minThreshold: 50, maxThreshold: 80, minTimeoutMs: 3000 });
  // Above max at 0 s and 2 s, below at 2.5 s: the timeout restarts at 3 s.
  assert.deepEqual(run(alert, [[90, 0], [90, 2], [70, 2.5], [90, 3], [90, 5]]), [
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
  ]);
  assert.equal(run(alert, [[90, 6]])[0], "raise");
});

Deno.test("continue repeats every timeout while above min, even below max", () => {
  const alert = new AlertProcessor({ minThreshold: 50, maxThreshold: 80, minTimeoutMs: 2000 });
  run(alert, [[90, 0], [90, 2]]);
  assert.deepEqual(run(alert, [[60, 3], [60, 4], [60, 5], [60, 6]]), [
    undefined,
    "continue",
    undefined,
    "continue",
  ]);
});

Deno.test("a fall needs the value below min for the timeout; a rise in between restarts it", () => {
  const alert = new AlertProcessor({ minThreshold: 50, maxThreshold: 80, minTimeoutMs: 2000 });
  run(alert, [[90, 0], [90, 2]]);
  // 55 at 4.5 s is above min (and 2.5 s after the raise: a continue), so the
  // fall timeout starts again at 5 s.
  assert.deepEqual(run(alert, [[40, 3], [40, 4], [55, 4.5], [40, 5], [40, 6], [40, 7]]), [
    undefined,
    undefined,
    "continue",
    undefined,
    undefined,
    "fall",
  ]);
  // After a fall the alert can be raised again.
  assert.deepEqual(run(alert, [[90, 8], [90, 10]]), [undefined, "raise"]);
});

Deno.test("invalid thresholds and timeouts are refused", () => {
  for (
    const bad of [
      { minThreshold: NaN, maxThreshold: 1, minTimeoutMs: 0 },
      { minThreshold: 0, maxThreshold: Infinity, minTimeoutMs: 0 },
      { minThreshold: 0, maxThreshold: 1, minTimeoutMs: -1 },
    ]
  ) {
    assert.throws(() => new AlertProcessor(bad), (e) => errorIs(e, "invalidArgument"));
  }
});
