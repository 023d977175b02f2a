// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The hash worker thread behind verified downloads (utils/_hash_thread.ts):
// it hashes files as they are written, reading back what was written.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { closeSync, openSync, writeSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { type ChunkHasher, HashThread, localHasher } from "../../utils/_hash_thread.ts";
import { errorIs } from "../../utils/errors.ts";
import { testBytes } from "../_helpers/data.ts";
import { tempDir } from "../_helpers/temp_dir.ts";

const MiB = 1 << 20;

function expected(algorithm: string, data: Uint8Array): string {
  return `${algorithm}:${createHash(algorithm).update(data).digest("hex")}`;
}

/** Splits `data` into chunks of varied sizes, empty ones and ones of several MiB included. */
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

/** Writes `data` to `path` chunk by chunk, telling the hasher after each write. */
async function writeAndHash(path: string, data: Uint8Array, hasher: ChunkHasher): Promise<void> {
  const fd = openSync(path, "w");
  try {
    let at = 0;
    for (const chunk of chunks(data)) {
      writeSync(fd, chunk, 0, chunk.length, at);
      at += chunk.length;
      await hasher.written(chunk);
    }
  } finally {
    closeSync(fd);
  }
}

Deno.test("hashes on the worker thread agree with node:crypto for any chunking", async () => {
  await using dir = await tempDir();
  const thread = new HashThread();
  try {
    const inputs = ["sha256", "sha384", "sha512"].map((algorithm, i) => ({
      algorithm: algorithm as "sha256",
      data: testBytes(9 * MiB + i * 333, i + 1),
      path: dir.join(algorithm),
    }));
    // The hashes run at once on the one worker.
    const digests = await Promise.all(inputs.map(async ({ algorithm, data, path }) => {
      const hasher = thread.open(algorithm, path);
      await writeAndHash(path, data, hasher);
      return hasher.digest();
    }));
    assert.ok(thread.running);
    inputs.forEach(({ algorithm, data }, i) => assert.equal(digests[i], expected(algorithm, data)));
  } finally {
    await thread.close();
  }
  assert.equal(thread.running, false);
});

Deno.test("a prefix already in the file is hashed first, on the worker and locally", async () => {
  await using dir = await tempDir();
  const thread = new HashThread();
  try {
    const data = testBytes(5 * MiB + 11, 3);
    const path = dir.join("f");
    await writeFile(path, data);
    const split = 3 * MiB + 1;
    for (const hasher of [thread.open("sha256", path), localHasher("sha256", path)]) {
      await hasher.prefix(split);
      await hasher.written(data.subarray(split));
      assert.equal(await hasher.digest(), expected("sha256", data));
    }
  } finally {
    await thread.close();
  }
});

Deno.test("a file shorter than written, or missing, fails the hash with failed", async () => {
  await using dir = await tempDir();
  const thread = new HashThread();
  try {
    const path = dir.join("short");
    await writeFile(path, testBytes(MiB));
    const short = thread.open("sha256", path);
    await short.prefix(3 * MiB);
    await assert.rejects(
      short.digest(),
      (err) => errorIs(err, "failed") && /ends at byte 1048576, before 3145728/.test(String(err)),
    );
    const missing = thread.open("sha256", dir.join("absent"));
    await assert.rejects(missing.digest(), (err) => errorIs(err, "failed"));
    await assert.rejects(missing.written(new Uint8Array(1)), (err) => errorIs(err, "failed"));
  } finally {
    await thread.close();
  }
});

Deno.test("close() fails unfinished hashes with wrongState; a later open starts a new worker", async () => {
  await using dir = await tempDir();
  const thread = new HashThread();
  const data = testBytes(2 * MiB);
  const path = dir.join("f");
  await writeFile(path, data);
  const unfinished = thread.open("sha256", path);
  await unfinished.written(data);
  await thread.close();
  assert.equal(thread.running, false);
  await assert.rejects(unfinished.written(data), (err) => errorIs(err, "wrongState"));
  await assert.rejects(unfinished.digest(), (err) => errorIs(err, "wrongState"));

  const next = thread.open("sha256", path);
  assert.ok(thread.running);
  await next.written(data);
  assert.equal(await next.digest(), expected("sha256", data));
  await thread.close();
});

Deno.test("a dropped hash leaves the others intact", async () => {
  await using dir = await tempDir();
  const thread = new HashThread();
  try {
    const data = testBytes(4 * MiB, 7);
    await writeFile(dir.join("a"), testBytes(3 * MiB, 8));
    await writeFile(dir.join("b"), data);
    const dropped = thread.open("sha256", dir.join("a"));
    const kept = thread.open("sha256", dir.join("b"));
    await dropped.prefix(3 * MiB);
    await kept.written(data.subarray(0, MiB));
    dropped.drop();
    await kept.written(data.subarray(MiB));
    assert.equal(await kept.digest(), expected("sha256", data));
    await assert.rejects(dropped.digest(), (err) => errorIs(err, "wrongState"));
  } finally {
    await thread.close();
  }
});

Deno.test("a hash goes on on the calling thread when the worker dies", async () => {
  await using dir = await tempDir();
  const thread = new HashThread(new URL("../_helpers/dying_hash_worker.ts", import.meta.url));
  try {
    const data = testBytes(40 * MiB + 3, 11);
    const path = dir.join("f");
    const hasher = thread.open("sha256", path);
    await writeAndHash(path, data, hasher);
    assert.equal(await hasher.digest(), expected("sha256", data));
    assert.equal(thread.running, false);
    // Later hashes stay on the calling thread.
    const next = thread.open("sha256", path);
    assert.equal(thread.running, false);
    await next.prefix(data.length);
    assert.equal(await next.digest(), expected("sha256", data));
  } finally {
    await thread.close();
  }
});
