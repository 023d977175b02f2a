// Copyright 2026 the aos-common authors. Apache-2.0 license.
import assert from "node:assert/strict";
import { retry } from "../../utils/retry.ts";
import { AosError, errorIs } from "../../utils/errors.ts";

function failing(times: number, value = "done"): (attempt: number) => Promise<string> {
  return (attempt) =>
    attempt <= times
      ? Promise.reject(new AosError("failed", `attempt ${attempt}`))
      : Promise.resolve(value);
}

Deno.test("retry succeeds on the third try after reporting delays 1x and 2x", async () => {
  const calls: [number, number, string][] = [];
  const result = await retry(failing(2), {
    delayMs: 2,
    onRetry: (attempt, delayMs, err) => calls.push([attempt, delayMs, err.message]),
  });
  assert.equal(result, "done");
  assert.deepEqual(calls, [[1, 2, "attempt 1"], [2, 4, "attempt 2"]]);
});

Deno.test("retry gives up after maxTries with the last error and no callback after it", async () => {
  const seen: number[] = [];
  let last: unknown;
  await assert.rejects(
    retry((attempt) => {
      last = new AosError("timeout", `attempt ${attempt}`);
      throw last;
    }, { maxTries: 4, delayMs: 1, onRetry: (attempt) => seen.push(attempt) }),
    (err) => err === last,
  );
  assert.deepEqual(seen, [1, 2, 3]);
});

Deno.test("retry caps the delay at maxDelayMs", async () => {
  const delays: number[] = [];
  await assert.rejects(
    retry(failing(10), {
      maxTries: 5,
      delayMs: 1,
      maxDelayMs: 4,
      onRetry: (_a, ms) => delays.push(ms),
    }),
  );
  assert.deepEqual(delays, [1, 2, 4, 4]);
  const uncapped: number[] = [];
  await retry(failing(3), {
    delayMs: 1,
    maxDelayMs: 0,
    maxTries: 4,
    multiplier: 3,
    onRetry: (_a, ms) => uncapped.push(ms),
  });
  assert.deepEqual(uncapped, [1, 3, 9]);
});

Deno.test("retry with unlimited tries runs until aborted, then rejects with canceled", async () => {
  const controller = new AbortController();
  let calls = 0;
  const pending = retry(() => {
    if (++calls === 5) controller.abort();
    throw new Error("down");
  }, { maxTries: 0, delayMs: 1, maxDelayMs: 1, signal: controller.signal });
  await assert.rejects(pending, (e) => errorIs(e, "canceled"));
  assert.equal(calls, 5);
});

Deno.test("an abort interrupts the wait between tries", async () => {
  const controller = new AbortController();
  const pending = retry(failing(1), {
    delayMs: 60_000,
    signal: controller.signal,
    onRetry: () => queueMicrotask(() => controller.abort()),
  });
  await assert.rejects(pending, (e) => errorIs(e, "canceled"));
  await assert.rejects(
    retry(failing(0), { signal: AbortSignal.abort() }),
    (e) => errorIs(e, "canceled"),
  );
});

Deno.test("shouldRetry stops on errors that will not go away", async () => {
  let calls = 0;
  const fatal = new AosError("notFound", "HTTP 404");
  await assert.rejects(
    retry(() => {
      calls++;
      throw fatal;
    }, { delayMs: 1, maxTries: 10, shouldRetry: (err) => !errorIs(err, "notFound") }),
    (e) => e === fatal,
  );
  assert.equal(calls, 1);
});

Deno.test("a delay from shouldRetry or the error's retryAfterMs replaces the backoff", async () => {
  const delays: number[] = [];
  let attempt = 0;
  const result = await retry(() => {
    attempt++;
    if (attempt === 1) throw Object.assign(new Error("busy"), { retryAfterMs: 3 });
    if (attempt === 2) throw new Error("predicate sets 7");
    if (attempt === 3) throw Object.assign(new Error("bad hint"), { retryAfterMs: NaN });
    return attempt;
  }, {
    delayMs: 1,
    maxTries: 5,
    maxDelayMs: 2,
    shouldRetry: (err) => (err as Error).message === "predicate sets 7" ? 7 : true,
    onRetry: (_a, ms) => delays.push(ms),
  });
  assert.equal(result, 4);
  assert.deepEqual(delays, [3, 7, 2], "an override is not capped; the backoff goes on beside it");
});

Deno.test("canceled errors are not retried by default", async () => {
  let calls = 0;
  await assert.rejects(
    retry(() => {
      calls++;
      throw new AosError("canceled");
    }, { delayMs: 1 }),
    (e) => errorIs(e, "canceled"),
  );
  assert.equal(calls, 1);
});

Deno.test("jitter shortens each delay by at most its share", async () => {
  const delays: number[] = [];
  await retry(failing(6), {
    delayMs: 4,
    maxDelayMs: 8,
    maxTries: 7,
    jitter: 0.5,
    onRetry: (_a, ms) => delays.push(ms),
  });
  const bases = [4, 8, 8, 8, 8, 8];
  delays.forEach((ms, i) =>
    assert.ok(ms >= bases[i]! / 2 && ms <= bases[i]!, `${ms} vs ${bases[i]}`)
  );
});

Deno.test("retry returns a synchronous result and passes the attempt number", async () => {
  assert.equal(await retry((attempt) => attempt * 10), 10);
});

Deno.test("retry rejects bad options with invalidArgument", async () => {
  const bad = [{ maxTries: -1 }, { maxTries: 1.5 }, { delayMs: -1 }, { delayMs: NaN }, {
    maxDelayMs: Infinity,
  }, {
    multiplier: 0.5,
  }, { jitter: 2 }];
  for (const options of bad) {
    await assert.rejects(retry(() => 1, options), (e) => {
      assert.ok(errorIs(e, "invalidArgument"));
      assert.match(String(e), /^Cannot retry: invalid \w+: /);
      return true;
    }, JSON.stringify(options));
  }
});
