// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Verification on the hash worker thread (`hashWorkerMinBytes`): digests,
// mismatches, resumes, cancel, sharing between downloads, and its lifetime.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { stat, writeFile } from "node:fs/promises";
import { HttpDownloader } from "../../downloader/mod.ts";
import { AosError, errorIs } from "../../utils/errors.ts";
import { fileDigest, sha256Digest, testBytes } from "../_helpers/data.ts";
import { progressLog, setup } from "./_setup.ts";

const MiB = 1 << 20;

// Worker threads as `ps` names them: Deno's `worker-<n>`, Node's `WorkerThread`.
// (`ps` rather than /proc/self, which Deno opens only with --allow-all.)
function threadNames(): string[] | undefined {
  try {
    const out = execFileSync("ps", ["-T", "-o", "comm=", "-p", String(process.pid)]);
    return out.toString().split("\n").map((name) => name.trim());
  } catch {
    return undefined;
  }
}

const threadsVisible = threadNames()?.length !== undefined;
// deno-lint-ignore no-console
if (!threadsVisible) console.warn("hash worker thread counts ignored: `ps -T` is missing");

function workerThreads(): number {
  return threadNames()!.filter((name) => /^(worker-\d+|WorkerThread)$/.test(name)).length;
}

/** Waits (up to 5 s) until `count` worker threads run; returns how many do. */
async function settleWorkerThreads(count: number): Promise<number> {
  for (let i = 0; i < 500 && workerThreads() !== count; i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return workerThreads();
}

/**
 * The worker thread count once it holds still (up to 5 s): a worker closed by
 * an earlier test may take a moment to exit, and counting it would skew `before`.
 */
async function steadyWorkerThreads(): Promise<number> {
  let count = workerThreads();
  for (let same = 0, i = 0; same < 5 && i < 250; i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    const now = workerThreads();
    same = now === count ? same + 1 : 0;
    count = now;
  }
  return count;
}

function digestOf(algorithm: string, body: Uint8Array): string {
  return `${algorithm}:${createHash(algorithm).update(body).digest("hex")}`;
}

Deno.test("verifies sha256, sha384 and sha512 digests on the worker thread", async () => {
  await using env = await setup({ hashWorkerMinBytes: 0 });
  // Several staging buffers per download, and a tail that fills none.
  const body = testBytes(5 * MiB + 12345);
  env.server.set("/f", { body, chunkSize: 256 * 1024 });
  for (const algorithm of ["sha256", "sha384", "sha512"]) {
    const dest = env.dir.join(algorithm);
    await env.downloader.download(digestOf(algorithm, body), env.server.url("/f"), dest);
    assert.equal(await fileDigest(dest), sha256Digest(body));
  }
});

Deno.test("content that does not match the digest fails with invalidChecksum on the worker", async () => {
  await using env = await setup({ hashWorkerMinBytes: 0 });
  const body = testBytes(3 * MiB);
  env.server.set("/f", { body });
  const dest = env.dir.join("f");
  const wrong = sha256Digest(testBytes(3 * MiB, 9));
  await assert.rejects(env.downloader.download(wrong, env.server.url("/f"), dest), (err) => {
    assert.ok(err instanceof AosError);
    assert.equal(err.kind, "invalidChecksum");
    assert.match(err.message, new RegExp(`expected ${wrong}, got ${sha256Digest(body)}`));
    return true;
  });
  await assert.rejects(stat(dest));
});

Deno.test("a foreign prefix hashed on the worker breaks the digest and is downloaded again", async () => {
  await using env = await setup({ hashWorkerMinBytes: 0 });
  const body = testBytes(4 * MiB);
  env.server.set("/f", { body });
  const dest = env.dir.join("f");
  await writeFile(dest, testBytes(3 * MiB, 5));
  await env.downloader.download(sha256Digest(body), env.server.url("/f"), dest);
  const ranges = env.server.requestsOf("GET").map((r) => r.headers["range"]);
  assert.deepEqual(ranges, [`bytes=${3 * MiB}-`, undefined]);
  assert.equal(await fileDigest(dest), sha256Digest(body));
});

Deno.test("cancel while the worker hashes leaves a partial file that resumes and verifies", async () => {
  await using env = await setup({ hashWorkerMinBytes: 0, progressIntervalMs: 50 });
  const body = testBytes(8 * MiB);
  env.server.set("/big", { body, chunkSize: 64 * 1024, chunkDelayMs: 5 });
  const dest = env.dir.join("big");
  const digest = sha256Digest(body);
  const log = progressLog();
  const pending = env.downloader.download(digest, env.server.url("/big"), dest, log);
  await log.reached(3 * MiB);
  await env.downloader.cancel(digest);
  await assert.rejects(pending, (err) => errorIs(err, "canceled"));
  const partial = (await stat(dest)).size;
  assert.ok(partial >= 3 * MiB && partial < body.length, `partial size ${partial}`);

  // The resumed download hashes the partial file on the worker, then the rest.
  await env.downloader.download(digest, env.server.url("/big"), dest);
  assert.equal(env.server.requestsOf("GET")[1]!.headers["range"], `bytes=${partial}-`);
  assert.equal(await fileDigest(dest), digest);
});

Deno.test("a segmented download, and a complete file answered with 416, are verified on the worker", async () => {
  await using env = await setup({ hashWorkerMinBytes: 0, segments: { count: 4, minSize: MiB } });
  const body = testBytes(6 * MiB + 9);
  env.server.set("/f", { body });
  const dest = env.dir.join("f");
  await env.downloader.download(sha256Digest(body), env.server.url("/f"), dest);
  assert.equal(await fileDigest(dest), sha256Digest(body));
  // The whole file is there: the server answers 416 and the file is verified as it is.
  await env.downloader.download(sha256Digest(body), env.server.url("/f"), dest);
  assert.equal(env.server.requestsOf("GET").at(-1)!.status, 416);
  const wrong = sha256Digest(testBytes(6 * MiB + 9, 2));
  await assert.rejects(
    env.downloader.download(wrong, env.server.url("/f"), env.dir.join("g")),
    (err) => errorIs(err, "invalidChecksum"),
  );
  await assert.rejects(stat(env.dir.join("g")));
});

Deno.test("a file:// copy is verified on the worker thread", async () => {
  await using env = await setup({ hashWorkerMinBytes: 0 });
  const body = testBytes(3 * MiB + 7);
  await writeFile(env.dir.join("src"), body);
  const dest = env.dir.join("copy");
  await env.downloader.download(sha256Digest(body), `file://${env.dir.join("src")}`, dest);
  assert.equal(await fileDigest(dest), sha256Digest(body));
  const wrong = sha256Digest(new Uint8Array(1));
  await assert.rejects(
    env.downloader.download(wrong, `file://${env.dir.join("src")}`, env.dir.join("bad")),
    (err) => errorIs(err, "invalidChecksum"),
  );
});

Deno.test({
  name: "concurrent downloads share one worker thread and all verify",
  ignore: !threadsVisible,
  async fn() {
    const before = await steadyWorkerThreads();
    await using env = await setup({ hashWorkerMinBytes: 0 });
    const bodies = Array.from({ length: 12 }, (_, i) => testBytes(2 * MiB + i * 4099, i + 1));
    bodies.forEach((body, i) => env.server.set(`/f${i}`, { body, chunkSize: 128 * 1024 }));
    await Promise.all(
      bodies.map((body, i) =>
        env.downloader.download(sha256Digest(body), env.server.url(`/f${i}`), env.dir.join(`f${i}`))
      ),
    );
    for (const [i, body] of bodies.entries()) {
      assert.equal(await fileDigest(env.dir.join(`f${i}`)), sha256Digest(body));
    }
    assert.equal(workerThreads(), before + 1);
  },
});

Deno.test({
  name: "close() stops the hash worker, and small downloads never start it",
  ignore: !threadsVisible,
  async fn() {
    const before = await steadyWorkerThreads();
    const body = testBytes(2 * MiB);
    await using env = await setup();
    env.server.set("/f", { body });
    await env.downloader.download(sha256Digest(body), env.server.url("/f"), env.dir.join("a"));
    assert.equal(workerThreads(), before, "below hashWorkerMinBytes, no worker");

    await using downloader = new HttpDownloader({ hashWorkerMinBytes: MiB });
    await downloader.download(sha256Digest(body), env.server.url("/f"), env.dir.join("b"));
    assert.equal(await settleWorkerThreads(before + 1), before + 1);
    await downloader.close();
    assert.equal(await settleWorkerThreads(before), before);
    assert.equal(await fileDigest(env.dir.join("b")), sha256Digest(body));
  },
});

Deno.test("hashWorkerMinBytes must be a number ≥ 0", () => {
  for (const bad of [-1, Number.NaN]) {
    assert.throws(
      () => new HttpDownloader({ hashWorkerMinBytes: bad }),
      (err) => errorIs(err, "invalidArgument") && /hashWorkerMinBytes/.test(String(err)),
    );
  }
  new HttpDownloader({ hashWorkerMinBytes: Infinity });
});
