// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Resume correctness, verification and the retry policy against servers
// that change, lie, stall and push back.
import assert from "node:assert/strict";
import { readFile, stat, writeFile } from "node:fs/promises";
import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import { AosError, errorIs } from "../../utils/errors.ts";
import { fileDigest, sha256Digest, testBytes } from "../_helpers/data.ts";
import { progressLog, setup, states } from "./_setup.ts";

const MiB = 1 << 20;

Deno.test("a resource that changed between attempts restarts instead of appending", async () => {
  await using env = await setup();
  const v1 = testBytes(4 * MiB, 1);
  const v2 = testBytes(4 * MiB, 2);
  env.server.set("/f", { body: v1 });
  env.server.plan("/f", {
    kind: "drop",
    afterBytes: 2 * MiB,
    then: () => env.server.set("/f", { body: v2 }),
  });
  const dest = env.dir.join("f");
  await env.downloader.download(sha256Digest(v2), env.server.url("/f"), dest);
  const [first, second] = env.server.requestsOf("GET");
  assert.equal(first!.headers["if-range"], undefined);
  assert.equal(second!.headers["range"], `bytes=${2 * MiB}-`);
  assert.equal(second!.headers["if-range"], '"v1"');
  assert.equal(second!.status, 200);
  assert.equal(await fileDigest(dest), sha256Digest(v2));
  await assert.rejects(stat(`${dest}.meta.json`));
});

Deno.test("Last-Modified serves as the validator when there is no ETag", async () => {
  await using env = await setup();
  const v1 = testBytes(2 * MiB, 1);
  const v2 = testBytes(2 * MiB, 2);
  env.server.set("/f", { body: v1, etag: null, lastModified: "Tue, 01 Sep 2026 10:00:00 GMT" });
  env.server.plan("/f", {
    kind: "drop",
    afterBytes: MiB,
    then: () =>
      env.server.set("/f", {
        body: v2,
        etag: null,
        lastModified: "Wed, 02 Sep 2026 10:00:00 GMT",
      }),
  });
  await env.downloader.download("key", env.server.url("/f"), env.dir.join("f"));
  assert.equal(
    env.server.requestsOf("GET")[1]!.headers["if-range"],
    "Tue, 01 Sep 2026 10:00:00 GMT",
  );
  assert.equal(await fileDigest(env.dir.join("f")), sha256Digest(v2));
});

Deno.test("a resource whose size changed restarts even without a validator", async () => {
  await using env = await setup();
  const v1 = testBytes(2 * MiB, 1);
  const v2 = testBytes(3 * MiB, 2);
  env.server.set("/f", { body: v1, etag: null });
  env.server.plan("/f", {
    kind: "drop",
    afterBytes: MiB,
    then: () => env.server.set("/f", { body: v2, etag: null }),
  });
  await env.downloader.download("key", env.server.url("/f"), env.dir.join("f"));
  assert.deepEqual(env.server.requestsOf("GET").map((r) => r.status), [200, 206, 200]);
  assert.equal(await fileDigest(env.dir.join("f")), sha256Digest(v2));
});

Deno.test("a 206 for the wrong range restarts from zero in the same attempt", async () => {
  await using env = await setup();
  const body = testBytes(2 * MiB);
  env.server.set("/f", { body });
  env.server.plan("/f", { kind: "wrongRange", start: 0 });
  const dest = env.dir.join("f");
  await writeFile(dest, body.subarray(0, MiB));
  await env.downloader.download(sha256Digest(body), env.server.url("/f"), dest);
  const gets = env.server.requestsOf("GET");
  assert.deepEqual(gets.map((r) => r.status), [206, 200]);
  assert.equal(gets[1]!.headers["range"], undefined);
  assert.deepEqual(states(env.alerts), ["finished"]);
  assert.equal(await fileDigest(dest), sha256Digest(body));
});

Deno.test("a body shorter than its Content-Length is resumed", async () => {
  await using env = await setup();
  const body = testBytes(2 * MiB);
  env.server.set("/f", { body });
  env.server.plan("/f", { kind: "lieLength", contentLength: 3 * MiB });
  const dest = env.dir.join("f");
  await env.downloader.download(sha256Digest(body), env.server.url("/f"), dest);
  assert.equal(states(env.alerts)[0], "interrupted");
  assert.match(env.alerts[0]!.reason!, /Transfer interrupted at byte 2097152 of 3145728/);
  assert.equal(await fileDigest(dest), sha256Digest(body));
});

Deno.test("a body longer than its Content-Length fails verification and is deleted", async () => {
  await using env = await setup();
  const body = testBytes(2 * MiB);
  env.server.set("/f", { body });
  env.server.plan("/f", { kind: "lieLength", contentLength: MiB });
  const dest = env.dir.join("f");
  await assert.rejects(
    env.downloader.download(sha256Digest(body), env.server.url("/f"), dest),
    (err) => errorIs(err, "invalidChecksum") && /Digest mismatch/.test(String(err)),
  );
  assert.equal(env.server.requestsOf("GET").length, 1);
  await assert.rejects(stat(dest));
});

