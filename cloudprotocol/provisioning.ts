// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Node provisioning: the cloud starts it (`startProvisioningRequest`, answered
 * with CSRs), finishes it with certificates (`finishProvisioningRequest`) and
 * undoes it (`deprovisioningRequest`). Each response copies the request's
 * `correlationId` and node.
 *
 * @module
 */

import { arrayOf, type Codecs, required, struct, withDefault } from "./_codec.ts";
import { CERT_TYPE, ERROR, messageRows, NODE_REF } from "./_common.ts";
import { LIMITS } from "./_limits.ts";
import { str } from "./_scalars.ts";
import type { CertType, ErrorInfo, MessageBase } from "./types.ts";

/** A CSR for one certificate type of a node. */
export interface ProvisioningCSR {
  /** Certificate type. */
  type: CertType;
  /** PEM CSR (≤ 4096 bytes). */
  csr: string;
}

/** A certificate chain for one certificate type of a node. */
export interface ProvisioningCertificate {
  /** Certificate type. */
  type: CertType;
  /** PEM chain (≤ 16 384 bytes). */
  chain: string;
}

/** `startProvisioningRequest` (cloud → unit): start provisioning a node. */
export interface StartProvisioningRequest extends MessageBase<"startProvisioningRequest"> {
  /** Node to provision. */
  nodeId: string;
  /** Key-storage password to set (≤ 64 bytes). */
  password: string;
}

/** `startProvisioningResponse` (unit → cloud): the node's CSRs. */
export interface StartProvisioningResponse extends MessageBase<"startProvisioningResponse"> {
  /** The request's node. */
  nodeId: string;
  /** Why provisioning could not start. */
  error?: ErrorInfo;
  /** CSRs made before any failure (≤ 5). */
  csrs: ProvisioningCSR[];
}

/** `finishProvisioningRequest` (cloud → unit): the node's certificates. */
export interface FinishProvisioningRequest extends MessageBase<"finishProvisioningRequest"> {
  /** Node being provisioned. */
  nodeId: string;
  /** Certificates (≤ 5). */
  certificates: ProvisioningCertificate[];
  /** Key-storage password (≤ 64 bytes). */
  password: string;
}

/** `finishProvisioningResponse` (unit → cloud): result of finishing. */
export interface FinishProvisioningResponse extends MessageBase<"finishProvisioningResponse"> {
  /** The request's node. */
  nodeId: string;
  /** Why provisioning failed. */
  error?: ErrorInfo;
}

/** `deprovisioningRequest` (cloud → unit): deprovision a node. */
export interface DeprovisioningRequest extends MessageBase<"deprovisioningRequest"> {
  /** Node to deprovision. */
  nodeId: string;
  /** Key-storage password (≤ 64 bytes). */
  password: string;
}

/** `deprovisioningResponse` (unit → cloud): result of deprovisioning. */
export interface DeprovisioningResponse extends MessageBase<"deprovisioningResponse"> {
  /** The request's node. */
  nodeId: string;
  /** Why deprovisioning failed. */
  error?: ErrorInfo;
}

const NODE = required("node", "nodeId", NODE_REF);
const PASSWORD = withDefault("password", "password", str(LIMITS.secret));

const CSR = struct<ProvisioningCSR>("CSR", [
  required("type", "type", CERT_TYPE),
  required("csr", "csr", str(LIMITS.csr)),
]);

const CERTIFICATE = struct<ProvisioningCertificate>("Certificate", [
  required("type", "type", CERT_TYPE),
  withDefault("chain", "chain", str(LIMITS.certificateChain)),
]);

/** Codecs of this family. */
export const PROVISIONING_CODECS: Codecs<
  | "startProvisioningRequest"
  | "startProvisioningResponse"
  | "finishProvisioningRequest"
  | "finishProvisioningResponse"
  | "deprovisioningRequest"
  | "deprovisioningResponse"
> = {
  startProvisioningRequest: struct<StartProvisioningRequest>("startProvisioningRequest", [
    ...messageRows("startProvisioningRequest"),
    NODE,
    PASSWORD,
  ]),
  startProvisioningResponse: struct<StartProvisioningResponse>("startProvisioningResponse", [
    ...messageRows("startProvisioningResponse"),
    NODE,
    ERROR,
    required("csrs", "csrs", arrayOf(CSR, LIMITS.nodeCertificates)),
  ]),
  finishProvisioningRequest: struct<FinishProvisioningRequest>("finishProvisioningRequest", [
    ...messageRows("finishProvisioningRequest"),
    NODE,
    required("certificates", "certificates", arrayOf(CERTIFICATE, LIMITS.nodeCertificates)),
    PASSWORD,
  ]),
  finishProvisioningResponse: struct<FinishProvisioningResponse>("finishProvisioningResponse", [
    ...messageRows("finishProvisioningResponse"),
    NODE,
    ERROR,
  ]),
  deprovisioningRequest: struct<DeprovisioningRequest>("deprovisioningRequest", [
    ...messageRows("deprovisioningRequest"),
    NODE,
    PASSWORD,
  ]),
  deprovisioningResponse: struct<DeprovisioningResponse>("deprovisioningResponse", [
    ...messageRows("deprovisioningResponse"),
    NODE,
    ERROR,
  ]),
};
