// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * The key interfaces of the collection: {@linkcode PublicKey} as plain data and
 * {@linkcode PrivateKey}, a signer and decrypter that may live anywhere (in
 * memory, in a PKCS#11 token). Everything that signs (CSRs, certificates)
 * takes a `PrivateKey`, so token keys and software keys are interchangeable.
 *
 * @module
 */

import * as asn1js from "asn1js";
import { AosError } from "../errors.ts";
import { concatBytes } from "../_bytes.ts";
import { toHex } from "../encoding.ts";
import { HASH_LENGTH, type HashAlgorithm } from "./hash.ts";
import {
  arrayBuffer,
  bytesEqual,
  der,
  oidContent,
  oidFromContent,
  readDer,
  unsignedBytes,
  unsignedInteger,
} from "./_asn1.ts";

/**
 * A public key as plain data. RSA: modulus and exponent, unsigned big-endian
 * and minimal. ECDSA: the curve's OID content bytes (`2a 86 48 ce 3d 03 01 07`
 * for P-256) and the uncompressed point `04 ‖ X ‖ Y`.
 */
export type PublicKey =
  | { type: "RSA"; n: Uint8Array; e: Uint8Array }
  | { type: "ECDSA"; curveOid: Uint8Array; point: Uint8Array };

/** The elliptic curves the collection signs with. */
export type EcCurve = "P-256" | "P-384" | "P-521";

interface CurveInfo {
  name: EcCurve;
  oid: string;
  /** Bytes of one coordinate (and of r and s in a raw signature). */
  size: number;
  hash: HashAlgorithm;
}

const CURVES: readonly CurveInfo[] = [
  { name: "P-256", oid: "1.2.840.10045.3.1.7", size: 32, hash: "SHA256" },
  { name: "P-384", oid: "1.3.132.0.34", size: 48, hash: "SHA384" },
  { name: "P-521", oid: "1.3.132.0.35", size: 66, hash: "SHA512" },
];

/**
 * The OID content bytes of a curve, as {@linkcode PublicKey} holds them.
 *
 * @example
 * ```ts
 * import { curveOid } from "@aoscore/common/utils/crypto";
 * import { toHex } from "@aoscore/common/utils";
 * import assert from "node:assert/strict";
 *
 * assert.equal(toHex(curveOid("P-384")), "2b81040022");
 * ```
 *
 * @param curve The curve.
 * @returns Its OID without tag and length.
 */
export function curveOid(curve: EcCurve): Uint8Array {
  return oidContent(curveInfo(curve).oid);
}

function curveInfo(curve: EcCurve): CurveInfo {
  const info = CURVES.find((c) => c.name === curve);
  if (info === undefined) throw new AosError("notSupported", `Unsupported curve "${curve}"`);
  return info;
}

/**
 * The curve of an ECDSA public key, with its coordinate size and the hash that
 * goes with it in certificates.
 *
 * @example
 * ```ts
 * import { curveOid, ecCurveOf } from "@aoscore/common/utils/crypto";
 * import assert from "node:assert/strict";
 *
 * const key = { type: "ECDSA", curveOid: curveOid("P-384"), point: new Uint8Array(97) } as const;
 * assert.deepEqual(ecCurveOf(key), { name: "P-384", size: 48, hash: "SHA384" });
 * ```
 *
 * @param key An ECDSA public key.
 * @returns The curve's name, coordinate size in bytes and matching hash.
 * @throws {AosError} `notSupported` for another curve.
 */
export function ecCurveOf(
  key: PublicKey & { type: "ECDSA" },
): { name: EcCurve; size: number; hash: HashAlgorithm } {
  const info = CURVES.find((c) => bytesEqual(oidContent(c.oid), key.curveOid));
  if (info === undefined) {
    throw new AosError("notSupported", `Unsupported curve with OID content ${toHex(key.curveOid)}`);
  }
  return { name: info.name, size: info.size, hash: info.hash };
}

/**
 * The size of a key in bits: the modulus length for RSA, the curve order for ECDSA.
 *
 * @example
 * ```ts
 * import { generatePrivateKey, keyBits, type PublicKey } from "@aoscore/common/utils/crypto";
 * import assert from "node:assert/strict";
 *
 * const rsa: PublicKey = { type: "RSA", n: new Uint8Array(256).fill(0xff), e: new Uint8Array([1, 0, 1]) };
 * assert.equal(keyBits(rsa), 2048);
 * const ec = await generatePrivateKey({ type: "ECDSA", curve: "P-521" });
 * assert.equal(keyBits(ec.publicKey), 521);
 * ```
 *
 * @param key The public key.
 * @returns The size in bits.
 */
export function keyBits(key: PublicKey): number {
  if (key.type === "ECDSA") {
    const { name } = ecCurveOf(key);
    return name === "P-521" ? 521 : Number(name.slice(2));
  }
  const n = unsignedBytes(key.n);
  return n.length === 0 ? 0 : (n.length - 1) * 8 + (32 - Math.clz32(n[0]!));
}

/**
 * The length of a signature the key makes: the modulus length for RSA, `2 ×`
 * the coordinate size for a raw ECDSA signature.
 *
 * @example
 * ```ts
 * import { digest, generatePrivateKey, signatureLength } from "@aoscore/common/utils/crypto";
 * import assert from "node:assert/strict";
 *
 * const key = await generatePrivateKey({ type: "ECDSA", curve: "P-521" });
 * assert.equal(signatureLength(key.publicKey), 132);
 * const signature = await key.sign(digest("SHA512", "data"), { hash: "SHA512" });
 * assert.equal(signature.length, signatureLength(key.publicKey));
 * ```
 *
 * @param key The public key.
 * @returns Bytes.
 */
export function signatureLength(key: PublicKey): number {
  return key.type === "RSA" ? Math.ceil(keyBits(key) / 8) : 2 * ecCurveOf(key).size;
}

/**
 * Reports whether two public keys are the same key.
 *
 * @example
 * ```ts
 * import { publicKeysEqual } from "@aoscore/common/utils/crypto";
 * import assert from "node:assert/strict";
 *
 * const n = new Uint8Array([0xc5, 0x01]);
 * const e = new Uint8Array([1, 0, 1]);
 * assert.ok(publicKeysEqual({ type: "RSA", n, e }, { type: "RSA", n: n.slice(), e }));
 * ```
 *
 * @param a A key.
 * @param b Another key.
 * @returns `true` when type and every field match (leading zeros of RSA numbers ignored).
 */
export function publicKeysEqual(a: PublicKey, b: PublicKey): boolean {
  if (a.type === "RSA" && b.type === "RSA") {
    return bytesEqual(unsignedBytes(a.n), unsignedBytes(b.n)) &&
      bytesEqual(unsignedBytes(a.e), unsignedBytes(b.e));
  }
  if (a.type === "ECDSA" && b.type === "ECDSA") {
    return bytesEqual(a.curveOid, b.curveOid) && bytesEqual(a.point, b.point);
  }
  return false;
}

/** Options of {@linkcode PrivateKey.sign}. */
export interface SignOptions {
  /**
   * The hash that made the digest. RSA PKCS#1 v1.5 puts its DigestInfo in
   * front of the digest (`"NONE"` signs the bytes as given); PSS uses it for
   * MGF1; ECDSA ignores it.
   */
  hash: HashAlgorithm | "NONE";
  /**
   * RSA padding. Ignored by ECDSA keys.
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
  /**
   * ECDSA signature encoding: `r ‖ s` (IEEE P1363, what WebCrypto takes) or DER.
   *
   * @default {"raw"}
   */
  format?: "raw" | "der";
}

/** Options of {@linkcode PrivateKey.decrypt}: RSAES-PKCS1-v1_5 or RSAES-OAEP with MGF1 of the same hash. */
export type DecryptOptions =
  | { scheme: "pkcs1v15" }
  | { scheme: "oaep"; hash: HashAlgorithm };

/**
 * A private key that signs digests and decrypts, wherever it lives. The
 * software keys of this module and the PKCS#11 keys of `utils/pkcs11`
 * implement it; so can any other signer (a remote HSM, a TPM).
 */
export interface PrivateKey {
  /** The matching public key. */
  readonly publicKey: PublicKey;
  /**
   * Signs a precomputed digest.
   *
   * @param digest The digest (for RSA PKCS#1 v1.5 with `hash: "NONE"`, the bytes to pad and sign).
   * @param options The hash, RSA padding and ECDSA encoding.
   * @returns The signature: modulus-size bytes for RSA, `r ‖ s` (or DER) for ECDSA.
   */
  sign(digest: Uint8Array, options: SignOptions): Promise<Uint8Array>;
  /**
   * Decrypts an RSA ciphertext.
   *
   * @param ciphertext The ciphertext.
   * @param options The scheme.
   * @returns The plaintext.
   */
  decrypt(ciphertext: Uint8Array, options: DecryptOptions): Promise<Uint8Array>;
}

const DIGEST_INFO_PREFIX: Readonly<Partial<Record<HashAlgorithm, string>>> = {
  "SHA1": "3021300906052b0e03021a05000414",
  "SHA224": "302d300d06096086480165030402040500041c",
  "SHA256": "3031300d060960864801650304020105000420",
  "SHA384": "3041300d060960864801650304020205000430",
  "SHA512": "3051300d060960864801650304020305000440",
  "SHA512-224": "302d300d06096086480165030402050500041c",
  "SHA512-256": "3031300d060960864801650304020605000420",
  "SHA3-224": "302d300d06096086480165030402070500041c",
  "SHA3-256": "3031300d060960864801650304020805000420",
};
const prefixCache = new Map<string, Uint8Array>();

/**
 * The bytes RSA PKCS#1 v1.5 signs for a digest: the DER `DigestInfo` of the
 * hash followed by the digest. `"NONE"` returns the digest as is.
 *
 * @example
 * ```ts
 * import { digest, digestInfo } from "@aoscore/common/utils/crypto";
 * import { toHex } from "@aoscore/common/utils";
 * import assert from "node:assert/strict";
 *
 * const hash = digest("SHA256", "abc");
 * const info = digestInfo("SHA256", hash);
 * assert.equal(toHex(info.subarray(0, 19)), "3031300d060960864801650304020105000420");
 * assert.deepEqual(info.subarray(19), hash);
 * ```
 *
 * @param hash The hash that made the digest.
 * @param digestBytes The digest.
 * @returns `DigestInfo ‖ digest`.
 * @throws {AosError} `invalidArgument` when the digest length does not match the hash.
 */
export function digestInfo(hash: HashAlgorithm | "NONE", digestBytes: Uint8Array): Uint8Array {
  if (hash === "NONE") return digestBytes;
  const hex = DIGEST_INFO_PREFIX[hash];
  if (hex === undefined) throw new AosError("notSupported", `No DigestInfo for ${hash}`);
  if (digestBytes.length !== HASH_LENGTH[hash]) {
    throw new AosError(
      "invalidArgument",
      `A ${hash} digest is ${HASH_LENGTH[hash]} bytes, got ${digestBytes.length}`,
    );
  }
  let prefix = prefixCache.get(hash);
  if (prefix === undefined) {
    prefix = new Uint8Array(hex.length / 2);
    for (let i = 0; i < prefix.length; i++) prefix[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
    prefixCache.set(hash, prefix);
  }
  return concatBytes([prefix, digestBytes]);
}

const RSA_ENCRYPTION = "1.2.840.113549.1.1.1";
const EC_PUBLIC_KEY = "1.2.840.10045.2.1";

/**
 * Encodes a public key as a DER `SubjectPublicKeyInfo`.
 *
 * @example
 * ```ts
 * import { generatePrivateKey, publicKeyToSpki } from "@aoscore/common/utils/crypto";
 * import assert from "node:assert/strict";
 *
 * const key = await generatePrivateKey({ type: "ECDSA", curve: "P-256" });
 * const spki = publicKeyToSpki(key.publicKey);
 * const webKey = await crypto.subtle.importKey(
 *   "spki",
 *   spki,
 *   { name: "ECDSA", namedCurve: "P-256" },
 *   true,
 *   ["verify"],
 * );
 * assert.equal(webKey.type, "public");
 * ```
 *
 * @param key The public key.
 * @returns The DER bytes (what `openssl pkey -pubin -inform der` reads).
 */
export function publicKeyToSpki(key: PublicKey): Uint8Array<ArrayBuffer> {
  if (key.type === "RSA") {
    const rsaKey = new asn1js.Sequence({
      value: [unsignedInteger(key.n), unsignedInteger(key.e)],
    });
    return der(
      new asn1js.Sequence({
        value: [
          new asn1js.Sequence({
            value: [new asn1js.ObjectIdentifier({ value: RSA_ENCRYPTION }), new asn1js.Null()],
          }),
          new asn1js.BitString({ valueHex: rsaKey.toBER(false) }),
        ],
      }),
    );
  }
  return der(
    new asn1js.Sequence({
      value: [
        new asn1js.Sequence({
          value: [
            new asn1js.ObjectIdentifier({ value: EC_PUBLIC_KEY }),
            new asn1js.ObjectIdentifier({ value: oidFromContent(key.curveOid) }),
          ],
        }),
        new asn1js.BitString({ valueHex: arrayBuffer(key.point) }),
      ],
    }),
  );
}

/**
 * Decodes a DER `SubjectPublicKeyInfo` holding an RSA or EC key.
 *
 * @example
 * ```ts
 * import { keyBits, publicKeyFromSpki } from "@aoscore/common/utils/crypto";
 * import assert from "node:assert/strict";
 *
 * const pair = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-384" }, true, [
 *   "sign",
 *   "verify",
 * ]);
 * const spki = new Uint8Array(await crypto.subtle.exportKey("spki", pair.publicKey));
 * const key = publicKeyFromSpki(spki);
 * assert.equal(key.type, "ECDSA");
 * assert.equal(keyBits(key), 384);
 * ```
 *
 * @param spki The DER bytes.
 * @returns The public key.
 * @throws {AosError} `invalidArgument` for malformed input, `notSupported` for another key type.
 */
export function publicKeyFromSpki(spki: Uint8Array): PublicKey {
  const root = readDer(spki, "public key");
  const [alg, bits] = root instanceof asn1js.Sequence ? root.valueBlock.value : [];
  const [algOid, params] = alg instanceof asn1js.Sequence ? alg.valueBlock.value : [];
  if (!(algOid instanceof asn1js.ObjectIdentifier) || !(bits instanceof asn1js.BitString)) {
    throw new AosError("invalidArgument", "Cannot parse public key: not a SubjectPublicKeyInfo");
  }
  const body = bits.valueBlock.valueHexView;
  switch (algOid.getValue()) {
    case RSA_ENCRYPTION: {
      const rsa = readDer(body, "RSA public key");
      const [n, e] = rsa instanceof asn1js.Sequence ? rsa.valueBlock.value : [];
      if (!(n instanceof asn1js.Integer) || !(e instanceof asn1js.Integer)) {
        throw new AosError("invalidArgument", "Cannot parse RSA public key");
      }
      return {
        type: "RSA",
        n: unsignedBytes(n.valueBlock.valueHexView),
        e: unsignedBytes(e.valueBlock.valueHexView),
      };
    }
    case EC_PUBLIC_KEY: {
      if (!(params instanceof asn1js.ObjectIdentifier)) {
        throw new AosError("notSupported", "EC public keys need a named curve");
      }
      return {
        type: "ECDSA",
        curveOid: oidContent(params.getValue()),
        point: body.slice(),
      };
    }
    default:
      throw new AosError("notSupported", `Unsupported public key algorithm ${algOid.getValue()}`);
  }
}
