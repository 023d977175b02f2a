// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Private keys held in memory, for test PKIs, simulated clouds and devices
 * without a token.
 *
 * Neither WebCrypto nor `node:crypto` signs a precomputed digest portably, so
 * the work is split: RSA PKCS#1 v1.5 goes through `privateEncrypt` over
 * `DigestInfo ‖ digest` (the same bytes a token pads), ECDSA through
 * `@noble/curves` with `prehash: false`, decryption through `privateDecrypt`.
 * Deno's `node:crypto` has no raw RSA, so software RSA keys do not sign PSS;
 * token keys do.
 *
 * @module
 */

import {
  constants,
  createPrivateKey,
  createPublicKey,
  generateKeyPair,
  type KeyObject,
  privateDecrypt,
  privateEncrypt,
} from "node:crypto";
import { p256, p384, p521 } from "@noble/curves/nist";
import { AosError } from "../errors.ts";
import { base64Decode } from "../encoding.ts";
import type { HashAlgorithm } from "./hash.ts";
import {
  curveOid,
  type DecryptOptions,
  digestInfo,
  type EcCurve,
  ecCurveOf,
  type PrivateKey,
  type PublicKey,
  publicKeyFromSpki,
  type SignOptions,
} from "./keys.ts";
import { pemDecodeFirst, pemEncode } from "./pem.ts";
import { ecdsaSignatureToDer } from "./signature.ts";
import { checkString } from "../_argument_type.ts";

const NOBLE = { "P-256": p256, "P-384": p384, "P-521": p521 } as const;

const OAEP_HASH: Readonly<Partial<Record<HashAlgorithm, string>>> = {
  "SHA1": "sha1",
  "SHA224": "sha224",
  "SHA256": "sha256",
  "SHA384": "sha384",
  "SHA512": "sha512",
  "SHA3-224": "sha3-224",
  "SHA3-256": "sha3-256",
};

/**
 * A {@linkcode PrivateKey} in memory. Its secret never appears in `toString()`, JSON or logs.
 *
 * @example A `node:crypto` key as a signer
 * ```ts
 * import { digest, SoftwarePrivateKey, verifySignature } from "@aoscore/common/utils/crypto";
 * import { generateKeyPairSync } from "node:crypto";
 * import assert from "node:assert/strict";
 *
 * const key = new SoftwarePrivateKey(generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey);
 * assert.equal(JSON.stringify({ key }), '{"key":"SoftwarePrivateKey(ECDSA P-256)"}');
 *
 * const data = new TextEncoder().encode("data");
 * const signature = await key.sign(digest("SHA256", data), { hash: "SHA256" });
 * assert.ok(await verifySignature(key.publicKey, data, signature, { hash: "SHA256" }));
 * ```
 */
export class SoftwarePrivateKey implements PrivateKey {
  /** The matching public key. */
  readonly publicKey: PublicKey;
  #key: KeyObject;
  #ecScalar: Uint8Array | undefined;

  /**
   * Wraps a `node:crypto` private key. Prefer {@linkcode generatePrivateKey}
   * and {@linkcode parsePrivateKeyPem}.
   *
   * @param key An RSA or EC (P-256, P-384, P-521) private key.
   * @throws {AosError} `notSupported` for another key type.
   */
  constructor(key: KeyObject) {
    if (key.type !== "private") throw new AosError("invalidArgument", "Not a private key");
    this.#key = key;
    const spki = new Uint8Array(createPublicKey(key).export({ type: "spki", format: "der" }));
    this.publicKey = publicKeyFromSpki(spki);
    if (this.publicKey.type === "ECDSA") {
      ecCurveOf(this.publicKey);
      const { d } = key.export({ format: "jwk" });
      this.#ecScalar = base64Decode(String(d).replaceAll("-", "+").replaceAll("_", "/"));
    } else if (key.asymmetricKeyType !== "rsa") {
      throw new AosError("notSupported", `Unsupported key type ${key.asymmetricKeyType}`);
    }
  }

