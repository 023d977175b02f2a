// Copyright 2026 the aos-common authors. Apache-2.0 license.
import assert from "node:assert/strict";
import { canceledError, delay, throwIfAborted } from "../../utils/abort.ts";
import { AosError, errorIs } from "../../utils/errors.ts";

Deno.test("delay resolves after the wait", async () => {
  const start = performance.now();
  await delay(20);
  assert.ok(performance.now() - start >= 15);
});

Deno.test("delay rejects with canceled when aborted and clears its timer", async () => {
  const controller = new AbortController();
  const pending = delay(60_000, { signal: controller.signal });
  controller.abort();
  await assert.rejects(pending, (e) => errorIs(e, "canceled"));
  await assert.rejects(delay(1, { signal: AbortSignal.abort() }), (e) => errorIs(e, "canceled"));
});

Deno.test("canceledError keeps an AosError reason and wraps any other", () => {
  const own = new AosError("timeout", "deadline");
  assert.equal(canceledError(AbortSignal.abort(own)), own);
  const err = canceledError(AbortSignal.abort("why"), "download canceled");
  assert.equal(err.kind, "canceled");
  assert.equal(err.message, "download canceled: why");
  assert.throws(() => throwIfAborted(AbortSignal.abort()), (e) => errorIs(e, "canceled"));
  throwIfAborted(undefined);
  throwIfAborted(new AbortController().signal);
});
