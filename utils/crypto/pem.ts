// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * PEM (RFC 7468) encoding and decoding.
 *
 * @module
 */

import { AosError } from "../errors.ts";
import { base64Decode, base64Encode } from "../encoding.ts";
import { checkString } from "../_argument_type.ts";

/** One PEM block: its label (`CERTIFICATE`, `PRIVATE KEY`, ...) and its DER bytes. */
export interface PemBlock {
  /** The label between `BEGIN ` and the closing dashes. */
  label: string;
  /** The decoded body. */
  der: Uint8Array;
}

/**
 * Encodes DER bytes as one PEM block: 64-character base64 lines and a final newline.
 *
 * @example
 * ```ts
 * import { pemEncode } from "@aoscore/common/utils/crypto";
 * import assert from "node:assert/strict";
 *
 * assert.equal(
 *   pemEncode("TEST", new Uint8Array([1, 2, 3])),
 *   "-----BEGIN TEST-----\nAQID\n-----END TEST-----\n",
 * );
 * ```
 *
 * @param label The block label.
 * @param der The bytes.
 * @returns The PEM text.
 */
export function pemEncode(label: string, der: Uint8Array): string {
  const body = base64Encode(der);
  const lines: string[] = [];
  for (let i = 0; i < body.length; i += 64) lines.push(body.slice(i, i + 64));
  return `-----BEGIN ${label}-----\n${lines.join("\n")}${
    lines.length > 0 ? "\n" : ""
  }-----END ${label}-----\n`;
}

const BEGIN = "-----BEGIN ";
const END = "-----END ";
const DASHES = "-----";

/**
 * Decodes every PEM block of a text, in order. Text between blocks is ignored
 * (OpenSSL writes `Bag Attributes` and comments there).
 *
 * @example
 * ```ts
 * import { pemDecode } from "@aoscore/common/utils/crypto";
 * import assert from "node:assert/strict";
 *
 * const [block] = pemDecode("junk\n-----BEGIN TEST-----\nAQID\n-----END TEST-----\n");
 * assert.equal(block?.label, "TEST");
 * assert.deepEqual(block?.der, new Uint8Array([1, 2, 3]));
 * ```
 *
 * @param text The PEM text.
 * @returns The blocks; empty when there is none.
 * @throws {AosError} `invalidArgument` for a block whose END label differs, whose body
 * is not base64, or a BEGIN line without its END.
 */
export function pemDecode(text: string): PemBlock[] {
  checkString(text, "text", "Cannot decode PEM");
  // Scanned with indexOf rather than one lazy regular expression, which
  // rescans the rest of the text for every BEGIN line without an END line.
  const blocks: PemBlock[] = [];
  let end = 0;
  let begin = text.indexOf(BEGIN);
  while (begin >= 0) {
    const head = markerLabel(text, begin + BEGIN.length);
    if (head === undefined) {
      begin = text.indexOf(BEGIN, begin + 1);
      continue;
    }
    const [label, bodyStart] = head;
    const tail = endLine(text, bodyStart);
    // No END line after this BEGIN line means none after a later one either.
    if (tail === undefined) break;
    const { at: close, label: endLabel, after } = tail;
    if (label !== endLabel) {
      throw new AosError(
        "invalidArgument",
        `Cannot decode PEM: "BEGIN ${label}" ends with "END ${endLabel}"`,
      );
    }
    const body = text.slice(bodyStart, close);
    if (body.includes(":")) {
      throw new AosError("invalidArgument", `Cannot decode PEM "${label}": encrypted PEM headers`);
    }
    try {
      blocks.push({ label, der: base64Decode(body) });
    } catch (err) {
      throw new AosError("invalidArgument", `Cannot decode PEM "${label}"`, { cause: err });
    }
    end = after;
    begin = text.indexOf(BEGIN, end);
  }
  if (text.indexOf(BEGIN, end) !== -1) {
    throw new AosError("invalidArgument", "Cannot decode PEM: a BEGIN line has no END line");
  }
  return blocks;
}

/** The first END line from `from` on: where it starts, its label, and where it ends. */
function endLine(
  text: string,
  from: number,
): { at: number; label: string; after: number } | undefined {
  for (let at = text.indexOf(END, from); at >= 0; at = text.indexOf(END, at + 1)) {
    const marker = markerLabel(text, at + END.length);
    if (marker !== undefined) return { at, label: marker[0], after: marker[1] };
  }
  return undefined;
}

/**
 * The label of a BEGIN or END line from `from` on: characters up to five
 * dashes, none of them a dash or a line break. Returns the label and where
 * the dashes end, or `undefined` when the line is not a marker.
 */
function markerLabel(text: string, from: number): [label: string, after: number] | undefined {
  let at = from;
  while (at < text.length) {
    const c = text.charCodeAt(at);
    if (c === 0x2d || c === 0x0a || c === 0x0d) break;
    at++;
  }
  return text.startsWith(DASHES, at) ? [text.slice(from, at), at + DASHES.length] : undefined;
}

/**
 * The DER bytes of the first PEM block with the given label.
 *
 * @example
 * ```ts
 * import { pemDecodeFirst, pemEncode } from "@aoscore/common/utils/crypto";
 * import { errorIs } from "@aoscore/common/utils";
 * import assert from "node:assert/strict";
 *
 * const text = pemEncode("CERTIFICATE", new Uint8Array([1])) +
 *   pemEncode("EC PRIVATE KEY", new Uint8Array([4, 5]));
 * const block = pemDecodeFirst(text, "PRIVATE KEY", "EC PRIVATE KEY");
 * assert.equal(block.label, "EC PRIVATE KEY");
 * assert.deepEqual(block.der, new Uint8Array([4, 5]));
 * assert.throws(() => pemDecodeFirst(text, "PUBLIC KEY"), (err) => errorIs(err, "invalidArgument"));
 * ```
 *
 * @param text The PEM text.
 * @param labels The accepted labels, in no order.
 * @returns The block's label and bytes.
 * @throws {AosError} `invalidArgument` when no block has one of the labels.
 */
export function pemDecodeFirst(text: string, ...labels: string[]): PemBlock {
  const block = pemDecode(text).find((b) => labels.includes(b.label));
  if (block === undefined) {
    throw new AosError("invalidArgument", `Cannot decode PEM: no ${labels.join(" or ")} block`);
  }
  return block;
}
