// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Logs: the cloud's `requestLog` and the unit's `pushLog` parts.
 *
 * @module
 */

import type {
  ErrorInfo,
  InstanceFilter,
  LogStatus,
  LogType,
  LogUploadType,
  MessageBase,
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
