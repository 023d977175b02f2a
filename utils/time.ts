// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Durations and timestamps as AosCore writes them.
 *
 * Durations are milliseconds (`number`, like `setTimeout`); sub-millisecond
 * units become fractions (`"1us"` is `0.001`). {@linkcode parseDuration}
 * reads the three syntaxes of AosCore's configuration files: ISO 8601
 * (`P1DT2H`), Go-like unit strings (`1h30m`) and plain seconds (`90`).
 * Internally the arithmetic is exact, in integer nanoseconds, as AosCore's is.
 *
 * Timestamps are the protocol's `YYYY-MM-DDTHH:MM:SS.ffffffZ` (microseconds),
 * held in an {@linkcode AosTime}: a `Date` that keeps the microseconds.
 *
 * Deviations from AosCore:
 * - Fractions are accepted in the seconds of ISO 8601 (`PT1.5S`, which
 *   AosCore's own writer produces) and in every Go-like component (`1.5s`);
 *   AosCore accepts integers only.
 * - Timestamps with an offset (`+02:00`) are converted to UTC; AosCore
 *   ignores everything after the fraction. Other trailing text is rejected.
 * - Every malformed input is `invalidArgument` (AosCore reports an empty
 *   duration and a malformed timestamp as `failed`), and the message names
 *   the problem and where it is.
 *
 * Kept from AosCore: plain seconds round with `trunc(x + 0.5)`, so `"-1"` is
 * 0 and `"-10.5"` is -10 s; a year is 365.2421988 days and a month a twelfth
 * of it; Go-like units are lower-case, unsigned, and may repeat (`1m1m`).
 *
 * @module
 */

import { checkString } from "./_argument_type.ts";
import { AosError } from "./errors.ts";

const SECOND = 1_000_000_000n;
const YEAR = 31_556_925_974_740_000n;
const MONTH = YEAR / 12n;
const WEEK = 7n * 24n * 3600n * SECOND;
const DAY = 24n * 3600n * SECOND;
const HOUR = 3600n * SECOND;
const MINUTE = 60n * SECOND;

const UNITS: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1000n,
  "\u00b5s": 1000n,
  "\u03bcs": 1000n,
  ms: 1_000_000n,
  s: SECOND,
  m: MINUTE,
  h: HOUR,
  d: DAY,
  w: WEEK,
  y: YEAR,
};

const ISO =
  /^(-)?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)(?:\.(\d+))?S)?)?$/;
const PLAIN_SECONDS = /^-?\d*(?:\.\d+)?$/;

/**
 * Parses a duration in any of AosCore's three syntaxes.
 *
 * @example
 * ```ts
 * import { parseDuration } from "@aoscore/common/utils";
 * import assert from "node:assert/strict";
 *
 * assert.equal(parseDuration("1h30m"), 5_400_000);
 * assert.equal(parseDuration("PT1.5S"), 1500);
 * assert.equal(parseDuration("90"), 90_000);
 * assert.equal(parseDuration("1us"), 0.001);
 * ```
 *
 * @param text `P1Y2M3W4DT5H6M7.5S`, `1h2m3s4ms5us6ns` (also `d`, `w`, `y`,
 *   `µs`), or a number of seconds (`10.5`, rounded half up to whole seconds).
 * @returns The duration in milliseconds.
 * @throws {AosError} `invalidArgument` naming what is wrong.
 */
export function parseDuration(text: string): number {
  checkString(text, "text", "Cannot parse duration");
  if (text === "") throw durationError(text, "empty string");
  let ns: bigint;
  if (text.startsWith("P") || text.includes("-P")) {
    ns = parseIso(text);
  } else if (PLAIN_SECONDS.test(text)) {
    if (text === "-") throw durationError(text, "a sign without a number");
    // AosCore's rounding, including its bias for negative values.
    const seconds = Math.trunc(Number(text) + 0.5);
    if (!Number.isSafeInteger(seconds)) throw durationError(text, "value out of range");
    ns = BigInt(seconds) * SECOND;
  } else {
    ns = parseUnits(text);
  }
  const ms = nsToMs(ns);
  if (!Number.isFinite(ms)) throw durationError(text, "value out of range");
  return ms;
}

