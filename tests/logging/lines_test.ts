// Copyright 2026 the aos-common authors. Apache-2.0 license.
// addLines, the writable stream and concurrent addLog: the same parts as
// adding each line on its own, in any chunking.
import assert from "node:assert/strict";
import { ArchiverError, LogArchiver, type LoggingConfig } from "../../logging/mod.ts";
import { errorIs } from "../../utils/errors.ts";
import { logLine, random, Recorder } from "./_helpers.ts";

const encoder = new TextEncoder();

/** Lines of every kind: short, empty text, multi-byte, longer than a part. */
function mixedLines(rand: () => number, count: number, maxPartSize: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const pick = rand();
    if (pick < 0.05) return "\n";
    if (pick < 0.1) return `${"long ".repeat(Math.ceil(maxPartSize / 4))}${i}\n`;
    if (pick < 0.2) return `${"😀é世".repeat(1 + Math.floor(rand() * 40))}\n`;
    return logLine(rand, i, true);
  });
}

/** Splits bytes into chunks of random sizes, cutting through lines and characters. */
function chunked(bytes: Uint8Array, rand: () => number, max: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let at = 0; at < bytes.length;) {
    const n = 1 + Math.floor(rand() * max);
    out.push(bytes.slice(at, at + n));
    at += n;
  }
  return out;
}

async function viaAddLog(lines: string[], config: LoggingConfig): Promise<Recorder> {
  const sender = new Recorder();
  await using archiver = new LogArchiver(sender, config);
  for (const line of lines) await archiver.addLog(line);
  await archiver.sendLog("lines");
  return sender;
}

function contents(sender: Recorder): string[] {
  return sender.logs.map((log) => Buffer.from(log.content).toString("hex"));
}

Deno.test("addLines makes the same parts as addLog per line, in any chunking", async () => {
  for (const seed of [1, 2, 3]) {
    const rand = random(seed);
    const config = { maxPartSize: 512 + Math.floor(rand() * 4096), maxPartCount: 10_000 };
    const lines = mixedLines(rand, 600, config.maxPartSize);
    const expected = await viaAddLog(lines, config);
    const bytes = encoder.encode(lines.join(""));
    for (const maxChunk of [1, 7, 700, 100_000]) {
      const sender = new Recorder();
      await using archiver = new LogArchiver(sender, config);
      await archiver.addLines(chunked(bytes, rand, maxChunk));
      await archiver.sendLog("lines");
      assert.deepEqual(sender.shape, expected.shape, `seed ${seed}, chunks ≤ ${maxChunk}`);
      assert.deepEqual(contents(sender), contents(expected), `seed ${seed}, chunks ≤ ${maxChunk}`);
    }
  }
});

Deno.test("addLines takes text after the last newline as a last message", async () => {
  const sender = new Recorder();
  await using archiver = new LogArchiver(sender, { maxPartSize: 10, maxPartCount: 10 });
  await archiver.addLines(["abc\nde", "f\nno newline at the end"]);
  await archiver.sendLog("tail");
  assert.deepEqual(sender.texts, ["abc\ndef\n", "no newline at the end"]);
});

Deno.test("addLines streams a line longer than a part into a part of its own", async () => {
  const sender = new Recorder();
  await using archiver = new LogArchiver(sender, { maxPartSize: 100, maxPartCount: 10 });
  const long = `${"0123456789".repeat(10_000)}\n`;
  async function* source() {
    yield "short\n";
    for (let at = 0; at < long.length; at += 1000) yield long.slice(at, at + 1000);
    yield "after\n";
  }
  await archiver.addLines(source());
  await archiver.sendLog("long");
  assert.deepEqual(sender.texts, ["short\n", long, "after\n"]);
});

Deno.test("addLines accepts a ReadableStream of Unicode text cut inside characters", async () => {
  const sender = new Recorder();
  await using archiver = new LogArchiver(sender, { maxPartSize: 64, maxPartCount: 100 });
  const text = Array.from({ length: 50 }, (_, i) => `${i} Привіт 世界 🚀\n`).join("");
  const bytes = encoder.encode(text);
  const stream = ReadableStream.from(chunked(bytes, random(5), 5));
  await archiver.addLines(stream);
  await archiver.sendLog("unicode");
  assert.equal(sender.texts.join(""), text);
  for (const part of sender.texts) {
    assert.ok(part.endsWith("🚀\n"), part);
    assert.ok(encoder.encode(part).length <= 64);
  }
});

