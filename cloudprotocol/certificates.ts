// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Certificate renewal: the cloud asks for new certificates
 * (`renewCertificatesNotification`), the unit sends CSRs
 * (`issueUnitCertificates`), the cloud returns the certificates
 * (`issuedUnitCertificates`) and the unit confirms each one
 * (`installUnitCertificatesConfirmation`).
 *
 * @module
 */

import { arrayOf, type Codecs, optional, required, struct, withDefault } from "./_codec.ts";
import { CERT_IDENT, ERROR, messageRows, NODE_REF, VERSION } from "./_common.ts";
import { LIMITS } from "./_limits.ts";
import { str, timestamp } from "./_scalars.ts";
import type { CertIdent, ErrorInfo, MessageBase } from "./types.ts";

/** A certificate to renew. */
export interface RenewCertData extends CertIdent {
  /** Hex serial of the certificate to replace (≤ 40 bytes). */
  serial: string;
  /** When the current certificate expires. */
  validTill?: Date;
}

/** The key-storage password of a node. */
export interface NodeSecret {
  /** Node ID. */
  nodeId: string;
  /** Password (≤ 64 bytes). */
  secret: string;
}

/** Key-storage passwords of the unit's nodes. */
export interface UnitSecrets {
  /** Format version, currently `2.0.0` (≤ 32 bytes). */
  version: string;
  /** Per-node secrets (≤ 16). */
  nodes: NodeSecret[];
}

/** A CSR for one certificate. */
export interface IssueCertData extends CertIdent {
  /** PEM CSR (≤ 4096 bytes). */
  csr: string;
}

/** A signed certificate for one node. */
export interface IssuedCertData extends CertIdent {
  /** PEM chain, leaf first (≤ 16 384 bytes). */
  certificateChain: string;
}

/** Result of installing one certificate. */
export interface InstallCertStatus extends CertIdent {
  /** Lower-case hex serial of the installed certificate, `""` on failure (≤ 40 bytes). */
  serial: string;
  /** Why it was not installed. */
  error?: ErrorInfo;
}

/** `renewCertificatesNotification` (cloud → unit): renew these certificates. */
export interface RenewCertificatesNotification
  extends MessageBase<"renewCertificatesNotification"> {
  /** Certificates to renew (≤ 80). */
  certificates: RenewCertData[];
  /** Node key-storage passwords. */
  unitSecrets: UnitSecrets;
}

/** `issueUnitCertificates` (unit → cloud): CSRs for the renewal. */
export interface IssueUnitCertificates extends MessageBase<"issueUnitCertificates"> {
  /** CSRs (≤ 80). */
  requests: IssueCertData[];
}

/** `issuedUnitCertificates` (cloud → unit): the signed certificates. */
export interface IssuedUnitCertificates extends MessageBase<"issuedUnitCertificates"> {
  /** Certificates (≤ 80). */
  certificates: IssuedCertData[];
}

/** `installUnitCertificatesConfirmation` (unit → cloud): result per certificate. */
export interface InstallUnitCertificatesConfirmation
  extends MessageBase<"installUnitCertificatesConfirmation"> {
  /** Results (≤ 80). */
  certificates: InstallCertStatus[];
}

const SERIAL = str(LIMITS.serial);

const RENEW_CERT = struct<RenewCertData>("RenewCert", [
  ...CERT_IDENT,
  withDefault("serial", "serial", SERIAL),
  optional("validTill", "validTill", timestamp),
]);

const UNIT_SECRETS = struct<UnitSecrets>("UnitSecrets", [
  withDefault("version", "version", VERSION),
  withDefault(
    "nodes",
    "nodes",
    arrayOf(
      struct<NodeSecret>("NodeSecret", [
        required("node", "nodeId", NODE_REF),
        withDefault("secret", "secret", str(LIMITS.secret)),
      ]),
      LIMITS.nodes,
    ),
  ),
]);

const ISSUE_CERT = struct<IssueCertData>("IssueCert", [
  ...CERT_IDENT,
  required("csr", "csr", str(LIMITS.csr)),
]);

const ISSUED_CERT = struct<IssuedCertData>("IssuedCert", [
  ...CERT_IDENT,
  withDefault("certificateChain", "certificateChain", str(LIMITS.certificateChain)),
]);

const INSTALL_STATUS = struct<InstallCertStatus>("InstallCertStatus", [
  ...CERT_IDENT,
  required("serial", "serial", SERIAL),
  ERROR,
]);

/** Codecs of this family. */
export const CERTIFICATES_CODECS: Codecs<
  | "renewCertificatesNotification"
  | "issueUnitCertificates"
  | "issuedUnitCertificates"
  | "installUnitCertificatesConfirmation"
> = {
  renewCertificatesNotification: struct<RenewCertificatesNotification>(
    "renewCertificatesNotification",
    [
      ...messageRows("renewCertificatesNotification"),
      withDefault("certificates", "certificates", arrayOf(RENEW_CERT, LIMITS.unitCertificates)),
      required("unitSecrets", "unitSecrets", UNIT_SECRETS),
    ],
  ),
  issueUnitCertificates: struct<IssueUnitCertificates>("issueUnitCertificates", [
    ...messageRows("issueUnitCertificates"),
    required("requests", "requests", arrayOf(ISSUE_CERT, LIMITS.unitCertificates)),
  ]),
  issuedUnitCertificates: struct<IssuedUnitCertificates>("issuedUnitCertificates", [
    ...messageRows("issuedUnitCertificates"),
    withDefault("certificates", "certificates", arrayOf(ISSUED_CERT, LIMITS.unitCertificates)),
  ]),
  installUnitCertificatesConfirmation: struct<InstallUnitCertificatesConfirmation>(
    "installUnitCertificatesConfirmation",
    [
      ...messageRows("installUnitCertificatesConfirmation"),
      required("certificates", "certificates", arrayOf(INSTALL_STATUS, LIMITS.unitCertificates)),
    ],
  ),
};
