// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Shared bits of the ocispec tests.
import assert from "node:assert/strict";
import { OciError } from "../../ocispec/errors.ts";
export { withTempDir } from "../_helpers/temp_dir.ts";
import type { ErrorKind } from "../../utils/errors.ts";

export const SHA_A = `sha256:${"a".repeat(64)}`;
export const SHA_B = `sha256:${"b".repeat(64)}`;
export const SHA_C = `sha256:${"c".repeat(64)}`;

/** What an expected OciError must carry. */
export interface Expected {
  kind: ErrorKind;
  field?: string;
  path?: string;
  message?: RegExp;
}

function matches(err: unknown, want: Expected): boolean {
  assert.ok(err instanceof OciError, `want an OciError, got ${String(err)}`);
  assert.equal(err.kind, want.kind, err.message);
  if (want.field !== undefined) assert.equal(err.field, want.field, err.message);
  if (want.path !== undefined) {
    assert.equal(err.path, want.path, err.message);
    assert.ok(err.message.includes(want.path), err.message);
  }
  if (want.message !== undefined) assert.match(err.message, want.message);
  return true;
}

export function assertOciError(fn: () => unknown, want: Expected): void {
  assert.throws(fn, (err) => matches(err, want));
}

export async function assertOciRejects(promise: Promise<unknown>, want: Expected): Promise<void> {
  await assert.rejects(promise, (err) => matches(err, want));
}

/** The keys of a JSON text's top-level object, in document order. */
export function keyOrder(text: string): string[] {
  return Object.keys(JSON.parse(text));
}
