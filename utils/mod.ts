// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Errors, cancellation, time, JSON, retry, channels and the other helpers the
 * whole collection stands on.
 *
 * @example Parse a duration and handle a typed error
 * ```ts
 * import { AosError, errorIs } from "@aoscore/common/utils";
 * import assert from "node:assert/strict";
 *
 * const err = new AosError("notFound", "item not found");
 * assert.ok(errorIs(err, "notFound"));
 * assert.equal(err.code, 5);
 * ```
 *
 * @module
 */
export * from "./abort.ts";
export * from "./errors.ts";
export * from "./calculate_size.ts";
export * from "./change_owner.ts";
export * from "./fs_platform.ts";
export * from "./mount.ts";
