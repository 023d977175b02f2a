// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * A private key in a token, as the {@linkcode PrivateKey} the crypto helpers take.
 *
 * @module
 */

import { AosError } from "../errors.ts";
import {
  type DecryptOptions,
  digestInfo,
  ecCurveOf,
  type PrivateKey,
  type PublicKey,
  signatureLength,
  type SignOptions,
} from "../crypto/keys.ts";
import { HASH_LENGTH, type HashAlgorithm } from "../crypto/hash.ts";
import { ecdsaSignatureToDer } from "../crypto/signature.ts";
import { CKG, CKM } from "./constants.ts";
import type { Pkcs11Session } from "./session.ts";
import type { Mechanism } from "./types.ts";
import { oaepParameters, pssParameters } from "./_struct.ts";

// Hash and MGF1 of each hash for PSS and OAEP. OAEP follows AosCore, which
// has no SHA-224 and no SHA-512/t.
const PSS_HASHES: Readonly<Partial<Record<HashAlgorithm, readonly [bigint, bigint]>>> = {
  "SHA1": [CKM.SHA_1, CKG.MGF1_SHA1],
  "SHA224": [CKM.SHA224, CKG.MGF1_SHA224],
  "SHA256": [CKM.SHA256, CKG.MGF1_SHA256],
  "SHA384": [CKM.SHA384, CKG.MGF1_SHA384],
  "SHA512": [CKM.SHA512, CKG.MGF1_SHA512],
  "SHA3-224": [CKM.SHA3_224, CKG.MGF1_SHA3_224],
  "SHA3-256": [CKM.SHA3_256, CKG.MGF1_SHA3_256],
};
const OAEP_HASHES: ReadonlySet<HashAlgorithm> = new Set([
  "SHA1",
  "SHA256",
  "SHA384",
  "SHA512",
  "SHA3-224",
  "SHA3-256",
]);

const RSA_PKCS: Mechanism = Object.freeze({ type: CKM.RSA_PKCS });
const ECDSA: Mechanism = Object.freeze({ type: CKM.ECDSA });

/**
 * A key pair's private key in a token, used through a session: it signs and
 * decrypts inside the token and is a {@linkcode PrivateKey} for
 * `createCsr`, `createCertificate` and the other crypto helpers.
 *
 * Signing: RSA PKCS#1 v1.5 (`CKM_RSA_PKCS` over DigestInfo ‖ digest),
 * RSA-PSS (`CKM_RSA_PKCS_PSS`, salt as long as the digest unless given),
 * ECDSA (`CKM_ECDSA`, raw `r ‖ s` or DER). Decryption: PKCS#1 v1.5 and OAEP
 * (SHA-1, SHA-256, SHA-384, SHA-512, SHA3-224, SHA3-256).
 */
export class Pkcs11PrivateKey implements PrivateKey {
  /** The matching public key, read from the token. */
  readonly publicKey: PublicKey;
  /** The private key object handle. */
  readonly handle: bigint;
  /** The session the key is used through. */
  readonly session: Pkcs11Session;
  #signatureLength: number;

  /**
   * Wraps a private key object. {@linkcode Pkcs11Utils} makes these.
   *
   * @param session The session to use the key through (logged in).
   * @param handle The private key object.
   * @param publicKey Its public key.
   */
  constructor(session: Pkcs11Session, handle: bigint, publicKey: PublicKey) {
    this.session = session;
    this.handle = handle;
    this.publicKey = publicKey;
    this.#signatureLength = signatureLength(publicKey);
  }

  /**
   * The same key used through another session (object handles hold across
   * the sessions of one module), to sign on several sessions in parallel.
   *
   * @param session The other session.
   * @returns A key bound to it.
   */
  withSession(session: Pkcs11Session): Pkcs11PrivateKey {
    return new Pkcs11PrivateKey(session, this.handle, this.publicKey);
  }

  /**
   * Signs a digest inside the token.
   *
   * @param digest The digest.
   * @param options Hash, RSA padding and salt, ECDSA encoding.
   * @returns The signature.
   * @throws {AosError} `invalidArgument` for a digest that does not fit the
   * hash or PSS with `"NONE"`, `notSupported` for a PSS hash without a mechanism.
   */
  sign(digest: Uint8Array, options: SignOptions): Promise<Uint8Array> {
    try {
      if (this.publicKey.type === "ECDSA") {
        const signature = this.session.sign(ECDSA, this.handle, digest, this.#signatureLength);
        return options.format === "der" ? signature.then(ecdsaSignatureToDer) : signature;
      }
      if (options.padding === "pss") {
        return this.session.sign(
          pssMechanism(digest, options),
          this.handle,
          digest,
          this.#signatureLength,
        );
      }
      return this.session.sign(
        RSA_PKCS,
        this.handle,
        digestInfo(options.hash, digest),
        this.#signatureLength,
      );
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /**
   * Decrypts inside the token.
   *
   * @param ciphertext The ciphertext.
   * @param options PKCS#1 v1.5 or OAEP and its hash.
   * @returns The plaintext.
   * @throws {AosError} `failed` for an ECDSA key, `notSupported` for an OAEP hash without support.
   */
  decrypt(ciphertext: Uint8Array, options: DecryptOptions): Promise<Uint8Array> {
    if (this.publicKey.type !== "RSA") {
      return Promise.reject(new AosError("failed", "ECDSA keys do not decrypt"));
    }
    if (options.scheme === "pkcs1v15") {
      return this.session.decrypt(RSA_PKCS, this.handle, ciphertext, this.#signatureLength);
    }
    const hash = PSS_HASHES[options.hash];
    if (hash === undefined || !OAEP_HASHES.has(options.hash)) {
      return Promise.reject(
        new AosError("notSupported", `OAEP with ${options.hash} is not supported`),
      );
    }
    const mechanism = { type: CKM.RSA_PKCS_OAEP, parameter: oaepParameters(hash[0], hash[1]) };
    return this.session.decrypt(mechanism, this.handle, ciphertext, this.#signatureLength);
  }

  /**
   * A description without secrets.
   *
   * @returns Such as `Pkcs11PrivateKey(ECDSA P-256, object 2)`.
   */
  toString(): string {
    const kind = this.publicKey.type === "RSA"
      ? `RSA ${this.#signatureLength * 8}`
      : `ECDSA ${ecCurveOf(this.publicKey).name}`;
    return `Pkcs11PrivateKey(${kind}, object ${this.handle})`;
  }
}

function pssMechanism(digest: Uint8Array, options: SignOptions): Mechanism {
  if (options.hash === "NONE") throw new AosError("invalidArgument", "RSA-PSS needs a hash");
  const hash = PSS_HASHES[options.hash];
  if (hash === undefined) {
    throw new AosError("notSupported", `RSA-PSS with ${options.hash} is not supported`);
  }
  if (digest.length !== HASH_LENGTH[options.hash]) {
    throw new AosError(
      "invalidArgument",
      `A ${options.hash} digest is ${HASH_LENGTH[options.hash]} bytes`,
    );
  }
  return {
    type: CKM.RSA_PKCS_PSS,
    parameter: pssParameters(hash[0], hash[1], options.saltLength ?? digest.length),
  };
}
