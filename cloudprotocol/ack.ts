// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Delivery messages: `ack` confirms the frame whose `header.txn` it carries,
 * `nack` asks for that frame again later.
 *
 * @module
 */

import { type Codecs, struct, type Type, withDefault } from "./_codec.ts";
import { messageRows } from "./_common.ts";
import { i64 } from "./_scalars.ts";
import type { MessageBase } from "./types.ts";

/** `ack` (both directions): the frame with this header's `txn` arrived. */
export type AckMessage = MessageBase<"ack">;

/** `nack` (cloud → unit): resend the frame with this header's `txn` after a delay. */
export interface NackMessage extends MessageBase<"nack"> {
  /** Delay before the resend, ms (500 when absent; a negative value reads as 0). */
  retryAfter: number;
}

const RETRY_AFTER: Type<number> = {
  ...i64,
  decode: (value) => Math.max(0, i64.decode(value)!),
};

/** Codecs of this family. */
export const ACK_CODECS: Codecs<"ack" | "nack"> = {
  ack: struct<AckMessage>("ack", messageRows("ack")),
  nack: struct<NackMessage>("nack", [
    ...messageRows("nack"),
    withDefault("retryAfter", "retryAfter", RETRY_AFTER, 500),
  ]),
};
