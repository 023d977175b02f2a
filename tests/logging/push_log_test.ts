// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The status messages a log provider sends besides the archive's parts.
import assert from "node:assert/strict";
import { absentPushLog, ArchiverError, errorPushLog, LogArchiver } from "../../logging/mod.ts";
import { AosError } from "../../utils/errors.ts";
import { Recorder } from "./_helpers.ts";

Deno.test("absent is part 1 of 1 without content or error", () => {
  const log = absentPushLog("req-1");
  assert.deepEqual({ ...log, content: [...log.content] }, {
    messageType: "pushLog",
    correlationId: "req-1",
    nodeId: "",
    part: 1,
    partsCount: 1,
    content: [],
    status: "absent",
  });
});

Deno.test("error is part 0 of 0 with aosCode failed and the error's message", () => {
  const log = errorPushLog("req-2", new AosError("notFound", "no such journal"));
  assert.equal(log.status, "error");
  assert.equal(log.part, 0);
  assert.equal(log.partsCount, 0);
  assert.equal(log.content.length, 0);
  assert.deepEqual(log.error, { aosCode: 1, exitCode: 0, message: "no such journal" });
  assert.equal(errorPushLog("r", "plain text").error?.message, "plain text");
});

Deno.test("a log provider answers a part-limit failure with an error message", async () => {
  const sender = new Recorder();
  await using archiver = new LogArchiver(sender, { maxPartSize: 4, maxPartCount: 1 });
  let failure: unknown;
  try {
    for (const line of ["abc\n", "def\n", "ghi\n"]) await archiver.addLog(line);
  } catch (err) {
    failure = err;
  }
  assert.ok(failure instanceof ArchiverError && failure.reason === "tooManyParts");
  await sender.sendLog(errorPushLog("req-3", failure));
  assert.deepEqual(sender.shape, [[0, 0, "error"]]);
  assert.match(sender.logs[0]!.error!.message, /already has 1 part boundaries, the limit/);
});
