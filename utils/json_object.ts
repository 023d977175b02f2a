// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Typed, case-insensitive reading of parsed JSON objects: lenient conversions
 * as AosCore's dynamic getters do them, with a strict mode for callers that
 * must reject what AosCore lets through.
 *
 * @module
 */

import { AosError } from "./errors.ts";
import { getMember, isJsonObject, type JsonObject } from "./json.ts";

/** The target types of {@linkcode convertJson}. */
export interface JsonTypeMap {
  /** A string; numbers and booleans are written as text. */
  string: string;
  /** A finite number; decimal strings are parsed. */
  number: number;
  /** A safe integer; fractions are truncated toward zero unless strict. */
  integer: number;
  /** A safe integer of at least 0. */
  unsigned: number;
  /** A boolean; `"true"` and `"false"` in any case are accepted. */
  boolean: boolean;
}

/** Options of {@linkcode convertJson} and {@linkcode CaseInsensitiveObject}. */
export interface JsonConvertOptions {
  /**
   * Rejects what AosCore lets through: a fractional number read as an
   * integer (AosCore truncates it) and an object or array read as a string
   * (AosCore returns its JSON text).
   *
   * @default {false}
   */
  strict?: boolean;
  /**
   * What is converted, for error messages (`member "port"`).
   *
   * @default {"value"}
   */
  what?: string;
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INTEGER = /^[+-]?\d+$/;

/**
 * Converts a JSON value to the given type as AosCore's dynamic getters do:
 * numeric strings become numbers, numbers and booleans become strings,
 * `"true"`/`"false"` become booleans. `null` never converts.
 *
 * @example
 * ```ts
 * import { convertJson } from "@aoscore/common/utils";
 * import assert from "node:assert/strict";
 *
 * assert.equal(convertJson("8080", "unsigned"), 8080);
 * assert.equal(convertJson(1.7, "integer"), 1);
 * assert.throws(() => convertJson(1.7, "integer", { strict: true }));
 * ```
 *
 * @param value The JSON value.
 * @param type The target type.
 * @param options Strictness and the label for errors.
 * @returns The converted value.
 * @throws {AosError} `invalidArgument` when the value does not convert.
 */
export function convertJson<K extends keyof JsonTypeMap>(
  value: unknown,
  type: K,
  options: JsonConvertOptions = {},
): JsonTypeMap[K] {
  const result = convert(value, type, options.strict === true);
  if (result === undefined) {
    throw new AosError(
      "invalidArgument",
      `Cannot convert ${options.what ?? "value"} to ${type}: ${preview(value)}`,
    );
  }
  return result as JsonTypeMap[K];
}

function convert(value: unknown, type: keyof JsonTypeMap, strict: boolean): unknown {
  switch (type) {
    case "string":
      if (typeof value === "string") return value;
      if (typeof value === "number" || typeof value === "boolean") return String(value);
      if (!strict && typeof value === "object" && value !== null) return JSON.stringify(value);
      return undefined;
    case "number":
      if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
      if (typeof value === "string" && DECIMAL.test(value)) return Number(value);
      return undefined;
    case "integer":
    case "unsigned": {
      let n: number | undefined;
      if (typeof value === "number") {
        n = strict && !Number.isInteger(value) ? undefined : Math.trunc(value);
      } else if (typeof value === "string" && INTEGER.test(value)) n = Number(value);
      if (n === undefined || !Number.isSafeInteger(n)) return undefined;
      if (type === "unsigned" && n < 0) return undefined;
      return n === 0 ? 0 : n;
    }
    case "boolean":
      if (typeof value === "boolean") return value;
      if (typeof value === "string") {
        const lower = value.toLowerCase();
        if (lower === "true") return true;
        if (lower === "false") return false;
      }
      return undefined;
  }
}

function preview(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 64 ? `${text.slice(0, 61)}...` : text;
}

/**
 * A read-only, case-insensitive view of a parsed JSON object. It keeps a
 * reference to the object (nothing is copied) and converts values on read.
 *
 * @example Read a message whatever the sender's spelling
 * ```ts
 * import { CaseInsensitiveObject } from "@aoscore/common/utils";
 * import assert from "node:assert/strict";
 *
 * const obj = new CaseInsensitiveObject(JSON.parse('{"NodeID": "main", "Port": "8080", "x": null}'));
 * assert.equal(obj.getString("nodeId"), "main");
 * assert.equal(obj.getUnsigned("port"), 8080);
 * assert.equal(obj.has("x"), false);
 * assert.equal(obj.getNumber("timeout", 30), 30);
 * ```
 */
export class CaseInsensitiveObject {
  readonly #obj: JsonObject;
  readonly #path: string;
  readonly #options: JsonConvertOptions;

  /**
   * Wraps a parsed JSON object.
   *
   * @param value The object; anything else is rejected.
   * @param options Strict conversions (inherited by nested objects).
   * @param path Where the object sits in its document, for error messages.
   * @throws {AosError} `invalidArgument` when `value` is not a JSON object.
   */
  constructor(value: unknown, options: JsonConvertOptions = {}, path = "") {
    if (!isJsonObject(value)) {
      const got = Array.isArray(value) ? "an array" : preview(value);
      throw new AosError(
        "invalidArgument",
        `Cannot read ${path === "" ? "JSON value" : `member "${path}"`} as an object: got ${got}`,
      );
    }
    this.#obj = value;
    this.#path = path;
    this.#options = options;
  }

