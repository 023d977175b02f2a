// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Who owns a part's bytes: the sender by default, the archiver with reuseContent.
import assert from "node:assert/strict";
import type { PushLog } from "../../cloudprotocol/mod.ts";
import { LogArchiver } from "../../logging/mod.ts";
import { gunzipText, logLine, random } from "./_helpers.ts";

/** Archives 3000 lines in parts of 16 KiB; returns each part's text and buffer as sent. */
async function archive(reuseContent: boolean, memoryLimit: number) {
  const rand = random(11);
  const text = Array.from({ length: 3000 }, (_, i) => logLine(rand, i, true)).join("");
  const sent: { text: string; buffer: ArrayBufferLike }[] = [];
  const sender = {
    sendLog(log: PushLog): Promise<void> {
      sent.push({ text: gunzipText(log.content), buffer: log.content.buffer });
      return Promise.resolve();
    },
  };
  await using archiver = new LogArchiver(sender, { maxPartSize: 16 * 1024, maxPartCount: 1000 }, {
    reuseContent,
    memoryLimit,
  });
  await archiver.addLines([text]);
  await archiver.sendLog("owner");
  assert.ok(sent.length > 20);
  assert.equal(sent.map((part) => part.text).join(""), text);
  return new Set(sent.map((part) => part.buffer)).size / sent.length;
}

Deno.test("by default every part's content is a buffer of its own", async () => {
  for (const memoryLimit of [4 << 20, 0]) assert.equal(await archive(false, memoryLimit), 1);
});

Deno.test("reuseContent hands the parts over in one buffer, grown only for a larger part", async () => {
  // Parts of random lines vary in size: the buffer grows at each new largest one.
  for (const memoryLimit of [4 << 20, 0]) assert.ok(await archive(true, memoryLimit) < 0.3);
});
