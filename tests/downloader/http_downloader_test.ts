// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The reference scenarios (spec section 6) against a real server and files.
import assert from "node:assert/strict";
import { readFile, stat, writeFile } from "node:fs/promises";
import { HttpDownloader } from "../../downloader/mod.ts";
import { AosError, errorIs } from "../../utils/errors.ts";
import { fileDigest, sha256Digest, testBytes } from "../_helpers/data.ts";
import { FakeClock } from "../_helpers/fake_clock.ts";
import { type Env, progressLog, setup, states } from "./_setup.ts";

const MiB = 1 << 20;

/** Resolves once the server has seen `count` requests. */
function requestsSeen(env: Env, count: number): Promise<void> {
  return new Promise((resolve) => {
    const check = () => env.server.requests.length >= count ? resolve() : setTimeout(check, 5);
    check();
  });
}

Deno.test("downloads a small file in one GET and sends one finished alert", async () => {
  await using env = await setup();
  const body = new TextEncoder().encode("This is a test file");
  env.server.set("/test_file.dat", { body });
  const dest = env.dir.join("test_file.dat");
  await env.downloader.download("digest1", env.server.url("/test_file.dat"), dest);
  assert.equal(await readFile(dest, "utf8"), "This is a test file");
  assert.equal(env.server.requestsOf("GET").length, 1);
  assert.deepEqual(states(env.alerts), ["finished"]);
  assert.equal(env.alerts[0]!.downloadedBytes, 19);
  assert.equal(env.alerts[0]!.totalBytes, 19);
});

Deno.test("sends started alerts at the interval, then one finished alert", async () => {
  await using env = await setup({ progressIntervalMs: 100 });
  const body = testBytes(2 * MiB);
  env.server.set("/slow", { body, chunkSize: 128 * 1024, chunkDelayMs: 60 });
  const dest = env.dir.join("slow");
  await env.downloader.download(sha256Digest(body), env.server.url("/slow"), dest);
  const started = env.alerts.filter((a) => a.state === "started");
  assert.ok(started.length >= 1, `expected started alerts, got ${states(env.alerts)}`);
  const counts = env.alerts.map((a) => a.downloadedBytes);
  assert.deepEqual(counts, [...counts].sort((a, b) => a - b));
  assert.deepEqual(env.alerts.filter((a) => a.state === "finished").length, 1);
  const last = env.alerts.at(-1)!;
  assert.equal(last.state, "finished");
  assert.equal(last.downloadedBytes, 2 * MiB);
  assert.equal(last.totalBytes, 2 * MiB);
  assert.equal(await fileDigest(dest), sha256Digest(body));
});

Deno.test("downloads without an alert sender", async () => {
  await using env = await setup({ progressIntervalMs: 50 });
  await env.downloader.close();
  await using downloader = new HttpDownloader({ progressIntervalMs: 50 });
  const body = testBytes(512 * 1024);
  env.server.set("/f", { body, chunkSize: 64 * 1024, chunkDelayMs: 20 });
  await downloader.download("d", env.server.url("/f"), env.dir.join("f"));
  assert.equal(await fileDigest(env.dir.join("f")), sha256Digest(body));
});

Deno.test("cancel mid-transfer rejects with canceled and leaves a resumable partial file", async () => {
  await using env = await setup({ progressIntervalMs: 50 });
  const body = testBytes(4 * MiB);
  env.server.set("/big", { body, chunkSize: 64 * 1024, chunkDelayMs: 20 });
  const dest = env.dir.join("big");
  const log = progressLog();
  const digest = sha256Digest(body);
  const pending = env.downloader.download(digest, env.server.url("/big"), dest, log);
  await log.reached(512 * 1024);
  await env.downloader.cancel(digest);
  await assert.rejects(pending, (err) => {
    assert.ok(err instanceof AosError);
    assert.equal(err.kind, "canceled");
    assert.equal(err.message, "download canceled");
    return true;
  });
  const interrupted = env.alerts.filter((a) => a.state === "interrupted");
  assert.equal(interrupted.length, 1);
  assert.equal(interrupted[0]!.reason, "download canceled");
  assert.equal(interrupted[0]!.error?.aosCode, 14);
  const partial = (await stat(dest)).size;
  assert.ok(partial > 0 && partial < body.length, `partial size ${partial}`);
  await assert.rejects(env.downloader.cancel(digest), (err) => errorIs(err, "notFound"));

  // The next download continues from the partial file.
  await env.downloader.download(digest, env.server.url("/big"), dest);
  const second = env.server.requestsOf("GET")[1]!;
  assert.equal(second.headers["range"], `bytes=${partial}-`);
  assert.equal(second.headers["if-range"], '"v1"');
  assert.equal(second.bodyBytes, body.length - partial);
  assert.equal(await fileDigest(dest), digest);
});

