// Copyright 2026 the aos-common authors. Apache-2.0 license.
import assert from "node:assert/strict";
import { IdentifierPool } from "../../utils/identifier_pool.ts";
import { errorIs } from "../../utils/errors.ts";

Deno.test("the pool hands out the lowest free id and takes ids back", () => {
  const pool = new IdentifierPool({ start: 5000, end: 6000, maxLocked: 10 });
  assert.equal(pool.acquire(), 5000);
  pool.tryAcquire(5001);
  assert.throws(() => pool.tryAcquire(5001), (e) => errorIs(e, "failed"));
  assert.throws(() => pool.tryAcquire(0), (e) => errorIs(e, "outOfRange"));
  assert.throws(() => pool.tryAcquire(6000), (e) => errorIs(e, "outOfRange"), "end is exclusive");
  assert.equal(pool.acquire(), 5002);
  pool.release(5001);
  assert.equal(pool.acquire(), 5001);
  assert.equal(pool.size, 3);
  assert.throws(() => pool.release(5999), (e) => errorIs(e, "notFound"));
});

Deno.test("acquire consults the validator, tryAcquire does not", () => {
  const pool = new IdentifierPool({
    start: 5000,
    end: 6000,
    maxLocked: 10,
    validator: (id) => id % 2 === 0,
  });
  assert.equal(pool.acquire(), 5000);
  assert.equal(pool.acquire(), 5002);
  pool.tryAcquire(5003);
  assert.equal(pool.acquire(), 5004);
});

Deno.test("the pool reports exhaustion and capacity", () => {
  const small = new IdentifierPool({ start: 1, end: 3, maxLocked: 10 });
  small.acquire();
  small.acquire();
  assert.throws(() => small.acquire(), (e) => errorIs(e, "notFound"));
  const capped = new IdentifierPool({ start: 1, end: 100, maxLocked: 2 });
  capped.acquire();
  capped.tryAcquire(50);
  assert.throws(() => capped.acquire(), (e) => errorIs(e, "noMemory"));
  assert.throws(() => capped.tryAcquire(60), (e) => errorIs(e, "noMemory"));
  capped.clear();
  assert.equal(capped.size, 0);
  assert.equal(capped.acquire(), 1);
  assert.throws(
    () => new IdentifierPool({ start: 5, end: 1, maxLocked: 1 }),
    (e) => errorIs(e, "invalidArgument"),
  );
});
