// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Shared assertions of the cloudprotocol suites.
import assert from "node:assert/strict";
import {
  type CloudMessage,
  CloudProtocolError,
  type CloudProtocolErrorKind,
  decodeMessage,
  encodeMessage,
} from "../../cloudprotocol/mod.ts";

/** Asserts that `fn` throws a CloudProtocolError of `kind` at `path`. */
export function assertFails(fn: () => unknown, kind: CloudProtocolErrorKind, path: string): void {
  let thrown: unknown;
  try {
    fn();
  } catch (err) {
    thrown = err;
  }
  assert.ok(thrown instanceof CloudProtocolError, `expected CloudProtocolError, got ${thrown}`);
  assert.deepEqual({ kind: thrown.kind, path: thrown.path }, { kind, path }, thrown.message);
}

/** Decodes a `data` object, encodes it back, and asserts that nothing changed. */
export function assertRoundTrip(data: Record<string, unknown>): CloudMessage {
  const msg = decodeMessage(data);
  assert.deepEqual(encodeMessage(msg), data);
  return msg;
}

/** A JSON value as JSON text and back, so member order and `undefined` vanish. */
export function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

/** The UTF-8 JSON text of a frame around `data`. */
export function frameText(data: unknown, header: Record<string, unknown> = HEADER): string {
  return JSON.stringify({ header, data });
}

/** The header of the spec's examples. */
export const HEADER: Record<string, unknown> = {
  version: 7,
  systemId: "a3f1c9e0-5d2b-4c7e-8f10-6b4d2e9a7c51",
  createdAt: "2026-05-07T05:44:11.061622Z",
  txn: "0d6c2f7a-93b1-4e55-8c0d-5a7e21f4b9c3",
};
