// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The codec of every message type, and the dispatch on `messageType`.

import { getMember, isJsonObject } from "../utils/json.ts";
import { at, describe, Fault, type Type, wrongType } from "./_codec.ts";
import { ACK_CODECS } from "./ack.ts";
import { ALERTS_CODECS } from "./alerts.ts";
import { BLOBS_CODECS } from "./blobs.ts";
import { CERTIFICATES_CODECS } from "./certificates.ts";
import { DESIRED_STATUS_CODECS } from "./desired_status.ts";
import { ENV_VARS_CODECS } from "./env_vars.ts";
import { LOG_CODECS } from "./log.ts";
import type { CloudMessage, MessageOf } from "./message.ts";
import { MONITORING_CODECS } from "./monitoring.ts";
import { PROVISIONING_CODECS } from "./provisioning.ts";
import { STATE_CODECS } from "./state.ts";
import type { MessageType } from "./types.ts";
import { UNIT_STATUS_CODECS } from "./unit_status.ts";

const CODECS = new Map<string, Type<CloudMessage>>(
  Object.entries(
    {
      ...ACK_CODECS,
      ...ALERTS_CODECS,
      ...BLOBS_CODECS,
      ...CERTIFICATES_CODECS,
      ...DESIRED_STATUS_CODECS,
      ...ENV_VARS_CODECS,
      ...LOG_CODECS,
      ...MONITORING_CODECS,
      ...PROVISIONING_CODECS,
      ...STATE_CODECS,
      ...UNIT_STATUS_CODECS,
    } satisfies { [T in MessageType]: Type<MessageOf<T>> },
  ) as [string, Type<CloudMessage>][],
);

/** Decodes a `data` object, throwing faults with paths relative to it. */
export function readMessage(data: unknown, accept?: ReadonlySet<MessageType>): CloudMessage {
  if (!isJsonObject(data)) {
    throw new Fault("envelope", `data is not an object, got ${describe(data)}`);
  }
  const type = getMember(data, "messageType");
  const codec = typeof type === "string" ? CODECS.get(type) : undefined;
  if (codec === undefined) {
    const shown = type === undefined ? "missing" : `unknown: ${JSON.stringify(type)}`;
    throw at(new Fault("unknownMessageType", `messageType ${shown}`), "messageType");
  }
  if (accept !== undefined && !accept.has(type as MessageType)) {
    throw at(
      new Fault("unsupportedMessageType", `messageType "${type}" not accepted`),
      "messageType",
    );
  }
  return codec.decode(data)!;
}

/** Encodes a message, throwing faults with paths relative to it. */
export function writeMessage(msg: CloudMessage): Record<string, unknown> {
  if (!isJsonObject(msg)) throw wrongType("a message object", msg);
  const codec = typeof msg.messageType === "string" ? CODECS.get(msg.messageType) : undefined;
  if (codec === undefined) {
    const fault = new Fault("unknownMessageType", `messageType ${JSON.stringify(msg.messageType)}`);
    throw at(fault, "messageType");
  }
  return codec.encode(msg) as Record<string, unknown>;
}
