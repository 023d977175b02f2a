// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * The error of the ocispec module: an {@linkcode AosError} that also names
 * the file and the member at fault.
 *
 * @module
 */

import { AosError, type AosErrorOptions, type ErrorKind } from "../utils/errors.ts";

/** Options of the {@linkcode OciError} constructor. */
export interface OciErrorOptions extends AosErrorOptions {
  /** The file being read or written. */
  path?: string | undefined;
  /** JSON pointer of the offending member (`/layers/0/size`), when known. */
  field?: string | undefined;
}

/**
 * A failure to read, write or verify an OCI document or blob. Its `kind`
 * says what went wrong:
 *
 * | kind              | when                                                          |
 * | ----------------- | ------------------------------------------------------------- |
 * | `notFound`        | missing file or blob                                          |
 * | `invalidArgument` | invalid JSON, a member of the wrong type or value, bad digest |
 * | `outOfRange`      | a list or text longer than AosCore's capacity                 |
 * | `invalidChecksum` | a blob whose bytes or size do not match its descriptor        |
 * | `failed`          | the file cannot be written                                    |
 *
 * @example
 * ```ts
 * import { OciError, parseImageManifest } from "@aoscore/common/ocispec";
 * import assert from "node:assert/strict";
 *
 * assert.throws(
 *   () => parseImageManifest('{"layers": [{"size": -1}]}'),
 *   (err) => err instanceof OciError && err.kind === "invalidArgument" &&
 *     err.field === "/layers/0/size",
 * );
 * ```
 */
export class OciError extends AosError {
  /** Always `"OciError"`. */
  override name = "OciError";
  /** The file being read or written, when there is one. */
  readonly path?: string;
  /** JSON pointer of the offending member, when known. */
  readonly field?: string;

  /**
   * Creates an error.
   *
   * @param kind The kind of failure.
   * @param message What failed, naming the file and member.
   * @param options Cause, errno, file and member.
   */
  constructor(kind: ErrorKind, message: string, options: OciErrorOptions = {}) {
    const { path, field, ...rest } = options;
    super(kind, message, rest);
    if (path !== undefined) this.path = path;
    if (field !== undefined) this.field = field;
  }
}
