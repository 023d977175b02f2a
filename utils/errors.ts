// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * The one error type of the collection. Every module throws {@linkcode AosError}
 * (or a subclass) for expected failures, so callers can branch on
 * {@linkcode AosError.kind} instead of parsing messages.
 *
 * @module
 */

import os from "node:os";
import { getSystemErrorMessage } from "node:util";
import { argumentTypeError } from "./_argument_type.ts";

/** The error kinds of AosCore, as strings. `none` means success and is never thrown. */
export type ErrorKind =
  | "failed"
  | "runtime"
  | "noMemory"
  | "outOfRange"
  | "notFound"
  | "invalidArgument"
  | "timeout"
  | "alreadyExist"
  | "wrongState"
  | "invalidChecksum"
  | "alreadyLoggedIn"
  | "notSupported"
  | "eof"
  | "canceled";

/**
 * Numeric wire code of every kind (`aosCode` in the cloud protocol). The order
 * is AosCore's error enum; new kinds may only be appended.
 */
export const ERROR_CODES: Readonly<Record<ErrorKind | "none", number>> = Object.freeze({
  none: 0,
  failed: 1,
  runtime: 2,
  noMemory: 3,
  outOfRange: 4,
  notFound: 5,
  invalidArgument: 6,
  timeout: 7,
  alreadyExist: 8,
  wrongState: 9,
  invalidChecksum: 10,
  alreadyLoggedIn: 11,
  notSupported: 12,
  eof: 13,
  canceled: 14,
});

/** Display text of every kind, used when an error carries no message of its own. */
export const ERROR_TEXT: Readonly<Record<ErrorKind | "none", string>> = Object.freeze({
  none: "none",
  failed: "failed",
  runtime: "runtime error",
  noMemory: "not enough memory",
  outOfRange: "out of range",
  notFound: "not found",
  invalidArgument: "invalid argument",
  timeout: "timeout",
  alreadyExist: "already exist",
  wrongState: "wrong state",
  invalidChecksum: "invalid checksum",
  alreadyLoggedIn: "already logged in",
  notSupported: "not supported",
  eof: "EOF",
  canceled: "canceled",
});

const KIND_BY_CODE: readonly (ErrorKind | "none")[] = Object.keys(ERROR_CODES) as (
  | ErrorKind
  | "none"
)[];

/** The cloud protocol's `errorInfo` object. */
export interface ErrorInfo {
  /** Numeric error kind, see {@linkcode ERROR_CODES}. */
  aosCode: number;
  /** POSIX errno, HTTP status or process exit code, 0 when none. */
  exitCode: number;
  /** The error's own message, without context added by wrappers. */
  message: string;
}

/** Options of the {@linkcode AosError} constructor. */
export interface AosErrorOptions {
  /** The error that caused this one. Its text is appended to the message. */
  cause?: unknown;
  /** Positive POSIX errno of a system error; a negative value is stored as its absolute value. */
  errno?: number;
  /** HTTP status of an error response. */
  status?: number;
}

/**
 * An error with an AosCore kind, a stable numeric code and, for system errors,
 * an errno.
 *
 * `message` is the display text: the error's own context, then the text of its
 * cause (`"can't load manifest: not found"`). {@linkcode AosError.toErrorInfo}
 * reports the innermost non-empty message instead, as AosCore does on the wire.
 *
 * @example Branch on the kind
 * ```ts
 * import { AosError, errorIs } from "@aoscore/common/utils";
 * import assert from "node:assert/strict";
 *
 * const inner = new AosError("notFound", "no such item");
 * const err = AosError.wrap(inner, undefined, "can't remove item");
 * assert.ok(errorIs(err, "notFound"));
 * assert.equal(err.message, "can't remove item: no such item");
 * assert.deepEqual(err.toErrorInfo(), { aosCode: 5, exitCode: 0, message: "no such item" });
 * ```
 */
export class AosError extends Error {
  /** Always `"AosError"` (subclasses may set their own). */
  override name = "AosError";
  /**
   * The kind of failure. A subclass may name its kinds in its own vocabulary
   * (`CloudProtocolError` uses the protocol's `missingField`, ...); `code` is
   * always the AosCore code, and {@linkcode errorIs} compares codes.
   */
  readonly kind: ErrorKind;
  /** Numeric wire code of {@linkcode AosError.kind}. */
  readonly code: number;
  /** Positive POSIX errno, for errors that come from the operating system. */
  readonly errno?: number;
  /** HTTP status, for errors that report an HTTP error response. */
  readonly status?: number;
  /** The message given to this error alone, without its cause's text. */
  readonly context: string;

