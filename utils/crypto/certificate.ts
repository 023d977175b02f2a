// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * X.509 certificates as plain data: the fields AosCore reads (names as DER
 * and text, serial, key identifiers, validity, alternative names, CA flag,
 * key usages) parsed with pkijs.
 *
 * @module
 */

import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { AosError } from "../errors.ts";
import { type PublicKey, publicKeyFromSpki } from "./keys.ts";
import { decodeName } from "./name.ts";
import { pemDecode, pemEncode } from "./pem.ts";
import { arrayBuffer, unsignedBytes } from "./_asn1.ts";
import { checkString, checkText } from "../_argument_type.ts";

/** The bits of the key usage extension, as RFC 5280 names them. */
export type KeyUsage =
  | "digitalSignature"
  | "nonRepudiation"
  | "keyEncipherment"
  | "dataEncipherment"
  | "keyAgreement"
  | "keyCertSign"
  | "cRLSign"
  | "encipherOnly"
  | "decipherOnly";

/** The key usage bits in extension order (bit 0 first). */
export const KEY_USAGES: readonly KeyUsage[] = Object.freeze([
  "digitalSignature",
  "nonRepudiation",
  "keyEncipherment",
  "dataEncipherment",
  "keyAgreement",
  "keyCertSign",
  "cRLSign",
  "encipherOnly",
  "decipherOnly",
]);

/** One extension as found in the certificate. */
export interface CertificateExtension {
  /** Dotted OID. */
  oid: string;
  /** The critical flag. */
  critical: boolean;
  /** The DER inside the extension's OCTET STRING. */
  value: Uint8Array;
}

/** An extension to write, given as raw DER. */
export interface RawExtension {
  /** Dotted OID. */
  oid: string;
  /**
   * The critical flag.
   *
   * @default {false}
   */
  critical?: boolean;
  /** The DER that goes inside the extension's OCTET STRING. */
  value: Uint8Array;
}

/** A parsed X.509 certificate. */
export interface Certificate {
  /** The complete DER certificate. */
  raw: Uint8Array;
  /** The DER `TBSCertificate` (what the issuer signed). */
  tbs: Uint8Array;
  /** X.509 version: 1, 2 or 3. */
  version: number;
  /** The serial number, unsigned big-endian, minimal. */
  serial: Uint8Array;
  /** The subject's DER `Name`, byte for byte as in the certificate. */
  subject: Uint8Array;
  /** The issuer's DER `Name`, byte for byte as in the certificate. */
  issuer: Uint8Array;
  /** The subject as text (`C=UA, O=EPAM, CN=unit`). */
  subjectName: string;
  /** The issuer as text. */
  issuerName: string;
  /** Start of validity. */
  notBefore: Date;
  /** End of validity. */
  notAfter: Date;
  /** The subject's public key. */
  publicKey: PublicKey;
  /** The DER `SubjectPublicKeyInfo`. */
  spki: Uint8Array;
  /** The subject key identifier, when present. */
  subjectKeyId?: Uint8Array;
  /** The `keyIdentifier` of the authority key identifier, when present. */
  authorityKeyId?: Uint8Array;
  /** DNS names of the subject alternative names. */
  dnsNames: string[];
  /** IP addresses (dotted IPv4 or full IPv6) of the subject alternative names. */
  ipAddresses: string[];
  /** URIs of the subject alternative names. */
  uris: string[];
  /** E-mail addresses of the subject alternative names. */
  emails: string[];
  /** URIs of the issuer alternative names (AosCore reads service discovery URLs here). */
  issuerUrls: string[];
  /** Whether basic constraints say CA. */
  isCa: boolean;
  /** The path length constraint of a CA, when set. */
  pathLength?: number;
  /** The key usage bits set, when the extension is present. */
  keyUsage?: KeyUsage[];
  /** The extended key usage OIDs (empty without the extension). */
  extKeyUsage: string[];
  /** Every extension, in certificate order. */
  extensions: CertificateExtension[];
  /** The dotted OID of the signature algorithm. */
  signatureAlgorithm: string;
  /** The signature bits. */
  signature: Uint8Array;
}

const SUBJECT_KEY_ID = "2.5.29.14";
const KEY_USAGE = "2.5.29.15";
const SUBJECT_ALT_NAME = "2.5.29.17";
const ISSUER_ALT_NAME = "2.5.29.18";
const BASIC_CONSTRAINTS = "2.5.29.19";
const AUTHORITY_KEY_ID = "2.5.29.35";
const EXT_KEY_USAGE = "2.5.29.37";