Deno.test("cancel of an unknown digest rejects with notFound", async () => {
  await using env = await setup();
  await assert.rejects(env.downloader.cancel("nope"), (err) => {
    assert.ok(errorIs(err, "notFound"));
    assert.match(String(err), /download not found/);
    return true;
  });
});

Deno.test("an aborted signal cancels the download and unregisters the digest", async () => {
  await using env = await setup({ progressIntervalMs: 50 });
  const body = testBytes(4 * MiB);
  env.server.set("/big", { body, chunkSize: 64 * 1024, chunkDelayMs: 20 });
  const dest = env.dir.join("big");
  const log = progressLog();
  const controller = new AbortController();
  const pending = env.downloader.download("digest_abort", env.server.url("/big"), dest, {
    signal: controller.signal,
    onProgress: log.onProgress,
  });
  await log.reached(256 * 1024);
  controller.abort(new Error("user gave up"));
  await assert.rejects(pending, (err) => {
    assert.ok(errorIs(err, "canceled"));
    assert.match(String(err), /download canceled: user gave up/);
    return true;
  });
  assert.ok(env.alerts.some((a) => a.state === "interrupted"));
  const size = (await stat(dest)).size;
  assert.ok(size > 0 && size < body.length);
  await assert.rejects(env.downloader.cancel("digest_abort"), (err) => errorIs(err, "notFound"));
});

Deno.test("two digests download the same URL concurrently", async () => {
  await using env = await setup();
  const body = testBytes(2 * MiB);
  // No body is sent before both requests arrived: they overlap whatever the load.
  env.server.set("/f", { body, chunkSize: 256 * 1024, gate: () => requestsSeen(env, 2) });
  await Promise.all([
    env.downloader.download("digest_a", env.server.url("/f"), env.dir.join("a")),
    env.downloader.download("digest_b", env.server.url("/f"), env.dir.join("b")),
  ]);
  assert.equal(env.server.peakInFlight, 2);
  assert.equal(await fileDigest(env.dir.join("a")), sha256Digest(body));
  assert.equal(await fileDigest(env.dir.join("b")), sha256Digest(body));
});

Deno.test("a second download of a running digest rejects with alreadyExist at once", async () => {
  await using env = await setup();
  const body = testBytes(2 * MiB);
  env.server.set("/f", { body, chunkSize: 128 * 1024, chunkDelayMs: 20 });
  const log = progressLog();
  const first = env.downloader.download("digest_dup", env.server.url("/f"), env.dir.join("a"), log);
  await log.reached(1);
  await assert.rejects(
    env.downloader.download("digest_dup", env.server.url("/f"), env.dir.join("other")),
    (err) => errorIs(err, "alreadyExist") && /already in progress/.test(String(err)),
  );
  await assert.rejects(stat(env.dir.join("other")));
  await first;
  await env.downloader.download("digest_dup", env.server.url("/f"), env.dir.join("again"));
  assert.equal(await fileDigest(env.dir.join("again")), sha256Digest(body));
});

