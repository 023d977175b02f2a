// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Frames: the `{"header": {...}, "data": {...}}` envelope every WebSocket
 * message carries, as compact UTF-8 JSON.
 *
 * @module
 */

import { checkText } from "../utils/_argument_type.ts";
import { getMember, isJsonObject, type JsonObject } from "../utils/json.ts";
import { at, Fault } from "./_codec.ts";
import { frameText, HEADER_REST, HEADER_SYSTEM_ID, PROTOCOL_VERSION } from "./_frame_text.ts";
import { parsePayload, toError } from "./_json.ts";
import { decodingAscii, u64 } from "./_scalars.ts";
import { readMessage } from "./_registry.ts";
import type { CloudMessage } from "./message.ts";
import type { MessageType } from "./types.ts";

export { PROTOCOL_VERSION } from "./_frame_text.ts";

/**
 * Largest payload {@linkcode decodeFrame} reads by default, bytes. The
 * largest message the limits allow is about 2 MB as AosCore writes it (an
 * `overrideEnvVars` with 256 × 16 full-length variables); only a sender that
 * escapes every character as `\uXXXX` gets near 8 MiB. Anything bigger is
 * rejected before parsing, so a flood of tiny values cannot tie up the parser.
 */
export const DEFAULT_MAX_FRAME_BYTES: number = 8 * 1024 * 1024;

/** The transport header of a frame. */
export interface Header {
  /** Protocol version, always {@linkcode PROTOCOL_VERSION}. */
  version: typeof PROTOCOL_VERSION;
  /** The unit's system ID (≤ 64 bytes). */
  systemId: string;
  /** When the frame was made; senders always set it. */
  createdAt?: Date;
  /** Transaction ID: a fresh UUID per frame; an `ack`/`nack` repeats the txn it answers. */
  txn: string;
}

/** A frame: header and message. */
export interface Envelope<M extends CloudMessage = CloudMessage> {
  /** Transport header. */
  header: Header;
  /** The message. */
  data: M;
}

/** Options of {@linkcode decodeFrame}. */
export interface DecodeFrameOptions {
  /** When set, `header.systemId` must equal it (`systemIdMismatch` otherwise). */
  expectedSystemId?: string;
  /**
   * Message types to accept; others are `unsupportedMessageType`. A unit
   * passes {@linkcode CLOUD_TO_UNIT}, a cloud simulator {@linkcode UNIT_TO_CLOUD}.
   *
   * @default {all 26 types}
   */
  accept?: ReadonlySet<MessageType>;
  /**
   * Largest payload, bytes.
   *
   * @default {DEFAULT_MAX_FRAME_BYTES}
   */
  maxBytes?: number;
}

/**
 * Decodes a frame, checking it in AosCore's order: JSON, envelope, version,
 * system ID, message type, then the message.
 *
 * @example
 * ```ts
 * import { decodeFrame, CLOUD_TO_UNIT } from "@aoscore/common/cloudprotocol";
 * import assert from "node:assert/strict";
 *
 * const frame = decodeFrame(
 *   '{"header":{"version":7,"systemId":"unit-1","txn":"0d6c2f7a"},' +
 *     '"data":{"messageType":"nack","retryAfter":3000}}',
 *   { expectedSystemId: "unit-1", accept: CLOUD_TO_UNIT },
 * );
 * assert.equal(frame.header.txn, "0d6c2f7a");
 * assert.deepEqual(frame.data, { messageType: "nack", retryAfter: 3000 });
 * ```
 *
 * @param payload The payload of a binary WebSocket frame (UTF-8 JSON), or its text.
 * @param options The expected system ID, the accepted types and a size limit.
 * @returns The frame; nothing partial is ever returned.
 * @throws {CloudProtocolError} With the kind and the JSON path of the first problem.
 * @throws {AosError} `invalidArgument` when `payload` is neither bytes nor a string.
 */
export function decodeFrame(
  payload: Uint8Array | string,
  options: DecodeFrameOptions = {},
): Envelope {
  checkText(payload, "payload", "Cannot decode cloud frame");
  try {
    const { json: top, ascii } = parsePayload(payload, options.maxBytes ?? DEFAULT_MAX_FRAME_BYTES);
    if (!isJsonObject(top)) throw new Fault("envelope", "frame is not a JSON object");
    const header = envelopeMember(top, "header");
    const data = envelopeMember(top, "data");
    return decodingAscii(ascii, () => ({
      header: readHeader(header, options.expectedSystemId),
      data: readData(data, options),
    }));
  } catch (err) {
    throw toError(err, "Cannot decode cloud frame");
  }
}

function envelopeMember(top: JsonObject, key: string): JsonObject {
  const value = getMember(top, key);
  if (!isJsonObject(value)) {
    const why = value === undefined ? "missing" : "not an object";
    throw at(new Fault("envelope", `${key} is ${why}`), key);
  }
  return value;
}

function readHeader(src: JsonObject, expectedSystemId: string | undefined): Header {
  const out: Record<string, unknown> = {};
  try {
    const raw = getMember(src, "version");
    let version = 0;
    if (raw !== undefined) {
      try {
        version = u64.decode(raw)!;
      } catch (err) {
        throw at(err, "version");
      }
    }
    if (version !== PROTOCOL_VERSION) {
      throw at(
        new Fault("versionMismatch", `version ${version}, expected ${PROTOCOL_VERSION}`),
        "version",
      );
    }
    out.version = PROTOCOL_VERSION;
    HEADER_SYSTEM_ID.read(src, out);
    if (expectedSystemId !== undefined && out.systemId !== expectedSystemId) {
      const fault = new Fault(
        "systemIdMismatch",
        `systemId ${JSON.stringify(out.systemId)}, expected ${JSON.stringify(expectedSystemId)}`,
      );
      throw at(fault, "systemId");
    }
    HEADER_REST.read(src, out);
  } catch (err) {
    throw at(err, "header");
  }
  return out as unknown as Header;
}

function readData(data: JsonObject, options: DecodeFrameOptions): CloudMessage {
  try {
    return readMessage(data, options.accept);
  } catch (err) {
    throw at(err, "data");
  }
}

/**
 * Encodes a frame as compact UTF-8 JSON, byte for byte as AosCore writes
 * it: members in AosCore's order, non-ASCII text raw, control characters as
 * `\n` or `\u001F`.
 *
 * @example
 * ```ts
 * import { encodeFrame, PROTOCOL_VERSION } from "@aoscore/common/cloudprotocol";
 * import assert from "node:assert/strict";
 *
 * const bytes = encodeFrame({
 *   header: { version: PROTOCOL_VERSION, systemId: "unit-1", txn: "0d6c2f7a" },
 *   data: { messageType: "ack" },
 * });
 * assert.equal(
 *   new TextDecoder().decode(bytes),
 *   '{"header":{"version":7,"systemId":"unit-1","txn":"0d6c2f7a"},"data":{"messageType":"ack"}}',
 * );
 * ```
 *
 * @param envelope The header and the message.
 * @returns The payload of a binary WebSocket frame.
 * @throws {CloudProtocolError} When the message breaks the protocol (a missing member, a limit...).
 */
export function encodeFrame(envelope: Envelope): Uint8Array {
  return new TextEncoder().encode(frameText(envelope));
}