function parseIso(text: string): bigint {
  const m = ISO.exec(text);
  if (m === null) {
    const hint = text.includes(".") ? " (a fraction is allowed only in seconds)" : "";
    throw durationError(text, `invalid ISO 8601 duration format${hint}`);
  }
  const [, sign, y, mo, w, d, h, mi, s, frac] = m;
  let ns = 0n;
  const add = (digits: string | undefined, unit: bigint) => {
    if (digits !== undefined) ns += BigInt(digits) * unit;
  };
  add(y, YEAR);
  add(mo, MONTH);
  add(w, WEEK);
  add(d, DAY);
  add(h, HOUR);
  add(mi, MINUTE);
  add(s, SECOND);
  if (frac !== undefined) ns += fractionOf(frac, SECOND);
  return sign === "-" ? -ns : ns;
}

function parseUnits(text: string): bigint {
  let ns = 0n;
  let i = 0;
  while (i < text.length) {
    const start = i;
    while (isDigit(text, i)) i++;
    const whole = text.slice(start, i);
    let frac = "";
    if (text[i] === "." && isDigit(text, i + 1)) {
      const dot = ++i;
      while (isDigit(text, i)) i++;
      frac = text.slice(dot, i);
    }
    if (whole === "" && frac === "") {
      const what = text[i] === "-" || text[i] === "+"
        ? "a sign is allowed only in plain seconds"
        : `expected a number at position ${i}, found "${text[i]}"`;
      throw durationError(text, what);
    }
    const unitStart = i;
    while (i < text.length && !isDigit(text, i) && text[i] !== ".") i++;
    const unit = text.slice(unitStart, i);
    if (unit === "") throw durationError(text, `missing unit after "${text.slice(start, i)}"`);
    const size = UNITS[unit];
    if (size === undefined) throw durationError(text, `unknown unit "${unit}"`);
    ns += BigInt(whole === "" ? "0" : whole) * size + fractionOf(frac, size);
  }
  return ns;
}

function isDigit(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return c >= 48 && c <= 57;
}

/** `0.<digits>` of `unit`, truncated to whole nanoseconds. */
function fractionOf(digits: string, unit: bigint): bigint {
  if (digits === "") return 0n;
  return (BigInt(digits) * unit) / 10n ** BigInt(digits.length);
}

function durationError(text: string, what: string): AosError {
  return new AosError("invalidArgument", `Cannot parse duration "${text}": ${what}`);
}

/** Integer nanoseconds to milliseconds, correctly rounded to the nearest double. */
function nsToMs(ns: bigint): number {
  const abs = ns < 0n ? -ns : ns;
  const whole = abs / 1_000_000n;
  const frac = abs % 1_000_000n;
  const ms = frac === 0n ? Number(whole) : Number(`${whole}.${frac.toString().padStart(6, "0")}`);
  return ns < 0n ? -ms : ms;
}

/**
 * Milliseconds to integer nanoseconds, from the shortest decimal form of the
 * number, so that values parsed from text (`31556925974.74`) convert exactly.
 */
function msToNs(ms: number): bigint {
  const [mantissa = "", exponent] = String(Math.abs(ms)).split("e");
  const [intPart = "", fracPart = ""] = mantissa.split(".");
  const digits = intPart + fracPart;
  const point = intPart.length + Number(exponent ?? 0) + 6;
  let whole: string;
  let rest: string;
  if (point <= 0) {
    whole = "0";
    rest = "0".repeat(-point) + digits;
  } else if (point >= digits.length) {
    whole = digits + "0".repeat(point - digits.length);
    rest = "";
  } else {
    whole = digits.slice(0, point);
    rest = digits.slice(point);
  }
  const ns = BigInt(whole) + (rest !== "" && rest[0]! >= "5" ? 1n : 0n);
  return ms < 0 ? -ns : ns;
}

