// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The receiving side: reassembly in any order, and every message it refuses.
import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import type { PushLog } from "../../cloudprotocol/mod.ts";
import {
  absentPushLog,
  assembleLog,
  errorPushLog,
  LogAssembler,
  MAX_LOG_CONTENT_SIZE,
} from "../../logging/mod.ts";
import { errorIs } from "../../utils/errors.ts";

function part(n: number, count: number, text: string | Uint8Array, id = "c1"): PushLog {
  return {
    messageType: "pushLog",
    correlationId: id,
    nodeId: "main",
    part: n,
    partsCount: count,
    status: "ok",
    content: text === "" ? new Uint8Array() : new Uint8Array(gzipSync(text, { level: 9 })),
  };
}

const invalid = (pattern: RegExp) => (err: unknown) => {
  assert.ok(errorIs(err, "invalidArgument"), String(err));
  assert.match((err as Error).message, pattern);
  return true;
};

Deno.test("reassembles parts that arrive in any order, counting empty ones", async () => {
  const assembler = new LogAssembler();
  assert.equal(assembler.add(part(3, 4, "three\n")), false);
  assert.equal(assembler.add(part(1, 4, "")), false);
  assert.deepEqual(assembler.missing, [2, 4]);
  assert.equal(assembler.status, "pending");
  assembler.add(part(4, 4, "four\n"));
  assert.equal(assembler.add(part(2, 4, "two\n")), true);
  assert.equal(assembler.status, "complete");
  assert.equal(await assembler.text(), "two\nthree\nfour\n");
  // A retried part with the same bytes is taken once.
  assert.equal(assembler.add(part(2, 4, "two\n")), true);
  assert.equal(await assembler.text(), "two\nthree\nfour\n");
});

Deno.test("accepts an empty gzip member as a part without text", async () => {
  const empty = Uint8Array.from(Buffer.from("1f8b08000000000002030300000000000000000000", "hex"));
  const log = { ...part(1, 2, ""), content: empty };
  assert.equal(await new TextDecoder().decode(await assembleLog([log, part(2, 2, "x")])), "x");
});

Deno.test("refuses parts that contradict the sequence", () => {
  const assembler = new LogAssembler();
  assembler.add(part(1, 3, "one\n"));
  assert.throws(
    () => assembler.add(part(2, 4, "x")),
    invalid(/partsCount is 4, earlier parts said 3/),
  );
  assert.throws(() => assembler.add(part(4, 3, "x")), invalid(/part number outside 1..3/));
  assert.throws(() => assembler.add(part(0, 3, "x")), invalid(/part number outside/));
  assert.throws(() => assembler.add(part(1, 3, "uno\n")), invalid(/a different part/));
  assert.throws(() => assembler.add(part(2, 3, "x", "c2")), invalid(/correlation id "c2"/));
  assert.throws(
    () => assembler.add({ ...part(2, 3, "x"), nodeId: "other" }),
    invalid(/of node "other", not "c1" of node "main"/),
  );
  assert.throws(
    () => assembler.add({ ...part(2, 3, ""), content: new TextEncoder().encode("plain") }),
    invalid(/not a gzip member/),
  );
  assert.throws(
    () => assembler.add({ ...part(2, 3, ""), content: new Uint8Array(MAX_LOG_CONTENT_SIZE + 1) }),
    invalid(/content is 262145 bytes, at most 262144/),
  );
  assert.throws(
    () => assembler.add({ ...absentPushLog("c1"), nodeId: "main" }),
    invalid(/status "absent" after 1/),
  );
  assert.throws(
    () => assembler.add({ ...part(2, 3, "x"), status: "bad" as "ok" }),
    invalid(/unknown status "bad"/),
  );
  assert.deepEqual(assembler.missing, [2, 3]);
});

Deno.test("reading before all parts arrived names the missing ones", async () => {
  const assembler = new LogAssembler();
  assert.throws(() => assembler.stream(), /no message received/);
  assembler.add(part(2, 3, "two\n"));
  assert.throws(() => assembler.stream(), (err) => {
    assert.ok(errorIs(err, "wrongState"));
    assert.equal((err as Error).message, "Cannot read the log: parts 1, 3 of 3 are missing");
    return true;
  });
  await assert.rejects(assembleLog([part(1, 2, "x")]), /parts 2 of 2 are missing/);
});

Deno.test("empty and absent end the sequence with no text", async () => {
  for (const status of ["empty", "absent"] as const) {
    const assembler = new LogAssembler();
    const log: PushLog = { ...part(1, 1, ""), status };
    assert.equal(assembler.add(log), true);
    assert.equal(assembler.status, status);
    assert.equal(await assembler.text(), "");
    assert.throws(() => assembler.add(part(1, 1, "late")), (e) => errorIs(e, "wrongState"));
  }
});

Deno.test("an error message drops earlier parts and reading reports the sender's error", () => {
  const assembler = new LogAssembler();
  assembler.add(part(1, 2, "one\n"));
  assert.equal(
    assembler.add({ ...errorPushLog("c1", new Error("content too large")), nodeId: "main" }),
    true,
  );
  assert.equal(assembler.status, "error");
  assert.deepEqual(assembler.errorInfo, { aosCode: 1, exitCode: 0, message: "content too large" });
  assert.throws(() => assembler.stream(), (err) => {
    assert.ok(errorIs(err, "failed"));
    assert.equal(
      (err as Error).message,
      "The log sender reported an error: content too large",
    );
    return true;
  });
});

Deno.test("a corrupt part fails the read with the part number", async () => {
  const good = part(1, 2, "one\n");
  const bad = part(2, 2, "two two two two\n");
  bad.content[bad.content.length - 5]! ^= 0xff; // breaks the CRC-32
  const assembler = new LogAssembler();
  assembler.add(good);
  assembler.add(bad);
  await assert.rejects(assembler.bytes(), (err) => {
    assert.ok(errorIs(err, "failed"));
    assert.match((err as Error).message, /^Cannot decompress log part 2 of 2: /);
    return true;
  });
});

Deno.test("maxSize stops a compression bomb", async () => {
  const bomb = part(1, 1, new Uint8Array(64 * 1024 * 1024));
  assert.ok(bomb.content.length < MAX_LOG_CONTENT_SIZE);
  const assembler = new LogAssembler({ maxSize: 1024 * 1024 });
  assembler.add(bomb);
  await assert.rejects(assembler.bytes(), (err) => {
    assert.ok(errorIs(err, "outOfRange"));
    assert.match((err as Error).message, /exceeds maxSize 1048576/);
    return true;
  });
  assert.throws(() => new LogAssembler({ maxSize: -1 }), (e) => errorIs(e, "invalidArgument"));
});

Deno.test("reading stops with canceled when the signal aborts", async () => {
  const assembler = new LogAssembler();
  assembler.add(part(1, 1, "x".repeat(4 * 1024 * 1024)));
  const controller = new AbortController();
  const reader = assembler.stream({ signal: controller.signal }).getReader();
  await reader.read();
  controller.abort();
  await assert.rejects(async () => {
    for (;;) if ((await reader.read()).done) break;
  }, (e) => errorIs(e, "canceled"));
});
