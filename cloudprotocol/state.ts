// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Instance state: the unit asks for a state (`stateRequest`) and reports a
 * new one (`newState`); the cloud replaces a state (`updateState`) and judges
 * a reported one (`stateAcceptance`). State content is text, not base64.
 *
 * @module
 */

import { type Codecs, required, struct, withDefault } from "./_codec.ts";
import { instanceIdent, messageRows } from "./_common.ts";
import { LIMITS } from "./_limits.ts";
import { hex } from "./_binary.ts";
import { bool, enumOf, str } from "./_scalars.ts";
import { type InstanceIdent, type MessageBase, STATE_RESULTS, type StateResult } from "./types.ts";

/** `stateRequest` (unit → cloud): asks for the stored state of an instance. */
export interface StateRequest extends MessageBase<"stateRequest">, InstanceIdent {
  /** Asks for the default state rather than the last stored one. */
  default: boolean;
}

/** `newState` (unit → cloud): the instance changed its state. */
export interface NewState extends MessageBase<"newState">, InstanceIdent {
  /** SHA-256 of `state` (may be empty). */
  stateChecksum: Uint8Array;
  /** State content (≤ 65 536 bytes). */
  state: string;
}

/** `updateState` (cloud → unit): replaces the state of an instance. */
export interface UpdateState extends MessageBase<"updateState">, InstanceIdent {
  /** SHA-256 of `state`; verified by the state handler, not by the codec. */
  stateChecksum: Uint8Array;
  /** State content (≤ 65 536 bytes). */
  state: string;
}

/** `stateAcceptance` (cloud → unit): verdict on a `newState`. */
export interface StateAcceptance extends MessageBase<"stateAcceptance">, InstanceIdent {
  /** Checksum of the state judged (wire `checksum`). */
  checksum: Uint8Array;
  /** Accepted or rejected. */
  result: StateResult;
  /** Why (≤ 256 bytes). */
  reason: string;
}

const CHECKSUM = hex(LIMITS.checksum);
const STATE = str(LIMITS.state);
const SENT_IDENT = instanceIdent({ instance: "required" });
const RECEIVED_IDENT = instanceIdent({ instance: "default" });

/** Codecs of this family. */
export const STATE_CODECS: Codecs<"stateRequest" | "newState" | "updateState" | "stateAcceptance"> =
  {
    stateRequest: struct<StateRequest>("stateRequest", [
      ...messageRows("stateRequest"),
      SENT_IDENT,
      required("default", "default", bool),
    ]),
    newState: struct<NewState>("newState", [
      ...messageRows("newState"),
      SENT_IDENT,
      required("stateChecksum", "stateChecksum", CHECKSUM),
      required("state", "state", STATE),
    ]),
    updateState: struct<UpdateState>("updateState", [
      ...messageRows("updateState"),
      RECEIVED_IDENT,
      withDefault("stateChecksum", "stateChecksum", CHECKSUM),
      withDefault("state", "state", STATE),
    ]),
    stateAcceptance: struct<StateAcceptance>("stateAcceptance", [
      ...messageRows("stateAcceptance"),
      RECEIVED_IDENT,
      withDefault("checksum", "checksum", CHECKSUM),
      required("result", "result", enumOf("StateResult", STATE_RESULTS)),
      withDefault("reason", "reason", str(LIMITS.stateReason)),
    ]),
  };
