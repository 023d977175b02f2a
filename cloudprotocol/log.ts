// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Logs: the cloud's `requestLog` and the unit's `pushLog` parts.
 *
 * @module
 */

import {
  arrayOf,
  type Codecs,
  nonEmpty,
  optional,
  required,
  struct,
  withDefault,
} from "./_codec.ts";
import { ERROR, INSTANCE_FILTER, messageRows, NODE_REF } from "./_common.ts";
import { LIMITS } from "./_limits.ts";
import { base64 } from "./_binary.ts";
import { enumOf, str, timestamp, u64 } from "./_scalars.ts";
import {
  type ErrorInfo,
  type InstanceFilter,
  LOG_STATUSES,
  LOG_TYPES,
  LOG_UPLOAD_TYPES,
  type LogStatus,
  type LogType,
  type LogUploadType,
  type MessageBase,
} from "./types.ts";

/** Which log lines a request wants. */
export interface LogFilter extends InstanceFilter {
  /** Oldest line wanted. */
  from?: Date;
  /** Newest line wanted. */
  till?: Date;
  /** Nodes to read (≤ 16); empty for all. */
  nodeIds: string[];
}

/** Where to upload the log instead of sending `pushLog` content. */
export interface LogUploadOptions {
  /** Upload method. */
  type: LogUploadType;
  /** Upload URL (≤ 4096 bytes). */
  url: string;
  /** Bearer token of the upload (≤ 256 bytes). */
  bearerToken: string;
  /** When the token expires. */
  bearerTokenTtl?: Date;
}

/** `requestLog` (cloud → unit): asks for a log; answered by `pushLog` parts with its `correlationId`. */
export interface RequestLog extends MessageBase<"requestLog"> {
  /** The log wanted. */
  logType: LogType;
  /** The lines wanted. */
  filter: LogFilter;
  /** Upload instead of `pushLog` content. */
  uploadOptions?: LogUploadOptions;
}

/** `pushLog` (unit → cloud): one part of a gzip-compressed log. */
export interface PushLog extends MessageBase<"pushLog"> {
  /** Node the log comes from. */
  nodeId: string;
  /** 1-based part number (0 in an error response). */
  part: number;
  /** Number of parts (0 in an error response). */
  partsCount: number;
  /** One gzip member (≤ 262 144 bytes), empty when the part has no data. */
  content: Uint8Array;
  /** `ok` (data), `empty`, `absent` (no such log) or `error` (see `error`). */
  status: LogStatus;
  /** Why the log could not be read. */
  error?: ErrorInfo;
}

const LOG_FILTER = struct<LogFilter>("LogFilter", [
  optional("from", "from", timestamp),
  optional("till", "till", timestamp),
  nonEmpty("nodeIds", "nodeIds", arrayOf(NODE_REF, LIMITS.nodes)),
  ...INSTANCE_FILTER,
]);

const UPLOAD_OPTIONS = struct<LogUploadOptions>("UploadOptions", [
  required("type", "type", enumOf("LogUploadType", LOG_UPLOAD_TYPES)),
  withDefault("url", "url", str(LIMITS.url)),
  withDefault("bearerToken", "bearerToken", str(LIMITS.bearerToken)),
  optional("bearerTokenTtl", "bearerTokenTtl", timestamp),
]);

/** Codecs of this family. */
export const LOG_CODECS: Codecs<"requestLog" | "pushLog"> = {
  requestLog: struct<RequestLog>("requestLog", [
    ...messageRows("requestLog"),
    required("logType", "logType", enumOf("LogType", LOG_TYPES)),
    required("filter", "filter", LOG_FILTER),
    optional("uploadOptions", "uploadOptions", UPLOAD_OPTIONS),
  ]),
  pushLog: struct<PushLog>("pushLog", [
    ...messageRows("pushLog"),
    required("node", "nodeId", NODE_REF),
    required("part", "part", u64),
    required("partsCount", "partsCount", u64),
    required("content", "content", base64(LIMITS.logContent)),
    required("status", "status", enumOf("LogStatus", LOG_STATUSES)),
    ERROR,
  ]),
};
