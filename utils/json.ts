// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * JSON helpers with AosCore's rules: member names match case-insensitively
 * (ASCII only), members whose value is `null` count as absent, and getters
 * convert leniently between strings, numbers and booleans.
 *
 * Lookups never copy the parsed object: {@linkcode getMember} tries the exact
 * key first and only then scans the keys with an ASCII case fold, so the
 * common case (the sender used the canonical spelling) costs one property read.
 *
 * When several keys differ only in case, the exact spelling wins, then the
 * first key in the object's own order (insertion order for `JSON.parse`
 * output). AosCore iterates keys in byte order instead, so upper-case
 * spellings win there; no well-formed message depends on the difference.
 *
 * @module
 */

import { throwIfAborted } from "./abort.ts";
import { argumentTypeError, checkText } from "./_argument_type.ts";
import { concatBytes } from "./_bytes.ts";
import { AosError } from "./errors.ts";
import { atomicWriteFile, type AtomicWriteOptions } from "./fs.ts";

/** A parsed JSON object. */
export type JsonObject = Record<string, unknown>;

/**
 * Reports whether `value` is a JSON object: not `null`, not an array.
 *
 * @example
 * ```ts
 * import { isJsonObject } from "@aoscore/common/utils";
 * import assert from "node:assert/strict";
 *
 * assert.equal(isJsonObject({ a: 1 }), true);
 * assert.equal(isJsonObject([1]), false);
 * assert.equal(isJsonObject(null), false);
 * ```
 *
 * @param value Any value.
 * @returns `true` for a non-array object.
 */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The key of `obj` that matches `key` case-insensitively (ASCII) and holds a
 * non-`null` value.
 *
 * @example
 * ```ts
 * import { findMemberKey } from "@aoscore/common/utils";
 * import assert from "node:assert/strict";
 *
 * const doc = { ServiceID: "s1", Version: null };
 * assert.equal(findMemberKey(doc, "serviceId"), "ServiceID");
 * assert.equal(findMemberKey(doc, "version"), undefined); // null counts as absent
 * ```
 *
 * @param obj The object to search.
 * @param key The member name in any case.
 * @returns The key as spelled in `obj`, or `undefined`.
 */
export function findMemberKey(obj: JsonObject, key: string): string | undefined {
  if (Object.hasOwn(obj, key) && present(obj[key])) return key;
  for (const candidate in obj) {
    if (candidate.length === key.length && asciiEqualFold(candidate, key)) {
      if (present(obj[candidate]) && Object.hasOwn(obj, candidate)) return candidate;
    }
  }
  return undefined;
}

/**
 * Reads a member case-insensitively (ASCII). A `null` value counts as absent.
 *
 * @example
 * ```ts
 * import { getMember } from "@aoscore/common/utils";
 * import assert from "node:assert/strict";
 *
 * const msg = JSON.parse('{"MessageType": "alerts", "items": null}');
 * assert.equal(getMember(msg, "messageType"), "alerts");
 * assert.equal(getMember(msg, "items"), undefined);
 * ```
 *
 * @param obj The object to read.
 * @param key The member name in any case.
 * @returns The value, or `undefined` when absent or `null`.
 */
export function getMember(obj: JsonObject, key: string): unknown {
  if (Object.hasOwn(obj, key)) {
    const value = obj[key];
    if (present(value)) return value;
  }
  for (const candidate in obj) {
    if (candidate.length === key.length && asciiEqualFold(candidate, key)) {
      const value = obj[candidate];
      if (present(value) && Object.hasOwn(obj, candidate)) return value;
    }
  }
  return undefined;
}

/**
 * Reports whether a member is present (case-insensitively) with a non-`null` value.
 *
 * @example
 * ```ts
 * import { hasMember } from "@aoscore/common/utils";
 * import assert from "node:assert/strict";
 *
 * const doc = { ServiceID: "s1", Version: null };
 * assert.equal(hasMember(doc, "serviceid"), true);
 * assert.equal(hasMember(doc, "version"), false);
 * ```
 *
 * @param obj The object to read.
 * @param key The member name in any case.
 * @returns `true` when {@linkcode getMember} would return a value.
 */