  /**
   * Creates an error.
   *
   * @param kind The kind of failure.
   * @param message What failed; may be empty.
   * @param options The cause, errno and HTTP status.
   */
  constructor(kind: ErrorKind, message = "", options: AosErrorOptions = {}) {
    const causeText = options.cause === undefined ? "" : textOf(options.cause);
    const text = message !== "" && causeText !== ""
      ? `${message}: ${causeText}`
      : message !== ""
      ? message
      : causeText !== ""
      ? causeText
      : ERROR_TEXT[kind];
    super(text, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.code = ERROR_CODES[kind];
    this.context = message;
    if (options.errno !== undefined && options.errno !== 0) this.errno = Math.abs(options.errno);
    if (options.status !== undefined) this.status = options.status;
  }

  /**
   * Adds context to an error. The kind defaults to the cause's kind (as
   * {@linkcode AosError.from} sees it) and the errno and HTTP status are kept.
   *
   * @param cause The error to wrap.
   * @param kind The kind of the new error; `undefined` keeps the cause's kind.
   * @param message What was being done when the cause happened.
   * @returns The wrapping error, with `cause` set.
   */
  static wrap(cause: unknown, kind?: ErrorKind, message = ""): AosError {
    const inner = AosError.from(cause);
    const options: AosErrorOptions = { cause };
    if (inner.errno !== undefined) options.errno = inner.errno;
    if (inner.status !== undefined) options.status = inner.status;
    // The code, not `kind`: a subclass may name its kinds in its own vocabulary.
    return new AosError(kind ?? (KIND_BY_CODE[inner.code] as ErrorKind), message, options);
  }

  /**
   * Converts anything thrown into an {@linkcode AosError}: an `AosError` is
   * returned as is, an `AbortError` becomes `canceled`, a `TimeoutError`
   * becomes `timeout`, a Deno or Node system error becomes `runtime` with its
   * errno, and anything else becomes `fallback` with the error's message.
   *
   * @param err The thrown value.
   * @param fallback The kind of errors that are none of the above.
   * @returns An `AosError` whose cause is `err` (unless `err` already was one).
   */
  static from(err: unknown, fallback: ErrorKind = "failed"): AosError {
    if (err instanceof AosError) return err;
    if (err instanceof Error || isErrorLike(err)) {
      // The cause's text becomes the message, so no context of our own.
      const name = (err as { name?: unknown }).name;
      if (name === "AbortError") return new AosError("canceled", "", { cause: err });
      if (name === "TimeoutError") return new AosError("timeout", "", { cause: err });
      const errno = errnoOf(err);
      if (errno !== undefined) return new AosError("runtime", "", { cause: err, errno });
    }
    return new AosError(fallback, "", { cause: err });
  }

  /**
   * Creates the error of a failed system call.
   *
   * @param errno The POSIX errno (sign ignored).
   * @param message What failed.
   * @returns A `runtime` error carrying the errno.
   */
  static fromErrno(errno: number, message = ""): AosError {
    return new AosError("runtime", message, { errno });
  }

  /**
   * The error as the cloud protocol's `errorInfo`.
   *
   * @returns `aosCode`, `exitCode` (the errno, else the HTTP status, else 0)
   * and the innermost non-empty message.
   */
  toErrorInfo(): ErrorInfo {
    return toErrorInfo(this);
  }

  /**
   * The text form of AosCore logs: the message, then ` [<strerror>]` when the
   * errno is one the operating system knows.
   *
   * @returns The text form.
   */
  override toString(): string {
    return this.errno === undefined || !isSystemErrno(this.errno)
      ? this.message
      : `${this.message} [${getSystemErrorMessage(-this.errno)}]`;
  }

  /**
   * A plain object for structured logs.
   *
   * @returns The name, kind, code, errno, HTTP status and message.
   */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { name: this.name, kind: this.kind, code: this.code };
    if (this.errno !== undefined) out.errno = this.errno;
    if (this.status !== undefined) out.status = this.status;
    out.message = this.message;
    return out;
  }
}

/**
 * Reports whether `err`, as {@linkcode AosError.from} sees it, has the given kind.
 *
 * @example
 * ```ts
 * import { AosError, errorIs } from "@aoscore/common/utils";
 * import assert from "node:assert/strict";
 *
 * assert.equal(errorIs(new AosError("timeout", "no answer"), "timeout"), true);
 * // Other errors are seen as AosError.from sees them.
 * assert.equal(errorIs(new Error("boom"), "failed"), true);
 * assert.equal(errorIs(new Error("boom"), "timeout"), false);
 * ```
 *
 * @param err Anything thrown.
 * @param kind The kind to test for.
 * @returns `true` when the kinds match.
 */
export function errorIs(err: unknown, kind: ErrorKind): boolean {
  return AosError.from(err).code === ERROR_CODES[kind];
}

/**
 * Reports whether `err` is an {@linkcode AosError}.
 *
 * @example
 * ```ts
 * import { AosError, isAosError } from "@aoscore/common/utils";
 * import assert from "node:assert/strict";
 *
 * assert.equal(isAosError(new AosError("notFound")), true);
 * assert.equal(isAosError(new Error("notFound")), false);
 * ```
 *
 * @param err Anything thrown.
 * @returns `true` for an `AosError` or a subclass.
 */
