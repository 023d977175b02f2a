// Copyright 2026 the aos-common authors. Apache-2.0 license.
// file:// downloads: AosCore's path rules, copies, verification and failures.
import assert from "node:assert/strict";
import process from "node:process";
import { readFile, stat, writeFile } from "node:fs/promises";
import { fileUrlPath } from "../../downloader/_file_url.ts";
import { errorIs } from "../../utils/errors.ts";
import { fileDigest, sha256Digest, testBytes } from "../_helpers/data.ts";
import { progressLog, setup } from "./_setup.ts";

Deno.test("fileUrlPath follows AosCore's rules and keeps the case", () => {
  assert.equal(fileUrlPath("file://test_file.dat"), "test_file.dat");
  assert.equal(fileUrlPath("file://Data.bin"), "Data.bin");
  assert.equal(fileUrlPath("file:///abs/x"), "/abs/x");
  assert.equal(fileUrlPath("file://somehost/abs/x"), "/abs/x");
  assert.equal(fileUrlPath("FILE:///a%20b/c%25d"), "/a b/c%d");
  assert.equal(fileUrlPath("file:relative/x"), "relative/x");
  assert.throws(() => fileUrlPath("file://"), (err) => errorIs(err, "invalidArgument"));
  assert.throws(() => fileUrlPath("file:///bad%zz"), (err) => errorIs(err, "invalidArgument"));
});

Deno.test("copies a file:// URL relative to the working directory, without alerts", async () => {
  await using env = await setup();
  const body = testBytes(300_000);
  await writeFile(env.dir.join("Test_File.dat"), body);
  const cwd = process.cwd();
  process.chdir(env.dir.path);
  const log = progressLog();
  try {
    await env.downloader.download(sha256Digest(body), "file://Test_File.dat", "copy.dat", log);
  } finally {
    process.chdir(cwd);
  }
  assert.equal(await fileDigest(env.dir.join("copy.dat")), sha256Digest(body));
  assert.deepEqual(env.alerts, []);
  assert.equal(log.events.at(-1)?.state, "finished");
  assert.equal(log.events.at(-1)?.downloadedBytes, body.length);
});

Deno.test("copies an absolute file:/// URL with escapes over an existing file", async () => {
  await using env = await setup();
  const body = testBytes(2 << 20);
  await writeFile(env.dir.join("my blob"), body);
  const dest = env.dir.join("out");
  await writeFile(dest, testBytes(5 << 20, 3));
  const url = `file://${env.dir.join("my%20blob")}`;
  await env.downloader.download("key", url, dest);
  assert.equal(await fileDigest(dest), sha256Digest(body));
});

Deno.test("a missing source fails with file not found after every attempt", async () => {
  await using env = await setup();
  const log = progressLog();
  await assert.rejects(
    env.downloader.download("d", `file://${env.dir.join("absent")}`, env.dir.join("out"), log),
    (err) => errorIs(err, "failed") && /file not found/.test(String(err)),
  );
  const failures = log.events.filter((e) => e.state === "interrupted");
  assert.deepEqual(failures.map((e) => e.retryInMs), [10, 20, undefined]);
  assert.deepEqual(env.alerts, []);
});

Deno.test("a copy into a missing directory rejects instead of reporting success", async () => {
  await using env = await setup();
  await writeFile(env.dir.join("src"), testBytes(100));
  await assert.rejects(
    env.downloader.download("d", `file://${env.dir.join("src")}`, env.dir.join("no/dir/out")),
    (err) => errorIs(err, "failed") && /failed to open file/.test(String(err)),
  );
});

Deno.test("a copy that does not match the digest is deleted", async () => {
  await using env = await setup();
  await writeFile(env.dir.join("src"), testBytes(1000));
  const dest = env.dir.join("out");
  await assert.rejects(
    env.downloader.download(sha256Digest(new Uint8Array(3)), `file://${env.dir.join("src")}`, dest),
    (err) => errorIs(err, "invalidChecksum"),
  );
  await assert.rejects(stat(dest));
});

Deno.test("an atomic copy appears at the destination only when complete", async () => {
  await using env = await setup({ atomic: true });
  const body = testBytes(1 << 20);
  await writeFile(env.dir.join("src"), body);
  const dest = env.dir.join("out");
  await env.downloader.download(sha256Digest(body), `file://${env.dir.join("src")}`, dest);
  assert.deepEqual(await readFile(dest), await readFile(env.dir.join("src")));
  await assert.rejects(stat(`${dest}.part`));
});
