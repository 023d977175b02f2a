// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Reading parsed JSON the way AosCore does (case-insensitive member names,
// `null` members absent, defaults for missing scalars), but strictly typed,
// with capacities enforced and every error naming the document, file and
// member (as a JSON pointer).
import { Buffer } from "node:buffer";
import { typeName } from "../utils/_argument_type.ts";
import type { ErrorKind } from "../utils/errors.ts";
import { getMember, isJsonObject, type JsonObject, parseJson } from "../utils/json.ts";
import { convertJson, type JsonTypeMap } from "../utils/json_object.ts";
import { type AosTime, parseDuration, parseTimestamp } from "../utils/time.ts";
import { DEFAULT_OCI_LIMITS, type OciLimitName, type OciLimits } from "./constants.ts";
import { OciError } from "./errors.ts";
import type { ParseOptions } from "./types.ts";

/** What is being read, for limits and messages. */
export interface Context {
  /** The document kind, `"image manifest"`. */
  doc: string;
  /** The file, when reading one. */
  path: string | undefined;
  /** Capacities, or `undefined` when not enforced. */
  limits: OciLimits | undefined;
}

export function makeContext(doc: string, options: ParseOptions, path?: string): Context {
  const limits = options.enforceLimits === false
    ? undefined
    : options.limits === undefined
    ? DEFAULT_OCI_LIMITS
    : { ...DEFAULT_OCI_LIMITS, ...definedOnly(options.limits) };
  return { doc, path, limits };
}

function definedOnly(limits: Partial<OciLimits>): Partial<OciLimits> {
  return Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined));
}

/** `Cannot load image manifest "/x/manifest.json"` or `Cannot parse image manifest`. */
export function what(ctx: Context): string {
  return ctx.path === undefined
    ? `Cannot parse ${ctx.doc}`
    : `Cannot load ${ctx.doc} "${ctx.path}"`;
}

export function fail(ctx: Context, kind: ErrorKind, field: string, problem: string): never {
  const at = field === "" ? "" : `member "${field}" `;
  throw new OciError(kind, `${what(ctx)}: ${at}${problem}`, { path: ctx.path, field });
}

/** The document's root object, from parsed JSON, JSON text or UTF-8 bytes. */
export function rootObject(ctx: Context, input: unknown): Obj {
  let value = input;
  if (typeof input === "string" || input instanceof Uint8Array) {
    try {
      value = parseJson(input);
    } catch (err) {
      throw new OciError("invalidArgument", `${what(ctx)}: invalid JSON`, {
        cause: err,
        path: ctx.path,
      });
    }
  } else if (!isJsonObject(input)) {
    const expected = "a JSON object, JSON text or UTF-8 bytes";
    fail(ctx, "invalidArgument", "", `input must be ${expected}, got ${typeName(input)}`);
  }
  if (!isJsonObject(value)) {
    fail(ctx, "invalidArgument", "", `want a JSON object, got ${kindOf(value)}`);
  }
  return new Obj(ctx, value, "");
}

/** A case-insensitive view of one JSON object of the document. */
export class Obj {
  readonly ctx: Context;
  readonly raw: JsonObject;
  readonly pointer: string;

  constructor(ctx: Context, raw: JsonObject, pointer: string) {
    this.ctx = ctx;
    this.raw = raw;
    this.pointer = pointer;
  }

  at(key: string): string {
    return `${this.pointer}/${key.replaceAll("~", "~0").replaceAll("/", "~1")}`;
  }

  /** The raw value of a member; `undefined` when absent or `null`. */
  value(key: string): unknown {
    return getMember(this.raw, key);
  }

  string(key: string, limit?: OciLimitName): string | undefined {
    const value = getMember(this.raw, key);
    return value === undefined ? undefined : toText(this.ctx, value, this.at(key), limit);
  }

  /** A signed or unsigned safe integer; `uint32` also checks the upper bound. */
  integer(key: string, kind: IntegerKind): number | undefined {
    const value = getMember(this.raw, key);
    return value === undefined ? undefined : toInteger(this.ctx, value, this.at(key), kind);
  }

  number(key: string): number | undefined {
    const value = getMember(this.raw, key);
    return value === undefined ? undefined : convert(this.ctx, value, this.at(key), "number");
  }

  boolean(key: string): boolean | undefined {
    const value = getMember(this.raw, key);
    return value === undefined ? undefined : convert(this.ctx, value, this.at(key), "boolean");
  }

  object(key: string): Obj | undefined {
    const value = getMember(this.raw, key);
    return value === undefined ? undefined : toObject(this.ctx, value, this.at(key));
  }