/**
 * Parses one certificate from DER bytes or PEM text (the first `CERTIFICATE` block).
 *
 * @example
 * ```ts
 * import {
 *   createCertificate,
 *   generatePrivateKey,
 *   parseCertificate,
 * } from "@aoscore/common/utils/crypto";
 * import assert from "node:assert/strict";
 *
 * const key = await generatePrivateKey({ type: "ECDSA" });
 * const pem = await createCertificate({
 *   subject: "C=UA, CN=Aos Core",
 *   publicKey: key.publicKey,
 *   isCa: true,
 *   issuerUrls: ["https://aoscloud.io:9000"],
 * }, { key });
 * const cert = parseCertificate(pem);
 * assert.equal(cert.subjectName, "C=UA, CN=Aos Core");
 * assert.deepEqual(cert.issuer, cert.subject);
 * assert.deepEqual(cert.issuerUrls, ["https://aoscloud.io:9000"]);
 * assert.ok(cert.isCa);
 * ```
 *
 * @param input DER bytes or PEM text.
 * @returns The certificate.
 * @throws {AosError} `invalidArgument` for input that is not a certificate.
 */
export function parseCertificate(input: Uint8Array | string): Certificate {
  checkText(input, "input", "Cannot parse certificate");
  if (typeof input === "string") {
    const block = pemDecode(input).find((b) => b.label === "CERTIFICATE");
    if (block === undefined) throw new AosError("invalidArgument", "No CERTIFICATE block in PEM");
    return parseDer(block.der);
  }
  return parseDer(input);
}

/**
 * Parses every `CERTIFICATE` block of a PEM text, in order (a chain is leaf first).
 *
 * @example
 * ```ts
 * import { createCertificate, generatePrivateKey, parseCertificates } from "@aoscore/common/utils/crypto";
 * import assert from "node:assert/strict";
 *
 * const caKey = await generatePrivateKey({ type: "ECDSA" });
 * const ca = await createCertificate({ subject: "CN=Aos CA", isCa: true }, { key: caKey });
 * const unitKey = await generatePrivateKey({ type: "ECDSA" });
 * const leaf = await createCertificate(
 *   { subject: "CN=unit", publicKey: unitKey.publicKey },
 *   { key: caKey, certificate: ca },
 * );
 * const chain = parseCertificates(leaf + ca);
 * assert.deepEqual(chain.map((cert) => cert.subjectName), ["CN=unit", "CN=Aos CA"]);
 * ```
 *
 * @param pem The PEM text.
 * @returns The certificates; empty when there is none.
 * @throws {AosError} `invalidArgument` when a block is malformed or a BEGIN
 * line has no block (the count of parsed certificates must match the headers).
 */
export function parseCertificates(pem: string): Certificate[] {
  checkString(pem, "pem", "Cannot parse certificates");
  const certs = pemDecode(pem).filter((b) => b.label === "CERTIFICATE").map((b) => parseDer(b.der));
  const headers = pem.split("-----BEGIN CERTIFICATE-----").length - 1;
  if (headers !== certs.length) {
    throw new AosError(
      "invalidArgument",
      `Found ${headers} certificate headers but ${certs.length} certificates`,
    );
  }
  return certs;
}

/**
 * Encodes a certificate (or its DER bytes) as PEM.
 *
 * @example
 * ```ts
 * import {
 *   certificateToPem,
 *   createCertificate,
 *   generatePrivateKey,
 *   parseCertificate,
 * } from "@aoscore/common/utils/crypto";
 * import assert from "node:assert/strict";
 *
 * const key = await generatePrivateKey({ type: "ECDSA" });
 * const pem = await createCertificate({ subject: "CN=unit" }, { key });
 * const cert = parseCertificate(pem);
 * assert.equal(certificateToPem(cert), pem);
 * assert.equal(certificateToPem(cert.raw), pem);
 * ```
 *
 * @param cert The certificate.
 * @returns A `CERTIFICATE` PEM block.
 */
export function certificateToPem(cert: Certificate | Uint8Array): string {
  return pemEncode("CERTIFICATE", cert instanceof Uint8Array ? cert : cert.raw);
}