export function hasMember(obj: JsonObject, key: string): boolean {
  return getMember(obj, key) !== undefined;
}

function present(value: unknown): boolean {
  return value !== null && value !== undefined;
}

function asciiEqualFold(a: string, b: string): boolean {
  for (let i = 0; i < a.length; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 65 && x <= 90) x += 32;
    if (y >= 65 && y <= 90) y += 32;
    if (x !== y) return false;
  }
  return true;
}

/**
 * Parses JSON text (a string, or UTF-8 bytes).
 *
 * @example
 * ```ts
 * import { errorIs, parseJson } from "@aoscore/common/utils";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(parseJson('{"a": [1, 2]}'), { a: [1, 2] });
 * assert.throws(() => parseJson("{"), (e) => errorIs(e, "invalidArgument"));
 * ```
 *
 * @param text The JSON text.
 * @returns The parsed value.
 * @throws {AosError} `invalidArgument` for empty input, invalid UTF-8, invalid JSON, or a `text`
 *   that is neither a string nor bytes.
 */
export function parseJson(text: string | Uint8Array): unknown {
  checkText(text, "text", "Cannot parse JSON");
  if (typeof text !== "string") text = decodeUtf8(text);
  if (text.trim() === "") throw new AosError("invalidArgument", "Cannot parse JSON: empty input");
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new AosError("invalidArgument", "Cannot parse JSON", { cause: err });
  }
}

const lenientDecoder = new TextDecoder();

/**
 * Strict UTF-8 decoding. Deno's fatal decoder is three times slower than the
 * lenient one, which marks bad input with U+FFFD: only text holding that
 * character (rare) is decoded again, strictly, to tell the two apart.
 */
function decodeUtf8(bytes: Uint8Array): string {
  const text = lenientDecoder.decode(bytes);
  if (!text.includes("\uFFFD")) return text;
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (err) {
    throw new AosError("invalidArgument", "Cannot parse JSON: invalid UTF-8", { cause: err });
  }
}

/** Options of {@linkcode parseJsonStream}. */
export interface ParseJsonStreamOptions {
  /** Cancels the read (the stream is canceled too). */
  signal?: AbortSignal;
  /**
   * Largest accepted input, in bytes.
   *
   * @default {Infinity}
   */
  maxBytes?: number;
}

/**
 * Reads a byte stream to its end and parses it as JSON.
 *
 * @example
 * ```ts
 * import { errorIs, parseJsonStream } from "@aoscore/common/utils";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(await parseJsonStream(new Response('{"a": [1, 2]}').body!), { a: [1, 2] });
 * await assert.rejects(
 *   parseJsonStream(new Response("[1, 2, 3]").body!, { maxBytes: 4 }),
 *   (err) => errorIs(err, "outOfRange"),
 * );
 * ```
 *
 * @param input The UTF-8 JSON text.
 * @param options Cancellation and a size cap.
 * @returns The parsed value.
 * @throws {AosError} `invalidArgument` for bad JSON or an `input` that is not a stream,
 *   `outOfRange` past `maxBytes`, `canceled` on abort.
 */
export async function parseJsonStream(
  input: ReadableStream<Uint8Array>,
  options: ParseJsonStreamOptions = {},
): Promise<unknown> {
  if (typeof (input as Partial<ReadableStream> | null)?.getReader !== "function") {
    throw argumentTypeError("Cannot parse JSON", "input", "a ReadableStream", input);
  }
  const { signal, maxBytes = Infinity } = options;
  throwIfAborted(signal);
  const reader = input.getReader();
  const onAbort = () => void reader.cancel(signal?.reason).catch(() => {});
  signal?.addEventListener("abort", onAbort, { once: true });
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      throwIfAborted(signal);
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => {});
        throw new AosError("outOfRange", `Cannot parse JSON: input exceeds ${maxBytes} bytes`);
      }
      chunks.push(value);
    }
  } finally {
    signal?.removeEventListener("abort", onAbort);
    reader.releaseLock();
  }
  return parseJson(concatBytes(chunks));
}

