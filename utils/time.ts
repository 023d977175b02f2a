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
 * nanosecond; the writer then picks the simplest form among those that read
 * back as the same number, so `parseDuration("P1Y1M")` still writes `P1Y1M`.
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
  const abs = Math.abs(ms);
  const nearest = msToNs(abs);
  // A whole number of milliseconds is exact. A fraction may be the rounded
  // sum of unit values (`year + month + day`), so it is written as the
  // simplest count of nanoseconds that still reads back as this very number.
  let total = nearest;
  if (!Number.isInteger(ms) && nsToMs(nearest) === abs) {
    const slack = BigInt(Math.floor(abs * 1e6 * 2 ** -50));
    total = simplest(
      firstNs(nearest - slack, nearest, (ns) => nsToMs(ns) >= abs),
      firstNs(nearest, nearest + slack + 1n, (ns) => nsToMs(ns) > abs) - 1n,
    );
  }
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
  // A scanner, not a regular expression: every incoming cloud frame carries
  // a timestamp, and this is several times faster (BENCHMARKS.md). It takes
  // the same language as
  // `^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}(:?\d{2})?)?$`.
  const length = text.length;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  let ok = length >= 19 && year >= 0 && month >= 0 && day >= 0 && hour >= 0 && minute >= 0 &&
    second >= 0 && text.charCodeAt(4) === DASH && text.charCodeAt(7) === DASH &&
    (text.charCodeAt(10) | 0x20) === LOWER_T && text.charCodeAt(13) === COLON &&
    text.charCodeAt(16) === COLON;
  let i = 19;
  // The fraction's first six digits: milliseconds, then microseconds.
  let fraction = 0;
  if (ok && text.charCodeAt(i) === DOT) {
    const start = ++i;
    for (; i < length && isDigitCode(text.charCodeAt(i)); i++) {
      if (i - start < 6) fraction = fraction * 10 + text.charCodeAt(i) - ZERO;
    }
    ok = i > start;
    for (let n = i - start; n < 6; n++) fraction *= 10;
  }
  let offsetHours = 0, offsetMinutes = 0, sign = 0;
  if (ok && i < length) {
    const c = text.charCodeAt(i);
    if ((c | 0x20) === LOWER_Z) {
      ok = i + 1 === length;
    } else if (c === PLUS || c === MINUS) {
      sign = c === MINUS ? -1 : 1;
      offsetHours = digits(text, i + 1, 2);
      i += 3;
      if (i < length) {
        if (text.charCodeAt(i) === COLON) i++;
        offsetMinutes = digits(text, i, 2);
        i += 2;
      }
      ok = offsetHours >= 0 && offsetMinutes >= 0 && i === length;
    } else {
      ok = false;
    }
  }
  if (!ok) throw timestampError(text, "expected YYYY-MM-DDTHH:MM:SS[.ffffff][Z|±HH:MM]");
  if (month < 1 || month > 12) throw timestampError(text, `month ${text.slice(5, 7)} out of range`);
  if (day < 1 || day > daysInMonth(year, month)) {
    throw timestampError(text, `day ${text.slice(8, 10)} out of range`);
  }
  if (hour > 23 || minute > 59 || second > 60) throw timestampError(text, "time out of range");
  if (offsetHours > 23 || offsetMinutes > 59) throw timestampError(text, "offset out of range");
  const offset = sign * (offsetHours * 60 + offsetMinutes);
  const ms = daysFromCivil(year, month, day) * DAY_MS + hour * 3_600_000 +
    (minute - offset) * 60_000 + second * 1000 + Math.floor(fraction / 1000);
  return new AosTime(ms, fraction % 1000);
}

const ZERO = 48, DASH = 45, COLON = 58, DOT = 46, PLUS = 43, MINUS = 45;
const LOWER_T = 116, LOWER_Z = 122;
const DAY_MS = 86_400_000;
/** Milliseconds since the epoch of 0000-01-01T00:00:00Z and of 10000-01-01T00:00:00Z. */
const FIRST_MS = -62_167_219_200_000, END_MS = 253_402_300_800_000;

function isDigitCode(c: number): boolean {
  return c >= ZERO && c <= ZERO + 9;
}

/** The number written by the `count` ASCII digits at `at`, or -1 when one is not a digit. */
function digits(text: string, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const c = text.charCodeAt(i); // NaN past the end, which is no digit
    if (!isDigitCode(c)) return -1;
    value = value * 10 + c - ZERO;
  }
  return value;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) +
    dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
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
  const ms = date.getTime();
  if (Number.isNaN(ms)) {
    throw new AosError("invalidArgument", "Cannot format timestamp: invalid date");
  }
  if (ms < FIRST_MS || ms >= END_MS) {
    throw new AosError(
      "invalidArgument",
      `Cannot format timestamp: year out of range: ${date.getUTCFullYear()}`,
    );
  }
  if (!Number.isInteger(micros) || micros < 0 || micros > 999) {
    throw new AosError(
      "invalidArgument",
      `Cannot format timestamp: micros out of range: ${micros}`,
    );
  }
  // The samples of one monitoring period share their timestamp.
  if (ms === lastMs && micros === lastMicros) return lastText;
  // Arithmetic, not toISOString() and slicing: every outgoing cloud frame
  // holds at least one timestamp, and this is several times faster.
  const days = Math.floor(ms / DAY_MS);
  const inDay = ms - days * DAY_MS;
  // H. Hinnant's `civil_from_days`.
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra -
    (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  const seconds = Math.floor(inDay / 1000);
  const hour = Math.floor(seconds / 3600);
  const minute = Math.floor(seconds / 60) % 60;
  const second = seconds % 60;
  const fraction = (inDay % 1000) * 1000 + micros;
  // One flat string from character codes: a concatenation would be a rope,
  // and Deno's JSON.stringify leaves its fast path for the whole document
  // at a rope (this one is stringified in every cloud frame header).
  lastMs = ms;
  lastMicros = micros;
  return lastText = String.fromCharCode(
    digit(year, 1000),
    digit(year, 100),
    digit(year, 10),
    digit(year, 1),
    DASH,
    digit(month, 10),
    digit(month, 1),
    DASH,
    digit(day, 10),
    digit(day, 1),
    UPPER_T,
    digit(hour, 10),
    digit(hour, 1),
    COLON,
    digit(minute, 10),
    digit(minute, 1),
    COLON,
    digit(second, 10),
    digit(second, 1),
    DOT,
    digit(fraction, 100_000),
    digit(fraction, 10_000),
    digit(fraction, 1000),
    digit(fraction, 100),
    digit(fraction, 10),
    digit(fraction, 1),
    UPPER_Z,
  );
}

const UPPER_T = 84, UPPER_Z = 90;
/** The last timestamp written, and its instant. */
let lastMs = NaN, lastMicros = 0, lastText = "";

/** The character code of the decimal digit of `value` worth `place`. */
function digit(value: number, place: number): number {
  return ZERO + Math.floor(value / place) % 10;
}

const STEPS = [YEAR, MONTH, WEEK, DAY, HOUR, MINUTE, SECOND, 100_000_000n, 10_000_000n, 1_000_000n];
STEPS.push(100_000n, 10_000n, 1000n, 100n, 10n, 1n);

/** The first `ns` in `[lo, hi]` for which the monotone `test` holds (`hi` when none before it does). */
function firstNs(lo: bigint, hi: bigint, test: (ns: bigint) => boolean): bigint {
  while (lo < hi) {
    const mid = (lo + hi) / 2n;
    if (test(mid)) hi = mid;
    else lo = mid + 1n;
  }
  return lo;
}

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
