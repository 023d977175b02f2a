// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The network module's error: an AosError that also names the operation and
// the interface, so a caller can log "what on which link" without parsing text.

import { getSystemErrorMessage, getSystemErrorName } from "node:util";
import { AosError, type ErrorKind } from "../utils/errors.ts";

const EPERM = 1;
const ENOENT = 2;
const EEXIST = 17;
const ENODEV = 19;
const EACCES = 13;
const EOPNOTSUPP = 95;

/** What a failed network operation was doing. */
export interface NetworkErrorContext {
  /** The operation, by its method name (`"createVeth"`). */
  operation: string;
  /** The interface (or namespace, chain, table) it worked on, when there is one. */
  interface?: string | undefined;
}

/**
 * A failed network operation: an {@linkcode AosError} that also carries the
 * operation and the interface. System failures carry the errno: `EEXIST` is
 * `alreadyExist`, `ENODEV` and `ENOENT` are `notFound`, `EOPNOTSUPP` is
 * `notSupported`, and `EPERM` says that root or `CAP_NET_ADMIN` is needed.
 *
 * @example
 * ```ts
 * import { NetworkError } from "@aoscore/common/network";
 * import { errorIs } from "@aoscore/common/utils";
 * import assert from "node:assert/strict";
 *
 * const err = NetworkError.forErrno(17, { operation: "createBridge", interface: "br0" });
 * assert.ok(errorIs(err, "alreadyExist"));
 * assert.equal(err.errno, 17);
 * assert.equal(err.message, 'createBridge "br0": file already exists (EEXIST)');
 * ```
 */
export class NetworkError extends AosError {
  /** Always `"NetworkError"`. */
  override name = "NetworkError";
  /** The operation that failed, by its method name. */
  readonly operation: string;
  /** The interface (or namespace, chain, table) it worked on, when there is one. */
  readonly interface: string | undefined;

  /**
   * Creates an error.
   *
   * @param kind The kind of failure.
   * @param context The operation and interface.
   * @param detail What went wrong.
   * @param options The errno and cause.
   */
  constructor(
    kind: ErrorKind,
    context: NetworkErrorContext,
    detail: string,
    options: { errno?: number; cause?: unknown } = {},
  ) {
    const subject = context.interface === undefined
      ? context.operation
      : `${context.operation} "${context.interface}"`;
    super(kind, `${subject}: ${detail}`, options);
    this.operation = context.operation;
    this.interface = context.interface;
  }

  /**
   * The error of a failed system call or netlink request.
   *
   * @param errno The errno (sign ignored).
   * @param context The operation and interface.
   * @param options What was being done (put before the errno text) and the
   * kernel's extended acknowledgement text (put after it).
   * @returns The error, its kind chosen by the errno.
   */
  static forErrno(
    errno: number,
    context: NetworkErrorContext,
    options: { what?: string; kernelText?: string } = {},
  ): NetworkError {
    const code = Math.abs(errno);
    // libuv names 95 ENOTSUP; on Linux it is the same number as EOPNOTSUPP, the name netlink uses.
    const name = code === EOPNOTSUPP ? "EOPNOTSUPP" : getSystemErrorName(-code);
    let detail = `${getSystemErrorMessage(-code)} (${name})`;
    if (options.what !== undefined) detail = `${options.what}: ${detail}`;
    if (options.kernelText) detail += `: ${options.kernelText}`;
    if (code === EPERM || code === EACCES) detail += ": root or CAP_NET_ADMIN is needed";
    return new NetworkError(kindOfErrno(code), context, detail, { errno: code });
  }
}

/**
 * The error kind of an errno, as this module reports it.
 *
 * @param errno A positive errno.
 * @returns The kind.
 */
function kindOfErrno(errno: number): ErrorKind {
  switch (errno) {
    case EEXIST:
      return "alreadyExist";
    case ENODEV:
    case ENOENT:
      return "notFound";
    case EOPNOTSUPP:
      return "notSupported";
    default:
      return "failed";
  }
}

/** An `invalidArgument` error for a value refused before any system call. */
export function invalidArgument(context: NetworkErrorContext, detail: string): NetworkError {
  return new NetworkError("invalidArgument", context, detail);
}
