// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Native memory for Cryptoki calls: buffers, CK_ULONGs, CK_ATTRIBUTE arrays,
// CK_MECHANISM and its parameter structs, and the decoders of the info
// structs. Layouts are Linux LP64 (CK_ULONG and pointers 8 bytes, natural
// alignment); STRUCT_SIZES records them and tests check the offsets used.
//
// Every buffer handed to a call is allocated with its own ArrayBuffer, so its
// memory is off the V8 heap and stays put while a nonblocking call runs.

import { AosError } from "../errors.ts";
import type { Attribute, Mechanism, Version } from "./types.ts";

/** Sizes in bytes of the structs this binding reads or writes. */
export const STRUCT_SIZES = Object.freeze({
  CK_ATTRIBUTE: 24,
  CK_MECHANISM: 24,
  CK_C_INITIALIZE_ARGS: 48,
  CK_RSA_PKCS_OAEP_PARAMS: 40,
  CK_RSA_PKCS_PSS_PARAMS: 24,
  CK_SESSION_INFO: 32,
  CK_INFO: 88,
  CK_SLOT_INFO: 112,
  CK_TOKEN_INFO: 208,
});

/** A zeroed buffer of native memory. */
export function alloc(size: number): Uint8Array<ArrayBuffer> {
  return new Uint8Array(new ArrayBuffer(size));
}

/** A copy of `bytes` in native memory. */
export function native(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = alloc(bytes.byteLength);
  out.set(bytes);
  return out;
}

/** The CK_ULONG at `offset` of `buffer`. */
export function readUlong(buffer: Uint8Array, offset = 0): bigint {
  return new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength).getBigUint64(
    offset,
    true,
  );
}

function pointerValue(bytes: Uint8Array): bigint {
  if (bytes.byteLength === 0) return 0n;
  return BigInt(Deno.UnsafePointer.value(Deno.UnsafePointer.of(bytes)));
}

/**
 * A CK_ATTRIBUTE array for `attributes`. The values are copied to native
 * memory; `keep` holds them, and must stay referenced until the call returns.
 */
export function packTemplate(
  attributes: readonly Attribute[],
): { array: Uint8Array<ArrayBuffer>; count: bigint; keep: Uint8Array[] } {
  const array = alloc(STRUCT_SIZES.CK_ATTRIBUTE * Math.max(attributes.length, 1));
  const view = new DataView(array.buffer);
  const keep: Uint8Array[] = [];
  attributes.forEach(({ type, value }, i) => {
    const copy = native(value);
    keep.push(copy);
    view.setBigUint64(24 * i, type, true);
    view.setBigUint64(24 * i + 8, pointerValue(copy), true);
    view.setBigUint64(24 * i + 16, BigInt(copy.byteLength), true);
  });
  return { array, count: BigInt(attributes.length), keep };
}

// A CK_MECHANISM without parameter depends on its type only, and modules
// only read it, so each type's struct is made once and shared.
const plainMechanisms = new Map<bigint, Uint8Array<ArrayBuffer>>();

/** A CK_MECHANISM for `mechanism`; its parameter is held by the returned object's `keep`. */
export function packMechanism(
  mechanism: Mechanism,
): { struct: Uint8Array<ArrayBuffer>; keep: Uint8Array | undefined } {
  if (mechanism.parameter === undefined) {
    let struct = plainMechanisms.get(mechanism.type);
    if (struct === undefined) {
      struct = alloc(STRUCT_SIZES.CK_MECHANISM);
      new DataView(struct.buffer).setBigUint64(0, mechanism.type, true);
      plainMechanisms.set(mechanism.type, struct);
    }
    return { struct, keep: undefined };
  }
  const struct = alloc(STRUCT_SIZES.CK_MECHANISM);
  const view = new DataView(struct.buffer);
  view.setBigUint64(0, mechanism.type, true);
  const parameter = native(mechanism.parameter);
  view.setBigUint64(8, pointerValue(parameter), true);
  view.setBigUint64(16, BigInt(parameter.byteLength), true);
  return { struct, keep: parameter };
}

/** CK_RSA_PKCS_OAEP_PARAMS with no encoding parameter (CKZ_DATA_SPECIFIED, empty). */
export function oaepParameters(hashAlg: bigint, mgf: bigint): Uint8Array<ArrayBuffer> {
  const out = alloc(STRUCT_SIZES.CK_RSA_PKCS_OAEP_PARAMS);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, hashAlg, true);
  view.setBigUint64(8, mgf, true);
  view.setBigUint64(16, 1n, true);
  return out;
}

/** CK_RSA_PKCS_PSS_PARAMS. */
export function pssParameters(
  hashAlg: bigint,
  mgf: bigint,
  saltLength: number,
): Uint8Array<ArrayBuffer> {
  const out = alloc(STRUCT_SIZES.CK_RSA_PKCS_PSS_PARAMS);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, hashAlg, true);
  view.setBigUint64(8, mgf, true);
  view.setBigUint64(16, BigInt(saltLength), true);
  return out;
}

/** CK_C_INITIALIZE_ARGS: no mutex callbacks, OS locking allowed. */
export function initializeArgs(): Uint8Array<ArrayBuffer> {
  const out = alloc(STRUCT_SIZES.CK_C_INITIALIZE_ARGS);
  new DataView(out.buffer).setBigUint64(32, 0x2n, true);
  return out;
}

/**
 * A blank-padded label of 32 bytes for C_InitToken.
 *
 * @throws {AosError} `invalidArgument` for a label longer than 32 UTF-8 bytes.
 */
export function paddedLabel(label: string): Uint8Array<ArrayBuffer> {
  const bytes = new TextEncoder().encode(label);
  if (bytes.length > 32) {
    throw new AosError(
      "invalidArgument",
      `A token label is at most 32 bytes, "${label}" has ${bytes.length}`,
    );
  }
  const out = alloc(32).fill(0x20);
  out.set(bytes);
  return out;
}

/** A fixed-size blank-padded string: trailing spaces (only) removed. */
export function readPadded(buffer: Uint8Array, offset: number, length: number): string {
  let end = offset + length;
  while (end > offset && buffer[end - 1] === 0x20) end--;
  return new TextDecoder().decode(buffer.subarray(offset, end));
}

/** A CK_VERSION at `offset`. */
export function readVersion(buffer: Uint8Array, offset: number): Version {
  return { major: buffer[offset]!, minor: buffer[offset + 1]! };
}
