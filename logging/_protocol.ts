// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The one place where logging meets the cloud protocol's log messages. Until
// the cloudprotocol module commits them, the shapes below stand in for its
// types; afterwards this file only re-exports them and builds messages.

/** Status of a `pushLog` message. */
export type LogStatus = "ok" | "error" | "empty" | "absent";

/** The cloud protocol's `errorInfo`. */
export interface ErrorInfo {
  /** Numeric error kind. */
  aosCode: number;
  /** Exit code or errno, 0 when none. */
  exitCode: number;
  /** What failed. */
  message: string;
}

/** One `pushLog` message: a part of a compressed log, or a status without data. */
export interface PushLog {
  /** The `requestLog` correlation id. */
  correlationId: string;
  /** Node the log comes from; the transport fills it, the archiver leaves `""`. */
  nodeId: string;
  /** Number of parts of the log. */
  partsCount: number;
  /** 1-based part number; 0 in an error response. */
  part: number;
  /** One complete gzip member, or no bytes. */
  content: Uint8Array;
  /** What the message carries. */
  status: LogStatus;
  /** Set only for an error. */
  errorInfo?: ErrorInfo;
}

/** The node a message comes from. */
export function nodeOf(log: PushLog): string {
  return log.nodeId;
}

/** Builds a message with the given fields and an empty node. */
export function pushLog(
  correlationId: string,
  status: LogStatus,
  part: number,
  partsCount: number,
  content: Uint8Array,
  errorInfo?: ErrorInfo,
): PushLog {
  const log: PushLog = { correlationId, nodeId: "", partsCount, part, content, status };
  if (errorInfo !== undefined) log.errorInfo = errorInfo;
  return log;
}
