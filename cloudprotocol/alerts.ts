// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Alerts: the `alerts` message that carries alerts to the cloud, and its
 * codec. The alert shapes and the `AlertSender` interface live in
 * `utils/alerts.ts` (every module raises alerts); `mod.ts` re-exports them.
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
  type Alert,
  ALERT_TAGS,
  type AlertTag,
  CORE_COMPONENTS,
  DOWNLOAD_STATES,
} from "../utils/alerts.ts";
import type { MessageBase } from "./types.ts";

/** `alerts` (unit → cloud): up to 16 alerts. */
export interface AlertsMessage extends MessageBase<"alerts"> {
  /** The alerts (≤ 16). */
  items: Alert[];
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
