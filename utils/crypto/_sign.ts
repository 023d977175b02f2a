// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Signs a to-be-signed structure (a CSR's CertificationRequestInfo, a
// certificate's TBSCertificate) with any PrivateKey: hash it here, let the key
// sign the digest, and wrap the result as X.509 wants it (ECDSA as DER).

import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { AosError } from "../errors.ts";
import { digest, type HashAlgorithm } from "./hash.ts";
import { ecCurveOf, keyBits, type PrivateKey, type PublicKey } from "./keys.ts";
import { ecdsaSignatureToDer, verifySignature } from "./signature.ts";
import { arrayBuffer } from "./_asn1.ts";

const RSA_OIDS: Readonly<Partial<Record<HashAlgorithm, string>>> = {
  "SHA1": "1.2.840.113549.1.1.5",
  "SHA224": "1.2.840.113549.1.1.14",
  "SHA256": "1.2.840.113549.1.1.11",
  "SHA384": "1.2.840.113549.1.1.12",
  "SHA512": "1.2.840.113549.1.1.13",
};
const ECDSA_OIDS: Readonly<Partial<Record<HashAlgorithm, string>>> = {
  "SHA1": "1.2.840.10045.4.1",
  "SHA224": "1.2.840.10045.4.3.1",
  "SHA256": "1.2.840.10045.4.3.2",
  "SHA384": "1.2.840.10045.4.3.3",
  "SHA512": "1.2.840.10045.4.3.4",
};

/**
 * The hash AosCore picks for a key: by modulus size for RSA (SHA-256 up to
 * 3072 bits, SHA-384 up to 7680, then SHA-512; AosCore's SHA-1 below 2048
 * bits is not kept), by curve for ECDSA.
 */
export function defaultHash(key: PublicKey): HashAlgorithm {
  if (key.type === "ECDSA") return ecCurveOf(key).hash;
  const bits = keyBits(key);
  return bits <= 3072 ? "SHA256" : bits <= 7680 ? "SHA384" : "SHA512";
}

/** The signature AlgorithmIdentifier for a key and hash. */
export function signatureAlgorithm(key: PublicKey, hash: HashAlgorithm): pkijs.AlgorithmIdentifier {
  const oid = (key.type === "RSA" ? RSA_OIDS : ECDSA_OIDS)[hash];
  if (oid === undefined) {
    throw new AosError("notSupported", `Cannot sign X.509 structures with ${key.type} and ${hash}`);
  }
  return key.type === "RSA"
    ? new pkijs.AlgorithmIdentifier({ algorithmId: oid, algorithmParams: new asn1js.Null() })
    : new pkijs.AlgorithmIdentifier({ algorithmId: oid });
}

/** The signature BIT STRING of `tbs`, made by `key`. */
export async function signTbs(
  key: PrivateKey,
  tbs: Uint8Array,
  hash: HashAlgorithm,
): Promise<asn1js.BitString> {
  const signature = await key.sign(digest(hash, tbs), { hash, padding: "pkcs1v15", format: "raw" });
  const bits = key.publicKey.type === "ECDSA" ? ecdsaSignatureToDer(signature) : signature;
  return new asn1js.BitString({ valueHex: arrayBuffer(bits) });
}

function hashOfSignatureAlgorithm(oid: string): HashAlgorithm | undefined {
  for (const table of [RSA_OIDS, ECDSA_OIDS]) {
    for (const [hash, known] of Object.entries(table)) {
      if (known === oid) return hash as HashAlgorithm;
    }
  }
  return undefined;
}

/** Verifies an X.509 signature (PKCS#1 v1.5 or ECDSA) over `tbs`. */
export function verifyX509Signature(
  publicKey: PublicKey,
  algorithm: string,
  tbs: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  const hash = hashOfSignatureAlgorithm(algorithm);
  if (hash === undefined) {
    return Promise.reject(
      new AosError("notSupported", `Unsupported signature algorithm ${algorithm}`),
    );
  }
  return verifySignature(publicKey, tbs, signature, { hash });
}