  /**
   * Signs a precomputed digest: RSA PKCS#1 v1.5 or ECDSA (deterministic, RFC 6979).
   *
   * @param digest The digest.
   * @param options The hash and ECDSA encoding.
   * @returns The signature.
   * @throws {AosError} `notSupported` for RSA-PSS, `invalidArgument` for a digest of the wrong length.
   */
  sign(digest: Uint8Array, options: SignOptions): Promise<Uint8Array> {
    if (this.#ecScalar !== undefined && this.publicKey.type === "ECDSA") {
      const curve = NOBLE[ecCurveOf(this.publicKey).name];
      const raw = curve.sign(digest, this.#ecScalar, { prehash: false, lowS: false })
        .toCompactRawBytes();
      return Promise.resolve(options.format === "der" ? ecdsaSignatureToDer(raw) : raw);
    }
    if (options.padding === "pss") {
      return Promise.reject(
        new AosError(
          "notSupported",
          "Software RSA keys sign PKCS#1 v1.5 only (no raw RSA on Deno)",
        ),
      );
    }
    try {
      const data = digestInfo(options.hash, digest);
      return Promise.resolve(
        new Uint8Array(
          privateEncrypt({ key: this.#key, padding: constants.RSA_PKCS1_PADDING }, data),
        ),
      );
    } catch (err) {
      return Promise.reject(AosError.wrap(err, undefined, "Cannot sign"));
    }
  }

  /**
   * Decrypts an RSA ciphertext.
   *
   * @param ciphertext The ciphertext.
   * @param options PKCS#1 v1.5 or OAEP.
   * @returns The plaintext.
   * A PKCS#1 v1.5 ciphertext with bad padding may decrypt to random bytes
   * instead of failing (OpenSSL's implicit rejection, on Node 24), as a
   * defence against padding oracles: check what comes out.
   *
   * @throws {AosError} `failed` for a bad ciphertext or an ECDSA key, `notSupported` for an OAEP hash without support.
   */
  decrypt(ciphertext: Uint8Array, options: DecryptOptions): Promise<Uint8Array> {
    if (this.publicKey.type !== "RSA") {
      return Promise.reject(new AosError("failed", "ECDSA keys do not decrypt"));
    }
    const oaepHash = options.scheme === "oaep" ? OAEP_HASH[options.hash] : undefined;
    if (options.scheme === "oaep" && oaepHash === undefined) {
      return Promise.reject(
        new AosError("notSupported", `OAEP with ${options.hash} is not supported`),
      );
    }
    try {
      const plain = options.scheme === "oaep"
        ? privateDecrypt(
          { key: this.#key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash },
          ciphertext,
        )
        : privateDecrypt({ key: this.#key, padding: constants.RSA_PKCS1_PADDING }, ciphertext);
      return Promise.resolve(new Uint8Array(plain));
    } catch (err) {
      return Promise.reject(new AosError("failed", "Cannot decrypt", { cause: err }));
    }
  }

  /**
   * The key as unencrypted PKCS#8 PEM (`PRIVATE KEY`). Store it with care.
   *
   * @returns The PEM text.
   */
  toPem(): string {
    return pemEncode(
      "PRIVATE KEY",
      new Uint8Array(this.#key.export({ type: "pkcs8", format: "der" })),
    );
  }

  /**
   * A description without secrets.
   *
   * @returns `SoftwarePrivateKey(RSA 2048)` or `SoftwarePrivateKey(ECDSA P-256)`.
   */
  toString(): string {
    const key = this.publicKey;
    return key.type === "RSA"
      ? `SoftwarePrivateKey(RSA ${this.#key.asymmetricKeyDetails?.modulusLength ?? "?"})`
      : `SoftwarePrivateKey(ECDSA ${ecCurveOf(key).name})`;
  }

  /**
   * What JSON shows: the description only.
   *
   * @returns {@linkcode SoftwarePrivateKey.toString}.
   */
  toJSON(): string {
    return this.toString();
  }
}

/** What {@linkcode generatePrivateKey} makes. */
export type KeySpec =
  | { type: "RSA"; bits?: 2048 | 3072 | 4096 }
  | { type: "ECDSA"; curve?: EcCurve };

/**
 * Generates a software key.
 *
 * @example
 * ```ts
 * import { generatePrivateKey } from "@aoscore/common/utils/crypto";
 * import assert from "node:assert/strict";
 *
 * const key = await generatePrivateKey({ type: "ECDSA", curve: "P-384" });
 * assert.equal(key.publicKey.type, "ECDSA");
 * assert.equal(String(key), "SoftwarePrivateKey(ECDSA P-384)");
 * ```
 *
 * @param spec RSA (2048 bits by default) or ECDSA (P-256 by default).
 * @returns The key.
 */
export function generatePrivateKey(spec: KeySpec): Promise<SoftwarePrivateKey> {
  return new Promise((resolve, reject) => {
    const done = (err: Error | null, _pub: KeyObject, key: KeyObject) => {
      if (err !== null) reject(AosError.wrap(err, "failed", "Cannot generate key"));
      else resolve(new SoftwarePrivateKey(key));
    };
    if (spec.type === "RSA") {
      generateKeyPair("rsa", { modulusLength: spec.bits ?? 2048, publicExponent: 65537 }, done);
    } else {
      const curve = spec.curve ?? "P-256";
      curveOid(curve);
      generateKeyPair("ec", { namedCurve: curve }, done);
    }
  });
}

/**
 * Reads an unencrypted PEM private key: PKCS#8 (`PRIVATE KEY`), PKCS#1
 * (`RSA PRIVATE KEY`) or SEC1 (`EC PRIVATE KEY`).
 *
 * @example
 * ```ts
 * import { generatePrivateKey, parsePrivateKeyPem, publicKeysEqual } from "@aoscore/common/utils/crypto";
 * import assert from "node:assert/strict";
 *
 * const key = await generatePrivateKey({ type: "RSA" });
 * const again = parsePrivateKeyPem(key.toPem());
 * assert.ok(publicKeysEqual(key.publicKey, again.publicKey));
 * ```
 *
 * @param pem The PEM text.
 * @returns The key.
 * @throws {AosError} `invalidArgument` without a key block or for a malformed key,
 * `notSupported` for an encrypted key or another key type.
 */
export function parsePrivateKeyPem(pem: string): SoftwarePrivateKey {
  checkString(pem, "pem", "Cannot parse private key");
  if (pem.includes("ENCRYPTED PRIVATE KEY") || pem.includes("Proc-Type: 4,ENCRYPTED")) {
    throw new AosError("notSupported", "Encrypted private keys are not supported");
  }
  const block = pemDecodeFirst(pem, "PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY");
  let key: KeyObject;
  try {
    key = createPrivateKey(pemEncode(block.label, block.der));
  } catch (err) {
    throw new AosError("invalidArgument", "Cannot parse private key", { cause: err });
  }
  return new SoftwarePrivateKey(key);
}