/**
 * Serialises a value as compact JSON (`{"key":"value"}`).
 *
 * @example
 * ```ts
 * import { errorIs, stringify } from "@aoscore/common/utils";
 * import assert from "node:assert/strict";
 *
 * assert.equal(stringify({ key: "value", list: [1, 2] }), '{"key":"value","list":[1,2]}');
 * assert.throws(() => stringify(10n), (err) => errorIs(err, "invalidArgument"));
 * ```
 *
 * @param value The value.
 * @returns The JSON text.
 * @throws {AosError} `invalidArgument` for values JSON cannot hold (`undefined`, a function, a bigint, a cycle).
 */
export function stringify(value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (err) {
    throw new AosError("invalidArgument", "Cannot stringify JSON", { cause: err });
  }
  if (text === undefined) {
    throw new AosError("invalidArgument", `Cannot stringify JSON: got ${typeof value}`);
  }
  return text;
}

/**
 * Writes a value as compact JSON, atomically (see {@linkcode atomicWriteFile}).
 *
 * @example
 * ```ts
 * import { mkTmpDir, writeJsonToFile } from "@aoscore/common/utils";
 * import { readFile, rm } from "node:fs/promises";
 * import { join } from "node:path";
 * import assert from "node:assert/strict";
 *
 * const dir = await mkTmpDir();
 * await writeJsonToFile(join(dir, "state.json"), { version: 2 }, { mode: 0o600 });
 * assert.equal(await readFile(join(dir, "state.json"), "utf8"), '{"version":2}');
 * await rm(dir, { recursive: true });
 * ```
 *
 * @param path The file to create or replace.
 * @param value The value.
 * @param options The file mode and an abort signal.
 * @throws {AosError} `invalidArgument` for a value JSON cannot hold; `runtime` with the errno when
 *   the file cannot be written (AosCore reports `failed` without the errno).
 */
export async function writeJsonToFile(
  path: string,
  value: unknown,
  options: AtomicWriteOptions = {},
): Promise<void> {
  await atomicWriteFile(path, stringify(value), options);
}

/**
 * Walks nested objects by exact (case-sensitive) keys; a key may contain dots.
 *
 * @example
 * ```ts
 * import { findByPath } from "@aoscore/common/utils";
 * import assert from "node:assert/strict";
 *
 * const doc = { a: { "aos.key": { b: 1 } } };
 * assert.equal(findByPath(doc, ["a", "aos.key", "b"]), 1);
 * assert.equal(findByPath(doc, ["a", "missing"]), undefined);
 * ```
 *
 * @param value The parsed document.
 * @param path The keys to follow; empty returns `value`.
 * @returns The value found, or `undefined` at a missing key or a non-object.
 */
export function findByPath(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const key of path) {
    if (!isJsonObject(current) || !Object.hasOwn(current, key)) return undefined;
    current = current[key];
  }
  return current;
}

/**
 * Converts items to a JSON array.
 *
 * @example
 * ```ts
 * import { toJsonArray } from "@aoscore/common/utils";
 * import assert from "node:assert/strict";
 *
 * const ids = new Set(["a", "b"]);
 * assert.deepEqual(toJsonArray(ids, (id) => ({ id })), [{ id: "a" }, { id: "b" }]);
 * ```
 *
 * @param items The items.
 * @param convert Converts one item.
 * @returns The converted items.
 */
export function toJsonArray<T>(items: Iterable<T>, convert: (item: T) => unknown): unknown[] {
  return Array.from(items, convert);
}
