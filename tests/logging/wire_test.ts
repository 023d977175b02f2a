// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The archive on the wire: every pushLog through the cloud protocol's JSON
// codec, as the communication manager sends it and the cloud reads it.
import assert from "node:assert/strict";
import { decodeMessage, encodeMessage, type PushLog } from "../../cloudprotocol/mod.ts";
import { absentPushLog, errorPushLog, LogArchiver, LogAssembler } from "../../logging/mod.ts";
import { logLine, random } from "./_helpers.ts";

/** What AosCore's encoder does to base64: a CR LF after every 72 characters. */
function wrap72(text: string): string {
  return text.replace(/(.{72})/g, "$1\r\n");
}

Deno.test("parts survive the pushLog JSON codec, also with AosCore's wrapped base64", async () => {
  const rand = random(3);
  const lines = Array.from({ length: 3000 }, (_, i) => logLine(rand, i, true));
  const frames: string[] = [];
  const sender = {
    sendLog(log: PushLog): Promise<void> {
      frames.push(JSON.stringify(encodeMessage({ ...log, nodeId: "main" })));
      return Promise.resolve();
    },
  };
  await using archiver = new LogArchiver(sender, { maxPartSize: 16 * 1024, maxPartCount: 100 });
  for (const line of lines) await archiver.addLog(line);
  await archiver.sendLog("8c7b6a59-4837-4261-9504-f3e2d1c0b9a8");
  assert.ok(frames.length > 10);

  const first = JSON.parse(frames[0]!);
  assert.deepEqual(Object.keys(first), [
    "messageType",
    "correlationId",
    "node",
    "part",
    "partsCount",
    "content",
    "status",
  ]);
  assert.match(first.content, /^H4sIAAAAAAAC/); // base64 of 1f8b0800000000000203
  assert.doesNotMatch(first.content, /[\r\n]/);

  for (const wrapped of [false, true]) {
    const assembler = new LogAssembler();
    for (const frame of frames.slice().reverse()) {
      const data = JSON.parse(frame);
      if (wrapped) data.content = wrap72(data.content);
      assembler.add(decodeMessage(data) as PushLog);
    }
    assert.equal(await assembler.text(), lines.join(""), wrapped ? "wrapped" : "plain");
  }
});

Deno.test("status messages encode as AosCore writes them", () => {
  assert.deepEqual(encodeMessage(absentPushLog("logID")), {
    messageType: "pushLog",
    correlationId: "logID",
    node: { codename: "" },
    part: 1,
    partsCount: 1,
    content: "",
    status: "absent",
  });
  assert.equal(
    JSON.stringify(encodeMessage({ ...errorPushLog("logID", new Error("")), nodeId: "nodeID" })),
    '{"messageType":"pushLog","correlationId":"logID","node":{"codename":"nodeID"},"part":0,' +
      '"partsCount":0,"content":"","status":"error","errorInfo":{"aosCode":1,"exitCode":0,"message":""}}',
  );
});
