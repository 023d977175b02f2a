// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * UUIDs as AosCore makes them: random (v4) for correlation ids, SHA-1
 * name-based (v5) for deterministic ids, and the MD5 name-based (v3) ids of
 * its `NameUUID` helper; plus strict text conversion.
 *
 * Deviations from AosCore: parsing checks the dash positions and the hex
 * digits (AosCore checks only the length), and v5 names may be of any length
 * (AosCore fails past 26 bytes).
 *
 * @module
 */

import { createHash } from "node:crypto";
import { checkString, checkText } from "./_argument_type.ts";
import { AosError } from "./errors.ts";

/** The nil UUID, all zeros. */
export const NIL_UUID = "00000000-0000-0000-0000-000000000000";

/** The RFC 4122 namespace of ISO OIDs, used by {@linkcode nameUuid}. */
export const OID_NAMESPACE = "6ba7b812-9dad-11d1-80b4-00c04fd430c8";

/**
 * A new random (version 4) UUID.
 *
 * @example
 * ```ts
 * import { uuidV4 } from "@aoscore/common/utils";
 * import assert from "node:assert/strict";
 *
 * assert.match(uuidV4(), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
 * ```
 *
 * @returns The lower-case UUID text.
 */
export function uuidV4(): string {
  // Not crypto.randomUUID(): both runtimes return a string that JSON.stringify
  // cannot copy on its fast path (a rope on Node), and a cloud frame's header
  // holds one. The bytes come from the same secure source, a batch at a time,
  // as Node's randomUUID takes them.
  if (randomAt === RANDOM_BATCH) {
    randomPool ??= new Uint8Array(RANDOM_BATCH);
    crypto.getRandomValues(randomPool);
    randomAt = 0;
  }
  const bytes = randomPool!;
  const at = randomAt;
  randomAt += 16;
  bytes[at + 6] = (bytes[at + 6]! & 0x0f) | 0x40;
  bytes[at + 8] = (bytes[at + 8]! & 0x3f) | 0x80;
  return formatFlat(bytes, at);
}

/** Random bytes for 256 UUIDs, filled when used up (allocated on first use). */
const RANDOM_BATCH = 16 * 256;
let randomPool: Uint8Array<ArrayBuffer> | undefined;
let randomAt = RANDOM_BATCH;
const HEX_DIGITS = "0123456789abcdef";
let uuidCodes: number[] | undefined;

/** The 16 bytes at `at` as UUID text, one flat string made from character codes. */
function formatFlat(bytes: Uint8Array, at: number): string {
  const codes = uuidCodes ??= new Array<number>(36).fill(45); // 45: "-"
  let j = 0;
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) j++;
    const byte = bytes[at + i]!;
    codes[j++] = HEX_DIGITS.charCodeAt(byte >> 4);
    codes[j++] = HEX_DIGITS.charCodeAt(byte & 15);
  }
  return String.fromCharCode.apply(null, codes);
}

/**
 * The name-based (version 5, SHA-1) UUID of `name` in `namespace`.
 *
 * @example
 * ```ts
 * import { uuidV5 } from "@aoscore/common/utils";
 * import assert from "node:assert/strict";
 *
 * assert.equal(
 *   uuidV5("58ac9ca0-2086-4683-a1b8-ec4bc08e01b6", "uid=42"),
 *   "31d10f2b-ae42-531d-a158-d9359245d171",
 * );
 * ```
 *
 * @param namespace The namespace UUID, as text or 16 bytes.
 * @param name The name; text is hashed as UTF-8.
 * @returns The lower-case UUID text.
 * @throws {AosError} `invalidArgument` for a malformed namespace.
 */
export function uuidV5(namespace: string | Uint8Array, name: string | Uint8Array): string {
  return nameBased("sha1", 0x50, namespace, name);
}