  /** Converts each element of an array member; `undefined` when absent. */
  list<T>(
    key: string,
    limit: OciLimitName | undefined,
    parse: (value: unknown, pointer: string) => T,
  ): T[] | undefined {
    const value = getMember(this.raw, key);
    if (value === undefined) return undefined;
    const pointer = this.at(key);
    if (!Array.isArray(value)) {
      fail(this.ctx, "invalidArgument", pointer, `want an array, got ${kindOf(value)}`);
    }
    checkCount(this.ctx, value.length, pointer, limit);
    return value.map((item, i) => parse(item, `${pointer}/${i}`));
  }

  strings(key: string, limit: OciLimitName, itemLimit: OciLimitName): string[] | undefined {
    return this.list(key, limit, (v, p) => toText(this.ctx, v, p, itemLimit));
  }

  /** The keys of a map-like member (`{"8080/tcp": {}}`), taken literally. */
  keys(key: string, limit: OciLimitName, itemLimit: OciLimitName): string[] | undefined {
    const map = this.object(key);
    if (map === undefined) return undefined;
    const keys = Object.keys(map.raw);
    checkCount(this.ctx, keys.length, map.pointer, limit);
    for (const k of keys) checkText(this.ctx, k, map.at(k), itemLimit, "key");
    return keys;
  }

  /** A `{string: string}` member; numbers and booleans become text, `null` is an error. */
  stringMap(
    key: string,
    limit: OciLimitName,
    textLimit: OciLimitName,
  ): Record<string, string> | undefined {
    const map = this.object(key);
    if (map === undefined) return undefined;
    const entries = Object.entries(map.raw);
    checkCount(this.ctx, entries.length, map.pointer, limit);
    const out: Record<string, string> = {};
    for (const [k, v] of entries) {
      checkText(this.ctx, k, map.at(k), textLimit, "key");
      out[k] = toText(this.ctx, v, map.at(k), textLimit);
    }
    return out;
  }

  duration(key: string): number | undefined {
    const text = this.string(key);
    if (text === undefined) return undefined;
    try {
      return parseDuration(text);
    } catch (err) {
      return fail(this.ctx, "invalidArgument", this.at(key), (err as Error).message);
    }
  }

  timestamp(key: string): AosTime | undefined {
    const text = this.string(key);
    if (text === undefined) return undefined;
    try {
      return parseTimestamp(text);
    } catch (err) {
      return fail(this.ctx, "invalidArgument", this.at(key), (err as Error).message);
    }
  }
}

export type IntegerKind = "int64" | "uint64" | "uint32";

export function toObject(ctx: Context, value: unknown, pointer: string): Obj {
  if (!isJsonObject(value)) {
    fail(ctx, "invalidArgument", pointer, `want an object, got ${kindOf(value)}`);
  }
  return new Obj(ctx, value, pointer);
}

export function toText(
  ctx: Context,
  value: unknown,
  pointer: string,
  limit?: OciLimitName,
): string {
  const text = convert(ctx, value, pointer, "string");
  if (limit !== undefined) checkText(ctx, text, pointer, limit, "value");
  return text;
}

export function toInteger(
  ctx: Context,
  value: unknown,
  pointer: string,
  kind: IntegerKind,
): number {
  const n = convert(ctx, value, pointer, kind === "int64" ? "integer" : "unsigned");
  if (kind === "uint32" && n > 0xffff_ffff) {
    fail(ctx, "invalidArgument", pointer, `want an unsigned 32-bit integer, got ${n}`);
  }
  return n;
}

const WANT: Record<keyof JsonTypeMap, string> = {
  string: "a string",
  number: "a number",
  integer: "an integer",
  unsigned: "an unsigned integer",
  boolean: "a boolean",
};

function convert<K extends keyof JsonTypeMap>(
  ctx: Context,
  value: unknown,
  pointer: string,
  type: K,
): JsonTypeMap[K] {
  try {
    return convertJson(value, type, { strict: true });
  } catch {
    return fail(ctx, "invalidArgument", pointer, `want ${WANT[type]}, got ${preview(value)}`);
  }
}

export function checkCount(
  ctx: Context,
  count: number,
  pointer: string,
  limit: OciLimitName | undefined,
): void {
  const max = limit === undefined ? undefined : ctx.limits?.[limit];
  if (max !== undefined && count > max) {
    fail(ctx, "outOfRange", pointer, `has ${count} entries, at most ${max} allowed`);
  }
}

function checkText(
  ctx: Context,
  text: string,
  pointer: string,
  limit: OciLimitName,
  noun: string,
): void {
  const max = ctx.limits?.[limit];
  // UTF-8 takes at most 3 bytes per UTF-16 unit: short texts need no count.
  if (max === undefined || text.length * 3 <= max) return;
  const bytes = Buffer.byteLength(text);
  if (bytes > max) {
    fail(ctx, "outOfRange", pointer, `${noun} is ${bytes} bytes long, at most ${max} allowed`);
  }
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : preview(value);
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 64 ? `${text.slice(0, 61)}...` : text;
}
