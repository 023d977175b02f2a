// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Alerts: the seven alert shapes, the `alerts` message that carries them to
 * the cloud, and the {@linkcode AlertSender} interface producers emit through.
 *
 * @module
 */

import { getMember, isJsonObject } from "../utils/json.ts";
import {
  arrayOf,
  at,
  type Codecs,
  constant,
  type Entry,
  Fault,
  optional,
  required,
  struct,
  type Type,
  wrongType,
} from "./_codec.ts";
import { ERROR, instanceIdent, messageRows, NODE_REF, VERSION } from "./_common.ts";
import { LIMITS } from "./_limits.ts";
import { enumOf, str, timestamp, u64 } from "./_scalars.ts";
import {
  ALERT_TAGS,
  type AlertTag,
  CORE_COMPONENTS,
  type CoreComponent,
  DOWNLOAD_STATES,
  type DownloadState,
  type ErrorInfo,
  type InstanceIdent,
  type MessageBase,
  type QuotaAlertState,
} from "./types.ts";

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

/** `alerts` (unit → cloud): up to 16 alerts. */
export interface AlertsMessage extends MessageBase<"alerts"> {
  /** The alerts (≤ 16). */
  items: Alert[];
}

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

const MESSAGE = required("message", "message", str(LIMITS.alertMessage));
const NODE = required("node", "nodeId", NODE_REF);
const IDENT = instanceIdent({ instance: "required" });
const PARAMETER = required("parameter", "parameter", str(LIMITS.alertParameter));
const VALUE = required("value", "value", u64);

function shape<A extends Alert>(tag: A["tag"], rows: Entry[]): Type<A> {
  return struct<A>(tag, [
    required("timestamp", "timestamp", timestamp),
    constant("tag", "tag", tag),
    ...rows,
  ]);
}

const SHAPES: { readonly [T in AlertTag]: Type<Extract<Alert, { tag: T }>> } = {
  systemAlert: shape("systemAlert", [NODE, MESSAGE]),
  coreAlert: shape("coreAlert", [
    NODE,
    required("coreComponent", "coreComponent", enumOf("CoreComponent", CORE_COMPONENTS)),
    MESSAGE,
  ]),
  resourceAllocateAlert: shape("resourceAllocateAlert", [
    IDENT,
    NODE,
    required("deviceId", "resource", str(LIMITS.resourceName)),
    MESSAGE,
  ]),
  systemQuotaAlert: shape("systemQuotaAlert", [NODE, PARAMETER, VALUE]),
  instanceQuotaAlert: shape("instanceQuotaAlert", [IDENT, PARAMETER, VALUE]),
  downloadProgressAlert: shape("downloadProgressAlert", [
    required("digest", "digest", str(LIMITS.digest)),
    required("url", "url", str(LIMITS.url)),
    required("downloadedBytes", "downloadedBytes", u64),
    required("totalBytes", "totalBytes", u64),
    required("state", "state", enumOf("DownloadState", DOWNLOAD_STATES)),
    optional("reason", "reason", str(LIMITS.alertMessage)),
    ERROR,
  ]),
  updateItemInstanceAlert: shape("updateItemInstanceAlert", [
    IDENT,
    required("version", "version", VERSION),
    MESSAGE,
  ]),
};

const TAG = enumOf("AlertTag", ALERT_TAGS);

/** Any alert: `tag` picks the table. */
const ALERT: Type<Alert> = {
  name: "Alert",
  decode(value) {
    if (!isJsonObject(value)) throw wrongType("an object (Alert)", value);
    const raw = getMember(value, "tag");
    let tag: AlertTag;
    try {
      if (raw === undefined) throw new Fault("invalidEnum", "missing AlertTag");
      tag = TAG.decode(raw)!;
    } catch (err) {
      throw at(err, "tag");
    }
    return SHAPES[tag].decode(value);
  },
  encode(alert) {
    if (!isJsonObject(alert)) throw wrongType("an object (Alert)", alert);
    let shape: Type<Alert>;
    try {
      shape = SHAPES[TAG.encode(alert.tag) as AlertTag] as Type<Alert>;
    } catch (err) {
      throw at(err, "tag");
    }
    return shape.encode(alert);
  },
  empty: () => {
    throw new Fault("missingField", "an alert has no default");
  },
  isEmpty: () => false,
};

/** Codecs of this family. */
export const ALERTS_CODECS: Codecs<"alerts"> = {
  alerts: struct<AlertsMessage>("alerts", [
    ...messageRows("alerts"),
    required("items", "items", arrayOf(ALERT, LIMITS.alerts)),
  ]),
};
