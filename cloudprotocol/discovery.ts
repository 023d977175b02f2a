// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Service discovery: the HTTPS exchange before the WebSocket. The unit posts
 * a request body and gets the WebSocket URLs and a token back. These bodies
 * have no envelope and no `messageType`.
 *
 * @module
 */

import { checkText } from "../utils/_argument_type.ts";
import { arrayOf, required, struct, withDefault } from "./_codec.ts";
import { ID } from "./_common.ts";
import { parsePayload, toError, toJsonText } from "./_json.ts";
import { str, u64 } from "./_scalars.ts";
import { DEFAULT_MAX_FRAME_BYTES, PROTOCOL_VERSION } from "./frame.ts";

/** `errorCode` of a discovery response (numeric on the wire; AosCore does not act on it). */
export const DISCOVERY_ERROR_CODES: Readonly<
  Record<"noError" | "redirect" | "repeatLater" | "error", number>
> = Object.freeze({
  noError: 0,
  redirect: 1,
  repeatLater: 2,
  error: 3,
});

/** The body the unit posts to the discovery URL. */
export interface DiscoveryRequest {
  /**
   * Protocol version.
   *
   * @default {PROTOCOL_VERSION}
   */
  version?: number;
  /** The unit's system ID (≤ 64 bytes). */
  systemId: string;
  /**
   * WebSocket protocols the unit speaks.
   *
   * @default {["wss"]}
   */
  supportedProtocols?: string[];
}

/** What the discovery server answers. */
export interface DiscoveryResponse {
  /** Server protocol version (not checked, as in AosCore). */
  version: number;
  /** Echo of the system ID (not checked). */
  systemId: string;
  /** When more than 0, the base of the reconnect back-off, ms. */
  nextRequestDelay: number;
  /**
   * WebSocket URLs to try, first to last. Empty when the response has none (the
   * cloud answers so while no server is assigned to the unit); AosCore treats
   * that as a failed discovery, and the caller decides what to do.
   */
  connectionInfo: string[];
  /** Sent as `Authorization: Bearer <authToken>` on the WebSocket upgrade. */
  authToken: string;
  /** See {@linkcode DISCOVERY_ERROR_CODES}. */
  errorCode: number;
}

const TEXT = str(Infinity);

const REQUEST = struct<Required<DiscoveryRequest>>("DiscoveryRequest", [
  required("version", "version", u64),
  required("systemId", "systemId", ID),
  required("supportedProtocols", "supportedProtocols", arrayOf(TEXT, Infinity)),
]);

const RESPONSE = struct<DiscoveryResponse>("DiscoveryResponse", [
  withDefault("version", "version", u64),
  withDefault("systemId", "systemId", TEXT),
  withDefault("nextRequestDelay", "nextRequestDelay", u64),
  withDefault("connectionInfo", "connectionInfo", arrayOf(TEXT, Infinity)),
  withDefault("authToken", "authToken", TEXT),
  withDefault("errorCode", "errorCode", u64),
]);

/**
 * Encodes the discovery request body (compact JSON).
 *
 * @example
 * ```ts
 * import { encodeDiscoveryRequest } from "@aoscore/common/cloudprotocol";
 * import assert from "node:assert/strict";
 *
 * assert.equal(
 *   encodeDiscoveryRequest({ systemId: "unit-1" }),
 *   '{"version":7,"systemId":"unit-1","supportedProtocols":["wss"]}',
 * );
 * ```
 *
 * @param request The system ID, and optionally the version and protocols.
 * @returns The JSON body.
 * @throws {CloudProtocolError} For a missing or over-long system ID.
 */
export function encodeDiscoveryRequest(request: DiscoveryRequest): string {
  try {
    return toJsonText(REQUEST.encode({
      version: request.version ?? PROTOCOL_VERSION,
      systemId: request.systemId,
      supportedProtocols: request.supportedProtocols ?? ["wss"],
    }));
  } catch (err) {
    throw toError(err, "Cannot encode discovery request");
  }
}

/**
 * Decodes a discovery response body. Member names match case-insensitively.
 *
 * @example
 * ```ts
 * import { decodeDiscoveryResponse } from "@aoscore/common/cloudprotocol";
 * import assert from "node:assert/strict";
 *
 * const res = decodeDiscoveryResponse(
 *   '{"version":7,"connectionInfo":["wss://cm.example:9000/ws"],"authToken":"tkn","NextRequestDelay":15000}',
 * );
 * assert.deepEqual(res.connectionInfo, ["wss://cm.example:9000/ws"]);
 * assert.equal(res.nextRequestDelay, 15000);
 * ```
 *
 * @param body The response body (UTF-8 bytes or text).
 * @returns The response.
 * @throws {CloudProtocolError} `syntax` for bad JSON, or the kind of a bad member.
 * @throws {AosError} `invalidArgument` when `body` is neither bytes nor a string.
 */
export function decodeDiscoveryResponse(body: Uint8Array | string): DiscoveryResponse {
  checkText(body, "body", "Cannot decode discovery response");
  try {
    return RESPONSE.decode(parsePayload(body, DEFAULT_MAX_FRAME_BYTES).json)!;
  } catch (err) {
    throw toError(err, "Cannot decode discovery response");
  }
}
