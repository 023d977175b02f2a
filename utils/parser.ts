// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Small text parsers.
 *
 * @module
 */

import { checkString } from "./_argument_type.ts";

/** Options of {@linkcode parseKeyValue}. */
export interface ParseKeyValueOptions {
  /**
   * Trims spaces around the key and the value.
   *
   * @default {true}
   */
  trim?: boolean;
  /**
   * Every character of this string separates key from value.
   *
   * @default {":"}
   */
  delimiters?: string;
}

/** A key and its value. */
export interface KeyValue {
  /** The key. */
  key: string;
  /** The value. */
  value: string;
}

/**
 * Splits a `key: value` line as AosCore does: split at every delimiter
 * character, drop empty pieces (after trimming), and succeed only when
 * exactly two are left.
 *
 * @example
 * ```ts
 * import { parseKeyValue } from "@aoscore/common/utils";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(parseKeyValue("MemTotal:  16 kB"), { key: "MemTotal", value: "16 kB" });
 * assert.equal(parseKeyValue("a:b:c"), undefined);
 * assert.deepEqual(parseKeyValue("a=b", { delimiters: "=" }), { key: "a", value: "b" });
 * ```
 *
 * @param line The line.
 * @param options Trimming and the delimiter set.
 * @returns The pair, or `undefined` when the line is not one.
 * @throws {AosError} `invalidArgument` when `line` is not a string.
 */
export function parseKeyValue(
  line: string,
  options: ParseKeyValueOptions = {},
): KeyValue | undefined {
  checkString(line, "line", "Cannot parse key-value line");
  const { trim = true, delimiters = ":" } = options;
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i <= line.length; i++) {
    if (i < line.length && !delimiters.includes(line[i]!)) continue;
    const piece = trim ? line.slice(start, i).trim() : line.slice(start, i);
    if (piece !== "") {
      if (parts.length === 2) return undefined;
      parts.push(piece);
    }
    start = i + 1;
  }
  return parts.length === 2 ? { key: parts[0]!, value: parts[1]! } : undefined;
}
