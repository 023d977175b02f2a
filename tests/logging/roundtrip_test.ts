// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Whole logs from real files through archive and reassembly; the spool file;
// cancellation and argument checks.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { PushLog } from "../../cloudprotocol/mod.ts";
import { LogArchiver, LogAssembler } from "../../logging/mod.ts";
import { errorIs } from "../../utils/errors.ts";
import { logLine, random, Recorder } from "./_helpers.ts";

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "aos-log-test-"));
}

/** Writes about `size` bytes of generated journal lines to `file`. */
function writeLog(file: string, size: number): void {
  const rand = random(2026);
  const fd = fs.openSync(file, "w");
  try {
    let written = 0;
    for (let i = 0; written < size;) {
      let block = "";
      for (let j = 0; j < 1000; j++, i++) block += logLine(rand, i, true);
      written += fs.writeSync(fd, block);
    }
  } finally {
    fs.closeSync(fd);
  }
}

function sha256(data: Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

Deno.test("round-trips a 50 MB log file byte for byte through a spool file", async () => {
  const dir = tempDir();
  try {
    const file = path.join(dir, "journal.log");
    writeLog(file, 50 * 1024 * 1024);
    const spoolDir = path.join(dir, "spool");
    fs.mkdirSync(spoolDir);
    const assembler = new LogAssembler();
    const sizes: number[] = [];
    const sender = {
      sendLog(log: PushLog): Promise<void> {
        // The spool file is unlinked at once: nothing to see in its directory.
        assert.deepEqual(fs.readdirSync(spoolDir), []);
        sizes.push(log.content.length);
        assembler.add(log);
        return Promise.resolve();
      },
    };
    const config = { maxPartSize: 256 * 1024, maxPartCount: 1000 };
    await using archiver = new LogArchiver(sender, config, {
      tempDir: spoolDir,
      memoryLimit: 1024 * 1024,
    });
    let progressCalls = 0;
    await archiver.addLines(fs.createReadStream(file), { onProgress: () => progressCalls++ });
    const sends: number[] = [];
    const result = await archiver.sendLog("8c7b6a59-4837-4261-9504-f3e2d1c0b9a8", {
      onProgress: ({ part }) => sends.push(part),
    });
    const original = fs.readFileSync(file);
    assert.equal(result.size, original.length);
    assert.equal(result.partsCount, sizes.length);
    assert.equal(result.compressedSize, sizes.reduce((a, b) => a + b, 0));
    assert.ok(result.partsCount >= 200, `${result.partsCount} parts`);
    assert.deepEqual(sends, Array.from({ length: result.partsCount }, (_, i) => i + 1));
    assert.ok(progressCalls > 1);
    assert.equal(assembler.status, "complete");
    assert.equal(sha256(await assembler.bytes()), sha256(original));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

Deno.test("a spool directory that does not exist fails the archive with the path", async () => {
  const sender = new Recorder();
  const dir = path.join(os.tmpdir(), "aos-log-test-missing", "spool");
  await using archiver = new LogArchiver(sender, { maxPartSize: 1024, maxPartCount: 100 }, {
    tempDir: dir,
    memoryLimit: 0,
  });
  await archiver.addLog("a".repeat(1000));
  await assert.rejects(archiver.addLog("b".repeat(1000)), (err) => {
    assert.ok(errorIs(err, "runtime"));
    assert.match((err as Error).message, /Cannot create the log spool file in ".*missing\/spool"/);
    return true;
  });
  await assert.rejects(archiver.addLog("c"), /Cannot create the log spool file/);
  await assert.rejects(archiver.sendLog("x"), /Cannot create the log spool file/);
  assert.equal(sender.logs.length, 0);
});

Deno.test("sendLog rejects with canceled when its signal aborts mid-way", async () => {
  const controller = new AbortController();
  const parts: number[] = [];
  const sender = {
    sendLog(log: PushLog): Promise<void> {
      parts.push(log.part);
      if (log.part === 2) {
        controller.abort();
        return new Promise<void>(() => {});
      }
      return Promise.resolve();
    },
  };
  await using archiver = new LogArchiver(sender, { maxPartSize: 10, maxPartCount: 10 });
  for (let i = 0; i < 4; i++) await archiver.addLog("123456789\n");
  await assert.rejects(
    archiver.sendLog("c", { signal: controller.signal }),
    (e) => errorIs(e, "canceled"),
  );
  assert.deepEqual(parts, [1, 2]);
  await assert.rejects(archiver.sendLog("c"), (e) => errorIs(e, "wrongState"));
  await assert.rejects(
    new LogArchiver(sender, { maxPartSize: 1, maxPartCount: 1 }).sendLog("c", {
      signal: AbortSignal.abort(),
    }),
    (e) => errorIs(e, "canceled"),
  );
});

Deno.test("rejects bad limits and a correlation id longer than 37 bytes", async () => {
  const sender = new Recorder();
  for (
    const config of [{ maxPartSize: -1, maxPartCount: 1 }, { maxPartSize: 1.5, maxPartCount: 1 }]
  ) {
    assert.throws(() => new LogArchiver(sender, config), (err) => {
      assert.ok(errorIs(err, "invalidArgument"));
      assert.match((err as Error).message, /maxPartSize must be a non-negative integer, got /);
      return true;
    });
  }
  assert.throws(
    () => new LogArchiver(sender, { maxPartSize: 1, maxPartCount: NaN }),
    /maxPartCount must be a non-negative integer, got NaN/,
  );
  await using archiver = new LogArchiver(sender, { maxPartSize: 1, maxPartCount: 1 });
  await assert.rejects(archiver.sendLog("x".repeat(38)), (e) => errorIs(e, "invalidArgument"));
  await archiver.sendLog("x".repeat(37));
  assert.equal(sender.logs[0]!.correlationId, "x".repeat(37));
});

Deno.test("close drops an unsent archive and ends a pending addLines", async () => {
  const sender = new Recorder();
  const archiver = new LogArchiver(sender, { maxPartSize: 1 << 20, maxPartCount: 10 });
  const stream = new ReadableStream<string>({
    pull(c) {
      c.enqueue("x".repeat(10_000) + "\n");
      return new Promise((resolve) => setTimeout(resolve, 1));
    },
  });
  const adding = archiver.addLines(stream);
  await new Promise((resolve) => setTimeout(resolve, 20));
  await archiver.close();
  await assert.rejects(adding, (e) => errorIs(e, "wrongState"));
  await assert.rejects(archiver.sendLog("c"), (e) => errorIs(e, "wrongState"));
  assert.equal(sender.logs.length, 0);
});
