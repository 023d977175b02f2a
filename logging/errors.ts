// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * The error of {@linkcode LogArchiver}.
 *
 * @module
 */

import { AosError, type ErrorKind } from "../utils/errors.ts";

/** Why an archiver call failed. */
export type ArchiverErrorReason =
  | "tooManyParts"
  | "contentTooLarge"
  | "wrongState"
  | "compression";

const KINDS: Readonly<Record<ArchiverErrorReason, ErrorKind>> = {
  tooManyParts: "invalidArgument",
  contentTooLarge: "noMemory",
  wrongState: "wrongState",
  compression: "failed",
};

/**
 * A failure of {@linkcode LogArchiver}. {@linkcode ArchiverError.reason} tells
 * the cases apart; the kind is the one AosCore reports for each: `tooManyParts`
 * is `invalidArgument`, `contentTooLarge` is `noMemory`, `wrongState` is
 * `wrongState` and `compression` is `failed`.
 *
 * @example
 * ```ts
 * import { ArchiverError } from "@aoscore/common/logging";
 * import assert from "node:assert/strict";
 *
 * const err = new ArchiverError("tooManyParts", "too many log parts: 81 of 81");
 * assert.equal(err.kind, "invalidArgument");
 * ```
 */
export class ArchiverError extends AosError {
  /** Always `"ArchiverError"`. */
  override name = "ArchiverError";
  /** Why the call failed. */
  readonly reason: ArchiverErrorReason;

  /**
   * Creates an error.
   *
   * @param reason Why the call failed.
   * @param message What failed, with the current values.
   * @param cause The underlying error, if any.
   */
  constructor(reason: ArchiverErrorReason, message: string, cause?: unknown) {
    super(KINDS[reason], message, cause === undefined ? {} : { cause });
    this.reason = reason;
  }
}
