// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Certificate creation: self-signed roots, certificates signed by a CA key
 * (software or PKCS#11), and certificates issued from a CSR, as a test PKI or
 * a simulated cloud does it.
 *
 * @module
 */

import * as pkijs from "pkijs";
import { AosError } from "../errors.ts";
import { digest, type HashAlgorithm } from "./hash.ts";
import { type PrivateKey, type PublicKey, publicKeysEqual, publicKeyToSpki } from "./keys.ts";
import { encodeName } from "./name.ts";
import { pemEncode } from "./pem.ts";
import {
  type Certificate,
  type KeyUsage,
  parseCertificate,
  type RawExtension,
} from "./certificate.ts";
import { type CertificateRequest, parseCsr, verifyCsr } from "./csr.ts";
import {
  authorityKeyId,
  basicConstraints,
  extKeyUsage,
  issuerAltName,
  keyUsage,
  rawExtension,
  subjectAltName,
  subjectKeyId,
} from "./_extensions.ts";
import { defaultHash, signatureAlgorithm, signTbs } from "./_sign.ts";
import { arrayBuffer, der, unsignedInteger } from "./_asn1.ts";

/** What goes into a certificate. */
export interface CertificateOptions {
  /** The subject: text (`C=UA, CN=unit`) or a DER `Name`. */
  subject: string | Uint8Array;
  /**
   * The subject's public key.
   *
   * @default {the signer's own key (self-signed)}
   */
  publicKey?: PublicKey;
  /**
   * The serial number, unsigned big-endian.
   *
   * @default {16 random bytes, positive}
   */
  serial?: Uint8Array;
  /**
   * Start of validity (seconds precision).
   *
   * @default {now}
   */
  notBefore?: Date;
  /**
   * End of validity (seconds precision).
   *
   * @default {365 days after notBefore}
   */
  notAfter?: Date;
  /**
   * Whether the subject is a CA (basic constraints).
   *
   * @default {false}
   */
  isCa?: boolean;
  /** The path length constraint of a CA. */
  pathLength?: number;
  /**
   * Key usage bits.
   *
   * @default {digitalSignature, keyCertSign and cRLSign for a CA; none (no extension) otherwise}
   */
  keyUsage?: KeyUsage[];
  /** Extended key usage OIDs. */
  extKeyUsage?: string[];
  /** DNS subject alternative names. */
  dnsNames?: string[];
  /** IP subject alternative names. */
  ipAddresses?: string[];
  /** URI subject alternative names. */
  uris?: string[];
  /** Issuer alternative name URIs (AosCore's service discovery URLs). */
  issuerUrls?: string[];
  /** Further extensions. */
  extensions?: RawExtension[];
  /**
   * The signature hash.
   *
   * @default {chosen by the signing key, as for CSRs}
   */
  hash?: HashAlgorithm;
}

/** Who signs: a key and, unless self-signing, the certificate that goes with it. */
export interface CertificateSigner {
  /** The signing key. */
  key: PrivateKey;
  /** The signer's certificate (DER, PEM or parsed); absent for a self-signed certificate. */
  certificate?: Certificate | Uint8Array | string;
}

const DAY_MS = 86_400_000;

/**
 * Creates a certificate signed by `signer`. Subject and authority key
 * identifiers are always written (RFC 5280 method 1: SHA-1 of the key bits).
 *
 * @example Self-signed root
 * ```ts
 * import { createCertificate, generatePrivateKey, parseCertificate } from "@aoscore/common/utils/crypto";
 * import assert from "node:assert/strict";
 *
 * const key = await generatePrivateKey({ type: "RSA" });
 * const cert = parseCertificate(await createCertificate({ subject: "CN=root", isCa: true }, { key }));
 * assert.deepEqual(cert.subjectKeyId, cert.authorityKeyId);
 * ```
 *
 * @param options The certificate's contents.
 * @param signer The signing key and its certificate.
 * @returns The certificate as PEM.
 * @throws {AosError} `invalidArgument` when the signer's key does not match its
 * certificate, validity ends before it starts, or a field is malformed.
 */
export async function createCertificate(
  options: CertificateOptions,
  signer: CertificateSigner,
): Promise<string> {
  const issuerCert = signer.certificate === undefined
    ? undefined
    : signer.certificate instanceof Uint8Array || typeof signer.certificate === "string"
    ? parseCertificate(signer.certificate)
    : signer.certificate;
  if (issuerCert !== undefined && !publicKeysEqual(issuerCert.publicKey, signer.key.publicKey)) {
    throw new AosError(
      "invalidArgument",
      "The signing key does not belong to the signer's certificate",
    );
  }
  const publicKey = options.publicKey ?? signer.key.publicKey;
  if (issuerCert === undefined && !publicKeysEqual(publicKey, signer.key.publicKey)) {
    throw new AosError(
      "invalidArgument",
      "A self-signed certificate needs the signing key's public key",
    );
  }
  const notBefore = wholeSeconds(options.notBefore ?? new Date());
  const notAfter = wholeSeconds(options.notAfter ?? new Date(notBefore.getTime() + 365 * DAY_MS));
  if (notAfter < notBefore) throw new AosError("invalidArgument", "notAfter is before notBefore");
  const subject = typeof options.subject === "string"
    ? encodeName(options.subject)
    : options.subject;
  const hash = options.hash ?? defaultHash(signer.key.publicKey);

  const spki = pkijs.PublicKeyInfo.fromBER(arrayBuffer(publicKeyToSpki(publicKey)));
  const ski = keyId(spki);
  const aki = issuerCert === undefined
    ? ski
    : issuerCert.subjectKeyId ?? keyId(pkijs.PublicKeyInfo.fromBER(arrayBuffer(issuerCert.spki)));

  const extensions: pkijs.Extension[] = [subjectKeyId(ski), authorityKeyId(aki)];
  extensions.push(basicConstraints(options.isCa === true, options.pathLength));
  const usages = options.keyUsage ??
    (options.isCa === true ? ["digitalSignature", "keyCertSign", "cRLSign"] as KeyUsage[] : []);
  if (usages.length > 0) extensions.push(keyUsage(usages));
  if (options.extKeyUsage !== undefined) extensions.push(extKeyUsage(options.extKeyUsage));
  const san = subjectAltName(options.dnsNames, options.ipAddresses, options.uris);
  if (san !== undefined) extensions.push(san);
  if (options.issuerUrls !== undefined && options.issuerUrls.length > 0) {
    extensions.push(issuerAltName(options.issuerUrls));
  }
  for (const ext of options.extensions ?? []) extensions.push(rawExtension(ext));

  const cert = new pkijs.Certificate();
  cert.version = 2;
  cert.serialNumber = unsignedInteger(options.serial ?? randomSerial());
  cert.subject = pkijs.RelativeDistinguishedNames.fromBER(arrayBuffer(subject));
  cert.issuer = pkijs.RelativeDistinguishedNames.fromBER(
    arrayBuffer(issuerCert === undefined ? subject : issuerCert.subject),
  );
  cert.notBefore = x509Time(notBefore);
  cert.notAfter = x509Time(notAfter);
  cert.subjectPublicKeyInfo = spki;
  cert.extensions = extensions;
  cert.signature = signatureAlgorithm(signer.key.publicKey, hash);
  cert.signatureAlgorithm = signatureAlgorithm(signer.key.publicKey, hash);
  const tbs = new Uint8Array(cert.encodeTBS().toBER(false));
  cert.tbsView = tbs;
  cert.signatureValue = await signTbs(signer.key, tbs, hash);
  return pemEncode("CERTIFICATE", der(cert.toSchema()));
}

/** Options of {@linkcode issueCertificate}. */
export interface IssueOptions
  extends Omit<CertificateOptions, "subject" | "publicKey" | "dnsNames" | "ipAddresses"> {
  /**
   * Validity in days from now, when `notAfter` is not given.
   *
   * @default {365}
   */
  validityDays?: number;
}

/**
 * Issues a certificate from a CSR, as a CA (or a simulated cloud) does: the
 * CSR's signature is checked, subject, public key and requested DNS names and
 * extended key usages are taken from it, the CA signs.
 *
 * @example
 * ```ts
 * import {
 *   createCertificate,
 *   createCsr,
 *   generatePrivateKey,
 *   issueCertificate,
 *   parseCertificate,
 *   verifyCertificateChain,
 * } from "@aoscore/common/utils/crypto";
 * import assert from "node:assert/strict";
 *
 * const caKey = await generatePrivateKey({ type: "ECDSA" });
 * const caCert = await createCertificate({ subject: "CN=cloud CA", isCa: true }, { key: caKey });
 * const unitKey = await generatePrivateKey({ type: "ECDSA" });
 * const csr = await createCsr({ subject: "CN=unit" }, unitKey);
 * const pem = await issueCertificate(csr, { key: caKey, certificate: caCert });
 * const path = await verifyCertificateChain(pem, { roots: [caCert] });
 * assert.equal(path.length, 2);
 * assert.equal(parseCertificate(pem).issuerName, "CN=cloud CA");
 * ```
 *
 * @param csr The request (PEM, DER or parsed).
 * @param ca The CA's key and certificate.
 * @param options Validity, serial and extra contents.
 * @returns The certificate as PEM.
 * @throws {AosError} `invalidArgument` for a CSR whose signature does not verify.
 */
export async function issueCertificate(
  csr: CertificateRequest | Uint8Array | string,
  ca: Required<CertificateSigner>,
  options: IssueOptions = {},
): Promise<string> {
  const request = csr instanceof Uint8Array || typeof csr === "string" ? parseCsr(csr) : csr;
  if (!(await verifyCsr(request))) {
    throw new AosError("invalidArgument", "The CSR's signature does not verify");
  }
  const { validityDays = 365, ...rest } = options;
  const notBefore = rest.notBefore ?? new Date();
  const certOptions: CertificateOptions = {
    ...rest,
    notBefore,
    notAfter: rest.notAfter ?? new Date(notBefore.getTime() + validityDays * DAY_MS),
    subject: request.subject,
    publicKey: request.publicKey,
    dnsNames: request.dnsNames,
  };
  if (certOptions.extKeyUsage === undefined && request.extKeyUsage.length > 0) {
    certOptions.extKeyUsage = request.extKeyUsage;
  }
  return await createCertificate(certOptions, ca);
}

function keyId(spki: pkijs.PublicKeyInfo): Uint8Array {
  return digest("SHA1", spki.subjectPublicKey.valueBlock.valueHexView);
}

function randomSerial(): Uint8Array {
  const serial = crypto.getRandomValues(new Uint8Array(16));
  serial[0] = (serial[0]! & 0x7f) | 0x01;
  return serial;
}

function wholeSeconds(date: Date): Date {
  if (Number.isNaN(date.getTime())) throw new AosError("invalidArgument", "Invalid date");
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

// RFC 5280: UTCTime through 2049, GeneralizedTime from 2050.
function x509Time(date: Date): pkijs.Time {
  const year = date.getUTCFullYear();
  return new pkijs.Time({ type: year >= 1950 && year < 2050 ? 0 : 1, value: date });
}
