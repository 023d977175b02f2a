// Copyright 2026 the aos-common authors. Apache-2.0 license.
// JSON text in and out, and the conversion of faults into errors.

import { Buffer, isAscii } from "node:buffer";
import { parseJson, stringify } from "../utils/json.ts";
import { Fault } from "./_codec.ts";
import { CloudProtocolError } from "./error.ts";

/** A parsed payload. */
export interface Parsed {
  /** The JSON value. */
  json: unknown;
  /** Whether the text was ASCII without `\u` escapes (see `decodingAscii`). */
  ascii: boolean;
}

const asciiDecoder = new TextDecoder();

/** Parses a payload; every failure is a `syntax` fault of the whole payload. */
export function parsePayload(payload: Uint8Array | string, maxBytes: number): Parsed {
  // UTF-16 units never outnumber UTF-8 bytes, so the length decides most strings.
  const size = typeof payload !== "string"
    ? payload.byteLength
    : payload.length > maxBytes || payload.length * 3 <= maxBytes
    ? payload.length
    : Buffer.byteLength(payload, "utf8");
  if (size > maxBytes) {
    throw new Fault("limitExceeded", `payload of ${size} bytes, limit ${maxBytes}`);
  }
  // ASCII is valid UTF-8 as it stands, and a native check finds it at memory
  // speed; telling the string decoders saves them a scan each.
  let text = payload;
  let ascii = false;
  if (typeof payload !== "string" && isAscii(payload)) {
    text = asciiDecoder.decode(payload);
    ascii = !text.includes("\\u");
  }
  try {
    return { json: parseJson(text), ascii };
  } catch (err) {
    const why = err instanceof Error && err.cause instanceof Error ? err.cause.message : "";
    throw new Fault("syntax", why === "" ? (err as Error).message : `invalid JSON: ${why}`);
  }
}

const LOWER_HEX_ESCAPE = /(\\+)u00([0-9a-f]{2})/g;

/**
 * Compact JSON as AosCore writes it: `JSON.stringify` already leaves non-ASCII
 * raw and escapes only `"`, `\` and control characters, but writes the hex of
 * `\u00XX` in lower case where AosCore writes upper case.
 */
export function toJsonText(value: unknown): string {
  const text = stringify(value);
  if (!text.includes("\\u00")) return text;
  // An escape is one only after an odd run of backslashes (`\\u0041` is text).
  return text.replace(
    LOWER_HEX_ESCAPE,
    (all, slashes: string, hex: string) =>
      slashes.length % 2 === 1 ? `${slashes}u00${hex.toUpperCase()}` : all,
  );
}

/** Turns a fault into the error callers see; anything else passes unchanged. */
export function toError(err: unknown, what: string, prefix = ""): unknown {
  if (!(err instanceof Fault)) return err;
  const path = err.path(prefix);
  const where = path === "" ? what : `${what} at ${path}`;
  return new CloudProtocolError(err.kind, `${where}: ${err.detail}`, { path });
}
