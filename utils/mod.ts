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
export * from "./errors.ts";
export * from "./json.ts";
export * from "./json_object.ts";
export * from "./time.ts";
