// Copyright 2026 the aos-common authors. Apache-2.0 license.
import assert from "node:assert/strict";
import { CloudProtocolError } from "../../cloudprotocol/mod.ts";
import { AosError, errorIs, toErrorInfo } from "../../utils/errors.ts";

Deno.test("CloudProtocolError is an AosError with a protocol kind, a path and an aosCode", () => {
  const err = new CloudProtocolError("limitExceeded", "too long", { path: "/data/items/0" });
  assert.ok(err instanceof AosError);
  assert.equal(err.name, "CloudProtocolError");
  assert.equal(err.kind, "limitExceeded");
  assert.equal(err.aosKind, "noMemory");
  assert.equal(err.aosCode, 3);
  assert.equal(err.code, 3);
  assert.equal(err.path, "/data/items/0");
  assert.equal(err.message, "too long");
  assert.ok(errorIs(err, "noMemory"));
  assert.deepEqual(toErrorInfo(err), { aosCode: 3, exitCode: 0, message: "too long" });
});

Deno.test("wrapping a CloudProtocolError keeps its AosCore kind", () => {
  const err = new CloudProtocolError("unsupportedMessageType", "no");
  const wrapped = AosError.wrap(err, undefined, "can't handle frame");
  assert.equal(wrapped.kind, "notSupported");
  assert.equal(wrapped.code, 12);
  assert.equal(wrapped.message, "can't handle frame: no");
});
