// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Certificate path validation (RFC 5280: signatures, name chaining, validity,
 * CA flags and key usage, policies) by pkijs's `CertificateChainValidationEngine`,
 * which checks signatures with WebCrypto.
 *
 * @module
 */

import * as pkijs from "pkijs";
import { AosError } from "../errors.ts";
import { type Certificate, parseCertificate, parseCertificates } from "./certificate.ts";
import { arrayBuffer, bytesEqual } from "./_asn1.ts";

/** A certificate in any of the forms the helpers take: parsed, DER, or PEM (every block). */
export type CertificateInput = Certificate | Uint8Array | string;

/** Options of {@linkcode verifyCertificateChain}. */
export interface VerifyChainOptions {
  /** Trust anchors. At least one. */
  roots: CertificateInput[];
  /** Certificates that may sit between the leaf and a root, in any order. */
  intermediates?: CertificateInput[];
  /** The time the path must be valid at. @default {now} */
  time?: Date;
}

/**
 * Verifies that `leaf` chains to one of the roots.
 *
 * @example
 * ```ts
 * import { createCertificate, generatePrivateKey, verifyCertificateChain } from "@aoscore/common/utils/crypto";
 * import { errorIs } from "@aoscore/common/utils";
 * import assert from "node:assert/strict";
 *
 * const rootKey = await generatePrivateKey({ type: "ECDSA" });
 * const root = await createCertificate({ subject: "CN=root", isCa: true }, { key: rootKey });
 * const leafKey = await generatePrivateKey({ type: "ECDSA" });
 * const leaf = await createCertificate(
 *   { subject: "CN=leaf", publicKey: leafKey.publicKey },
 *   { key: rootKey, certificate: root },
 * );
 * assert.equal((await verifyCertificateChain(leaf, { roots: [root] })).length, 2);
 * const later = new Date(Date.now() + 2 * 365 * 86_400_000);
 * await assert.rejects(
 *   verifyCertificateChain(leaf, { roots: [root], time: later }),
 *   (err) => errorIs(err, "failed"),
 * );
 * ```
 *
 * @param leaf The certificate to verify (PEM: the first block).
 * @param options Roots, intermediates and time.
 * @returns The path, leaf first, ending with the root.
 * @throws {AosError} `invalidArgument` without roots or for unparsable input,
 * `failed` with the reason when no valid path exists.
 */
export async function verifyCertificateChain(
  leaf: CertificateInput,
  options: VerifyChainOptions,
): Promise<Certificate[]> {
  const target = typeof leaf === "string" || leaf instanceof Uint8Array
    ? parseCertificate(leaf)
    : leaf;
  const roots = options.roots.flatMap(toCertificates);
  if (roots.length === 0) {
    throw new AosError("invalidArgument", "Cannot verify a chain without roots");
  }
  const intermediates = (options.intermediates ?? []).flatMap(toCertificates);
  const known = [target, ...roots, ...intermediates];

  const engine = new pkijs.CertificateChainValidationEngine({
    trustedCerts: roots.map(toPkijs),
    // The engine verifies the last certificate of `certs`.
    certs: [...intermediates.map(toPkijs), toPkijs(target)],
    checkDate: options.time ?? new Date(),
  });
  let result: pkijs.CertificateChainValidationEngineVerifyResult;
  try {
    result = await engine.verify();
  } catch (err) {
    throw new AosError("failed", "Certificate chain verification failed", { cause: err });
  }
  if (!result.result) {
    throw new AosError("failed", `Certificate chain verification failed: ${result.resultMessage}`);
  }
  return (result.certificatePath ?? []).map((c) => {
    const tbs = c.tbsView;
    return known.find((k) => bytesEqual(k.tbs, tbs)) ?? target;
  });
}

function toCertificates(input: CertificateInput): Certificate[] {
  if (typeof input === "string") return parseCertificates(input);
  return [input instanceof Uint8Array ? parseCertificate(input) : input];
}

function toPkijs(cert: Certificate): pkijs.Certificate {
  return pkijs.Certificate.fromBER(arrayBuffer(cert.raw));
}