Deno.test("addLines stops at the part limit, keeps earlier lines and cancels the source", async () => {
  const sender = new Recorder();
  await using archiver = new LogArchiver(sender, { maxPartSize: 10, maxPartCount: 2 });
  let canceled = false;
  const stream = new ReadableStream<string>({
    pull(controller) {
      controller.enqueue("123456789\n");
    },
    cancel() {
      canceled = true;
    },
  });
  await assert.rejects(
    archiver.addLines(stream),
    (e) => e instanceof ArchiverError && e.reason === "tooManyParts",
  );
  assert.ok(canceled);
  await archiver.sendLog("limit");
  assert.deepEqual(sender.texts, ["123456789\n", "123456789\n", "123456789\n"]);
});

Deno.test("addLines rejects with canceled when its signal aborts and reports progress", async () => {
  const sender = new Recorder();
  await using archiver = new LogArchiver(sender, { maxPartSize: 1024, maxPartCount: 10 });
  const controller = new AbortController();
  const progress: number[] = [];
  let canceled = false;
  const stream = new ReadableStream<string>({
    pull(c) {
      c.enqueue("line\n");
      return new Promise((resolve) => setTimeout(resolve, 1));
    },
    cancel() {
      canceled = true;
    },
  });
  const adding = archiver.addLines(stream, {
    signal: controller.signal,
    onProgress: ({ bytes }) => {
      progress.push(bytes);
      if (bytes >= 15) controller.abort();
    },
  });
  await assert.rejects(adding, (e) => errorIs(e, "canceled"));
  assert.ok(canceled);
  assert.deepEqual(progress, [5, 10, 15]);
  await archiver.sendLog("aborted");
  assert.deepEqual(sender.texts, ["line\nline\nline\n"]);
});

Deno.test("the writable stream takes one message per chunk", async () => {
  const sender = new Recorder();
  await using archiver = new LogArchiver(sender, { maxPartSize: 12, maxPartCount: 10 });
  await ReadableStream.from(["first\n", "second\n", encoder.encode("third\n")])
    .pipeTo(archiver.writable);
  assert.equal(archiver.writable, archiver.writable);
  await archiver.sendLog("writable");
  assert.deepEqual(sender.texts, ["first\n", "second\n", "third\n"]);
});

Deno.test("addLog calls that are not awaited are taken in call order", async () => {
  const rand = random(9);
  const config = { maxPartSize: 300, maxPartCount: 10_000 };
  const lines = mixedLines(rand, 2000, config.maxPartSize);
  const expected = await viaAddLog(lines, config);
  const sender = new Recorder();
  await using archiver = new LogArchiver(sender, config);
  const pending = lines.map((line, i) =>
    i % 3 === 0 ? archiver.addLog(encoder.encode(line)) : archiver.addLog(line)
  );
  const sending = archiver.sendLog("lines");
  await Promise.all(pending);
  await sending;
  assert.deepEqual(contents(sender), contents(expected));
});

Deno.test("a failing source rejects addLines with its error wrapped, earlier lines kept", async () => {
  const sender = new Recorder();
  await using archiver = new LogArchiver(sender, { maxPartSize: 1024, maxPartCount: 10 });
  async function* source() {
    yield "kept\npartial";
    throw new Error("journal rotated");
  }
  await assert.rejects(archiver.addLines(source()), (err) => {
    assert.ok(errorIs(err, "failed"));
    assert.equal((err as Error).message, "Cannot read log lines: journal rotated");
    return true;
  });
  await archiver.sendLog("source");
  assert.deepEqual(sender.texts, ["kept\n"]);
});

Deno.test("addLines takes each chunk before reading the next, so a source may reuse its buffer", async () => {
  const text = Array.from({ length: 300 }, (_, i) => `line ${i} ${"x".repeat(i % 50)}\n`).join("");
  const bytes = encoder.encode(text);
  function* reused() {
    const buffer = new Uint8Array(97);
    for (let at = 0; at < bytes.length; at += buffer.length) {
      const piece = bytes.subarray(at, at + buffer.length);
      buffer.set(piece);
      yield buffer.subarray(0, piece.length);
      buffer.fill(0x21);
    }
  }
  const sender = new Recorder();
  await using archiver = new LogArchiver(sender, { maxPartSize: 700, maxPartCount: 100 });
  await archiver.addLines(reused());
  await archiver.sendLog("reuse");
  assert.equal(sender.texts.join(""), text);
});