/**
 * Writes a duration in ISO 8601, exactly as AosCore does: years, months,
 * weeks and days first (a year being 365.2421988 days), then hours, minutes
 * and seconds; seconds carry nine decimals when there is a sub-second part.
 * The output parses back with {@linkcode parseDuration} to the same number.
 *
 * Beyond about 104 days a `number` of milliseconds no longer holds every
 * nanosecond; the writer then picks the simplest form within a few units of
 * the number's last place, so `parseDuration("P1Y1M")` still writes `P1Y1M`.
 *
 * @example
 * ```ts
 * import { formatDuration } from "@aoscore/common/utils";
 * import assert from "node:assert/strict";
 *
 * assert.equal(formatDuration(0), "PT0S");
 * assert.equal(formatDuration(61_000), "PT1M1S");
 * assert.equal(formatDuration(-6 * 86_400_000), "-P6D");
 * assert.equal(formatDuration(1500), "PT1.500000000S");
 * ```
 *
 * @param ms The duration in milliseconds; fractions are kept to the nanosecond.
 * @returns The ISO 8601 text.
 * @throws {AosError} `invalidArgument` for `NaN` or an infinite value.
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) {
    throw new AosError("invalidArgument", `Cannot format duration: not a finite number: ${ms}`);
  }
  const nearest = msToNs(Math.abs(ms));
  // A whole number of milliseconds is exact. A fraction may be the rounded
  // sum of unit values (`year + month + day`), so it is snapped to the
  // simplest count within a few units in its last place.
  const slack = Number.isInteger(ms) ? 0n : BigInt(Math.floor(Math.abs(ms) * 1e6 * 2 ** -50));
  let total = simplest(nearest - slack, nearest + slack);
  if (total === 0n) return "PT0S";
  let out = ms < 0 ? "-P" : "P";
  for (const [unit, letter] of [[YEAR, "Y"], [MONTH, "M"], [WEEK, "W"], [DAY, "D"]] as const) {
    const count = total / unit;
    if (count > 0n) {
      out += `${count}${letter}`;
      total %= unit;
    }
  }
  if (total === 0n) return out;
  const hours = total / HOUR;
  const minutes = (total % HOUR) / MINUTE;
  const seconds = (total % MINUTE) / SECOND;
  const nanos = total % SECOND;
  out += "T";
  if (hours > 0n) out += `${hours}H`;
  if (minutes > 0n) out += `${minutes}M`;
  if (nanos > 0n) out += `${seconds}.${nanos.toString().padStart(9, "0")}S`;
  else if (seconds > 0n) out += `${seconds}S`;
  return out;
}

const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?$/;

/**
 * A protocol timestamp (`2026-03-14T09:26:53.589793Z`): a `Date` plus the
 * microseconds within its millisecond, which a `Date` cannot hold. It is the
 * one timestamp model of the collection: parsers return it, and writers take
 * any `Date` (a plain `Date` has 0 extra microseconds).
 *
 * @example
 * ```ts
 * import { AosTime } from "@aoscore/common/utils";
 * import assert from "node:assert/strict";
 *
 * const t = AosTime.fromTimestamp("2026-03-14T09:26:53.589793Z");
 * assert.equal(t.toISOString(), "2026-03-14T09:26:53.589Z");
 * assert.equal(t.micros, 793);
 * assert.equal(t.toTimestamp(), "2026-03-14T09:26:53.589793Z");
 * ```
 */
export class AosTime extends Date {
  /** Microseconds past the millisecond of the `Date`, 0 to 999. */
  readonly micros: number;

  /**
   * Creates a time.
   *
   * @param epochMs Milliseconds since the Unix epoch (an integer).
   * @param micros Microseconds past that millisecond, 0 to 999.
   * @throws {AosError} `invalidArgument` when `micros` is not an integer from 0 to 999.
   */
  constructor(epochMs: number, micros = 0) {
    super(epochMs);
    if (!Number.isInteger(micros) || micros < 0 || micros > 999) {
      throw new AosError(
        "invalidArgument",
        `Cannot create AosTime: micros out of range: ${micros}`,
      );
    }
    this.micros = micros;
  }

  /**
   * Parses a protocol timestamp, as {@linkcode parseTimestamp} does.
   *
   * @param text The timestamp.
   * @returns The time.
   * @throws {AosError} `invalidArgument` for malformed text or a `text` that is not a string.
   */
  static fromTimestamp(text: string): AosTime {
    return parseTimestamp(text);
  }

  /**
   * Formats the time as the protocol does, always with six fraction digits.
   *
   * @returns `YYYY-MM-DDTHH:MM:SS.ffffffZ`.
   * @throws {AosError} `invalidArgument` for an invalid date or a year outside 0000-9999.
   */
  toTimestamp(): string {
    return formatTimestamp(this);
  }
}

