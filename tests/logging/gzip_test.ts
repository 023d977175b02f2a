// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The bytes of each part: a gzip member exactly as zlib writes it with
// AosCore's parameters, readable by any gzip decoder.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { LogArchiver } from "../../logging/mod.ts";
import { logLine, random, Recorder } from "./_helpers.ts";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

async function archive(lines: string[], maxPartSize: number): Promise<Recorder> {
  const sender = new Recorder();
  await using archiver = new LogArchiver(sender, { maxPartSize, maxPartCount: 1000 });
  for (const line of lines) await archiver.addLog(line);
  await archiver.sendLog("format");
  return sender;
}

function sampleLines(count: number, seed = 7): string[] {
  const rand = random(seed);
  return Array.from({ length: count }, (_, i) => logLine(rand, i, true));
}

Deno.test("writes zlib's gzip header: no name, mtime 0, XFL 2 (level 9), OS 3", async () => {
  const sender = await archive(["log content"], 1024);
  const content = sender.logs[0]!.content;
  assert.equal(hex(content.subarray(0, 10)), "1f8b0800000000000203");
  // The spec's informative vector: short input compresses the same in every zlib build.
  assert.equal(hex(content), "1f8b0800000000000203cbc94f5748cecf2b49cd2b0100028b78b30b000000");
});

Deno.test("each part is byte for byte zlib's level-9 gzip of the part's text", async () => {
  const lines = sampleLines(6000);
  const sender = await archive(lines, 200 * 1024);
  assert.ok(sender.logs.length >= 3);
  for (const log of sender.logs) {
    const text = new TextDecoder().decode(gunzipSync(log.content));
    assert.equal(hex(log.content), hex(gzipSync(text, { level: 9 })), `part ${log.part}`);
  }
});

Deno.test("parts decode as gzip but not as zlib or raw deflate", async () => {
  const lines = sampleLines(500);
  const sender = await archive(lines, 16 * 1024);
  for (const log of sender.logs) {
    const gz = new Response(
      new Blob([log.content.slice()]).stream().pipeThrough(
        new DecompressionStream("gzip"),
      ),
    );
    const text = await gz.text();
    assert.ok(text.endsWith("\n"));
    for (const format of ["deflate", "deflate-raw"] as const) {
      const wrong = new Blob([log.content.slice()]).stream().pipeThrough(
        new DecompressionStream(format),
      );
      await assert.rejects(new Response(wrong).arrayBuffer(), `part ${log.part} as ${format}`);
    }
  }
});

Deno.test("the concatenated parts decode as one multi-member gzip stream", async () => {
  const lines = sampleLines(500);
  const sender = await archive(lines, 8 * 1024);
  const all = Buffer.concat(sender.logs.map((log) => log.content));
  assert.equal(new TextDecoder().decode(gunzipSync(all)), lines.join(""));
});

const gzip = spawnSync("gzip", ["--version"]);
const gzipMissing = gzip.error !== undefined || gzip.status !== 0;
// deno-lint-ignore no-console
if (gzipMissing) console.warn("gzip is not installed: skipping the gzip -d check");

Deno.test({
  name: "gzip -d decodes every part",
  ignore: gzipMissing,
  async fn() {
    const lines = sampleLines(2000);
    const sender = await archive(lines, 32 * 1024);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aos-log-gzip-"));
    try {
      let text = "";
      for (const log of sender.logs) {
        const file = path.join(dir, `part${log.part}.gz`);
        fs.writeFileSync(file, log.content);
        const run = spawnSync("gzip", ["-d", "-c", file]);
        assert.equal(run.status, 0, String(run.stderr));
        text += new TextDecoder().decode(run.stdout);
      }
      assert.equal(text, lines.join(""));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
});

Deno.test("a message far longer than a part gets a member of its own, and the parts after it stay exact", async () => {
  const rand = random(11);
  const long = "x".repeat(300 * 1024) + "\n";
  const lines = [logLine(rand, 0, true), long, ...sampleLines(200, 12)];
  const sender = await archive(lines, 4096);
  assert.equal(new TextDecoder().decode(gunzipSync(sender.logs[1]!.content)), long);
  for (const log of sender.logs) {
    const text = new TextDecoder().decode(gunzipSync(log.content));
    assert.equal(hex(log.content), hex(gzipSync(text, { level: 9 })), `part ${log.part}`);
  }
  const all = Buffer.concat(sender.logs.map((log) => log.content));
  assert.equal(new TextDecoder().decode(gunzipSync(all)), lines.join(""));
});
