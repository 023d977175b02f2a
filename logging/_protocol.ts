// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The one place where logging meets the cloud protocol's log messages.

import type { ErrorInfo, LogStatus, PushLog } from "../cloudprotocol/mod.ts";

export type { ErrorInfo, LogStatus, PushLog };

/** The node a message comes from. */
export function nodeOf(log: PushLog): string {
  return log.nodeId;
}

/** Builds a message with an empty node: the transport fills it. */
export function pushLog(
  correlationId: string,
  status: LogStatus,
  part: number,
  partsCount: number,
  content: Uint8Array,
  error?: ErrorInfo,
): PushLog {
  const log: PushLog = {
    messageType: "pushLog",
    correlationId,
    nodeId: "",
    part,
    partsCount,
    content,
    status,
  };
  if (error !== undefined) log.error = error;
  return log;
}
