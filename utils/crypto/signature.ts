// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Signature verification with WebCrypto and the two ECDSA signature
 * encodings: raw `r ‖ s` (PKCS#11, WebCrypto) and DER (X.509, CSRs, TLS).
 *
 * @module
 */

import * as asn1js from "asn1js";
import { AosError } from "../errors.ts";
import { HASH_LENGTH, type HashAlgorithm } from "./hash.ts";
import { ecCurveOf, type PublicKey, publicKeyToSpki } from "./keys.ts";
import { arrayBuffer, der, readDer, unsignedBytes, unsignedInteger } from "./_asn1.ts";

/**
 * Converts a raw ECDSA signature `r ‖ s` to DER `SEQUENCE { INTEGER r, INTEGER s }`.
 *
 * @example
 * ```ts
 * import { ecdsaSignatureFromDer, ecdsaSignatureToDer } from "@aoscore/common/utils/crypto";
 * import assert from "node:assert/strict";
 *
 * const raw = new Uint8Array(64).fill(0x80);
 * const der = ecdsaSignatureToDer(raw);
 * assert.equal(der.length, 2 + 2 * (2 + 33));
 * assert.deepEqual(ecdsaSignatureFromDer(der, 32), raw);
 * ```
 *
 * @param raw `r ‖ s`, both halves of the same length.
 * @returns The DER encoding.
 * @throws {AosError} `invalidArgument` for an empty or odd-length input.
 */
export function ecdsaSignatureToDer(raw: Uint8Array): Uint8Array {
  if (raw.length === 0 || raw.length % 2 !== 0) {
    throw new AosError(
      "invalidArgument",
      `A raw ECDSA signature has two equal halves, got ${raw.length} bytes`,
    );
  }
  const half = raw.length / 2;
  return der(
    new asn1js.Sequence({
      value: [unsignedInteger(raw.subarray(0, half)), unsignedInteger(raw.subarray(half))],
    }),
  );
}

/**
 * Converts a DER ECDSA signature to raw `r ‖ s`, each half `size` bytes.
 *
 * @example
 * ```ts
 * import { digest, ecdsaSignatureFromDer, generatePrivateKey } from "@aoscore/common/utils/crypto";
 * import assert from "node:assert/strict";
 *
 * const key = await generatePrivateKey({ type: "ECDSA", curve: "P-384" });
 * const hash = digest("SHA384", "data");
 * const der = await key.sign(hash, { hash: "SHA384", format: "der" });
 * // Software keys sign deterministically (RFC 6979), so both encodings hold the same r and s.
 * assert.deepEqual(ecdsaSignatureFromDer(der, 48), await key.sign(hash, { hash: "SHA384" }));
 * ```
 *
 * @param signature The DER signature.
 * @param size The curve's coordinate size in bytes (32 for P-256, 48 for P-384, 66 for P-521).
 * @returns `r ‖ s`.
 * @throws {AosError} `invalidArgument` for malformed DER or a number longer than `size`.
 */
export function ecdsaSignatureFromDer(signature: Uint8Array, size: number): Uint8Array {
  const root = readDer(signature, "ECDSA signature");
  const parts = root instanceof asn1js.Sequence ? root.valueBlock.value : [];
  const [r, s] = parts;
  if (parts.length !== 2 || !(r instanceof asn1js.Integer) || !(s instanceof asn1js.Integer)) {
    throw new AosError("invalidArgument", "Cannot parse ECDSA signature: not two INTEGERs");
  }
  const out = new Uint8Array(2 * size);
  for (const [i, n] of [r, s].entries()) {
    const bytes = unsignedBytes(n.valueBlock.valueHexView);
    if (bytes.length > size) {
      throw new AosError("invalidArgument", "Cannot parse ECDSA signature: number too long");
    }
    out.set(bytes, (i + 1) * size - bytes.length);
  }
  return out;
}

const WEBCRYPTO_HASH: Readonly<Partial<Record<HashAlgorithm, string>>> = {
  "SHA1": "SHA-1",
  "SHA256": "SHA-256",
  "SHA384": "SHA-384",
  "SHA512": "SHA-512",
};

/** Options of {@linkcode verifySignature}. */
export interface VerifySignatureOptions {
  /** The hash applied to the data (SHA1, SHA256, SHA384 or SHA512). */
  hash: HashAlgorithm;
  /**
   * RSA padding; ignored for ECDSA.
   *
   * @default {"pkcs1v15"}
   */
  padding?: "pkcs1v15" | "pss";
  /**
   * PSS salt length in bytes.
   *
   * @default {the digest length}
   */
  saltLength?: number;
}

/**
 * Verifies a signature over data with WebCrypto. ECDSA signatures may be raw
 * `r ‖ s` or DER.
 *
 * @example
 * ```ts
 * import { generatePrivateKey, digest, verifySignature } from "@aoscore/common/utils/crypto";
 * import assert from "node:assert/strict";
 *
 * const key = await generatePrivateKey({ type: "ECDSA", curve: "P-256" });
 * const data = new TextEncoder().encode("Hello World");
 * const signature = await key.sign(digest("SHA256", data), { hash: "SHA256" });
 * assert.ok(await verifySignature(key.publicKey, data, signature, { hash: "SHA256" }));
 * ```
 *
 * @param publicKey The signer's key.
 * @param data The signed data (not its digest).
 * @param signature The signature.
 * @param options The hash and RSA padding.
 * @returns `true` for a good signature.
 * @throws {AosError} `notSupported` for a hash WebCrypto lacks or an unknown curve.
 */
export async function verifySignature(
  publicKey: PublicKey,
  data: Uint8Array,
  signature: Uint8Array,
  options: VerifySignatureOptions,
): Promise<boolean> {
  const hash = WEBCRYPTO_HASH[options.hash];
  if (hash === undefined) {
    throw new AosError("notSupported", `Cannot verify ${options.hash} signatures with WebCrypto`);
  }
  const spki = arrayBuffer(publicKeyToSpki(publicKey));
  if (publicKey.type === "ECDSA") {
    const curve = ecCurveOf(publicKey);
    const raw = rawEcdsaSignature(signature, curve.size);
    if (raw === undefined) return false;
    const key = await crypto.subtle.importKey(
      "spki",
      spki,
      { name: "ECDSA", namedCurve: curve.name },
      false,
      ["verify"],
    );
    return await crypto.subtle.verify(
      { name: "ECDSA", hash },
      key,
      arrayBuffer(raw),
      arrayBuffer(data),
    );
  }
  const pss = options.padding === "pss";
  const name = pss ? "RSA-PSS" : "RSASSA-PKCS1-v1_5";
  const key = await crypto.subtle.importKey("spki", spki, { name, hash }, false, ["verify"]);
  const algorithm = pss
    ? { name, saltLength: options.saltLength ?? HASH_LENGTH[options.hash] }
    : { name };
  return await crypto.subtle.verify(algorithm, key, arrayBuffer(signature), arrayBuffer(data));
}

// A DER signature is read as DER; anything else of the raw length is raw.
function rawEcdsaSignature(signature: Uint8Array, size: number): Uint8Array | undefined {
  if (signature[0] === 0x30) {
    try {
      return ecdsaSignatureFromDer(signature, size);
    } catch {
      // Not DER after all: a raw signature whose r starts with 0x30.
    }
  }
  return signature.length === 2 * size ? signature : undefined;
}
