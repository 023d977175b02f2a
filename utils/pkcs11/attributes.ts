// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Template attributes with their values encoded as Cryptoki stores them.
 *
 * @module
 */

import type { Attribute } from "./types.ts";

/**
 * A `CK_ULONG` attribute (`CKA_CLASS`, `CKA_KEY_TYPE`, `CKA_MODULUS_BITS`, ...):
 * 8 little-endian bytes.
 *
 * @example
 * ```ts
 * import { CKA, CKO, ulongAttribute } from "@aoscore/common/utils/pkcs11";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(ulongAttribute(CKA.CLASS, CKO.PRIVATE_KEY).value, new Uint8Array([3, 0, 0, 0, 0, 0, 0, 0]));
 * ```
 *
 * @param type The attribute type.
 * @param value The number.
 * @returns The attribute.
 */
export function ulongAttribute(type: bigint, value: bigint): Attribute {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, value, true);
  return { type, value: bytes };
}

/**
 * A `CK_BBOOL` attribute: one byte.
 *
 * @example
 * ```ts
 * import { booleanAttribute, CKA } from "@aoscore/common/utils/pkcs11";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(booleanAttribute(CKA.TOKEN, true), { type: CKA.TOKEN, value: new Uint8Array([1]) });
 * ```
 *
 * @param type The attribute type.
 * @param value The flag.
 * @returns The attribute.
 */
export function booleanAttribute(type: bigint, value: boolean): Attribute {
  return { type, value: new Uint8Array([value ? 1 : 0]) };
}

/**
 * A text attribute (`CKA_LABEL`): UTF-8 without a terminating NUL.
 *
 * @example
 * ```ts
 * import { CKA, textAttribute } from "@aoscore/common/utils/pkcs11";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(textAttribute(CKA.LABEL, "iam").value, new Uint8Array([0x69, 0x61, 0x6d]));
 * ```
 *
 * @param type The attribute type.
 * @param value The text.
 * @returns The attribute.
 */
export function textAttribute(type: bigint, value: string): Attribute {
  return { type, value: new TextEncoder().encode(value) };
}

/**
 * Reads a `CK_ULONG` attribute value.
 *
 * @example
 * ```ts
 * import { CKA, CKK, readUlongAttribute, ulongAttribute } from "@aoscore/common/utils/pkcs11";
 * import assert from "node:assert/strict";
 *
 * const { value } = ulongAttribute(CKA.KEY_TYPE, CKK.EC);
 * assert.equal(readUlongAttribute(value), CKK.EC);
 * ```
 *
 * @param value 8 little-endian bytes.
 * @returns The number.
 */
export function readUlongAttribute(value: Uint8Array): bigint {
  return new DataView(value.buffer, value.byteOffset, value.byteLength).getBigUint64(0, true);
}