  /**
   * Reports whether a member is present with a non-`null` value.
   *
   * @param key The member name in any case.
   * @returns `true` when present.
   */
  has(key: string): boolean {
    return getMember(this.#obj, key) !== undefined;
  }

  /**
   * Reads a member as it is.
   *
   * @param key The member name in any case.
   * @returns The raw value.
   * @throws {AosError} `notFound` when absent or `null`.
   */
  get(key: string): unknown {
    const value = getMember(this.#obj, key);
    if (value === undefined) throw new AosError("notFound", `Key not found: "${this.#at(key)}"`);
    return value;
  }

  /**
   * Reads a member as it is.
   *
   * @param key The member name in any case.
   * @returns The raw value, or `undefined` when absent or `null`.
   */
  getOptional(key: string): unknown {
    return getMember(this.#obj, key);
  }

  /**
   * Reads a member as a string (see {@linkcode convertJson}).
   *
   * @param key The member name in any case.
   * @param fallback Returned when the member is absent.
   * @returns The string.
   * @throws {AosError} `notFound` when absent without a fallback; `invalidArgument` when it does not convert.
   */
  getString(key: string, fallback?: string): string {
    return this.#typed(key, "string", fallback);
  }

  /**
   * Reads a member as a finite number.
   *
   * @param key The member name in any case.
   * @param fallback Returned when the member is absent.
   * @returns The number.
   * @throws {AosError} `notFound` when absent without a fallback; `invalidArgument` when it does not convert.
   */
  getNumber(key: string, fallback?: number): number {
    return this.#typed(key, "number", fallback);
  }

  /**
   * Reads a member as a safe integer.
   *
   * @param key The member name in any case.
   * @param fallback Returned when the member is absent.
   * @returns The integer.
   * @throws {AosError} `notFound` when absent without a fallback; `invalidArgument` when it does not convert.
   */
  getInteger(key: string, fallback?: number): number {
    return this.#typed(key, "integer", fallback);
  }

  /**
   * Reads a member as a safe integer of at least 0.
   *
   * @param key The member name in any case.
   * @param fallback Returned when the member is absent.
   * @returns The integer.
   * @throws {AosError} `notFound` when absent without a fallback; `invalidArgument` when it does not convert.
   */
  getUnsigned(key: string, fallback?: number): number {
    return this.#typed(key, "unsigned", fallback);
  }

  /**
   * Reads a member as a boolean.
   *
   * @param key The member name in any case.
   * @param fallback Returned when the member is absent.
   * @returns The boolean.
   * @throws {AosError} `notFound` when absent without a fallback; `invalidArgument` when it does not convert.
   */
  getBoolean(key: string, fallback?: boolean): boolean {
    return this.#typed(key, "boolean", fallback);
  }

  /**
   * Reads a member that must be an array.
   *
   * @param key The member name in any case.
   * @returns The array itself (not a copy), or `[]` when absent.
   * @throws {AosError} `invalidArgument` when the member is not an array.
   */
  getArray(key: string): unknown[] {
    const value = getMember(this.#obj, key);
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
      throw new AosError(
        "invalidArgument",
        `Cannot read member "${this.#at(key)}" as an array: got ${preview(value)}`,
      );
    }
    return value;
  }

  /**
   * Converts every element of an array member. A `null` element is not absent:
   * it reaches `parse`.
   *
   * @param key The member name in any case.
   * @param parse Converts one element.
   * @returns The converted elements, `[]` when the member is absent.
   */
  map<T>(key: string, parse: (value: unknown, index: number) => T): T[] {
    return this.getArray(key).map(parse);
  }

  /**
   * Reads a member that must be an object.
   *
   * @param key The member name in any case.
   * @returns A view of the nested object.
   * @throws {AosError} `notFound` when absent; `invalidArgument` when it is not an object.
   */
  getObject(key: string): CaseInsensitiveObject {
    return new CaseInsensitiveObject(this.get(key), this.#options, this.#at(key));
  }

  /**
   * Reads a member that, when present, must be an object.
   *
   * @param key The member name in any case.
   * @returns A view of the nested object, or `undefined` when absent.
   * @throws {AosError} `invalidArgument` when it is not an object.
   */
  getOptionalObject(key: string): CaseInsensitiveObject | undefined {
    const value = getMember(this.#obj, key);
    return value === undefined
      ? undefined
      : new CaseInsensitiveObject(value, this.#options, this.#at(key));
  }

  /**
   * Every key as spelled in the object, `null`-valued ones included.
   *
   * @returns The keys in the object's order.
   */
  names(): string[] {
    return Object.keys(this.#obj);
  }

  /**
   * The wrapped object itself.
   *
   * @returns The object given to the constructor.
   */
  raw(): JsonObject {
    return this.#obj;
  }

  #typed<K extends keyof JsonTypeMap>(
    key: string,
    type: K,
    fallback: JsonTypeMap[K] | undefined,
  ): JsonTypeMap[K] {
    const value = getMember(this.#obj, key);
    if (value === undefined) {
      if (fallback !== undefined) return fallback;
      throw new AosError("notFound", `Key not found: "${this.#at(key)}"`);
    }
    const options: JsonConvertOptions = { what: `member "${this.#at(key)}"` };
    if (this.#options.strict === true) options.strict = true;
    return convertJson(value, type, options);
  }

  #at(key: string): string {
    return this.#path === "" ? key : `${this.#path}.${key}`;
  }
}
