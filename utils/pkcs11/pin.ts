// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * PIN generation.
 *
 * @module
 */

import { AosError } from "../errors.ts";
import { toHex } from "../encoding.ts";

/**
 * Generates a random PIN of lower-case hex digits from the CSPRNG.
 *
 * Deviation from AosCore: AosCore reseeds a non-cryptographic generator with
 * the current second on every call, so PINs made within one second repeat.
 *
 * @example
 * ```ts
 * import { genPin } from "@aoscore/common/utils/pkcs11";
 * import assert from "node:assert/strict";
 *
 * assert.match(genPin(), /^[0-9a-f]{30}$/);
 * ```
 *
 * @param length Number of characters. Default: `30`.
 * @returns The PIN.
 * @throws {AosError} `invalidArgument` for a length that is not a positive integer.
 */
export function genPin(length = 30): string {
  if (!Number.isSafeInteger(length) || length <= 0) {
    throw new AosError("invalidArgument", `Invalid PIN length ${length}`);
  }
  return toHex(crypto.getRandomValues(new Uint8Array(Math.ceil(length / 2)))).slice(0, length);
}