/**
 * AosCore's `NameUUID`: the name-based (version 3, MD5) UUID of `name` in
 * the OID namespace.
 *
 * @example
 * ```ts
 * import { nameUuid } from "@aoscore/common/utils";
 * import assert from "node:assert/strict";
 *
 * assert.equal(nameUuid("runtimeType-nodeID"), "a7b266a6-30ee-325a-8e7f-58a93b19c963");
 * ```
 *
 * @param name The name, hashed as UTF-8.
 * @returns The lower-case UUID text.
 * @throws {AosError} `invalidArgument` when `name` is not a string.
 */
export function nameUuid(name: string): string {
  return nameBased("md5", 0x30, OID_NAMESPACE, name);
}

function nameBased(
  algorithm: string,
  version: number,
  namespace: string | Uint8Array,
  name: string | Uint8Array,
): string {
  checkText(name, "name", "Cannot make a name-based UUID");
  const ns = typeof namespace === "string" ? parseUuid(namespace) : checkLength(namespace);
  const bytes = new Uint8Array(createHash(algorithm).update(ns).update(name).digest()).subarray(
    0,
    16,
  );
  bytes[6] = (bytes[6]! & 0x0f) | version;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  return formatUuid(bytes);
}

/**
 * Parses UUID text (either case) to its 16 bytes. As in AosCore, the empty
 * string is the nil UUID.
 *
 * @example
 * ```ts
 * import { NIL_UUID, parseUuid } from "@aoscore/common/utils";
 * import assert from "node:assert/strict";
 *
 * assert.equal(parseUuid("6BA7B812-9DAD-11D1-80B4-00C04FD430C8")[0], 0x6b);
 * assert.deepEqual(parseUuid(""), parseUuid(NIL_UUID)); // empty is the nil UUID
 * assert.throws(() => parseUuid("6ba7b812"), /expected 36 characters/);
 * ```
 *
 * @param text `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, or `""`.
 * @returns The 16 bytes.
 * @throws {AosError} `invalidArgument` for a wrong length, misplaced dashes or a non-hex digit.
 */
export function parseUuid(text: string): Uint8Array {
  checkString(text, "text", "Cannot parse UUID");
  const bytes = new Uint8Array(16);
  if (text === "") return bytes;
  const fail = (why: string) =>
    new AosError("invalidArgument", `Cannot parse UUID "${text}": ${why}`);
  if (text.length !== 36) throw fail(`expected 36 characters, got ${text.length}`);
  for (const dash of [8, 13, 18, 23]) {
    if (text[dash] !== "-") throw fail(`expected "-" at position ${dash}`);
  }
  let pos = 0;
  for (let i = 0; i < 16; i++) {
    if (pos === 8 || pos === 13 || pos === 18 || pos === 23) pos++;
    const high = hexValue(text.charCodeAt(pos));
    const low = hexValue(text.charCodeAt(pos + 1));
    if (high < 0 || low < 0) {
      throw fail(`invalid hex digit at position ${high < 0 ? pos : pos + 1}`);
    }
    bytes[i] = (high << 4) | low;
    pos += 2;
  }
  return bytes;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/**
 * Formats 16 bytes as lower-case UUID text.
 *
 * @example
 * ```ts
 * import { formatUuid, parseUuid } from "@aoscore/common/utils";
 * import assert from "node:assert/strict";
 *
 * const bytes = new Uint8Array(16).fill(0xab);
 * assert.equal(formatUuid(bytes), "abababab-abab-abab-abab-abababababab");
 * assert.deepEqual(parseUuid(formatUuid(bytes)), bytes);
 * ```
 *
 * @param bytes The UUID.
 * @returns `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`.
 * @throws {AosError} `invalidArgument` unless there are exactly 16 bytes.
 */
export function formatUuid(bytes: Uint8Array): string {
  return formatFlat(checkLength(bytes), 0);
}

function checkLength(bytes: Uint8Array): Uint8Array {
  if (bytes.length !== 16) {
    throw new AosError(
      "invalidArgument",
      `Cannot use ${bytes.length} bytes as a UUID: expected 16`,
    );
  }
  return bytes;
}
