// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Every message as one discriminated union, and the decoder and encoder of
 * the `data` object of a frame.
 *
 * @module
 */

import { toError } from "./_json.ts";
import { readMessage, writeMessage } from "./_registry.ts";
import type { AckMessage, NackMessage } from "./ack.ts";
import type { AlertsMessage } from "./alerts.ts";
import type { BlobUrls, RequestBlobUrls } from "./blobs.ts";
import type {
  InstallUnitCertificatesConfirmation,
  IssuedUnitCertificates,
  IssueUnitCertificates,
  RenewCertificatesNotification,
} from "./certificates.ts";
import type { DesiredStatus } from "./desired_status.ts";
import type { OverrideEnvVars, OverrideEnvVarsStatus } from "./env_vars.ts";
import type { PushLog, RequestLog } from "./log.ts";
import type { MonitoringMessage } from "./monitoring.ts";
import type {
  DeprovisioningRequest,
  DeprovisioningResponse,
  FinishProvisioningRequest,
  FinishProvisioningResponse,
  StartProvisioningRequest,
  StartProvisioningResponse,
} from "./provisioning.ts";
import type { NewState, StateAcceptance, StateRequest, UpdateState } from "./state.ts";
import type { UnitStatus } from "./unit_status.ts";
import type { MessageType } from "./types.ts";

/** Any message; `messageType` selects the shape. */
export type CloudMessage =
  | AckMessage
  | AlertsMessage
  | BlobUrls
  | DeprovisioningRequest
  | DeprovisioningResponse
  | DesiredStatus
  | FinishProvisioningRequest
  | FinishProvisioningResponse
  | InstallUnitCertificatesConfirmation
  | IssueUnitCertificates
  | IssuedUnitCertificates
  | MonitoringMessage
  | NackMessage
  | NewState
  | OverrideEnvVars
  | OverrideEnvVarsStatus
  | PushLog
  | RenewCertificatesNotification
  | RequestBlobUrls
  | RequestLog
  | StartProvisioningRequest
  | StartProvisioningResponse
  | StateAcceptance
  | StateRequest
  | UnitStatus
  | UpdateState;

/** The message of a given type (`MessageOf<"pushLog">` is {@linkcode PushLog}). */
export type MessageOf<T extends MessageType> = Extract<CloudMessage, { messageType: T }>;

/** The 13 types the cloud sends (a unit decodes them): accept these on the unit side. */
export const CLOUD_TO_UNIT: ReadonlySet<MessageType> = new Set<MessageType>([
  "ack",
  "nack",
  "blobUrls",
  "desiredStatus",
  "requestLog",
  "stateAcceptance",
  "updateState",
  "renewCertificatesNotification",
  "issuedUnitCertificates",
  "overrideEnvVars",
  "startProvisioningRequest",
  "finishProvisioningRequest",
  "deprovisioningRequest",
]);

/** The 15 types a unit sends, `ack` and `nack` included: accept these on the cloud side. */
export const UNIT_TO_CLOUD: ReadonlySet<MessageType> = new Set<MessageType>([
  "ack",
  "nack",
  "alerts",
  "deprovisioningResponse",
  "finishProvisioningResponse",
  "installUnitCertificatesConfirmation",
  "issueUnitCertificates",
  "monitoringData",
  "newState",
  "overrideEnvVarsStatus",
  "pushLog",
  "requestBlobUrls",
  "startProvisioningResponse",
  "stateRequest",
  "unitStatus",
]);

/**
 * Decodes the `data` object of a frame (already parsed JSON). Member names
 * match case-insensitively, `null` counts as absent, unknown members are
 * ignored; the first error aborts with nothing partial.
 *
 * @example
 * ```ts
 * import { decodeMessage } from "@aoscore/common/cloudprotocol";
 * import assert from "node:assert/strict";
 *
 * const msg = decodeMessage({ MessageType: "nack", RetryAfter: "3000" });
 * assert.deepEqual(msg, { messageType: "nack", retryAfter: 3000 });
 * ```
 *
 * @param data The parsed `data` object.
 * @returns The message.
 * @throws {CloudProtocolError} With the kind and the path (relative to `data`) of the first problem.
 */
export function decodeMessage(data: unknown): CloudMessage {
  try {
    return readMessage(data);
  } catch (err) {
    throw toError(err, "Cannot decode cloud message");
  }
}

/**
 * Encodes a message to the `data` object of a frame: members in AosCore's
 * order, optional members only when set, limits and enums checked.
 *
 * @example
 * ```ts
 * import { encodeMessage } from "@aoscore/common/cloudprotocol";
 * import assert from "node:assert/strict";
 *
 * const data = encodeMessage({
 *   messageType: "finishProvisioningResponse",
 *   nodeId: "rear-seat",
 *   error: { aosCode: 9, exitCode: 0, message: "node is not provisioned" },
 * });
 * assert.deepEqual(data, {
 *   messageType: "finishProvisioningResponse",
 *   node: { codename: "rear-seat" },
 *   errorInfo: { aosCode: 9, exitCode: 0, message: "node is not provisioned" },
 * });
 * ```
 *
 * @param msg The message.
 * @returns A plain JSON object.
 * @throws {CloudProtocolError} `missingField`, `invalidType`, `invalidEnum`, `limitExceeded` or `outOfRange`.
 */
export function encodeMessage(msg: CloudMessage): Record<string, unknown> {
  try {
    return writeMessage(msg);
  } catch (err) {
    throw toError(err, "Cannot encode cloud message");
  }
}