/**
 * Parses a protocol timestamp, keeping its microseconds. The fraction may
 * have any number of digits (beyond six they are dropped); the zone may be
 * `Z`, an offset (`+02:00`, `-0530`, `+02`), or absent (UTC).
 *
 * @example
 * ```ts
 * import { formatTimestamp, parseTimestamp } from "@aoscore/common/utils";
 * import assert from "node:assert/strict";
 *
 * const t = parseTimestamp("2024-01-31T14:00:00.123456789+02:00");
 * assert.equal(t.toISOString(), "2024-01-31T12:00:00.123Z");
 * assert.equal(t.micros, 456);
 * assert.equal(formatTimestamp(t), "2024-01-31T12:00:00.123456Z");
 * ```
 *
 * @param text The timestamp.
 * @returns The instant, with its sub-millisecond microseconds.
 * @throws {AosError} `invalidArgument` for malformed text, out-of-range fields,
 *   or a `text` that is not a string.
 */
export function parseTimestamp(text: string): AosTime {
  checkString(text, "text", "Cannot parse timestamp");
  const m = TIMESTAMP.exec(text);
  if (m === null) {
    throw timestampError(text, "expected YYYY-MM-DDTHH:MM:SS[.ffffff][Z|±HH:MM]");
  }
  const [, y, mo, d, h, mi, s, frac = "", , sign, oh = "0", om = "0"] = m;
  const year = Number(y), month = Number(mo), day = Number(d);
  const hour = Number(h), minute = Number(mi), second = Number(s);
  if (month < 1 || month > 12) throw timestampError(text, `month ${mo} out of range`);
  if (day < 1 || day > daysInMonth(year, month)) {
    throw timestampError(text, `day ${d} out of range`);
  }
  if (hour > 23 || minute > 59 || second > 60) throw timestampError(text, "time out of range");
  if (Number(oh) > 23 || Number(om) > 59) throw timestampError(text, "offset out of range");
  const offset = sign === undefined ? 0 : (sign === "-" ? -1 : 1) * (Number(oh) * 60 + Number(om));
  const digits = frac.slice(0, 6).padEnd(6, "0");
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute - offset, second, Number(digits.slice(0, 3)));
  return new AosTime(date.getTime(), Number(digits.slice(3)));
}

/**
 * Formats an instant as a protocol timestamp, `YYYY-MM-DDTHH:MM:SS.ffffffZ`.
 *
 * @example
 * ```ts
 * import { AosTime, formatTimestamp } from "@aoscore/common/utils";
 * import assert from "node:assert/strict";
 *
 * assert.equal(formatTimestamp(new Date(1706702400000)), "2024-01-31T12:00:00.000000Z");
 * assert.equal(formatTimestamp(new AosTime(1706702400000, 7)), "2024-01-31T12:00:00.000007Z");
 * ```
 *
 * @param date The instant.
 * @param micros Microseconds past `date`'s millisecond, 0 to 999; by default
 *   those of an {@linkcode AosTime}, 0 for a plain `Date`.
 * @returns The timestamp.
 * @throws {AosError} `invalidArgument` for an invalid date, a year outside 0000-9999, or bad `micros`.
 */
export function formatTimestamp(
  date: Date,
  micros: number = date instanceof AosTime ? date.micros : 0,
): string {
  const year = date.getUTCFullYear();
  if (Number.isNaN(year)) {
    throw new AosError("invalidArgument", "Cannot format timestamp: invalid date");
  }
  if (year < 0 || year > 9999) {
    throw new AosError("invalidArgument", `Cannot format timestamp: year out of range: ${year}`);
  }
  if (!Number.isInteger(micros) || micros < 0 || micros > 999) {
    throw new AosError(
      "invalidArgument",
      `Cannot format timestamp: micros out of range: ${micros}`,
    );
  }
  // Joined, not concatenated: Deno's JSON.stringify leaves its fast path for
  // the whole document at a concatenated string (a rope), and this one is
  // stringified in every cloud frame header.
  return [date.toISOString().slice(0, 23), String(micros).padStart(3, "0"), "Z"].join("");
}

const STEPS = [YEAR, MONTH, WEEK, DAY, HOUR, MINUTE, SECOND, 100_000_000n, 10_000_000n, 1_000_000n];
STEPS.push(100_000n, 10_000n, 1000n, 100n, 10n, 1n);

/** The value in `[lo, hi]` whose AosCore decomposition ends soonest. */
function simplest(lo: bigint, hi: bigint): bigint {
  let prefix = 0n;
  for (const unit of STEPS) {
    const candidate = prefix + ((hi - prefix) / unit) * unit;
    if (candidate >= lo) return candidate;
    prefix = candidate;
  }
  return prefix;
}

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function timestampError(text: string, what: string): AosError {
  return new AosError("invalidArgument", `Cannot parse timestamp "${text}": ${what}`);
}
