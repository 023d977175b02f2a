// Copyright 2026 the aos-common authors. Apache-2.0 license.
// A frame as the JSON text AosCore writes, and the header's rows.
//
// `encodeFrame` (frame.ts) turns the text into UTF-8. The connection keeps
// the text and hands it to the WebSocket, which writes its UTF-8 straight
// into the frame's own buffer: one encoding and one buffer per frame instead
// of two (see the cloud connection in BENCHMARKS.md).

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