Deno.test("resumes with Range after a dropped connection and ends with the right sha256", async () => {
  await using env = await setup();
  const body = testBytes(10 * MiB);
  env.server.set("/f", { body });
  env.server.plan("/f", { kind: "drop", afterBytes: 4 * MiB });
  const dest = env.dir.join("f");
  const digest = sha256Digest(body);
  await env.downloader.download(digest, env.server.url("/f"), dest);
  const gets = env.server.requestsOf("GET");
  assert.equal(gets.length, 2);
  assert.equal(env.server.requestsOf("HEAD").length, 0);
  assert.equal(gets[1]!.headers["range"], "bytes=4194304-");
  assert.equal(gets[1]!.status, 206);
  assert.deepEqual(states(env.alerts), ["interrupted", "finished"]);
  assert.equal(env.alerts[0]!.downloadedBytes, 4 * MiB);
  assert.equal(await fileDigest(dest), digest);
  assert.equal(env.server.bodyBytesOf("/f"), body.length);
});

Deno.test("continues a partial file left by an earlier call", async () => {
  await using env = await setup();
  const body = testBytes(10 * MiB);
  env.server.set("/f", { body });
  const dest = env.dir.join("f");
  await writeFile(dest, body.subarray(0, 3 * MiB));
  await env.downloader.download(sha256Digest(body), env.server.url("/f"), dest);
  const gets = env.server.requestsOf("GET");
  assert.equal(gets.length, 1);
  assert.equal(env.server.requestsOf("HEAD").length, 0);
  assert.equal(gets[0]!.headers["range"], "bytes=3145728-");
  assert.equal(gets[0]!.bodyBytes, 7 * MiB);
  assert.deepEqual(states(env.alerts), ["finished"]);
  assert.equal(env.alerts[0]!.downloadedBytes, 10 * MiB);
  assert.equal(env.alerts[0]!.totalBytes, 10 * MiB);
  assert.equal(await fileDigest(dest), sha256Digest(body));
});

Deno.test("rewrites a partial file when the server has no range support", async () => {
  await using env = await setup();
  const body = testBytes(4 * MiB);
  env.server.set("/f", { body, ranges: "none" });
  const dest = env.dir.join("f");
  await writeFile(dest, body.subarray(0, 3 * MiB));
  await env.downloader.download("plain-key", env.server.url("/f"), dest);
  assert.equal(env.server.requestsOf("GET").length, 1);
  assert.equal(await fileDigest(dest), sha256Digest(body));
});

Deno.test("resumes from a server that spells accept-ranges in lower case", async () => {
  await using env = await setup();
  const body = testBytes(4 * MiB);
  env.server.set("/f", { body, acceptRangesName: "accept-ranges" });
  const dest = env.dir.join("f");
  await writeFile(dest, body.subarray(0, MiB));
  await env.downloader.download(sha256Digest(body), env.server.url("/f"), dest);
  assert.equal(env.server.requestsOf("GET")[0]!.status, 206);
  assert.equal(env.server.bodyBytesOf("/f"), 3 * MiB);
  assert.equal(await fileDigest(dest), sha256Digest(body));
});

Deno.test("writes the full body when the server ignores Range", async () => {
  await using env = await setup();
  const body = testBytes(4 * MiB);
  env.server.set("/f", { body, ranges: "ignore" });
  const dest = env.dir.join("f");
  await writeFile(dest, body.subarray(0, MiB));
  await env.downloader.download(sha256Digest(body), env.server.url("/f"), dest);
  const gets = env.server.requestsOf("GET");
  assert.equal(gets.length, 1);
  assert.equal(gets[0]!.status, 200);
  assert.equal(await fileDigest(dest), sha256Digest(body));
});

Deno.test("a complete file answered with 416 is kept as it is", async () => {
  await using env = await setup();
  const body = testBytes(10 * MiB);
  env.server.set("/f", { body });
  const dest = env.dir.join("f");
  await writeFile(dest, body);
  const before = (await stat(dest)).mtimeMs;
  await env.downloader.download(sha256Digest(body), env.server.url("/f"), dest);
  assert.equal(env.server.requestsOf("GET")[0]!.status, 416);
  assert.equal(env.server.requestsOf("GET").length, 1);
  assert.equal((await stat(dest)).mtimeMs, before);
  assert.deepEqual(states(env.alerts), ["finished"]);
  assert.equal(env.alerts[0]!.downloadedBytes, 10 * MiB);
});

