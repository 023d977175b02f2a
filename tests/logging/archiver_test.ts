// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The archiver scenarios of the logging spec (§10), against AosCore's rules.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import type { PushLog } from "../../cloudprotocol/mod.ts";
import { ArchiverError, LogArchiver, MAX_LOG_CONTENT_SIZE } from "../../logging/mod.ts";
import { errorIs } from "../../utils/errors.ts";
import { random, Recorder } from "./_helpers.ts";

const CONFIG = { maxPartSize: 1024, maxPartCount: 5 };
const ID = "TestLogID";

function isReason(reason: string): (err: unknown) => boolean {
  return (err) => err instanceof ArchiverError && err.reason === reason;
}

Deno.test("sends one empty message when nothing was added", async () => {
  const sender = new Recorder();
  await using archiver = new LogArchiver(sender, CONFIG);
  const result = await archiver.sendLog(ID);
  assert.equal(sender.logs.length, 1);
  const log = sender.logs[0]!;
  assert.deepEqual(
    { ...log, content: [...log.content] },
    {
      messageType: "pushLog",
      correlationId: ID,
      nodeId: "",
      part: 1,
      partsCount: 1,
      content: [],
      status: "empty",
    },
  );
  assert.deepEqual(result, { partsCount: 1, size: 0, compressedSize: 0, errors: [] });
});

Deno.test("sends empty when only empty strings were added", async () => {
  const sender = new Recorder();
  await using archiver = new LogArchiver(sender, CONFIG);
  for (let i = 0; i < 3; i++) await archiver.addLog("");
  await archiver.addLog(new Uint8Array());
  await archiver.sendLog(ID);
  assert.deepEqual(sender.shape, [[1, 1, "empty"]]);
  assert.equal(sender.logs[0]!.content.length, 0);
});

Deno.test("puts small messages into one part", async () => {
  const sender = new Recorder();
  await using archiver = new LogArchiver(sender, CONFIG);
  const messages = [1, 2, 3, 4, 5].map((i) => `Test log message ${i}`);
  for (const message of messages) await archiver.addLog(message);
  const result = await archiver.sendLog(ID);
  assert.deepEqual(sender.shape, [[1, 1, "ok"]]);
  assert.equal(sender.texts[0], messages.join(""));
  assert.equal(sender.logs[0]!.correlationId, ID);
  assert.equal(sender.logs[0]!.error, undefined);
  assert.equal(result.size, messages.join("").length);
  assert.equal(result.compressedSize, sender.logs[0]!.content.length);
});

Deno.test("fills each part with exactly maxPartSize bytes", async () => {
  const sender = new Recorder();
  await using archiver = new LogArchiver(sender, CONFIG);
  const messages = ["a", "b", "c", "d"].map((c) => c.repeat(1024));
  for (const message of messages) await archiver.addLog(message);
  await archiver.sendLog(ID);
  assert.deepEqual(sender.shape, [[1, 4, "ok"], [2, 4, "ok"], [3, 4, "ok"], [4, 4, "ok"]]);
  assert.deepEqual(sender.texts, messages);
});

Deno.test("starts a new part only when a message would exceed maxPartSize", async () => {
  for (const [second, parts] of [[24, 1], [25, 2]] as const) {
    const sender = new Recorder();
    await using archiver = new LogArchiver(sender, CONFIG);
    await archiver.addLog("x".repeat(1000));
    await archiver.addLog("y".repeat(second));
    await archiver.sendLog(ID);
    assert.equal(sender.logs.length, parts, `1000 + ${second} bytes`);
    assert.equal(sender.texts.join(""), "x".repeat(1000) + "y".repeat(second));
  }
});

Deno.test("an oversized first message leaves part 1 without content", async () => {
  const sender = new Recorder();
  await using archiver = new LogArchiver(sender, CONFIG);
  const message = "z".repeat(2000);
  await archiver.addLog(message);
  await archiver.sendLog(ID);
  assert.deepEqual(sender.shape, [[1, 2, "ok"], [2, 2, "ok"]]);
  assert.equal(sender.logs[0]!.content.length, 0);
  assert.equal(sender.texts[1], message);
});

Deno.test("an empty message after an oversized one sends a trailing empty part", async () => {
  const sender = new Recorder();
  await using archiver = new LogArchiver(sender, CONFIG);
  await archiver.addLog("a");
  await archiver.addLog("z".repeat(2000));
  await archiver.addLog("");
  await archiver.sendLog(ID);
  assert.deepEqual(sender.shape, [[1, 3, "ok"], [2, 3, "ok"], [3, 3, "ok"]]);
  assert.deepEqual(sender.texts, ["a", "z".repeat(2000), ""]);
  assert.equal(sender.logs[2]!.content.length, 0);
});

Deno.test("allows maxPartCount + 1 parts, then rejects every message", async () => {
  const sender = new Recorder();
  await using archiver = new LogArchiver(sender, { maxPartSize: 10, maxPartCount: 1 });
  await archiver.addLog("12345");
  await archiver.addLog("12345678");
  await assert.rejects(archiver.addLog("1"), isReason("tooManyParts"));
  await assert.rejects(archiver.addLog(""), (e) => errorIs(e, "invalidArgument"));
  assert.equal(archiver.size, 13);
  await archiver.sendLog(ID);
  assert.deepEqual(sender.shape, [[1, 2, "ok"], [2, 2, "ok"]]);
  assert.deepEqual(sender.texts, ["12345", "12345678"]);
});

