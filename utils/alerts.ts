// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Alerts: the seven alert shapes every module raises and the
 * {@linkcode AlertSender} interface they are raised through. The cloud
 * protocol re-exports these types and owns their wire codec.
 *
 * @module
 */

import type { ErrorInfo } from "./errors.ts";
import type { InstanceIdent } from "./instances.ts";

/** Alert tags. AosCore's trailing `unknown` is not one: no alert can carry it. */
export const ALERT_TAGS = [
  "systemAlert",
  "coreAlert",
  "resourceAllocateAlert",
  "systemQuotaAlert",
  "instanceQuotaAlert",
  "downloadProgressAlert",
  "updateItemInstanceAlert",
] as const;
/** An alert tag. */
export type AlertTag = typeof ALERT_TAGS[number];

/** AosCore components; `unknown` is AosCore's sentinel, accepted and written back as is. */
export const CORE_COMPONENTS = ["CM", "SM", "IAM", "MP", "unknown"] as const;
/** An AosCore component. */
export type CoreComponent = typeof CORE_COMPONENTS[number];

/** States of a download. */
export const DOWNLOAD_STATES = ["started", "paused", "interrupted", "finished"] as const;
/** A state of a download. */
export type DownloadState = typeof DOWNLOAD_STATES[number];

/** States of a quota alert. They are not part of the cloud JSON. */
export const QUOTA_ALERT_STATES = ["raise", "continue", "fall"] as const;
/** A state of a quota alert. */
export type QuotaAlertState = typeof QUOTA_ALERT_STATES[number];

/** What every alert carries. */
export interface AlertBase {
  /** When the alert was raised. */
  timestamp: Date;
}

/** A system event of a node. */
export interface SystemAlert extends AlertBase {
  /** Alert tag. */
  tag: "systemAlert";
  /** Node ID. */
  nodeId: string;
  /** What happened (≤ 256 bytes). */
  message: string;
}

/** An event of an AosCore component. */
export interface CoreAlert extends AlertBase {
  /** Alert tag. */
  tag: "coreAlert";
  /** Node ID. */
  nodeId: string;
  /** The component. */
  coreComponent: CoreComponent;
  /** What happened (≤ 256 bytes). */
  message: string;
}

/** An instance could not get a device or resource. */
export interface ResourceAllocateAlert extends AlertBase, InstanceIdent {
  /** Alert tag. */
  tag: "resourceAllocateAlert";
  /** Node ID. */
  nodeId: string;
  /** The resource or device (wire `deviceId`, ≤ 64 bytes). */
  resource: string;
  /** What happened (≤ 256 bytes). */
  message: string;
}

/** A node resource passed its alert rule. */
export interface SystemQuotaAlert extends AlertBase {
  /** Alert tag. */
  tag: "systemQuotaAlert";
  /** Node ID. */
  nodeId: string;
  /** `cpu`, `ram`, `download`, `upload` or a partition name (≤ 16 bytes). */
  parameter: string;
  /** Current value. */
  value: number;
  /** Raise, continue or fall. Not part of the cloud JSON: never written, never read. */
  state?: QuotaAlertState;
}

/** An instance resource passed its alert rule. */
export interface InstanceQuotaAlert extends AlertBase, InstanceIdent {
  /** Alert tag. */
  tag: "instanceQuotaAlert";
  /** `cpu`, `ram`, `download`, `upload` or a partition name (≤ 16 bytes). */
  parameter: string;
  /** Current value. */
  value: number;
  /** Raise, continue or fall. Not part of the cloud JSON: never written, never read. */
  state?: QuotaAlertState;
}

/** Progress of a download. */
export interface DownloadAlert extends AlertBase {
  /** Alert tag. */
  tag: "downloadProgressAlert";
  /** Digest of the blob (≤ 136 bytes). */
  digest: string;
  /** URL downloaded from (≤ 4096 bytes). */
  url: string;
  /** Bytes downloaded so far. */
  downloadedBytes: number;
  /** Size of the blob, 0 when unknown. */
  totalBytes: number;
  /** Download state. */
  state: DownloadState;
  /** Why the download paused or stopped (≤ 256 bytes). */
  reason?: string;
  /** The error that stopped the download. */
  error?: ErrorInfo;
}

/** An event of an instance of an update item. */
export interface UpdateItemInstanceAlert extends AlertBase, InstanceIdent {
  /** Alert tag. */
  tag: "updateItemInstanceAlert";
  /** Item version (≤ 32 bytes). */
  version: string;
  /** What happened (≤ 256 bytes). */
  message: string;
}

/** Any alert; `tag` selects the shape. */
export type Alert =
  | SystemAlert
  | CoreAlert
  | ResourceAllocateAlert
  | SystemQuotaAlert
  | InstanceQuotaAlert
  | DownloadAlert
  | UpdateItemInstanceAlert;

/**
 * Where producers (downloader, monitoring, ...) send alerts. Producers treat
 * it as fire-and-forget: they log a failure and carry on.
 */
export interface AlertSender {
  /**
   * Sends one alert.
   *
   * @param alert The alert.
   */
  sendAlert(alert: Alert): void | Promise<void>;
}
