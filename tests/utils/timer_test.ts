// Copyright 2026 the aos-common authors. Apache-2.0 license.
import assert from "node:assert/strict";
import { Timer } from "../../utils/timer.ts";
import { delay } from "../../utils/abort.ts";
import { errorIs } from "../../utils/errors.ts";

function counter(
  target: number,
): { tick: () => void; reached: Promise<void>; count: () => number } {
  let count = 0;
  const { promise, resolve } = Promise.withResolvers<void>();
  return {
    tick: () => {
      if (++count === target) resolve();
    },
    reached: promise,
    count: () => count,
  };
}

Deno.test("a one-shot timer fires once and stops", async () => {
  using timer = new Timer();
  const c = counter(1);
  timer.start(2, c.tick);
  assert.ok(timer.running);
  await c.reached;
  await delay(20);
  assert.equal(c.count(), 1);
  assert.equal(timer.running, false);
});

Deno.test("a periodic timer fires until stopped", async () => {
  const timer = new Timer();
  const c = counter(3);
  timer.start(1, c.tick, { oneShot: false });
  await c.reached;
  timer.stop();
  const count = c.count();
  await delay(20);
  assert.equal(c.count(), count, "no tick after stop");
});

Deno.test("a periodic timer with a slow async callback never overlaps", async () => {
  using timer = new Timer();
  let active = 0, maxActive = 0, runs = 0;
  const { promise, resolve } = Promise.withResolvers<void>();
  timer.start(1, async () => {
    active++;
    maxActive = Math.max(maxActive, active);
    await delay(15);
    active--;
    if (++runs === 3) resolve();
  }, { oneShot: false });
  await promise;
  timer.stop();
  await delay(20);
  assert.equal(maxActive, 1);
});

Deno.test("intervals of 0.5 ms or less are rejected", () => {
  const timer = new Timer();
  for (const bad of [0.1, 0.5, 0, -1, NaN, Infinity]) {
    assert.throws(
      () => timer.start(bad, () => {}),
      (e) => errorIs(e, "invalidArgument"),
      String(bad),
    );
  }
  assert.equal(timer.running, false);
});

Deno.test("stop is idempotent; restart re-arms, and does nothing before a start", async () => {
  const timer = new Timer();
  timer.stop();
  timer.restart();
  assert.equal(timer.running, false);
  const c = counter(2);
  timer.start(60_000, c.tick);
  timer.stop();
  timer.stop();
  timer.start(2, c.tick);
  await delay(20);
  timer.restart();
  assert.ok(timer.running);
  await c.reached;
  assert.equal(c.count(), 2);
});

Deno.test("starting an armed timer restarts it with the new callback", async () => {
  using timer = new Timer();
  let first = 0;
  const c = counter(1);
  timer.start(60_000, () => void first++);
  timer.start(2, c.tick);
  await c.reached;
  assert.equal(first, 0);
});

Deno.test("an abort signal stops the timer", async () => {
  const controller = new AbortController();
  using timer = new Timer();
  let ticks = 0;
  timer.start(5, () => void ticks++, { signal: controller.signal, oneShot: false });
  controller.abort();
  assert.equal(timer.running, false);
  await delay(20);
  assert.equal(ticks, 0);
  timer.start(5, () => void ticks++, { signal: AbortSignal.abort() });
  assert.equal(timer.running, false);
});

Deno.test("onError receives synchronous and asynchronous callback failures", async () => {
  using timer = new Timer();
  const errors: string[] = [];
  const c = counter(2);
  let n = 0;
  timer.start(1, () => {
    n++;
    return n === 1 ? Promise.reject(new Error("async")) : (() => {
      throw new Error("sync");
    })();
  }, {
    oneShot: false,
    onError: (e) => {
      errors.push((e as Error).message);
      c.tick();
    },
  });
  await c.reached;
  timer.stop();
  assert.deepEqual(errors.slice(0, 2), ["async", "sync"]);
});

Deno.test("an unref'd timer still fires while something else keeps the process alive", async () => {
  using timer = new Timer();
  let fired = false;
  timer.start(2, () => void (fired = true), { unref: true });
  await delay(30);
  assert.ok(fired);
});
