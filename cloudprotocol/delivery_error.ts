// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * The error of a message that a cloud connection gave up on.
 *
 * @module
 */

import { AosError, type ErrorKind } from "../utils/errors.ts";
import type { MessageType } from "./types.ts";

/**
 * Why a cloud connection gave up on a message.
 *
 * - `noAck`: the cloud acknowledged none of the sends (the first and every resend).
 * - `noResponse`: the request was acknowledged, but no response came in time.
 * - `queueFull`: the send queue overflowed while disconnected and this frame was dropped.
 * - `closed`: the connection was closed first.
 * - `aborted`: the caller's signal aborted.
 */
export type DeliveryFailure = "noAck" | "noResponse" | "queueFull" | "closed" | "aborted";

const KINDS: Readonly<Record<DeliveryFailure, ErrorKind>> = {
  noAck: "timeout",
  noResponse: "timeout",
  queueFull: "noMemory",
  closed: "wrongState",
  aborted: "canceled",
};

/** Options of the {@linkcode CloudDeliveryError} constructor. */
export interface CloudDeliveryErrorOptions {
  /** Type of the message. */
  messageType: MessageType;
  /** `header.txn` of its frame. */
  txn: string;
  /** What led to it (the abort reason, say). */
  cause?: unknown;
}

/**
 * A message a cloud connection gave up on: `reason` says why, `kind` is the
 * matching AosCore kind (`timeout`, `noMemory`, `wrongState`, `canceled`).
 *
 * @example
 * ```ts
 * import { CloudDeliveryError } from "@aoscore/common/cloudprotocol";
 * import { errorIs } from "@aoscore/common/utils";
 * import assert from "node:assert/strict";
 *
 * const err = new CloudDeliveryError("noAck", { messageType: "alerts", txn: "0d6c2f7a" });
 * assert.ok(errorIs(err, "timeout"));
 * assert.equal(err.message, "Cannot deliver alerts (txn 0d6c2f7a): the cloud acknowledged none of the sends");
 * ```
 */
export class CloudDeliveryError extends AosError {
  /** Always `"CloudDeliveryError"`. */
  override name = "CloudDeliveryError";
  /** Why the message was given up. */
  readonly reason: DeliveryFailure;
  /** Type of the message. */
  readonly messageType: MessageType;
  /** `header.txn` of its frame. */
  readonly txn: string;

  /**
   * Creates an error.
   *
   * @param reason Why the message was given up.
   * @param options The message type, the txn and the cause.
   */
  constructor(reason: DeliveryFailure, options: CloudDeliveryErrorOptions) {
    super(
      KINDS[reason],
      `Cannot deliver ${options.messageType} (txn ${options.txn}): ${TEXT[reason]}`,
      options.cause === undefined ? {} : { cause: options.cause },
    );
    this.reason = reason;
    this.messageType = options.messageType;
    this.txn = options.txn;
  }
}

const TEXT: Readonly<Record<DeliveryFailure, string>> = {
  noAck: "the cloud acknowledged none of the sends",
  noResponse: "no response came in time",
  queueFull: "dropped from the full send queue",
  closed: "the connection was closed",
  aborted: "aborted",
};
