// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * PKCS#10 certificate signing requests, signed by any {@linkcode PrivateKey}
 * (a software key or a key that never leaves its PKCS#11 token).
 *
 * @module
 */

import * as pkijs from "pkijs";
import { AosError } from "../errors.ts";
import type { HashAlgorithm } from "./hash.ts";
import { type PrivateKey, type PublicKey, publicKeyFromSpki, publicKeyToSpki } from "./keys.ts";
import { decodeName, encodeName } from "./name.ts";
import { pemDecode, pemEncode } from "./pem.ts";
import type { CertificateExtension, RawExtension } from "./certificate.ts";
import { extKeyUsage, rawExtension, subjectAltName } from "./_extensions.ts";
import { defaultHash, signatureAlgorithm, signTbs, verifyX509Signature } from "./_sign.ts";
import { arrayBuffer, der } from "./_asn1.ts";
import { checkText } from "../_argument_type.ts";

/** What goes into a CSR. */
export interface CsrOptions {
  /** The subject: text (`C=UA, CN=unit`, see {@linkcode encodeName}) or a DER `Name`. */
  subject: string | Uint8Array;
  /** DNS names for the subject alternative names. */
  dnsNames?: string[];
  /** IP addresses for the subject alternative names. */
  ipAddresses?: string[];
  /** Extended key usage OIDs (`1.3.6.1.5.5.7.3.2` is TLS client authentication). */
  extKeyUsage?: string[];
  /** Further extensions, requested as given. */
  extensions?: RawExtension[];
  /**
   * The signature hash.
   *
   * @default {by key: SHA-256 up to RSA-3072 and P-256, SHA-384 for P-384}
   */
  hash?: HashAlgorithm;
}

const EXTENSION_REQUEST = "1.2.840.113549.1.9.14";

/**
 * Creates a CSR signed by `key`.
 *
 * @example
 * ```ts
 * import { createCsr, generatePrivateKey, parseCsr, verifyCsr } from "@aoscore/common/utils/crypto";
 * import assert from "node:assert/strict";
 *
 * const key = await generatePrivateKey({ type: "ECDSA", curve: "P-384" });
 * const pem = await createCsr({ subject: "O=Aos, CN=unit", dnsNames: ["unit.local"] }, key);
 * const csr = parseCsr(pem);
 * assert.equal(csr.subjectName, "O=Aos, CN=unit");
 * assert.deepEqual(csr.dnsNames, ["unit.local"]);
 * assert.ok(await verifyCsr(csr));
 * ```
 *
 * @param options Subject, names and extensions.
 * @param key The key whose public half the CSR carries and that signs it.
 * @returns The CSR as `CERTIFICATE REQUEST` PEM.
 * @throws {AosError} `invalidArgument` for a bad subject or IP address,
 * `notSupported` for a hash the key type cannot sign X.509 structures with.
 */
export async function createCsr(options: CsrOptions, key: PrivateKey): Promise<string> {
  const subject = typeof options.subject === "string"
    ? encodeName(options.subject)
    : options.subject;
  const hash = options.hash ?? defaultHash(key.publicKey);
  const extensions: pkijs.Extension[] = [];
  const san = subjectAltName(options.dnsNames, options.ipAddresses);
  if (san !== undefined) extensions.push(san);
  if (options.extKeyUsage !== undefined) extensions.push(extKeyUsage(options.extKeyUsage));
  for (const ext of options.extensions ?? []) extensions.push(rawExtension(ext));

  const csr = new pkijs.CertificationRequest();
  csr.version = 0;
  csr.subject = pkijs.RelativeDistinguishedNames.fromBER(arrayBuffer(subject));
  csr.subjectPublicKeyInfo = pkijs.PublicKeyInfo.fromBER(
    arrayBuffer(publicKeyToSpki(key.publicKey)),
  );
  csr.attributes = extensions.length === 0 ? [] : [
    new pkijs.Attribute({
      type: EXTENSION_REQUEST,
      values: [new pkijs.Extensions({ extensions }).toSchema()],
    }),
  ];
  csr.signatureAlgorithm = signatureAlgorithm(key.publicKey, hash);
  // toSchema(true) encodes the CertificationRequestInfo afresh; it comes first.
  const tbs = der(csr.toSchema(true).valueBlock.value[0]!);
  csr.tbsView = tbs;
  csr.signatureValue = await signTbs(key, tbs, hash);
  return pemEncode("CERTIFICATE REQUEST", der(csr.toSchema()));
}

/** A parsed CSR. */
export interface CertificateRequest {
  /** The complete DER request. */
  raw: Uint8Array;
  /** The DER `CertificationRequestInfo` (what was signed). */
  tbs: Uint8Array;
  /** The subject's DER `Name`. */
  subject: Uint8Array;
  /** The subject as text. */
  subjectName: string;
  /** The public key. */
  publicKey: PublicKey;
  /** The DER `SubjectPublicKeyInfo`. */
  spki: Uint8Array;
  /** DNS names requested. */
  dnsNames: string[];
  /** Extended key usages requested. */
  extKeyUsage: string[];
  /** Every requested extension. */
  extensions: CertificateExtension[];
  /** The dotted OID of the signature algorithm. */
  signatureAlgorithm: string;
  /** The signature bits. */
  signature: Uint8Array;
}

/**
 * Parses a CSR from DER or PEM. The signature is not checked: see {@linkcode verifyCsr}.
 *
 * @example
 * ```ts
 * import {
 *   createCsr,
 *   generatePrivateKey,
 *   parseCsr,
 *   pemDecodeFirst,
 *   publicKeysEqual,
 * } from "@aoscore/common/utils/crypto";
 * import assert from "node:assert/strict";
 *
 * const key = await generatePrivateKey({ type: "ECDSA" });
 * const pem = await createCsr({ subject: "CN=unit", extKeyUsage: ["1.3.6.1.5.5.7.3.2"] }, key);
 * const csr = parseCsr(pemDecodeFirst(pem, "CERTIFICATE REQUEST").der);
 * assert.deepEqual(csr.extKeyUsage, ["1.3.6.1.5.5.7.3.2"]);
 * assert.ok(publicKeysEqual(csr.publicKey, key.publicKey));
 * ```
 *
 * @param input DER bytes or PEM text.
 * @returns The request.
 * @throws {AosError} `invalidArgument` for input that is not a CSR.
 */
export function parseCsr(input: Uint8Array | string): CertificateRequest {
  checkText(input, "input", "Cannot parse CSR");
  let raw = input;
  if (typeof raw === "string") {
    const block = pemDecode(raw).find((b) =>
      b.label === "CERTIFICATE REQUEST" || b.label === "NEW CERTIFICATE REQUEST"
    );
    if (block === undefined) {
      throw new AosError("invalidArgument", "No CERTIFICATE REQUEST block in PEM");
    }
    raw = block.der;
  }
  try {
    const csr = pkijs.CertificationRequest.fromBER(arrayBuffer(raw));
    const subject = new Uint8Array(csr.subject.valueBeforeDecode);
    const spki = new Uint8Array(csr.subjectPublicKeyInfo.toSchema().toBER(false));
    const out: CertificateRequest = {
      raw: raw.slice(),
      tbs: csr.tbsView.slice(),
      subject,
      subjectName: decodeName(subject),
      publicKey: publicKeyFromSpki(spki),
      spki,
      dnsNames: [],
      extKeyUsage: [],
      extensions: [],
      signatureAlgorithm: csr.signatureAlgorithm.algorithmId,
      signature: csr.signatureValue.valueBlock.valueHexView.slice(),
    };
    for (const attribute of csr.attributes ?? []) {
      if (attribute.type !== EXTENSION_REQUEST) continue;
      for (const value of attribute.values) {
        for (const ext of new pkijs.Extensions({ schema: value }).extensions) {
          out.extensions.push({
            oid: ext.extnID,
            critical: ext.critical,
            value: ext.extnValue.valueBlock.valueHexView.slice(),
          });
          const parsed = ext.parsedValue;
          if (parsed instanceof pkijs.AltName) {
            for (const name of parsed.altNames) {
              if (name.type === 2) out.dnsNames.push(String(name.value));
            }
          } else if (parsed instanceof pkijs.ExtKeyUsage) {
            out.extKeyUsage.push(...parsed.keyPurposes);
          }
        }
      }
    }
    return out;
  } catch (err) {
    throw AosError.wrap(err, "invalidArgument", "Cannot parse certificate request");
  }
}

/**
 * Checks a CSR's self-signature (proof that the requester holds the key).
 *
 * @example
 * ```ts
 * import { createCsr, generatePrivateKey, parseCsr, verifyCsr } from "@aoscore/common/utils/crypto";
 * import assert from "node:assert/strict";
 *
 * const key = await generatePrivateKey({ type: "ECDSA" });
 * const csr = parseCsr(await createCsr({ subject: "CN=unit" }, key));
 * assert.ok(await verifyCsr(csr));
 *
 * // A request whose signed bytes were altered fails.
 * const tbs = csr.tbs.map((byte, i) => i === csr.tbs.length - 1 ? byte ^ 1 : byte);
 * assert.equal(await verifyCsr({ ...csr, tbs }), false);
 * ```
 *
 * @param csr The parsed request.
 * @returns `true` when the signature is good.
 * @throws {AosError} `notSupported` for a signature algorithm other than RSA PKCS#1 v1.5 or ECDSA with SHA-1/256/384/512.
 */
export function verifyCsr(csr: CertificateRequest): Promise<boolean> {
  return verifyX509Signature(csr.publicKey, csr.signatureAlgorithm, csr.tbs, csr.signature);
}
