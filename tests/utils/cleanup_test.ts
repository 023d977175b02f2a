// Copyright 2026 the aos-common authors. Apache-2.0 license.
import assert from "node:assert/strict";
import { CleanupManager } from "../../utils/cleanup.ts";

Deno.test("a single cleanup runs", async () => {
  let ran = false;
  const cleanup = new CleanupManager();
  cleanup.add(() => {
    ran = true;
  });
  await cleanup.run();
  assert.ok(ran);
});

Deno.test("cleanups run last registered first, awaiting each", async () => {
  const order: number[] = [];
  const cleanup = new CleanupManager();
  cleanup.add(() => void order.push(1));
  cleanup.add(async () => {
    await new Promise((r) => setTimeout(r, 5));
    order.push(2);
  });
  cleanup.add(() => void order.push(3));
  assert.equal(cleanup.size, 3);
  await cleanup.run();
  assert.deepEqual(order, [3, 2, 1]);
});

Deno.test("run empties the registry, so a second run repeats nothing", async () => {
  let count = 0;
  const cleanup = new CleanupManager();
  cleanup.add(() => void count++);
  await cleanup.run();
  await cleanup.run();
  assert.equal(count, 1);
  assert.equal(cleanup.size, 0);
});

Deno.test("every cleanup runs despite failures, which come back as an AggregateError", async () => {
  const order: string[] = [];
  const cleanup = new CleanupManager();
  const first = new Error("first");
  cleanup.add(() => void order.push("a"));
  cleanup.add(() => {
    order.push("b");
    throw new Error("second");
  });
  cleanup.add(() => Promise.reject(first));
  await assert.rejects(cleanup.run(), (e) => {
    assert.ok(e instanceof AggregateError);
    assert.equal(e.message, "2 of 3 cleanups failed");
    assert.equal(e.errors[0], first);
    assert.equal((e.errors[1] as Error).message, "second");
    return true;
  });
  assert.deepEqual(order, ["b", "a"]);
});

Deno.test("clear forgets cleanups; await using runs them", async () => {
  let ran = 0;
  const kept = new CleanupManager();
  kept.add(() => void ran++);
  kept.clear();
  await kept.run();
  assert.equal(ran, 0);
  {
    await using scoped = new CleanupManager();
    scoped.add(() => void ran++);
  }
  assert.equal(ran, 1);
});

Deno.test("a cleanup added during a run is kept for the next run", async () => {
  const cleanup = new CleanupManager();
  let later = false;
  cleanup.add(() => cleanup.add(() => void (later = true)));
  await cleanup.run();
  assert.equal(later, false);
  assert.equal(cleanup.size, 1);
  await cleanup.run();
  assert.ok(later);
});
