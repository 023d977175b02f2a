// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Certificate path validation: a path is built from the leaf through the
 * intermediates to a root (issuer name matching the subject byte for byte,
 * and key identifiers matching when both are present), trying each
 * candidate in turn, and checked per RFC 5280 for the parts AosCore relies
 * on: every signature (WebCrypto), validity at the given time, CA basic
 * constraints, `keyCertSign` where key usage is present, path length
 * constraints, and no unrecognised critical extension. Name constraints and
 * policies are not processed (a critical name constraints extension fails).
 *
 * pkijs's `CertificateChainValidationEngine` was tried first: it recurses
 * without end when two candidate issuers share a key (a cycle through the
 * intermediates), which certificates from a peer can provoke. This builder
 * never puts a certificate twice on a path and stops at 8 certificates.
 *
 * @module
 */

import { AosError } from "../errors.ts";
import { type Certificate, parseCertificate, parseCertificates } from "./certificate.ts";
import { bytesEqual } from "./_asn1.ts";
import { verifyX509Signature } from "./_sign.ts";

/** A certificate in any of the forms the helpers take: parsed, DER, or PEM (every block). */
export type CertificateInput = Certificate | Uint8Array | string;

/** Options of {@linkcode verifyCertificateChain}. */
export interface VerifyChainOptions {
  /** Trust anchors. At least one. */
  roots: CertificateInput[];
  /** Certificates that may sit between the leaf and a root, in any order. */
  intermediates?: CertificateInput[];
  /**
   * The time the path must be valid at.
   *
   * @default {now}
   */
  time?: Date;
}

const MAX_PATH = 8;
const UNDERSTOOD = new Set([
  "2.5.29.14", // subject key identifier
  "2.5.29.15", // key usage
  "2.5.29.17", // subject alternative name
  "2.5.29.18", // issuer alternative name
  "2.5.29.19", // basic constraints
  "2.5.29.32", // certificate policies (accepted, not processed)
  "2.5.29.35", // authority key identifier
  "2.5.29.37", // extended key usage
]);

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
  const search = new PathSearch(roots, intermediates, options.time ?? new Date());
  const path = await search.from([target]);
  if (path === undefined) {
    throw new AosError("failed", `Certificate chain verification failed: ${search.reason}`);
  }
  return path;
}

class PathSearch {
  /** Why the last candidate was refused, for the error. */
  reason = "no path found";
  #roots: Certificate[];
  #intermediates: Certificate[];
  #time: Date;

  constructor(roots: Certificate[], intermediates: Certificate[], time: Date) {
    this.#roots = roots;
    this.#intermediates = intermediates;
    this.#time = time;
  }

  // Depth-first: `path` ends with the certificate whose issuer is sought.
  async from(path: Certificate[]): Promise<Certificate[] | undefined> {
    const cert = path.at(-1)!;
    const problem = this.#check(cert, path.length - 1, path);
    if (problem !== undefined) {
      this.reason = problem;
      return undefined;
    }
    if (this.#roots.some((r) => bytesEqual(r.raw, cert.raw))) return path;
    if (path.length >= MAX_PATH) {
      this.reason = `no root within ${MAX_PATH} certificates`;
      return undefined;
    }
    const candidates = [...this.#roots, ...this.#intermediates].filter((c) =>
      bytesEqual(c.subject, cert.issuer) &&
      (cert.authorityKeyId === undefined || c.subjectKeyId === undefined ||
        bytesEqual(cert.authorityKeyId, c.subjectKeyId)) &&
      !path.some((p) => bytesEqual(p.raw, c.raw))
    );
    if (candidates.length === 0) {
      this.reason =
        `no issuer "${cert.issuerName}" of "${cert.subjectName}" among the roots and intermediates`;
      return undefined;
    }
    for (const issuer of candidates) {
      let signed = false;
      try {
        signed = await verifyX509Signature(
          issuer.publicKey,
          cert.signatureAlgorithm,
          cert.tbs,
          cert.signature,
        );
      } catch (err) {
        this.reason = `cannot check the signature of "${cert.subjectName}": ${
          AosError.from(err).message
        }`;
        continue;
      }
      if (!signed) {
        this.reason =
          `the signature of "${cert.subjectName}" does not verify with "${issuer.subjectName}"`;
        continue;
      }
      const found = await this.from([...path, issuer]);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  // The checks on one certificate at `depth` (0 for the leaf) of `path`.
  #check(cert: Certificate, depth: number, path: Certificate[]): string | undefined {
    const name = `"${cert.subjectName}"`;
    if (this.#time < cert.notBefore) {
      return `${name} is not valid before ${cert.notBefore.toISOString()}`;
    }
    if (this.#time > cert.notAfter) return `${name} expired at ${cert.notAfter.toISOString()}`;
    const critical = cert.extensions.find((e) => e.critical && !UNDERSTOOD.has(e.oid));
    if (critical !== undefined) {
      return `${name} has an unsupported critical extension ${critical.oid}`;
    }
    if (depth === 0) return undefined;
    if (!cert.isCa) return `${name} is not a CA`;
    if (cert.keyUsage !== undefined && !cert.keyUsage.includes("keyCertSign")) {
      return `${name} may not sign certificates (no keyCertSign)`;
    }
    // CAs below this one, not counting self-issued ones (RFC 5280 6.1.4).
    const below = path.slice(1, depth).filter((c) => !bytesEqual(c.subject, c.issuer)).length;
    if (cert.pathLength !== undefined && below > cert.pathLength) {
      return `${name} allows ${cert.pathLength} CAs below it, the path has ${below}`;
    }
    return undefined;
  }
}

function toCertificates(input: CertificateInput): Certificate[] {
  if (typeof input === "string") return parseCertificates(input);
  return [input instanceof Uint8Array ? parseCertificate(input) : input];
}
