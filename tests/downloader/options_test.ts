// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The options beyond AosCore: atomic completion, the concurrency cap, attach
// mode, parallel ranges, bandwidth limits, redirects and request headers.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { stat } from "node:fs/promises";
import { HttpDownloader } from "../../downloader/mod.ts";
import { AosError, errorIs } from "../../utils/errors.ts";
import { fileDigest, sha256Digest, testBytes } from "../_helpers/data.ts";
import { FakeClock } from "../_helpers/fake_clock.ts";
import { FaultServer } from "../_helpers/fault_server.ts";
import { progressLog, setup } from "./_setup.ts";

const MiB = 1 << 20;

Deno.test("atomic mode writes <path>.part and renames it once verified", async () => {
  await using env = await setup({ atomic: true });
  const body = testBytes(2 * MiB);
  env.server.set("/f", { body, chunkSize: 256 * 1024, chunkDelayMs: 10 });
  env.server.plan("/f", { kind: "drop", afterBytes: MiB });
  const dest = env.dir.join("f");
  let sawPart = false;
  await env.downloader.download(sha256Digest(body), env.server.url("/f"), dest, {
    onProgress: (p) => {
      if (p.state === "started" && p.downloadedBytes > 0) {
        sawPart ||= existsSync(`${dest}.part`) && !existsSync(dest);
      }
    },
  });
  assert.ok(sawPart);
  assert.equal(env.server.requestsOf("GET")[1]!.headers["range"], `bytes=${MiB}-`);
  assert.equal(await fileDigest(dest), sha256Digest(body));
  await assert.rejects(stat(`${dest}.part`));
  await assert.rejects(stat(`${dest}.meta.json`));
});

Deno.test("atomic mode never creates the destination for bad content", async () => {
  await using env = await setup();
  env.server.set("/f", { body: testBytes(MiB) });
  const dest = env.dir.join("f");
  await assert.rejects(
    env.downloader.download(sha256Digest(new Uint8Array(1)), env.server.url("/f"), dest, {
      atomic: true,
    }),
    (err) => errorIs(err, "invalidChecksum"),
  );
  await assert.rejects(stat(dest));
  await assert.rejects(stat(`${dest}.part`));
});

Deno.test("the concurrency cap limits transfers and serves the queue in order", async () => {
  await using env = await setup({ maxConcurrent: 2 });
  const body = testBytes(512 * 1024);
  // Bodies wait until two requests arrived, so two transfers overlap whatever the load.
  const twoSeen = () =>
    new Promise<void>((resolve) => {
      const check = () => env.server.requests.length >= 2 ? resolve() : setTimeout(check, 5);
      check();
    });
  env.server.set("/f", { body, chunkSize: 64 * 1024, gate: twoSeen });
  const names = ["a", "b", "c", "d", "e"];
  await Promise.all(
    names.map((name) => env.downloader.download(name, env.server.url("/f"), env.dir.join(name))),
  );
  assert.equal(env.server.peakInFlight, 2);
  for (const name of names) {
    assert.equal(await fileDigest(env.dir.join(name)), sha256Digest(body));
  }

  await using serial = new HttpDownloader({ maxConcurrent: 1 });
  await Promise.all(
    names.map((name) =>
      serial.download(name, env.server.url(`/f?${name}`), env.dir.join(`s${name}`))
    ),
  );
  const order = env.server.requests.slice(names.length).map((r) => r.path.split("?")[1]);
  assert.deepEqual(order, names);
});

Deno.test("a queued download can be canceled before it starts", async () => {
  await using env = await setup({ maxConcurrent: 1 });
  env.server.set("/f", { body: testBytes(MiB), chunkSize: 64 * 1024, chunkDelayMs: 10 });
  const first = env.downloader.download("a", env.server.url("/f"), env.dir.join("a"));
  const queued = env.downloader.download("b", env.server.url("/f"), env.dir.join("b"));
  await env.downloader.cancel("b");
  await assert.rejects(queued, (err) => errorIs(err, "canceled"));
  await first;
  assert.equal(env.server.requestsOf("GET").length, 1);
});

Deno.test("attach mode joins a running download of the same digest and path", async () => {
  await using env = await setup({ onDuplicate: "attach" });
  const body = testBytes(MiB);
  env.server.set("/f", { body, chunkSize: 64 * 1024, chunkDelayMs: 10 });
  const dest = env.dir.join("f");
  const digest = sha256Digest(body);
  const first = progressLog();
  const second = progressLog();
  const a = env.downloader.download(digest, env.server.url("/f"), dest, first);
  await first.reached(1);
  const b = env.downloader.download(digest, env.server.url("/f"), dest, second);
  await assert.rejects(
    env.downloader.download(digest, env.server.url("/f"), env.dir.join("other")),
    (err) => errorIs(err, "alreadyExist"),
  );
  await Promise.all([a, b]);
  assert.equal(env.server.requestsOf("GET").length, 1);
  assert.equal(second.events.at(-1)?.state, "finished");
});

