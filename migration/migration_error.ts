// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * The error every failure of the migrator is reported with.
 *
 * @module
 */
import { AosError, type ErrorKind } from "../utils/errors.ts";

/** Options of the {@linkcode MigrationError} constructor. */
export interface MigrationErrorOptions {
  /** The driver or file system error behind this one. */
  cause?: unknown;
  /** Positive POSIX errno of a file system error. */
  errno?: number;
  /** The version the failing step leads to. */
  version?: number;
  /** File name of the script concerned. */
  script?: string;
}

/**
 * A migration failure: an {@linkcode AosError} that also names the script and
 * the version of the step concerned, when there is one.
 *
 * Kinds: `invalidArgument` (bad options, target or script name), `notFound`
 * (missing script), `failed` (a script's SQL failed, or is empty),
 * `invalidChecksum` (drift), `wrongState` (unreadable version table),
 * `timeout` (the write lock stayed taken), `canceled` (aborted), `runtime`
 * (file system error, with `errno`).
 *
 * @example
 * ```ts
 * import { MigrationError } from "@aoscore/common/migration";
 * import assert from "node:assert/strict";
 *
 * const err = new MigrationError("notFound", "script 2_update.up.sql is missing", {
 *   version: 2,
 *   script: "2_update.up.sql",
 * });
 * assert.equal(err.kind, "notFound");
 * assert.equal(err.script, "2_update.up.sql");
 * ```
 */
export class MigrationError extends AosError {
  /** Always `"MigrationError"`. */
  override name = "MigrationError";
  /** The version the failing step leads to, when a step is concerned. */
  readonly version?: number;
  /** File name of the script concerned, when there is one. */
  readonly script?: string;

  /**
   * Creates an error.
   *
   * @param kind The kind of failure.
   * @param message What failed, then the current state.
   * @param options The cause, errno, version and script.
   */
  constructor(kind: ErrorKind, message: string, options: MigrationErrorOptions = {}) {
    super(kind, message, {
      ...(options.cause === undefined ? {} : { cause: options.cause }),
      ...(options.errno === undefined ? {} : { errno: options.errno }),
    });
    if (options.version !== undefined) this.version = options.version;
    if (options.script !== undefined) this.script = options.script;
  }
}