function parseDer(raw: Uint8Array): Certificate {
  let cert: pkijs.Certificate;
  try {
    cert = pkijs.Certificate.fromBER(arrayBuffer(raw));
  } catch (err) {
    throw new AosError("invalidArgument", "Cannot parse certificate", { cause: err });
  }
  try {
    return fromPkijs(cert, raw);
  } catch (err) {
    throw AosError.wrap(err, "invalidArgument", "Cannot parse certificate");
  }
}

function fromPkijs(cert: pkijs.Certificate, raw: Uint8Array): Certificate {
  const subject = new Uint8Array(cert.subject.valueBeforeDecode);
  const issuer = new Uint8Array(cert.issuer.valueBeforeDecode);
  const spki = new Uint8Array(cert.subjectPublicKeyInfo.toSchema().toBER(false));
  const out: Certificate = {
    raw: raw.slice(),
    tbs: cert.tbsView.slice(),
    version: cert.version + 1,
    serial: unsignedBytes(cert.serialNumber.valueBlock.valueHexView),
    subject,
    issuer,
    subjectName: decodeName(subject),
    issuerName: decodeName(issuer),
    notBefore: cert.notBefore.value,
    notAfter: cert.notAfter.value,
    publicKey: publicKeyFromSpki(spki),
    spki,
    dnsNames: [],
    ipAddresses: [],
    uris: [],
    emails: [],
    issuerUrls: [],
    isCa: false,
    extKeyUsage: [],
    extensions: [],
    signatureAlgorithm: cert.signatureAlgorithm.algorithmId,
    signature: cert.signatureValue.valueBlock.valueHexView.slice(),
  };
  for (const ext of cert.extensions ?? []) {
    out.extensions.push({
      oid: ext.extnID,
      critical: ext.critical,
      value: ext.extnValue.valueBlock.valueHexView.slice(),
    });
    readExtension(out, ext.extnID, ext.parsedValue);
  }
  return out;
}

// Fills the typed fields from pkijs's parsed values; an extension pkijs could
// not parse stays in `extensions` only.
function readExtension(out: Certificate, oid: string, parsed: unknown): void {
  if (parsed === undefined) return;
  switch (oid) {
    case SUBJECT_KEY_ID:
      if (parsed instanceof asn1js.OctetString) {
        out.subjectKeyId = parsed.valueBlock.valueHexView.slice();
      }
      break;
    case AUTHORITY_KEY_ID:
      if (parsed instanceof pkijs.AuthorityKeyIdentifier && parsed.keyIdentifier !== undefined) {
        out.authorityKeyId = parsed.keyIdentifier.valueBlock.valueHexView.slice();
      }
      break;
    case SUBJECT_ALT_NAME:
      if (parsed instanceof pkijs.AltName) {
        for (const name of parsed.altNames) readGeneralName(out, name);
      }
      break;
    case ISSUER_ALT_NAME:
      if (parsed instanceof pkijs.AltName) {
        for (const name of parsed.altNames) {
          if (name.type === 6) out.issuerUrls.push(String(name.value));
        }
      }
      break;
    case BASIC_CONSTRAINTS:
      if (parsed instanceof pkijs.BasicConstraints) {
        out.isCa = parsed.cA;
        const len = parsed.pathLenConstraint;
        if (len !== undefined) {
          out.pathLength = typeof len === "number" ? len : len.valueBlock.valueDec;
        }
      }
      break;
    case KEY_USAGE:
      if (parsed instanceof asn1js.BitString) {
        const bits = parsed.valueBlock.valueHexView;
        out.keyUsage = KEY_USAGES.filter((_, i) => ((bits[i >> 3] ?? 0) & (0x80 >> (i & 7))) !== 0);
      }
      break;
    case EXT_KEY_USAGE:
      if (parsed instanceof pkijs.ExtKeyUsage) out.extKeyUsage = [...parsed.keyPurposes];
      break;
  }
}

function readGeneralName(out: Certificate, name: pkijs.GeneralName): void {
  switch (name.type) {
    case 1:
      out.emails.push(String(name.value));
      break;
    case 2:
      out.dnsNames.push(String(name.value));
      break;
    case 6:
      out.uris.push(String(name.value));
      break;
    case 7:
      if (name.value instanceof asn1js.OctetString) {
        out.ipAddresses.push(formatIp(name.value.valueBlock.valueHexView));
      }
      break;
  }
}

function formatIp(bytes: Uint8Array): string {
  if (bytes.length === 4) return Array.from(bytes).join(".");
  const groups: string[] = [];
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  }
  return groups.join(":");
}
