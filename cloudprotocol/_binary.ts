// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Binary values of the protocol (spec §2.7): hex and base64 text, read
// into and written from `Uint8Array`s.

import { Buffer } from "node:buffer";
import { base64Decode, base64Encode, toHex } from "../utils/encoding.ts";
import { AosError } from "../utils/errors.ts";
import { Fault, preview, type Type, wrongType } from "./_codec.ts";

/** Hex text of at most `limit` bytes; an odd length pads the last nibble with 0 (AosCore). */
export function hex(limit: number): Type<Uint8Array> {
  return {
    name: "hex",
    decode(value) {
      if (typeof value !== "string") throw wrongType("a hex string", value);
      if (value.length > limit * 2) {
        throw new Fault("limitExceeded", `${value.length} hex digits, limit ${limit * 2}`);
      }
      return readHex(value);
    },
    encode(bytes) {
      checkBytes(bytes, limit);
      return NATIVE_BINARY ? bytes.toHex() : toHex(bytes);
    },
    empty: () => new Uint8Array(0),
    isEmpty: (bytes) => bytes.length === 0,
  };
}

/**
 * Base64 (standard alphabet, padded) of at most `limit` decoded bytes.
 * Whitespace is skipped (AosCore breaks lines); a character outside the
 * alphabet, missing padding or a stray `=` is `invalidFormat`.
 */
export function base64(limit: number): Type<Uint8Array> {
  // Without whitespace, longer text cannot decode to `limit` bytes or fewer.
  const maxChars = Math.ceil(limit / 3) * 4;
  return {
    name: "base64",
    decode(value) {
      if (typeof value !== "string") throw wrongType("a base64 string", value);
      if (value.length > maxChars && !/\s/.test(value)) {
        throw overLimit(value.length / 4 * 3, limit);
      }
      let bytes = fastBase64(value);
      if (bytes === undefined) {
        bytes = binary(() => base64Decode(value));
        // base64Decode accepts unpadded text; the protocol does not.
        if (bytes.length % 3 !== 0 && !value.trimEnd().endsWith("=")) {
          throw new Fault("invalidFormat", `base64 without padding: ${preview(value)}`);
        }
      }
      if (bytes.length > limit) throw overLimit(bytes.length, limit);
      return bytes;
    },
    encode(bytes) {
      checkBytes(bytes, limit);
      return NATIVE_BINARY ? bytes.toBase64() : base64Encode(bytes);
    },
    empty: () => new Uint8Array(0),
    isEmpty: (bytes) => bytes.length === 0,
  };
}

/** Nibble of each character code below 256, -1 for a non-hex character. */
const NIBBLES = new Int8Array(256).fill(-1);
for (let i = 0; i < 16; i++) {
  NIBBLES["0123456789abcdef".charCodeAt(i)] = i;
  NIBBLES["0123456789ABCDEF".charCodeAt(i)] = i;
}

/**
 * Reads hex as AosCore does: either case, and an odd length pads the last
 * nibble with 0, which utils' `fromHex` rejects. Checksums come by the
 * hundred in a status, so this avoids a Buffer round trip per value.
 */
function readHex(text: string): Uint8Array {
  if (NATIVE_BINARY && text.length % 2 === 0) {
    try {
      return Uint8Array.fromHex(text);
    } catch {
      // Not hex: the loop below finds it and says so.
    }
  }
  const bytes = new Uint8Array((text.length + 1) >> 1);
  let nibbles = 0;
  let codes = 0;
  for (let i = 0; i < text.length; i += 2) {
    const hi = text.charCodeAt(i);
    const lo = i + 1 < text.length ? text.charCodeAt(i + 1) : 48;
    const high = NIBBLES[hi & 0xff]!;
    const low = NIBBLES[lo & 0xff]!;
    nibbles |= high | low; // negative once any character is not hex
    codes |= hi | lo; // over 0xff once any character is beyond Latin-1
    bytes[i >> 1] = (high << 4) | low;
  }
  if (nibbles < 0 || codes > 0xff) throw new Fault("invalidFormat", `not hex: ${preview(text)}`);
  return bytes;
}

// Deno has the native Uint8Array base64 and hex methods (Node 24 does not
// yet); they are several times faster than the Buffer-based helpers there.
const NATIVE_BINARY = typeof Uint8Array.fromBase64 === "function";

/**
 * Decodes well-formed, padded base64 (whitespace allowed) the quick way, or
 * gives `undefined` so that the careful path decides and explains.
 */
function fastBase64(text: string): Uint8Array | undefined {
  if (NATIVE_BINARY) {
    try {
      return Uint8Array.fromBase64(text, { lastChunkHandling: "strict" });
    } catch {
      return undefined;
    }
  }
  // Text that encodes back to itself is canonical base64.
  const buffer = Buffer.from(text, "base64");
  return buffer.toString("base64") === text ? new Uint8Array(buffer) : undefined;
}

function binary(decode: () => Uint8Array): Uint8Array {
  try {
    return decode();
  } catch (err) {
    throw new Fault("invalidFormat", AosError.from(err).message);
  }
}

function overLimit(bytes: number, limit: number): Fault {
  return new Fault("limitExceeded", `${Math.floor(bytes)} bytes, limit ${limit}`);
}

function checkBytes(bytes: Uint8Array, limit: number): void {
  if (!(bytes instanceof Uint8Array)) throw wrongType("a Uint8Array", bytes);
  if (bytes.length > limit) throw overLimit(bytes.length, limit);
}
