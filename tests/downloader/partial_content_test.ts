// Copyright 2026 the aos-common authors. Apache-2.0 license.
// A `206` shorter than the rest of the file (RFC 9110 allows it; CDNs cap
// ranges) is complete when the last byte of its Content-Range arrives: the
// download goes on with a new request, and only failures cost a retry.
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { fileDigest, sha256Digest, testBytes } from "../_helpers/data.ts";
import { progressLog, setup, states } from "./_setup.ts";

Deno.test("a server that answers ranges 100 bytes at a time is followed to the end without a retry", async () => {
  await using env = await setup();
  const body = testBytes(20_000);
  env.server.set("/f", { body, rangeBytes: 100 });
  env.server.plan("/f", { kind: "drop", afterBytes: 100 });
  const dest = env.dir.join("f");
  const log = progressLog();
  await env.downloader.download(sha256Digest(body), env.server.url("/f"), dest, log);
  assert.equal(await fileDigest(dest), sha256Digest(body));
  const gets = env.server.requestsOf("GET");
  assert.equal(gets.length, 200);
  assert.deepEqual(gets.slice(1).map((r) => r.headers["range"]), [
    ...Array.from({ length: 199 }, (_, i) => `bytes=${(i + 1) * 100}-`),
  ]);
  assert.ok(gets.slice(1).every((r) => r.status === 206 && r.headers["if-range"] === '"v1"'));
  // The dropped connection was the one failure.
  assert.deepEqual(states(env.alerts), ["interrupted", "finished"]);
  assert.equal(log.events.filter((e) => e.state === "interrupted").length, 1);
  assert.equal(log.events.at(-1)!.totalBytes, 20_000);
});

Deno.test("a resumed prefix goes on through short ranges in one attempt", async () => {
  await using env = await setup({ maxAttempts: 1 });
  const body = testBytes(5_000, 3);
  env.server.set("/f", { body, rangeBytes: 1000 });
  const dest = env.dir.join("f");
  await writeFile(dest, body.subarray(0, 500));
  await env.downloader.download(sha256Digest(body), env.server.url("/f"), dest);
  assert.equal(await fileDigest(dest), sha256Digest(body));
  assert.deepEqual(
    env.server.requestsOf("GET").map((r) => r.headers["range"]),
    ["bytes=500-", "bytes=1500-", "bytes=2500-", "bytes=3500-", "bytes=4500-"],
  );
  assert.deepEqual(states(env.alerts), ["finished"]);
});

Deno.test("a 206 that ends before the last byte of its Content-Range costs a retry", async () => {
  await using env = await setup();
  const body = testBytes(1_000, 4);
  env.server.set("/f", { body, rangeBytes: 100 });
  env.server.plan("/f", { kind: "drop", afterBytes: 100 }, { kind: "drop", afterBytes: 50 });
  const dest = env.dir.join("f");
  await env.downloader.download(sha256Digest(body), env.server.url("/f"), dest);
  assert.equal(await fileDigest(dest), sha256Digest(body));
  assert.deepEqual(states(env.alerts), ["interrupted", "interrupted", "finished"]);
  assert.equal(env.server.requestsOf("GET")[2]!.headers["range"], "bytes=150-");
});

Deno.test("empty ranges cannot loop: the download restarts from zero in the same attempt", async () => {
  await using env = await setup({ maxAttempts: 2 });
  const body = testBytes(1_000, 5);
  env.server.set("/f", { body, rangeBytes: 0 });
  env.server.plan("/f", { kind: "drop", afterBytes: 100 });
  const dest = env.dir.join("f");
  await env.downloader.download(sha256Digest(body), env.server.url("/f"), dest);
  assert.equal(await fileDigest(dest), sha256Digest(body));
  assert.deepEqual(env.server.requestsOf("GET").map((r) => [r.headers["range"], r.status]), [
    [undefined, 200],
    ["bytes=100-", 206],
    [undefined, 200],
  ]);
});

Deno.test("segmented downloads follow short ranges too", async () => {
  await using env = await setup({ maxAttempts: 1, segments: { count: 4, minSize: 0 } });
  const body = testBytes(4_000, 6);
  env.server.set("/f", { body, rangeBytes: 300 });
  const dest = env.dir.join("f");
  await env.downloader.download(sha256Digest(body), env.server.url("/f"), dest);
  assert.equal(await fileDigest(dest), sha256Digest(body));
  const ranges = env.server.requestsOf("GET").map((r) => r.headers["range"]);
  assert.equal(ranges[0], "bytes=0-");
  // Every range is asked for from where the previous answer ended.
  for (const start of [300, 600, 900, 1000, 1300, 1600, 1900, 2000, 3000]) {
    assert.ok(ranges.some((r) => r?.startsWith(`bytes=${start}-`)), `${start} in ${ranges}`);
  }
  assert.deepEqual(states(env.alerts), ["finished"]);
});
