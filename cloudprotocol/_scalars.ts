// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Scalar types of the protocol (spec §2.2-2.7): strings with UTF-8 byte
// limits, integers and floats with AosCore's lenient conversions, booleans,
// enums, timestamps and durations (hex and base64 are in _binary.ts).

import { Buffer } from "node:buffer";
import { AosError } from "../utils/errors.ts";
import {
  AosTime,
  formatDuration,
  formatTimestamp,
  parseDuration,
  parseTimestamp,
} from "../utils/time.ts";
import { Fault, preview, type Type, wrongType } from "./_codec.ts";

let asciiInput = false;

/**
 * Runs `decode` over JSON parsed from `ascii` text: ASCII without a `\u`
 * escape. Each string read from such text has one UTF-8 byte per UTF-16 unit
 * and no surrogate, so its limit needs no scan of its characters. Decoding is
 * synchronous, so no other decoding sees the setting.
 */
export function decodingAscii<T>(ascii: boolean, decode: () => T): T {
  const outer = asciiInput;
  asciiInput = ascii;
  try {
    return decode();
  } finally {
    asciiInput = outer;
  }
}

/** A string of at most `limit` UTF-8 bytes; numbers and booleans are read as their text. */
export function str(limit: number): Type<string> {
  return {
    name: "string",
    decode(value) {
      let text: string;
      if (typeof value === "string") text = value;
      else if (typeof value === "number" || typeof value === "boolean") text = String(value);
      else throw wrongType("a string", value);
      if (!asciiInput || text.length > limit) checkText(text, limit, "syntax");
      return text;
    },
    encode(text) {
      if (typeof text !== "string") throw wrongType("a string", text);
      checkText(text, limit, "invalidFormat");
      return text;
    },
    empty: () => "",
    isEmpty: (text) => text === "",
  };
}

const NON_ASCII = /[\u0080-\uffff]/;

function checkText(text: string, limit: number, surrogateKind: "syntax" | "invalidFormat"): void {
  if (!text.isWellFormed()) {
    throw new Fault(surrogateKind, `string has a lone surrogate: ${preview(text)}`);
  }
  // A UTF-16 unit is 1 to 3 UTF-8 bytes, so only the middle range needs a count.
  if (text.length * 3 > limit && (text.length > limit || NON_ASCII.test(text))) {
    const bytes = utf8Length(text);
    if (bytes > limit) {
      throw new Fault("limitExceeded", `${bytes} bytes, limit ${limit}: ${preview(text)}`);
    }
  }
}

function utf8Length(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

/**
 * Cuts a string to at most `limit` UTF-8 bytes at a character boundary, as
 * AosCore stores `errorInfo.message` (it cuts mid-character; we do not).
 */
export function truncateUtf8(text: string, limit: number): string {
  if (text.length * 3 <= limit || utf8Length(text) <= limit) return text;
  let bytes = 0;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    const pair = c >= 0xd800 && c <= 0xdbff;
    const size = c < 0x80 ? 1 : c < 0x800 ? 2 : pair ? 4 : 3;
    if (bytes + size > limit) break;
    bytes += size;
    i += pair ? 2 : 1;
  }
  return text.slice(0, i);
}

const SIGNED = /^\s*[+-]?\d+$/;
const UNSIGNED = /^\s*\+?\d+$/;
const DECIMAL = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * An integer from `min` to `max` (within the safe range). Fractions are
 * truncated, decimal strings parsed and booleans read as 1 and 0, as AosCore
 * does; a value beyond the safe range is `outOfRange` rather than rounded.
 */
function integer(name: string, min: number, max: number): Type<number> {
  const pattern = min < 0 ? SIGNED : UNSIGNED;
  const check = (n: number, shown: unknown): number => {
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      throw new Fault("outOfRange", `${String(shown)} is outside ${min}..${max} (${name})`);
    }
    return n === 0 ? 0 : n;
  };
  return {
    name,
    decode(value) {
      if (typeof value === "number") {
        if (Number.isSafeInteger(value) && value >= min && value <= max) return value;
        // A negative fraction is out of an unsigned range before truncation.
        return check(value < 0 && min === 0 ? value : Math.trunc(value), value);
      }
      if (typeof value === "boolean") return value ? 1 : 0;
      if (typeof value === "string" && pattern.test(value)) return check(Number(value), value);
      throw wrongType(`an integer (${name})`, value);
    },
    encode(n) {
      if (typeof n !== "number") throw wrongType(`an integer (${name})`, n);
      if (Number.isFinite(n) && !Number.isInteger(n)) throw wrongType(`an integer (${name})`, n);
      return check(n, n);
    },
    empty: () => 0,
    isEmpty: (n) => n === 0,
  };
}