Deno.test("a local file bigger than the resource is downloaded again", async () => {
  await using env = await setup();
  const body = testBytes(10 * MiB);
  env.server.set("/f", { body });
  const dest = env.dir.join("f");
  await writeFile(dest, testBytes(11 * MiB, 7));
  await env.downloader.download("key", env.server.url("/f"), dest);
  assert.deepEqual(env.server.requestsOf("GET").map((r) => r.status), [416, 200]);
  assert.equal(await fileDigest(dest), sha256Digest(body));
});

Deno.test("HTTP 404 fails at once with runtime and status 404, exitCode 404 on the wire", async () => {
  await using env = await setup();
  const pending = env.downloader.download("d", env.server.url("/missing"), env.dir.join("f"));
  await assert.rejects(pending, (err) => {
    assert.ok(err instanceof AosError);
    assert.equal(err.kind, "runtime");
    assert.equal(err.status, 404);
    assert.equal(err.errno, undefined, "an HTTP status is no errno");
    assert.match(err.message, /HTTP 404 Not Found/);
    assert.equal(err.toString(), err.message);
    assert.equal(err.toErrorInfo().exitCode, 404);
    return true;
  });
  assert.equal(env.server.requestsOf("GET").length, 1);
  assert.deepEqual(states(env.alerts), ["interrupted"]);
  assert.equal(env.alerts[0]!.error?.aosCode, 2);
  assert.equal(env.alerts[0]!.error?.exitCode, 404);
});

Deno.test("with retryAll, HTTP 404 is tried three times as in AosCore", async () => {
  await using env = await setup({ retryAll: true });
  await assert.rejects(
    env.downloader.download("d", env.server.url("/missing"), env.dir.join("f")),
    (err) => err instanceof AosError && err.kind === "runtime" && err.status === 404,
  );
  assert.equal(env.server.requestsOf("GET").length, 3);
  assert.deepEqual(states(env.alerts), ["interrupted", "interrupted", "interrupted"]);
  assert.ok(env.alerts.every((a) => a.error?.aosCode === 2 && a.error.exitCode === 404));
});

Deno.test("retries 503 with doubling waits and no wait after success", async () => {
  await using env = await setup();
  const body = testBytes(1000);
  env.server.set("/f", { body });
  env.server.plan("/f", { kind: "status", status: 503 }, { kind: "status", status: 503 });
  const log = progressLog();
  await env.downloader.download("d", env.server.url("/f"), env.dir.join("f"), log);
  const waits = log.events.filter((e) => e.state === "interrupted").map((e) => e.retryInMs);
  assert.deepEqual(waits, [10, 20]);
  assert.equal(await fileDigest(env.dir.join("f")), sha256Digest(body));
});

Deno.test("cancel during the back-off wait ends it at once", async () => {
  await using env = await setup({ initialRetryDelayMs: 60_000, maxRetryDelayMs: 60_000 });
  env.server.plan("/f", { kind: "status", status: 500 });
  const log = progressLog();
  const pending = env.downloader.download("d", env.server.url("/f"), env.dir.join("f"), {
    onProgress: (p) => {
      log.onProgress(p);
      if (p.state === "interrupted" && p.retryInMs !== undefined) void env.downloader.cancel("d");
    },
  });
  await assert.rejects(pending, (err) => errorIs(err, "canceled"));
  assert.equal(log.events.find((e) => e.state === "interrupted")?.retryInMs, 60_000);
  assert.equal(env.server.requestsOf("GET").length, 1);
});

Deno.test("a missing destination directory fails with failed to open file", async () => {
  await using env = await setup();
  env.server.set("/f", { body: testBytes(100) });
  const dest = env.dir.join("no/such/dir/f");
  await assert.rejects(
    env.downloader.download("d", env.server.url("/f"), dest),
    (err) => errorIs(err, "failed") && /failed to open file/.test(String(err)),
  );
  assert.equal(env.server.requestsOf("GET").length, 1);
  await assert.rejects(stat(env.dir.join("no")));
  assert.deepEqual(env.alerts, []);
});