Deno.test("a stalled transfer fails with timeout and the next attempt resumes", async () => {
  await using env = await setup({ stallTimeoutMs: 300, stallMinBytes: 1024 });
  const body = testBytes(3 * MiB);
  env.server.set("/f", { body });
  env.server.plan("/f", { kind: "stall", afterBytes: 1.5 * MiB });
  const dest = env.dir.join("f");
  await env.downloader.download(sha256Digest(body), env.server.url("/f"), dest);
  assert.equal(env.alerts[0]!.state, "interrupted");
  assert.match(env.alerts[0]!.reason!, /stalled: fewer than 1024 bytes in 300 ms/);
  assert.equal(env.alerts[0]!.error?.aosCode, 7);
  assert.equal(env.server.requestsOf("GET")[1]!.headers["range"], `bytes=${1.5 * MiB}-`);
  assert.equal(await fileDigest(dest), sha256Digest(body));
});

Deno.test("Retry-After sets the wait, capped by maxRetryAfterMs", async () => {
  await using env = await setup({ maxRetryAfterMs: 40 });
  env.server.set("/f", { body: testBytes(100) });
  env.server.plan(
    "/f",
    { kind: "status", status: 503, retryAfter: "0" },
    { kind: "status", status: 429, retryAfter: "120" },
  );
  const log = progressLog();
  await env.downloader.download("d", env.server.url("/f"), env.dir.join("f"), log);
  const waits = log.events.filter((e) => e.state === "interrupted").map((e) => e.retryInMs);
  assert.deepEqual(waits, [0, 40]);
});

Deno.test("408 and 429 are retried; other 4xx are not", async () => {
  await using env = await setup();
  env.server.set("/f", { body: testBytes(100) });
  env.server.plan("/f", { kind: "status", status: 408 }, { kind: "status", status: 429 });
  await env.downloader.download("d", env.server.url("/f"), env.dir.join("f"));
  assert.equal(env.server.requestsOf("GET").length, 3);
  for (const status of [400, 401, 403, 410]) {
    env.server.plan("/g", { kind: "status", status });
    await assert.rejects(
      env.downloader.download("d", env.server.url("/g"), env.dir.join("g")),
      (err) => err instanceof AosError && err.status === status,
    );
  }
  assert.equal(env.server.requestsOf("GET", "/g").length, 4);
});

Deno.test("content that does not match the digest is deleted with invalidChecksum", async () => {
  await using env = await setup();
  const body = testBytes(MiB);
  env.server.set("/f", { body });
  const dest = env.dir.join("f");
  const wrong = sha256Digest(testBytes(MiB, 9));
  await assert.rejects(
    env.downloader.download(wrong, env.server.url("/f"), dest),
    (err) => {
      assert.ok(err instanceof AosError);
      assert.equal(err.kind, "invalidChecksum");
      assert.match(err.message, new RegExp(`expected ${wrong}, got ${sha256Digest(body)}`));
      return true;
    },
  );
  assert.equal(env.server.requestsOf("GET").length, 1);
  await assert.rejects(stat(dest));
  await assert.rejects(stat(`${dest}.meta.json`));
  assert.deepEqual(states(env.alerts), ["interrupted"]);
  assert.equal(env.alerts[0]!.error?.aosCode, 10);
});

Deno.test("a foreign prefix that breaks the digest is downloaded again from zero", async () => {
  await using env = await setup();
  const body = testBytes(2 * MiB);
  env.server.set("/f", { body });
  const dest = env.dir.join("f");
  await writeFile(dest, testBytes(MiB, 5));
  await env.downloader.download(sha256Digest(body), env.server.url("/f"), dest);
  const gets = env.server.requestsOf("GET");
  assert.deepEqual(gets.map((r) => r.headers["range"]), [`bytes=${MiB}-`, undefined]);
  assert.equal(await fileDigest(dest), sha256Digest(body));
});

Deno.test("verifies sha512 digests and skips verification when told to", async () => {
  await using env = await setup();
  const body = testBytes(MiB);
  env.server.set("/f", { body });
  const sha512 = "sha512:" + createHash("sha512").update(body).digest("hex");
  await env.downloader.download(sha512, env.server.url("/f"), env.dir.join("a"));
  const wrong = sha256Digest(new Uint8Array(1));
  await env.downloader.download(wrong, env.server.url("/f"), env.dir.join("b"), {
    verify: false,
  });
  assert.deepEqual(await readFile(env.dir.join("b")), Buffer.from(body));
});

Deno.test("50 concurrent downloads of different digests all verify", async () => {
  await using env = await setup();
  const bodies = Array.from({ length: 50 }, (_, i) => testBytes(256 * 1024 + i, i + 1));
  bodies.forEach((body, i) => env.server.set(`/blob${i}`, { body, chunkSize: 32 * 1024 }));
  await Promise.all(
    bodies.map((body, i) =>
      env.downloader.download(
        sha256Digest(body),
        env.server.url(`/blob${i}`),
        env.dir.join(`b${i}`),
      )
    ),
  );
  for (const [i, body] of bodies.entries()) {
    assert.equal(await fileDigest(env.dir.join(`b${i}`)), sha256Digest(body));
  }
  assert.equal(env.alerts.filter((a) => a.state === "finished").length, 50);
});