/** uint64, carried as a safe integer. */
export const u64: Type<number> = integer("uint64", 0, Number.MAX_SAFE_INTEGER);
/** int64, carried as a safe integer. */
export const i64: Type<number> = integer("int64", Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
/** int32. */
export const i32: Type<number> = integer("int32", -(2 ** 31), 2 ** 31 - 1);

/** A finite float; decimal strings are parsed and booleans read as 1 and 0. */
export const f64: Type<number> = {
  name: "float64",
  decode(value) {
    let n: number;
    if (typeof value === "number") n = value;
    else if (typeof value === "boolean") n = value ? 1 : 0;
    else if (typeof value === "string" && DECIMAL.test(value)) n = Number(value);
    else throw wrongType("a number", value);
    if (!Number.isFinite(n)) throw new Fault("outOfRange", `${String(value)} is not finite`);
    return n;
  },
  encode(n) {
    if (typeof n !== "number") throw wrongType("a number", n);
    if (!Number.isFinite(n)) throw new Fault("outOfRange", `${n} is not finite`);
    return n;
  },
  empty: () => 0,
  isEmpty: (n) => n === 0,
};

const FALSE_TEXT = new Set(["", "0", "false"]);

/** A boolean; a number is true when non-zero, a string false when `""`, `"0"` or `"false"`. */
export const bool: Type<boolean> = {
  name: "boolean",
  decode(value) {
    if (typeof value === "boolean") return value;
    if (typeof value === "number") return value !== 0;
    if (typeof value === "string") return !FALSE_TEXT.has(value.toLowerCase());
    throw wrongType("a boolean", value);
  },
  encode(value) {
    if (typeof value !== "boolean") throw wrongType("a boolean", value);
    return value;
  },
  empty: () => false,
  isEmpty: (value) => !value,
};

/**
 * A string enum, matched exactly. With `lenient`, an unknown string reads as
 * absent (AosCore's rule for `AosIdentity.type`).
 */
export function enumOf<T extends string>(
  name: string,
  values: readonly T[],
  lenient = false,
): Type<T> {
  const known = new Set<string>(values);
  const first = values[0]!;
  return {
    name,
    missing: lenient ? "missingField" : "invalidEnum",
    decode(value) {
      if (typeof value !== "string") {
        if (typeof value === "object") throw wrongType(`a string (${name})`, value);
        value = String(value);
      }
      if (known.has(value as string)) return value as T;
      if (lenient) return undefined;
      throw new Fault("invalidEnum", `unknown ${name} ${preview(value as string)}`);
    },
    encode(value) {
      if (typeof value !== "string" || !known.has(value)) {
        throw new Fault("invalidEnum", `unknown ${name} ${describe(value)}`);
      }
      return value;
    },
    empty: () => first,
    isEmpty: () => false,
  };
}

function describe(value: unknown): string {
  return typeof value === "string" ? preview(value) : String(value);
}

/** A timestamp (§2.3), read into an {@linkcode AosTime}. */
export const timestamp: Type<Date> = {
  name: "timestamp",
  decode(value) {
    if (typeof value !== "string") throw wrongType("a timestamp string", value);
    let time: AosTime;
    try {
      time = parseTimestamp(value);
    } catch (err) {
      throw new Fault("invalidFormat", AosError.from(err).message);
    }
    // An offset can move year 0000 or 9999 out of what the protocol can write.
    const year = time.getUTCFullYear();
    if (year < 0 || year > 9999) {
      throw new Fault("outOfRange", `timestamp ${preview(value)} is outside years 0000-9999`);
    }
    return time;
  },
  encode(date) {
    if (!(date instanceof Date)) throw wrongType("a Date", date);
    if (Number.isNaN(date.getTime())) throw new Fault("invalidFormat", "invalid Date");
    try {
      return formatTimestamp(date);
    } catch (err) {
      throw new Fault("outOfRange", AosError.from(err).message);
    }
  },
  empty: () => new AosTime(0),
  isEmpty: () => false,
};

const PLAIN_SECONDS = /^-?\d*(?:\.\d+)?$/;

// A unit config repeats a few timeouts (PT10S, PT1M) many times, and the
// exact nanosecond arithmetic behind them is costly: remember recent ones.
const readDurations = new Map<string, number>();
const writtenDurations = new Map<number, string>();

function remember<K, V>(cache: Map<K, V>, key: K, value: V): V {
  if (cache.size >= 64) cache.clear();
  cache.set(key, value);
  return value;
}

/**
 * A duration in milliseconds (§2.4): read from ISO 8601, Go-style or plain
 * seconds (a number or a string), written as AosCore's ISO 8601; 0 or less
 * counts as empty, so `nonEmpty` rows leave it out.
 */
export const duration: Type<number> = {
  name: "duration",
  decode(value) {
    let text: string;
    if (typeof value === "string") text = value;
    else if (typeof value === "number") text = String(value);
    else throw wrongType("a duration string", value);
    const known = readDurations.get(text);
    if (known !== undefined) return known;
    let ms: number;
    try {
      ms = parseDuration(text);
    } catch (err) {
      throw new Fault("invalidFormat", AosError.from(err).message);
    }
    // AosCore holds plain seconds in an int32.
    if (PLAIN_SECONDS.test(text) && Math.abs(ms / 1000) > 2 ** 31 - (ms < 0 ? 0 : 1)) {
      throw new Fault("outOfRange", `duration ${preview(text)} exceeds 2^31 seconds`);
    }
    return remember(readDurations, text, ms);
  },
  encode(ms) {
    if (typeof ms !== "number") throw wrongType("a duration in milliseconds", ms);
    if (!Number.isFinite(ms)) throw new Fault("outOfRange", `duration ${ms} is not finite`);
    return writtenDurations.get(ms) ?? remember(writtenDurations, ms, formatDuration(ms));
  },
  empty: () => 0,
  isEmpty: (ms) => ms <= 0,
};
