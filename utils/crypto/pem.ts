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

const BLOCK = /-----BEGIN ([^\r\n-]*)-----([\s\S]*?)-----END ([^\r\n-]*)-----/g;

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
  const blocks: PemBlock[] = [];
  let end = 0;
  for (const match of text.matchAll(BLOCK)) {
    const [, label = "", body = "", endLabel = ""] = match;
    if (label !== endLabel) {
      throw new AosError(
        "invalidArgument",
        `Cannot decode PEM: "BEGIN ${label}" ends with "END ${endLabel}"`,
      );
    }
    if (body.includes(":")) {
      throw new AosError("invalidArgument", `Cannot decode PEM "${label}": encrypted PEM headers`);
    }
    try {
      blocks.push({ label, der: base64Decode(body) });
    } catch (err) {
      throw new AosError("invalidArgument", `Cannot decode PEM "${label}"`, { cause: err });
    }
    end = match.index + match[0].length;
  }
  if (text.indexOf("-----BEGIN ", end) !== -1) {
    throw new AosError("invalidArgument", "Cannot decode PEM: a BEGIN line has no END line");
  }
  return blocks;
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