export function isAosError(err: unknown): err is AosError {
  return err instanceof AosError;
}

/**
 * Reports whether `err` carries the given errno, by number (`2`) or by name
 * (`"ENOENT"`), looking through `AosError` causes.
 *
 * @example
 * ```ts
 * import { hasErrno } from "@aoscore/common/utils";
 * import { readFile } from "node:fs/promises";
 * import assert from "node:assert/strict";
 *
 * const err = await readFile("/nonexistent/aos").catch((e) => e);
 * assert.equal(hasErrno(err, "ENOENT"), true);
 * assert.equal(hasErrno(err, 2), true);
 * assert.equal(hasErrno(err, "EACCES"), false);
 * ```
 *
 * @param err Anything thrown.
 * @param errno The errno number or name.
 * @returns `true` when the errno matches.
 */
export function hasErrno(err: unknown, errno: number | string): boolean {
  const wanted = typeof errno === "number" ? Math.abs(errno) : errnoByName(errno);
  return wanted !== undefined && AosError.from(err).errno === wanted;
}

/**
 * Converts anything thrown to the cloud protocol's `errorInfo`.
 *
 * @example
 * ```ts
 * import { AosError, toErrorInfo } from "@aoscore/common/utils";
 * import assert from "node:assert/strict";
 *
 * const err = AosError.wrap(new AosError("notFound", "no such item"), undefined, "can't start");
 * assert.deepEqual(toErrorInfo(err), { aosCode: 5, exitCode: 0, message: "no such item" });
 * ```
 *
 * @param err Anything thrown.
 * @returns `aosCode`, `exitCode` (the errno, else the HTTP status as AosCore
 * reports it, else 0) and the innermost non-empty message of the cause chain.
 */
export function toErrorInfo(err: unknown): ErrorInfo {
  const aos = AosError.from(err);
  return {
    aosCode: aos.code,
    exitCode: aos.errno ?? aos.status ?? 0,
    message: innermostMessage(aos),
  };
}

/**
 * Converts a cloud protocol `errorInfo` to an error. An absent info or an
 * `aosCode` of 0 means success and gives `undefined`; the errno is not
 * restored, as in AosCore.
 *
 * @example
 * ```ts
 * import { fromErrorInfo } from "@aoscore/common/utils";
 * import assert from "node:assert/strict";
 *
 * assert.equal(fromErrorInfo(undefined), undefined);
 * assert.equal(fromErrorInfo({ aosCode: 0 }), undefined);
 * const err = fromErrorInfo({ aosCode: 5, exitCode: 0, message: "no such item" });
 * assert.equal(err?.kind, "notFound");
 * assert.equal(err?.message, "no such item");
 * ```
 *
 * @param info The decoded `errorInfo`, or `undefined`.
 * @returns The error, or `undefined` for success.
 * @throws {AosError} `invalidArgument` when `info` is neither an object nor `undefined`.
 */
export function fromErrorInfo(info: Partial<ErrorInfo> | undefined): AosError | undefined {
  if (info === undefined) return undefined;
  if (typeof info !== "object" || info === null) {
    throw argumentTypeError("Cannot convert errorInfo", "info", "an object or undefined", info);
  }
  if (info.aosCode === undefined || info.aosCode <= 0) return undefined;
  const kind = KIND_BY_CODE[info.aosCode];
  if (kind === undefined || kind === "none") {
    return new AosError("failed", info.message ?? `unknown error code ${info.aosCode}`);
  }
  return new AosError(kind, info.message ?? "");
}

function innermostMessage(err: AosError): string {
  let found = err.context;
  let cause: unknown = err.cause;
  while (cause !== undefined) {
    if (cause instanceof AosError) {
      if (cause.context !== "") found = cause.context;
      cause = cause.cause;
    } else {
      const text = cause instanceof Error ? cause.message : String(cause);
      if (text !== "") found = text;
      break;
    }
  }
  return found;
}

function textOf(cause: unknown): string {
  if (cause instanceof Error) return cause.message;
  if (isErrorLike(cause)) return String(cause.message);
  return String(cause);
}

function isErrorLike(value: unknown): value is { message: unknown } {
  return typeof value === "object" && value !== null && "message" in value;
}

function errnoOf(err: unknown): number | undefined {
  const { errno, code } = err as { errno?: unknown; code?: unknown };
  if (typeof errno === "number" && errno !== 0) return Math.abs(errno);
  if (typeof code === "string") return errnoByName(code);
  return undefined;
}

function isSystemErrno(errno: number): boolean {
  return Object.values(os.constants.errno).includes(errno);
}

function errnoByName(name: string): number | undefined {
  return (os.constants.errno as Record<string, number | undefined>)[name];
}
