// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * The error every decoder and encoder of the cloud protocol throws.
 *
 * @module
 */

import { AosError, type AosErrorOptions, type ErrorKind } from "../utils/errors.ts";

/**
 * Why a frame or message was rejected (cloud protocol spec §5.2).
 *
 * - `syntax`: not valid JSON, not valid UTF-8, or a string with a lone surrogate.
 * - `envelope`: the top level, `header` or `data` is missing or not an object.
 * - `versionMismatch`: `header.version` is not {@linkcode PROTOCOL_VERSION}.
 * - `systemIdMismatch`: `header.systemId` is not the expected unit ID.
 * - `unknownMessageType`: `messageType` is absent or not one of the 26 types.
 * - `unsupportedMessageType`: a known type the caller does not accept.
 * - `missingField`: a required member is absent or `null`.
 * - `invalidType`: a member has a JSON type that does not convert.
 * - `invalidEnum`: an enum string outside its table.
 * - `invalidFormat`: a malformed timestamp, duration, hex or base64 text.
 * - `limitExceeded`: a string, array or binary over its limit, or a frame over `maxBytes`.
 * - `outOfRange`: a number outside its field's range.
 */
export type CloudProtocolErrorKind =
  | "syntax"
  | "envelope"
  | "versionMismatch"
  | "systemIdMismatch"
  | "unknownMessageType"
  | "unsupportedMessageType"
  | "missingField"
  | "invalidType"
  | "invalidEnum"
  | "invalidFormat"
  | "limitExceeded"
  | "outOfRange";

/**
 * The AosCore error kind AosCore reports for each protocol error kind (the
 * "C++ equivalent" column of spec §5.2); its code is `aosCode`.
 */
export const CLOUD_PROTOCOL_AOS_KINDS: Readonly<Record<CloudProtocolErrorKind, ErrorKind>> = Object
  .freeze({
    syntax: "invalidArgument",
    envelope: "invalidArgument",
    versionMismatch: "invalidArgument",
    systemIdMismatch: "invalidArgument",
    unknownMessageType: "notFound",
    unsupportedMessageType: "notSupported",
    missingField: "notFound",
    invalidType: "failed",
    invalidEnum: "notFound",
    invalidFormat: "invalidArgument",
    limitExceeded: "noMemory",
    outOfRange: "failed",
  });

/** Options of the {@linkcode CloudProtocolError} constructor. */
export interface CloudProtocolErrorOptions extends Pick<AosErrorOptions, "cause"> {
  /**
   * JSON pointer (RFC 6901) of the offending value, e.g. `/data/items/3/state`.
   *
   * @default {""}
   */
  path?: string;
}

/**
 * A frame or message that breaks the cloud protocol, on decode or encode.
 *
 * It is an {@linkcode AosError} (`instanceof` holds) whose `kind` is the
 * protocol's kind (`"missingField"`, ...) rather than an AosCore kind; the
 * AosCore kind is {@linkcode CloudProtocolError.aosKind} and its code is
 * `aosCode` (equal to `code`).
 *
 * @example
 * ```ts
 * import { CloudProtocolError, decodeMessage } from "@aoscore/common/cloudprotocol";
 * import assert from "node:assert/strict";
 *
 * try {
 *   decodeMessage({ messageType: "pushLog", part: 1 });
 *   assert.fail("not reached");
 * } catch (err) {
 *   assert.ok(err instanceof CloudProtocolError);
 *   assert.equal(err.kind, "missingField");
 *   assert.equal(err.path, "/node");
 *   assert.equal(err.aosCode, 5);
 * }
 * ```
 */
export class CloudProtocolError extends AosError {
  /** Always `"CloudProtocolError"`. */
  override name = "CloudProtocolError";
  /** What broke the protocol. */
  // @ts-expect-error: the protocol spec names its own kinds `kind`; the AosCore
  // kind stays available as `aosKind`, and `code` is still its code.
  override readonly kind: CloudProtocolErrorKind;
  /** The AosCore error kind of this failure. */
  readonly aosKind: ErrorKind;
  /** JSON pointer of the offending value (`""` for the whole payload). */
  readonly path: string;

  /**
   * Creates an error.
   *
   * @param kind What broke the protocol.
   * @param message What failed, then the offending value.
   * @param options The JSON path and the cause.
   */
  constructor(
    kind: CloudProtocolErrorKind,
    message: string,
    options: CloudProtocolErrorOptions = {},
  ) {
    const aosKind = CLOUD_PROTOCOL_AOS_KINDS[kind];
    super(aosKind, message, options.cause === undefined ? {} : { cause: options.cause });
    this.kind = kind;
    this.aosKind = aosKind;
    this.path = options.path ?? "";
  }

  /** The AosCore error code (`errorInfo.aosCode`) of this failure. */
  get aosCode(): number {
    return this.code;
  }
}
