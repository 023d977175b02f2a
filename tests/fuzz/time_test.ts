// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Durations and timestamps: text made of their own tokens, and damaged valid
// values, parse to a finite value that formats back to itself, or fail with a
// typed error.
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  AosTime,
  formatDuration,
  formatTimestamp,
  parseDuration,
  parseTimestamp,
} from "../../utils/time.ts";
import { damageText, edits, outcome, runs, tokens } from "./_fuzz.ts";

const DURATION_TOKENS = [
  ..."0123456789",
  "1",
  "12",
  "999999999999999999999",
  ".",
  "-",
  "+",
  " ",
  "e",
  "P",
  "T",
  "Y",
  "M",
  "W",
  "D",
  "H",
  "S",
  "ns",
  "us",
  "\u00b5s",
  "\u03bcs",
  "ms",
  "s",
  "m",
  "h",
  "d",
  "w",
  "y",
  "-P",
  "PT",
];

const VALID_DURATIONS = [
  "P1Y2M3W4DT5H6M7.5S",
  "-P6D",
  "PT0S",
  "1h2m3s4ms5us6ns",
  "1.5h",
  "10.5",
  "-10.5",
  "1w2d",
  "3y",
  "0.000001s",
];

/** A parsed duration is finite and formats to text that parses to the same number. */
function checkDuration(text: string): void {
  const result = outcome(() => parseDuration(text), text);
  if (result.error !== undefined) return;
  const ms = result.value;
  assert.ok(Number.isFinite(ms), `${JSON.stringify(text)} gave ${ms}`);
  const written = formatDuration(ms);
  assert.equal(parseDuration(written), ms, `${JSON.stringify(text)} -> ${written}`);
}

Deno.test("durations of random tokens parse to a number that formats back, or fail typed", () => {
  fc.assert(fc.property(tokens(DURATION_TOKENS), checkDuration), runs(500));
});

Deno.test("damaged durations parse to a number that formats back, or fail typed", () => {
  fc.assert(
    fc.property(fc.constantFrom(...VALID_DURATIONS), edits(), (valid, list) => {
      checkDuration(damageText(valid, list, DURATION_TOKENS));
    }),
    runs(500),
  );
});

Deno.test("any finite number of milliseconds formats to a duration that parses back", () => {
  fc.assert(
    fc.property(
      fc.oneof(
        fc.integer(),
        fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e15, max: 1e15 }),
      ),
      (ms) => {
        const written = formatDuration(ms);
        checkDuration(written);
      },
    ),
    runs(300),
  );
});

const TIMESTAMP_TOKENS = [
  ..."0123456789",
  "-",
  ":",
  "T",
  "t",
  " ",
  ".",
  "Z",
  "z",
  "+",
  "2024",
  "60",
];

/** A timestamp, valid except that fields may run out of range. */
const TIMESTAMP = fc.record({
  year: fc.integer({ min: 0, max: 9999 }),
  month: fc.integer({ min: 0, max: 13 }),
  day: fc.integer({ min: 0, max: 32 }),
  hour: fc.integer({ min: 0, max: 24 }),
  minute: fc.integer({ min: 0, max: 60 }),
  second: fc.integer({ min: 0, max: 61 }),
  fraction: fc.stringMatching(/^(\.\d{0,12})?$/),
  zone: fc.oneof(
    fc.constantFrom("", "Z", "z", "+00:00", "-0530", "+02", "+23:59", "-24:00", "+12:60"),
    fc.tuple(
      fc.constantFrom("+", "-"),
      fc.integer({ min: 0, max: 25 }),
      fc.integer({ min: 0, max: 61 }),
    )
      .map(([sign, h, m]) => `${sign}${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`),
  ),
}).map(({ year, month, day, hour, minute, second, fraction, zone }) => {
  const two = (n: number) => String(n).padStart(2, "0");
  return `${String(year).padStart(4, "0")}-${two(month)}-${two(day)}T${two(hour)}:${two(minute)}:` +
    `${two(second)}${fraction}${zone}`;
});

/** A parsed timestamp formats (when its year is in 0000-9999) to text that parses to the same instant. */
function checkTimestamp(text: string): void {
  const result = outcome(() => parseTimestamp(text), text);
  if (result.error !== undefined) return;
  const time = result.value;
  assert.ok(time instanceof AosTime && Number.isFinite(time.getTime()), JSON.stringify(text));
  const written = outcome(() => formatTimestamp(time), text);
  if (written.error !== undefined) {
    // Only an offset can move a valid field past the ends of the year range.
    assert.match(written.error.message, /year out of range/);
    return;
  }
  const again = parseTimestamp(written.value);
  assert.equal(again.getTime(), time.getTime(), `${JSON.stringify(text)} -> ${written.value}`);
  assert.equal(again.micros, time.micros);
}

Deno.test("timestamps with fields in and out of range parse and format back, or fail typed", () => {
  fc.assert(fc.property(TIMESTAMP, checkTimestamp), runs(500));
});

Deno.test("damaged timestamps and random tokens parse and format back, or fail typed", () => {
  fc.assert(
    fc.property(
      fc.oneof(
        fc.tuple(TIMESTAMP, edits()).map(([valid, list]) =>
          damageText(valid, list, TIMESTAMP_TOKENS)
        ),
        tokens(TIMESTAMP_TOKENS),
      ),
      checkTimestamp,
    ),
    runs(500),
  );
});
