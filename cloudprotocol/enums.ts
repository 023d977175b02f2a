// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * The enumerations of the protocol: each as a read-only list of its wire strings
 * in AosCore's numeric order, and the union type of those strings. The
 * enumerations of instances, nodes and alerts are defined in `utils/` (other
 * modules use them too) and re-exported here.
 *
 * @module
 */

export {
  ALERT_TAGS,
  type AlertTag,
  CORE_COMPONENTS,
  type CoreComponent,
  DOWNLOAD_STATES,
  type DownloadState,
  QUOTA_ALERT_STATES,
  type QuotaAlertState,
} from "../utils/alerts.ts";
export { INSTANCE_STATES, type InstanceState } from "../utils/instances.ts";
export { NODE_STATES, type NodeState } from "../utils/node_info.ts";

/** Item types (`AosIdentity.type`), in AosCore's order. */
export const UPDATE_ITEM_TYPES = [
  "service",
  "component",
  "layer",
  "subject",
  "oem",
  "sp",
  "fleet",
  "node",
  "node-subject",
  "runtime",
] as const;
/** An item type. */
export type UpdateItemType = typeof UPDATE_ITEM_TYPES[number];

/** States of an update item. */
export const ITEM_STATES = [
  "unknown",
  "downloading",
  "pending",
  "installing",
  "installed",
  "removing",
  "removed",
  "failed",
] as const;
/** A state of an update item. */
export type ItemState = typeof ITEM_STATES[number];

/** States the cloud may ask a node to be in. */
export const DESIRED_NODE_STATES = ["provisioned", "paused"] as const;
/** A state the cloud may ask a node to be in. */
export type DesiredNodeState = typeof DESIRED_NODE_STATES[number];

/** States of a unit configuration. */
export const UNIT_CONFIG_STATES = ["absent", "installed", "failed"] as const;
/** A state of a unit configuration. */
export type UnitConfigState = typeof UNIT_CONFIG_STATES[number];

/** Types of subject. */
export const SUBJECT_TYPES = ["group", "user"] as const;
/** A type of subject. */
export type SubjectType = typeof SUBJECT_TYPES[number];

/** Certificate types; `unknown` is AosCore's sentinel, accepted and written back as is. */
export const CERT_TYPES = ["offline", "online", "sm", "cm", "iam", "unknown"] as const;
/** A certificate type. */
export type CertType = typeof CERT_TYPES[number];

/** Log types of a log request. */
export const LOG_TYPES = ["systemLog", "instanceLog", "crashLog"] as const;
/** A log type. */
export type LogType = typeof LOG_TYPES[number];

/** Statuses of a log part. */
export const LOG_STATUSES = ["ok", "error", "empty", "absent"] as const;
/** A status of a log part. */
export type LogStatus = typeof LOG_STATUSES[number];

/** Ways to upload logs. */
export const LOG_UPLOAD_TYPES = ["https"] as const;
/** A way to upload logs. */
export type LogUploadType = typeof LOG_UPLOAD_TYPES[number];

/** Verdicts on a new instance state. */
export const STATE_RESULTS = ["accepted", "rejected"] as const;
/** A verdict on a new instance state. */
export type StateResult = typeof STATE_RESULTS[number];

/** Every `messageType` of protocol version 7, in byte order. */
export const MESSAGE_TYPES = [
  "ack",
  "alerts",
  "blobUrls",
  "deprovisioningRequest",
  "deprovisioningResponse",
  "desiredStatus",
  "finishProvisioningRequest",
  "finishProvisioningResponse",
  "installUnitCertificatesConfirmation",
  "issueUnitCertificates",
  "issuedUnitCertificates",
  "monitoringData",
  "nack",
  "newState",
  "overrideEnvVars",
  "overrideEnvVarsStatus",
  "pushLog",
  "renewCertificatesNotification",
  "requestBlobUrls",
  "requestLog",
  "startProvisioningRequest",
  "startProvisioningResponse",
  "stateAcceptance",
  "stateRequest",
  "unitStatus",
  "updateState",
] as const;
/** A `messageType`. */
export type MessageType = typeof MESSAGE_TYPES[number];