Deno.test("with retryAll, a missing destination directory is tried three times", async () => {
  await using env = await setup({ retryAll: true });
  env.server.set("/f", { body: testBytes(100) });
  await assert.rejects(
    env.downloader.download("d", env.server.url("/f"), env.dir.join("no/f")),
    (err) => errorIs(err, "failed"),
  );
  assert.equal(env.server.requestsOf("GET").length, 3);
});

Deno.test("a server that never answers fails each attempt with timeout", async () => {
  await using env = await setup({ connectTimeoutMs: 200 });
  env.server.plan("/f", { kind: "hang" }, { kind: "hang" }, { kind: "hang" });
  const log = progressLog();
  await assert.rejects(
    env.downloader.download("d", env.server.url("/f"), env.dir.join("f"), log),
    (err) => errorIs(err, "timeout") && /within 200 ms/.test(String(err)),
  );
  assert.equal(env.server.requestsOf("GET").length, 3);
  assert.equal(log.events.filter((e) => e.state === "interrupted").length, 3);
});

Deno.test("sends one started alert per interval of a long transfer", async () => {
  const clock = new FakeClock();
  const gates: (() => void)[] = [];
  await using env = await setup({ clock, progressIntervalMs: 30_000 });
  const chunk = 16 * 1024;
  const body = testBytes(95 * chunk);
  env.server.set("/f", {
    body,
    chunkSize: chunk,
    gate: () => new Promise<void>((resolve) => gates.push(resolve)),
  });
  const log = progressLog();
  const pending = env.downloader.download("d", env.server.url("/f"), env.dir.join("f"), log);
  const startedAt: number[] = [];
  for (let i = 1; i <= 95; i++) {
    while (gates.length === 0) await new Promise((r) => setTimeout(r, 1));
    clock.advance(1000);
    gates.shift()!();
    await log.reached(i * chunk);
    const started = env.alerts.filter((a) => a.state === "started").length;
    if (started > startedAt.length) startedAt.push(clock.now());
  }
  await pending;
  assert.deepEqual(startedAt, [30_000, 60_000, 90_000]);
  assert.deepEqual(states(env.alerts), ["started", "started", "started", "finished"]);
});

Deno.test("close aborts running downloads and refuses new ones", async () => {
  await using env = await setup();
  const body = testBytes(4 * MiB);
  env.server.set("/f", { body, chunkSize: 64 * 1024, chunkDelayMs: 20 });
  const log = progressLog();
  const pending = env.downloader.download("d", env.server.url("/f"), env.dir.join("f"), log);
  await log.reached(1);
  await env.downloader.close();
  await assert.rejects(pending, (err) => errorIs(err, "canceled") && /closed/.test(String(err)));
  await assert.rejects(
    env.downloader.download("d2", env.server.url("/f"), env.dir.join("g")),
    (err) => errorIs(err, "wrongState"),
  );
});

Deno.test("a malformed URL fails at once with invalidArgument", async () => {
  await using env = await setup();
  const log = progressLog();
  await assert.rejects(
    env.downloader.download("d", "http://h:99999/x", env.dir.join("f"), log),
    (err) => errorIs(err, "invalidArgument") && /http:\/\/h:99999\/x/.test(String(err)),
  );
  assert.deepEqual(log.events, []);
  assert.deepEqual(env.alerts, []);
  await assert.rejects(env.downloader.cancel("d"), (err) => errorIs(err, "notFound"));
});

Deno.test("an unsupported scheme fails with notSupported", async () => {
  await using env = await setup();
  await assert.rejects(
    env.downloader.download("d", "ftp://example.com/x", env.dir.join("f")),
    (err) => errorIs(err, "notSupported") && /unsupported protocol "ftp:"/.test(String(err)),
  );
  await using all = new HttpDownloader({ retryAll: true, initialRetryDelayMs: 1 });
  const log = progressLog();
  await assert.rejects(
    all.download("d", "ftp://example.com/x", env.dir.join("f"), log),
    (err) => errorIs(err, "notSupported"),
  );
  assert.equal(log.events.filter((e) => e.state === "interrupted").length, 3);
});