Deno.test("an attached caller that aborts leaves the download running for the others", async () => {
  await using env = await setup({ onDuplicate: "attach" });
  const body = testBytes(MiB);
  env.server.set("/f", { body, chunkSize: 64 * 1024, chunkDelayMs: 10 });
  const dest = env.dir.join("f");
  const log = progressLog();
  const owner = env.downloader.download("d", env.server.url("/f"), dest, log);
  await log.reached(1);
  const controller = new AbortController();
  const guest = env.downloader.download("d", env.server.url("/f"), dest, {
    signal: controller.signal,
  });
  controller.abort();
  await assert.rejects(guest, (err) => errorIs(err, "canceled"));
  await owner;
  assert.equal(await fileDigest(dest), sha256Digest(body));
});

Deno.test("parallel ranges download a large blob and resume each range", async () => {
  await using env = await setup({ segments: { count: 4, minSize: MiB } });
  const body = testBytes(8 * MiB);
  env.server.set("/f", { body, chunkSize: 128 * 1024, chunkDelayMs: 5 });
  const dest = env.dir.join("f");
  const digest = sha256Digest(body);
  await env.downloader.download(digest, env.server.url("/f"), dest);
  const gets = env.server.requestsOf("GET");
  assert.equal(gets[0]!.headers["range"], "bytes=0-");
  assert.deepEqual(
    gets.slice(1).map((r) => r.headers["range"]).sort(),
    ["bytes=2097152-4194303", "bytes=4194304-6291455", "bytes=6291456-8388607"],
  );
  assert.ok(gets.slice(1).every((r) => r.headers["if-range"] === '"v1"'));
  assert.equal(await fileDigest(dest), digest);
  await assert.rejects(stat(`${dest}.meta.json`));
});

Deno.test("a segmented download resumes each range after a drop", async () => {
  await using env = await setup({ segments: { count: 4, minSize: MiB } });
  const body = testBytes(8 * MiB);
  env.server.set("/f", { body, chunkSize: 128 * 1024, chunkDelayMs: 5 });
  env.server.plan("/f", { kind: "ok" }, { kind: "drop", afterBytes: 512 * 1024 });
  const dest = env.dir.join("f");
  await env.downloader.download(sha256Digest(body), env.server.url("/f"), dest);
  assert.equal(env.alerts.filter((a) => a.state === "interrupted").length, 1);
  const gets = env.server.requestsOf("GET");
  const dropped = gets[1]!;
  const start = Number(/bytes=(\d+)-/.exec(dropped.headers["range"]!)![1]);
  const resumed = gets.slice(4).find((r) =>
    r.headers["range"]!.endsWith(`-${start + 2 * MiB - 1}`)
  );
  assert.equal(resumed?.headers["range"], `bytes=${start + 512 * 1024}-${start + 2 * MiB - 1}`);
  assert.ok(env.server.bodyBytesOf("/f") < body.length * 1.25);
  assert.equal(await fileDigest(dest), sha256Digest(body));
});

Deno.test("a segmented download restarts when the resource changes", async () => {
  await using env = await setup({ segments: { count: 2, minSize: MiB } });
  const v1 = testBytes(4 * MiB, 1);
  const v2 = testBytes(4 * MiB, 2);
  env.server.set("/f", { body: v1, chunkSize: 128 * 1024, chunkDelayMs: 5 });
  env.server.plan("/f", {
    kind: "drop",
    afterBytes: 256 * 1024,
    then: () => env.server.set("/f", { body: v2 }),
  });
  await env.downloader.download(sha256Digest(v2), env.server.url("/f"), env.dir.join("f"));
  assert.equal(await fileDigest(env.dir.join("f")), sha256Digest(v2));
});

Deno.test("a segmented downloader gets an empty blob answered with 416 to bytes=0- (found by soak)", async () => {
  // RFC 9110 section 14.1.1: no range but a suffix one is satisfiable on an empty representation.
  await using env = await setup({ segments: { count: 4, minSize: 0 } });
  const empty = new Uint8Array(0);
  env.server.set("/f", { body: empty });
  for (const atomic of [false, true]) {
    const dest = env.dir.join(`f-${atomic}`);
    await env.downloader.download(sha256Digest(empty), env.server.url("/f"), dest, { atomic });
    assert.equal((await stat(dest)).size, 0);
    await assert.rejects(stat(`${dest}.meta.json`));
  }
  // Each 416 is followed by a plain GET, which gets the empty 200.
  assert.deepEqual(env.server.requestsOf("GET").map((r) => r.status), [416, 200, 416, 200]);
});

