// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The hash worker thread behind verified downloads (utils/_hash_thread.ts).
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { HashThread } from "../../utils/_hash_thread.ts";
import { errorIs } from "../../utils/errors.ts";
import { testBytes } from "../_helpers/data.ts";

const MiB = 1 << 20;

function expected(algorithm: string, data: Uint8Array): string {
  return `${algorithm}:${createHash(algorithm).update(data).digest("hex")}`;
}

/** Splits `data` into chunks of varied sizes, empty ones and ones larger than a staging buffer included. */
function chunks(data: Uint8Array): Uint8Array[] {
  const sizes = [0, 1, 65_536, 3 * MiB + 5, 1_000_000, 0, 7, MiB, 262_144];
  const out: Uint8Array[] = [];
  for (let at = 0, i = 0; at < data.length; i++) {
    const size = sizes[i % sizes.length]!;
    out.push(data.subarray(at, at + size));
    at += size;
  }
  return out;
}

Deno.test("hashes on the worker thread agree with node:crypto for any chunking", async () => {
  const thread = new HashThread();
  try {
    const inputs = ["sha256", "sha384", "sha512"].map((algorithm, i) => ({
      algorithm,
      data: testBytes(9 * MiB + i * 333, i + 1),
    }));
    // The hashes run at once, their updates interleaved on the one worker.
    const digests = await Promise.all(inputs.map(async ({ algorithm, data }) => {
      const hasher = thread.open(algorithm as "sha256");
      for (const chunk of chunks(data)) await hasher.update(chunk);
      return hasher.digest();
    }));
    assert.ok(thread.running);
    inputs.forEach(({ algorithm, data }, i) => assert.equal(digests[i], expected(algorithm, data)));
  } finally {
    await thread.close();
  }
  assert.equal(thread.running, false);
});

Deno.test("updates may be issued without waiting, and are taken in order", async () => {
  const thread = new HashThread();
  try {
    const data = testBytes(6 * MiB + 1);
    const hasher = thread.open("sha256");
    await Promise.all(chunks(data).map((chunk) => hasher.update(chunk)));
    assert.equal(await hasher.digest(), expected("sha256", data));
  } finally {
    await thread.close();
  }
});

Deno.test("close() fails unfinished hashes with wrongState; a later open starts a new worker", async () => {
  const thread = new HashThread();
  const data = testBytes(2 * MiB);
  const unfinished = thread.open("sha256");
  await unfinished.update(data);
  await thread.close();
  assert.equal(thread.running, false);
  await assert.rejects(unfinished.update(data), (err) => errorIs(err, "wrongState"));
  await assert.rejects(unfinished.digest(), (err) => errorIs(err, "wrongState"));

  const next = thread.open("sha256");
  assert.ok(thread.running);
  await next.update(data);
  assert.equal(await next.digest(), expected("sha256", data));
  await thread.close();
});

Deno.test("a dropped hash leaves the others intact", async () => {
  const thread = new HashThread();
  try {
    const data = testBytes(4 * MiB, 7);
    const dropped = thread.open("sha256");
    const kept = thread.open("sha256");
    await dropped.update(testBytes(3 * MiB, 8));
    await kept.update(data.subarray(0, MiB));
    dropped.drop();
    await kept.update(data.subarray(MiB));
    assert.equal(await kept.digest(), expected("sha256", data));
    await assert.rejects(dropped.digest(), (err) => errorIs(err, "wrongState"));
  } finally {
    await thread.close();
  }
});
