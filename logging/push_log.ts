// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * The `pushLog` messages that carry a status instead of log data, as the
 * service manager's log provider sends them.
 *
 * @module
 */

import { ERROR_CODES } from "../utils/errors.ts";
import { type PushLog, pushLog } from "./_protocol.ts";

/**
 * The answer to a log request whose source is absent: no instance matched
 * the filter, or no crash was found. Part 1 of 1, status `absent`, no content.
 *
 * @example
 * ```ts
 * import { absentPushLog } from "@aoscore/common/logging";
 * import assert from "node:assert/strict";
 *
 * const log = absentPushLog("c1");
 * assert.equal(log.status, "absent");
 * assert.equal(log.part, 1);
 * assert.equal(log.partsCount, 1);
 * assert.equal(log.content?.length ?? 0, 0);
 * ```
 *
 * @param correlationId The id of the log request.
 * @returns The message.
 */
export function absentPushLog(correlationId: string): PushLog {
  return pushLog(correlationId, "absent", 1, 1, new Uint8Array());
}

/**
 * The answer to a log request that failed (the filter lookup, the journal,
 * too many parts, a too large part). Part 0 of 0, status `error`, and an
 * `errorInfo` with `aosCode` 1 (`failed`) and the error's message (with its
 * context), as AosCore reports every log failure.
 *
 * @example
 * ```ts
 * import { errorPushLog } from "@aoscore/common/logging";
 * import assert from "node:assert/strict";
 *
 * const log = errorPushLog("c1", new Error("journal is not available"));
 * assert.deepEqual(log.error, { aosCode: 1, exitCode: 0, message: "journal is not available" });
 * ```
 *
 * @param correlationId The id of the log request.
 * @param error What failed.
 * @returns The message.
 */
export function errorPushLog(correlationId: string, error: unknown): PushLog {
  const message = error instanceof Error ? error.message : String(error);
  return pushLog(correlationId, "error", 0, 0, new Uint8Array(), {
    aosCode: ERROR_CODES.failed,
    exitCode: 0,
    message,
  });
}
