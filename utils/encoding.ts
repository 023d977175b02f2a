// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Base64 and hex.
 *
 * Deviation from AosCore: base64 output has no line breaks unless asked for
 * (`{ lineLength: 72 }` gives AosCore's byte-identical output, with `\r\n`
 * after every 72 characters). Decoders, AosCore's included, ignore them.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { checkString } from "./_argument_type.ts";
import { AosError } from "./errors.ts";

/** Options of {@linkcode base64Encode}. */
export interface Base64EncodeOptions {
  /**
   * Inserts `\r\n` after every this many characters (AosCore uses 72); 0 for none.
   *
   * @default {0}
   */
  lineLength?: number;
}

/**
 * Encodes bytes (or text as UTF-8) as standard base64 with padding.
 *
 * @example
 * ```ts
 * import { base64Decode, base64Encode } from "@aoscore/common/utils";
 * import assert from "node:assert/strict";
 *
 * assert.equal(base64Encode("aos"), "YW9z");
 * assert.deepEqual(base64Decode("YW9z\r\n"), new TextEncoder().encode("aos"));
 * ```
 *
 * @param data The bytes or text.
 * @param options Line breaks.
 * @returns The base64 text.
 * @throws {AosError} `invalidArgument` for a negative or fractional line length.
 */
export function base64Encode(data: Uint8Array | string, options: Base64EncodeOptions = {}): string {
  const { lineLength = 0 } = options;
  if (!Number.isSafeInteger(lineLength) || lineLength < 0) {
    throw new AosError(
      "invalidArgument",
      `Cannot encode base64: invalid line length ${lineLength}`,
    );
  }
  const text = typeof data === "string"
    ? Buffer.from(data, "utf8").toString("base64")
    : Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("base64");
  if (lineLength === 0 || text.length <= lineLength) return text;
  const lines: string[] = [];
  for (let i = 0; i < text.length; i += lineLength) lines.push(text.slice(i, i + lineLength));
  return lines.join("\r\n");
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Decodes standard base64, skipping ASCII whitespace. Missing padding is accepted.
 *
 * @example
 * ```ts
 * import { base64Decode } from "@aoscore/common/utils";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(base64Decode("aGVs\nbG8="), new TextEncoder().encode("hello"));
 * assert.deepEqual(base64Decode("aGVsbG8"), new TextEncoder().encode("hello")); // no padding
 * assert.throws(() => base64Decode("aGV*"), /invalid character "\*"/);
 * ```
 *
 * @param text The base64 text.
 * @returns The bytes.
 * @throws {AosError} `invalidArgument` for a character outside the alphabet or a truncated group.
 */
export function base64Decode(text: string): Uint8Array {
  checkString(text, "text", "Cannot decode base64");
  const compact = text.replace(/[\t\n\f\r ]+/g, "");
  const body = compact.replace(/=+$/, "");
  const padded = compact.length !== body.length;
  if (!BASE64.test(compact) || body.length % 4 === 1 || (padded && compact.length % 4 !== 0)) {
    const bad = compact.search(/[^A-Za-z0-9+/=]/);
    const why = bad >= 0
      ? `invalid character "${compact[bad]}"`
      : "misplaced padding or truncated input";
    throw new AosError("invalidArgument", `Cannot decode base64: ${why}`);
  }
  return new Uint8Array(Buffer.from(body, "base64"));
}

/**
 * Encodes bytes as lower-case hex.
 *
 * @example
 * ```ts
 * import { toHex } from "@aoscore/common/utils";
 * import assert from "node:assert/strict";
 *
 * assert.equal(toHex(new Uint8Array([0, 15, 255])), "000fff");
 * ```
 *
 * @param bytes The bytes.
 * @returns Two hex digits per byte.
 */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
}

/**
 * Decodes hex (either case).
 *
 * @example
 * ```ts
 * import { fromHex } from "@aoscore/common/utils";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(fromHex("000FfF"), new Uint8Array([0, 15, 255]));
 * assert.throws(() => fromHex("abc"), /odd length/);
 * ```
 *
 * @param text Two hex digits per byte.
 * @returns The bytes.
 * @throws {AosError} `invalidArgument` for an odd length or a non-hex digit.
 */
export function fromHex(text: string): Uint8Array {
  checkString(text, "text", "Cannot decode hex");
  if (text.length % 2 !== 0 || !/^[0-9A-Fa-f]*$/.test(text)) {
    const why = text.length % 2 !== 0 ? "odd length" : "not a hex digit";
    throw new AosError("invalidArgument", `Cannot decode hex "${preview(text)}": ${why}`);
  }
  return new Uint8Array(Buffer.from(text, "hex"));
}

function preview(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