Deno.test("bandwidth limits hold the average rate and change while running", async () => {
  const clock = new FakeClock();
  await using env = await setup({ clock, rateLimit: MiB });
  const body = testBytes(2 * MiB);
  env.server.set("/f", { body });
  await env.downloader.download("a", env.server.url("/f"), env.dir.join("a"));
  const slept = clock.sleeps.reduce((sum, ms) => sum + ms, 0);
  // 2 MiB at 1 MiB/s, less the quarter-second burst the bucket starts with.
  assert.ok(Math.abs(slept - 1750) < 1, `slept ${slept} ms`);

  clock.sleeps.length = 0;
  env.downloader.setRateLimit(0);
  await env.downloader.download("b", env.server.url("/f"), env.dir.join("b"), {
    rateLimit: 2 * MiB,
    onProgress: (p) => {
      if (p.downloadedBytes >= MiB) env.downloader.setRateLimit(0, "b");
    },
  });
  const limited = clock.sleeps.reduce((sum, ms) => sum + ms, 0);
  assert.ok(limited > 0 && limited < 500, `slept ${limited} ms`);
  assert.throws(() => env.downloader.setRateLimit(1, "nope"), (err) => errorIs(err, "notFound"));
  assert.throws(() => env.downloader.setRateLimit(-1), (err) => errorIs(err, "invalidArgument"));
});

Deno.test("follows relative and absolute redirects and refuses loops", async () => {
  await using env = await setup({ maxRedirects: 3 });
  const body = testBytes(1000);
  env.server.set("/real", { body });
  env.server.plan("/a", { kind: "redirect", location: "b", status: 301 });
  env.server.plan("/b", { kind: "redirect", location: env.server.url("/real"), status: 307 });
  await env.downloader.download(sha256Digest(body), env.server.url("/a"), env.dir.join("f"));
  assert.equal(await fileDigest(env.dir.join("f")), sha256Digest(body));

  for (let i = 0; i < 10; i++) env.server.plan("/loop", { kind: "redirect", location: "/loop" });
  await assert.rejects(
    env.downloader.download("d", env.server.url("/loop"), env.dir.join("g")),
    (err) => errorIs(err, "failed") && /Too many redirects/.test(String(err)),
  );
  assert.equal(env.server.requestsOf("GET", "/loop").length, 4);
});

Deno.test("refuses a redirect to a file: URL and treats a final 3xx as a failure", async () => {
  await using env = await setup();
  env.server.plan("/f", { kind: "redirect", location: "file:///etc/passwd" });
  await assert.rejects(
    env.downloader.download("d", env.server.url("/f"), env.dir.join("f")),
    (err) => errorIs(err, "failed") && /Refused redirect/.test(String(err)),
  );
  await assert.rejects(stat(env.dir.join("f")));
  env.server.plan("/g", { kind: "status", status: 303 });
  await assert.rejects(
    env.downloader.download("d", env.server.url("/g"), env.dir.join("g")),
    (err) => err instanceof AosError && /no Location/.test(err.message),
  );
});

Deno.test("sends caller headers, and drops credentials on a redirect to another origin", async () => {
  await using env = await setup();
  await using other = await FaultServer.start();
  const body = testBytes(1000);
  other.set("/f", { body });
  env.server.plan("/f", { kind: "redirect", location: other.url("/f") });
  const headers = { authorization: "Bearer secret", "x-device": "unit-1" };
  await env.downloader.download("d", env.server.url("/f"), env.dir.join("f"), { headers });
  assert.equal(env.server.requests[0]!.headers["authorization"], "Bearer secret");
  assert.equal(other.requests[0]!.headers["authorization"], undefined);
  assert.equal(other.requests[0]!.headers["x-device"], "unit-1");
});

Deno.test("rejects invalid options and arguments with invalidArgument", async () => {
  assert.throws(() => new HttpDownloader({ maxAttempts: -1 }), /maxAttempts: -1/);
  assert.throws(() => new HttpDownloader({ progressIntervalMs: 0 }), /progressIntervalMs/);
  assert.throws(() => new HttpDownloader({ jitter: 2 }), /jitter/);
  assert.throws(
    () => new HttpDownloader({ fetch: globalThis.fetch, tls: { caCerts: [] } }),
    (err) => errorIs(err, "invalidArgument"),
  );
  await using downloader = new HttpDownloader();
  await assert.rejects(
    downloader.download("", "http://x/", "/tmp/x"),
    (err) => errorIs(err, "invalidArgument"),
  );
  await assert.rejects(
    downloader.download("d", "no-scheme", "/tmp/x"),
    (err) => errorIs(err, "invalidArgument"),
  );
});
