// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Small conveniences over asn1js, the ASN.1 layer pkijs is built on: strict
// DER reading with typed errors, unsigned INTEGERs and OID content bytes.

import * as asn1js from "asn1js";
import { AosError } from "../errors.ts";

/** A copy of `bytes` in a fresh `ArrayBuffer`, as asn1js and WebCrypto take it. */
export function arrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.slice().buffer;
}

/** The bytes an asn1js `toBER()` call returns. */
export function der(block: { toBER(sizeOnly?: boolean): ArrayBuffer }): Uint8Array<ArrayBuffer> {
  return new Uint8Array(block.toBER(false));
}

/**
 * Decodes one DER element that fills `bytes` exactly.
 *
 * @throws {AosError} `invalidArgument` for malformed input or trailing bytes.
 */
export function readDer(bytes: Uint8Array, what: string): asn1js.AsnType {
  const parsed = asn1js.fromBER(bytes);
  if (parsed.offset === -1) {
    throw new AosError("invalidArgument", `Cannot parse ${what}: ${parsed.result.error}`);
  }
  if (parsed.offset !== bytes.byteLength) {
    throw new AosError(
      "invalidArgument",
      `Cannot parse ${what}: ${bytes.byteLength - parsed.offset} bytes after the end`,
    );
  }
  return parsed.result;
}

/** A DER INTEGER of an unsigned big-endian magnitude (a 0x00 is added when the top bit is set). */
export function unsignedInteger(magnitude: Uint8Array): asn1js.Integer {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
  const trimmed = magnitude.subarray(start);
  const needsPad = trimmed.length === 0 || (trimmed[0]! & 0x80) !== 0;
  const content = new Uint8Array(trimmed.length + (needsPad ? 1 : 0));
  content.set(trimmed, needsPad ? 1 : 0);
  return new asn1js.Integer({ valueHex: content.buffer });
}

/** The minimal unsigned big-endian magnitude of an INTEGER's content (leading zeros removed). */
export function unsignedBytes(content: Uint8Array): Uint8Array {
  let start = 0;
  while (start < content.length - 1 && content[start] === 0) start++;
  return content.slice(start);
}

/** The content bytes of an OBJECT IDENTIFIER (`"1.2.840.10045.3.1.7"` → `2a 86 48 ce 3d 03 01 07`). */
export function oidContent(oid: string): Uint8Array {
  return der(new asn1js.ObjectIdentifier({ value: oid })).slice(2);
}

/** The dotted form of OBJECT IDENTIFIER content bytes. */
export function oidFromContent(content: Uint8Array): string {
  if (content.length === 0 || content.length > 127) {
    throw new AosError("invalidArgument", "Cannot parse object identifier: bad length");
  }
  const tlv = new Uint8Array(content.length + 2);
  tlv[0] = 0x06;
  tlv[1] = content.length;
  tlv.set(content, 2);
  const node = readDer(tlv, "object identifier");
  if (!(node instanceof asn1js.ObjectIdentifier)) {
    throw new AosError("invalidArgument", "Cannot parse object identifier");
  }
  return node.getValue();
}

/** Whether two byte arrays hold the same bytes. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}
