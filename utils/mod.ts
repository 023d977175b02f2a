// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Errors, cancellation, time, JSON, retry, channels and the other helpers the
 * whole collection stands on.
 *
 * @example Parse a duration and handle a typed error
 * ```ts
 * import { errorIs, parseDuration } from "@aoscore/common/utils";
 * import assert from "node:assert/strict";
 *
 * assert.equal(parseDuration("1h30m"), 5_400_000);
 * assert.throws(
 *   () => parseDuration("1x"),
 *   (err) => errorIs(err, "invalidArgument") && /unknown unit "x"/.test(String(err)),
 * );
 * ```
 *
 * @module
 */
export * from "./abort.ts";
export * from "./alerts.ts";
export * from "./alert_rules.ts";
export * from "./calculate_size.ts";
export * from "./change_owner.ts";
export * from "./channel.ts";
export * from "./cleanup.ts";
export * from "./digest.ts";
export * from "./digest_stream.ts";
export * from "./dir_digest.ts";
export * from "./encoding.ts";
export * from "./errors.ts";
export * from "./exec.ts";
export * from "./fs.ts";
export * from "./fs_platform.ts";
export * from "./fs_watcher.ts";
export * from "./identifier_pool.ts";
export * from "./instances.ts";
export * from "./json.ts";
export * from "./json_object.ts";
export * from "./mount.ts";
export * from "./node_info.ts";
export * from "./parser.ts";
export * from "./retry.ts";
export * from "./semver.ts";
export * from "./sync_message_sender.ts";
export * from "./tar.ts";
export * from "./time.ts";
export * from "./timer.ts";
export * from "./uuid.ts";
