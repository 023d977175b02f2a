// Copyright 2026 the aos-common authors. Apache-2.0 license.
// A frame as the JSON text AosCore writes, its UTF-8 for the connection, and
// the header's rows.
//
// `encodeFrame` (frame.ts) returns the text's UTF-8 in an array of its own.
// The connection takes it from node:buffer's pool instead (`frameBytes`): a
// TextEncoder array is a separate allocation outside the heap per frame, and
// keeping the text (the WebSocket would write its UTF-8) keeps every unacked
// frame on the heap, where each young-generation GC copies it. See the cloud
// connection in BENCHMARKS.md.

import { Buffer } from "node:buffer";
import { isJsonObject } from "../utils/json.ts";
import { at, Fault, optional, rowCodec, withDefault } from "./_codec.ts";
import { ID } from "./_common.ts";
import { toError, toJsonText } from "./_json.ts";
import { writeMessage } from "./_registry.ts";
import { str, timestamp } from "./_scalars.ts";
import type { Envelope, Header } from "./frame.ts";

/** The protocol version this module speaks. */
export const PROTOCOL_VERSION = 7;

/** The header's `systemId`, read apart from the rest to check it first. */
export const HEADER_SYSTEM_ID = rowCodec([withDefault("systemId", "systemId", ID)]);

/** The rest of the header. */
export const HEADER_REST = rowCodec([
  optional("createdAt", "createdAt", timestamp),
  withDefault("txn", "txn", str(Infinity)),
]);

/**
 * The compact JSON of a frame, as {@linkcode encodeFrame} writes it before
 * UTF-8. Throws what `encodeFrame` throws.
 */
export function frameText(envelope: Envelope): string {
  try {
    if (!isJsonObject(envelope)) throw new Fault("envelope", "frame is not an object");
    const header = writeHeader(envelope.header);
    let data: Record<string, unknown>;
    try {
      data = writeMessage(envelope.data);
    } catch (err) {
      throw at(err, "data");
    }
    return toJsonText({ header, data });
  } catch (err) {
    throw toError(err, "Cannot encode cloud frame");
  }
}

/**
 * {@linkcode frameText} in UTF-8, in a buffer from node:buffer's pool. A
 * frame under 4 KiB shares an 8 KiB block with its neighbours, and the block
 * stays while any of them is kept: a full queue holds at most `queueLimit`
 * blocks.
 */
export function frameBytes(envelope: Envelope): Uint8Array {
  return Buffer.from(frameText(envelope));
}

function writeHeader(header: Header): Record<string, unknown> {
  try {
    if (!isJsonObject(header)) throw new Fault("envelope", "header is not an object");
    if (header.version !== PROTOCOL_VERSION) {
      const fault = new Fault(
        "versionMismatch",
        `version ${String(header.version)}, expected ${PROTOCOL_VERSION}`,
      );
      throw at(fault, "version");
    }
    const out: Record<string, unknown> = { version: PROTOCOL_VERSION };
    const model = header as unknown as Record<string, unknown>;
    HEADER_SYSTEM_ID.write(model, out);
    HEADER_REST.write(model, out);
    return out;
  } catch (err) {
    throw at(err, "header");
  }
}
