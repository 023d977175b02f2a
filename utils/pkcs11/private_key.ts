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
import { CKA, CKG, CKK, CKM, CKO } from "./constants.ts";
import { textAttribute, ulongAttribute } from "./attributes.ts";
import { Pkcs11Error } from "./errors.ts";
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
// CKR_KEY_HANDLE_INVALID and CKR_OBJECT_HANDLE_INVALID.
const STALE_HANDLE: ReadonlySet<bigint> = new Set([0x60n, 0x82n]);

/** How a key is found again when its handle goes stale: its `CKA_ID` and `CKA_LABEL`. */
export interface Pkcs11KeyIdentity {
  /** `CKA_ID`. */
  id: Uint8Array;
  /** `CKA_LABEL`. */
  label: string;
}

/**
 * A key pair's private key in a token, used through a session: it signs and
 * decrypts inside the token and is a {@linkcode PrivateKey} for
 * `createCsr`, `createCertificate` and the other crypto helpers.
 *
 * Signing: RSA PKCS#1 v1.5 (`CKM_RSA_PKCS` over DigestInfo ‖ digest),
 * RSA-PSS (`CKM_RSA_PKCS_PSS`, salt as long as the digest unless given),
 * ECDSA (`CKM_ECDSA`, raw `r ‖ s` or DER). Decryption: PKCS#1 v1.5 and OAEP
 * (SHA-1, SHA-256, SHA-384, SHA-512, SHA3-224, SHA3-256; SoftHSM 2.6 itself
 * takes SHA-1 only).
 *
 * Modules may renumber private objects after a logout (SoftHSM does); a key
 * that knows its id and label finds itself again when its handle goes stale,
 * so a session recovered by the binding keeps signing.
 *
 * @example Signing with a key provisioned on a token (the module example makes a throwaway SoftHSM2 token)
 * ```ts ignore
 * import { Pkcs11Manager, Pkcs11Utils } from "@aoscore/common/utils/pkcs11";
 * import { digest, verifySignature } from "@aoscore/common/utils/crypto";
 * import assert from "node:assert/strict";
 *
 * await using manager = new Pkcs11Manager();
 * const library = await manager.openLibrary("/usr/lib/softhsm/libsofthsm2.so");
 * const session = await library.openSession(await library.findSlotByTokenLabel("aoscore"));
 * await session.login("user", "1234");
 * const { key } = await new Pkcs11Utils(session).findPrivateKey(new Uint8Array([1]), "iam");
 * const data = new TextEncoder().encode("data");
 * const signature = await key.sign(digest("SHA256", data), { hash: "SHA256" });
 * assert.ok(await verifySignature(key.publicKey, data, signature, { hash: "SHA256" }));
 * ```
 */
export class Pkcs11PrivateKey implements PrivateKey {
  /** The matching public key, read from the token. */
  readonly publicKey: PublicKey;
  /** The session the key is used through. */
  readonly session: Pkcs11Session;
  #handle: bigint;
  #identity: Pkcs11KeyIdentity | undefined;
  #signatureLength: number;

  /**
   * Wraps a private key object. {@linkcode Pkcs11Utils} makes these.
   *
   * @param session The session to use the key through (logged in).
   * @param handle The private key object.
   * @param publicKey Its public key.
   * @param identity Its id and label, to find it again after its handle goes stale.
   */
  constructor(
    session: Pkcs11Session,
    handle: bigint,
    publicKey: PublicKey,
    identity?: Pkcs11KeyIdentity,
  ) {
    this.session = session;
    this.#handle = handle;
    this.publicKey = publicKey;
    this.#identity = identity;
    this.#signatureLength = signatureLength(publicKey);
  }

  /** The private key object handle. */
  get handle(): bigint {
    return this.#handle;
  }

  /**
   * The same key used through another session (object handles hold across
   * the sessions of one module), to sign on several sessions in parallel.
   *
   * @param session The other session.
   * @returns A key bound to it.
   */
  withSession(session: Pkcs11Session): Pkcs11PrivateKey {
    return new Pkcs11PrivateKey(session, this.#handle, this.publicKey, this.#identity);
  }

  // Runs `op` on the handle; a stale handle is looked up again once.
  async #use(op: (handle: bigint) => Promise<Uint8Array>): Promise<Uint8Array> {
    try {
      return await op(this.#handle);
    } catch (err) {
      if (
        !(err instanceof Pkcs11Error) || !STALE_HANDLE.has(err.rv) || this.#identity === undefined
      ) throw err;
      const { id, label } = this.#identity;
      const [handle] = await this.session.findObjects([
        ulongAttribute(CKA.CLASS, CKO.PRIVATE_KEY),
        { type: CKA.ID, value: id },
        textAttribute(CKA.LABEL, label),
        ulongAttribute(CKA.KEY_TYPE, this.publicKey.type === "RSA" ? CKK.RSA : CKK.EC),
      ]).catch(() => {
        throw err;
      });
      this.#handle = handle!;
      return await op(this.#handle);
    }
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
    const length = this.#signatureLength;
    try {
      if (this.publicKey.type === "ECDSA") {
        const signature = this.#use((h) => this.session.sign(ECDSA, h, digest, length));
        return options.format === "der" ? signature.then(ecdsaSignatureToDer) : signature;
      }
      const pss = options.padding === "pss";
      const mechanism = pss ? pssMechanism(digest, options) : RSA_PKCS;
      const data = pss ? digest : digestInfo(options.hash, digest);
      return this.#use((h) => this.session.sign(mechanism, h, data, length));
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
    const length = this.#signatureLength;
    if (options.scheme === "pkcs1v15") {
      return this.#use((h) => this.session.decrypt(RSA_PKCS, h, ciphertext, length));
    }
    const hash = PSS_HASHES[options.hash];
    if (hash === undefined || !OAEP_HASHES.has(options.hash)) {
      return Promise.reject(
        new AosError("notSupported", `OAEP with ${options.hash} is not supported`),
      );
    }
    const mechanism = { type: CKM.RSA_PKCS_OAEP, parameter: oaepParameters(hash[0], hash[1]) };
    return this.#use((h) => this.session.decrypt(mechanism, h, ciphertext, length));
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
    return `Pkcs11PrivateKey(${kind}, object ${this.#handle})`;
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