Deno.test("maxPartCount 0 rejects the first message and sends empty", async () => {
  const sender = new Recorder();
  await using archiver = new LogArchiver(sender, { maxPartSize: 1024, maxPartCount: 0 });
  await assert.rejects(archiver.addLog("hello"), isReason("tooManyParts"));
  await archiver.sendLog(ID);
  assert.deepEqual(sender.shape, [[1, 1, "empty"]]);
});

Deno.test("maxPartSize 0 gives every message a part of its own after an empty first", async () => {
  const sender = new Recorder();
  await using archiver = new LogArchiver(sender, { maxPartSize: 0, maxPartCount: 10 });
  for (const message of ["a\n", "b\n", "c\n"]) await archiver.addLog(message);
  await archiver.sendLog(ID);
  assert.deepEqual(sender.texts, ["", "a\n", "b\n", "c\n"]);
});

Deno.test("counts UTF-8 bytes, not UTF-16 code units", async () => {
  const sender = new Recorder();
  await using archiver = new LogArchiver(sender, CONFIG);
  await archiver.addLog("é".repeat(400));
  await archiver.addLog("a".repeat(300));
  await archiver.sendLog(ID);
  assert.deepEqual(sender.texts, ["é".repeat(400), "a".repeat(300)]);
  assert.equal(archiver.size, 1100);
});

Deno.test("refuses a part whose compressed size exceeds the message cap, sending nothing", async () => {
  const sender = new Recorder();
  await using archiver = new LogArchiver(sender, { maxPartSize: 1 << 20, maxPartCount: 5 });
  await archiver.addLog("first\n");
  await archiver.addLog(new Uint8Array(randomBytes(300 * 1024)));
  await assert.rejects(archiver.sendLog(ID), (err) => {
    assert.ok(isReason("contentTooLarge")(err));
    assert.ok(errorIs(err, "noMemory"));
    assert.match((err as Error).message, /part 1 of 1: it is \d+ bytes compressed/);
    return true;
  });
  assert.equal(sender.logs.length, 0);
  assert.ok(sender.logs.every((log) => log.content.length <= MAX_LOG_CONTENT_SIZE));
});

Deno.test("keeps lines whole in every part and reassembles to the input", async () => {
  const sender = new Recorder();
  await using archiver = new LogArchiver(sender, { maxPartSize: 1024, maxPartCount: 20 });
  const rand = random(12);
  const lines = Array.from({ length: 100 }, (_, i) => {
    const length = Math.floor(rand() * 200);
    return `${i}:${"x".repeat(length)}\n`;
  });
  for (const line of lines) await archiver.addLog(line);
  await archiver.sendLog(ID);
  assert.ok(sender.logs.length > 5);
  let at = 0;
  for (const text of sender.texts) {
    assert.ok(text.endsWith("\n"));
    const got = text.split(/(?<=\n)/);
    assert.deepEqual(got, lines.slice(at, at + got.length));
    at += got.length;
  }
  assert.equal(at, lines.length);
});

Deno.test("hands part 2 to the sender only after part 1 settled", async () => {
  const events: string[] = [];
  const sender = {
    async sendLog(log: PushLog): Promise<void> {
      events.push(`start ${log.part}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
      events.push(`end ${log.part}`);
    },
  };
  await using archiver = new LogArchiver(sender, CONFIG);
  for (const c of ["a", "b", "c"]) await archiver.addLog(c.repeat(1000));
  await archiver.sendLog(ID);
  assert.deepEqual(events, ["start 1", "end 1", "start 2", "end 2", "start 3", "end 3"]);
});

Deno.test("a sender rejection stops the archive and is reported", async () => {
  const parts: number[] = [];
  const sender = {
    sendLog(log: PushLog): Promise<void> {
      parts.push(log.part);
      return log.part === 2 ? Promise.reject(new Error("stream closed")) : Promise.resolve();
    },
  };
  await using archiver = new LogArchiver(sender, CONFIG);
  for (const c of ["a", "b", "c"]) await archiver.addLog(c.repeat(1000));
  await assert.rejects(archiver.sendLog(ID), (err) => {
    assert.ok(errorIs(err, "failed"));
    assert.equal((err as Error).message, "Cannot send log part 2 of 3: stream closed");
    return true;
  });
  assert.deepEqual(parts, [1, 2]);
});

Deno.test("ignoreSendErrors keeps sending after a rejection, as AosCore", async () => {
  const parts: number[] = [];
  const sender = {
    sendLog(log: PushLog): Promise<void> {
      parts.push(log.part);
      return log.part === 1 ? Promise.reject(new Error("busy")) : Promise.resolve();
    },
  };
  await using archiver = new LogArchiver(sender, CONFIG, { ignoreSendErrors: true });
  await archiver.addLog("a".repeat(1000));
  await archiver.addLog("b".repeat(1000));
  const result = await archiver.sendLog(ID);
  assert.deepEqual(parts, [1, 2]);
  assert.equal(result.errors.length, 1);
  assert.equal((result.errors[0] as Error).message, "busy");
});

Deno.test("is single use: adding or sending after sendLog is wrongState", async () => {
  const sender = new Recorder();
  const archiver = new LogArchiver(sender, CONFIG);
  await archiver.addLog("line\n");
  await archiver.sendLog(ID);
  await assert.rejects(archiver.addLog("more\n"), isReason("wrongState"));
  await assert.rejects(archiver.addLines(["more\n"]), isReason("wrongState"));
  await assert.rejects(archiver.sendLog(ID), (e) => errorIs(e, "wrongState"));
  await archiver.close();
  await archiver.close();
  await assert.rejects(archiver.addLog("x"), /the archiver is closed/);
  assert.equal(sender.logs.length, 1);
});
