// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Scalars of spec §2.2-2.7: byte limits, timestamps, durations, hex, base64
// and AosCore's lenient number, boolean and string conversions.
import assert from "node:assert/strict";
import {
  AosTime,
  type BlobUrls,
  decodeMessage,
  type DesiredStatus,
  encodeMessage,
  type NewState,
  type PushLog,
  type RequestLog,
  type UpdateState,
} from "../../cloudprotocol/mod.ts";
import { assertFails } from "./_assert.ts";

const IDENT = { item: { id: "i" }, subject: { id: "s" }, instance: 0 };

function deprovision(password: unknown) {
  return decodeMessage({ messageType: "deprovisioningRequest", node: { codename: "n" }, password });
}

Deno.test("string limits count UTF-8 bytes: the limit passes, one byte more fails", () => {
  for (const at of ["x".repeat(64), "é".repeat(32), "€".repeat(21) + "x", "😀".repeat(16)]) {
    assert.equal((deprovision(at) as { password: string }).password, at);
  }
  for (
    const over of ["x".repeat(65), "é".repeat(32) + "x", "€".repeat(22), "😀".repeat(16) + "x"]
  ) {
    assertFails(() => deprovision(over), "limitExceeded", "/password");
  }
  const node = (codename: string) =>
    encodeMessage({ messageType: "deprovisioningResponse", nodeId: codename });
  assert.deepEqual(node("😀".repeat(16)).node, { codename: "😀".repeat(16) });
  assertFails(() => node("😀".repeat(16) + "x"), "limitExceeded", "/node/codename");
});

Deno.test("array limits: the limit passes, one more fails, on decode and encode", () => {
  const digests = (n: number) => Array.from({ length: n }, (_, i) => `sha256:${i}`);
  const ok = decodeMessage({ messageType: "requestBlobUrls", digests: digests(16) });
  assert.equal((ok as { digests: string[] }).digests.length, 16);
  assertFails(
    () => decodeMessage({ messageType: "requestBlobUrls", digests: digests(17) }),
    "limitExceeded",
    "/digests",
  );
  assertFails(
    () => encodeMessage({ messageType: "requestBlobUrls", digests: digests(17) }),
    "limitExceeded",
    "/digests",
  );
  const labels = ["a", "b", "c", "d", "e"];
  assertFails(
    () =>
      decodeMessage({
        messageType: "desiredStatus",
        instances: [{ item: { id: "i" }, subject: { id: "s" }, labels }],
      }),
    "limitExceeded",
    "/instances/0/labels",
  );
});

Deno.test("errorInfo.message is truncated to 64 bytes at a character boundary, not rejected", () => {
  const res = (message: string) =>
    decodeMessage({
      messageType: "finishProvisioningResponse",
      node: { codename: "n" },
      errorInfo: { aosCode: 1, exitCode: 5, message },
    }) as { error?: { message: string; exitCode: number } };
  assert.equal(res("x".repeat(100)).error?.message, "x".repeat(64));
  assert.equal(res("x" + "é".repeat(40)).error?.message, "x" + "é".repeat(31));
  assert.equal(res("😀".repeat(17)).error?.message, "😀".repeat(16));
  assert.equal(res("m").error?.exitCode, 5);
  const out = encodeMessage({
    messageType: "finishProvisioningResponse",
    nodeId: "n",
    error: { aosCode: 2, exitCode: 12, message: "€".repeat(30) },
  });
  assert.deepEqual(out.errorInfo, { aosCode: 2, exitCode: 12, message: "€".repeat(21) });
});

Deno.test("an errorInfo with aosCode 0, negative or absent is no error, and is not written", () => {
  for (const errorInfo of [{ aosCode: 0, message: "x" }, { aosCode: -3 }, {}]) {
    const msg = decodeMessage({
      messageType: "deprovisioningResponse",
      node: { codename: "n" },
      errorInfo,
    });
    assert.deepEqual(msg, { messageType: "deprovisioningResponse", nodeId: "n" });
  }
  const out = encodeMessage({
    messageType: "deprovisioningResponse",
    nodeId: "n",
    error: { aosCode: 0, exitCode: 0, message: "" },
  });
  assert.deepEqual(out, { messageType: "deprovisioningResponse", node: { codename: "n" } });
  const any = decodeMessage({
    messageType: "deprovisioningResponse",
    node: { codename: "n" },
    errorInfo: { aosCode: 1000 },
  });
  assert.deepEqual((any as { error?: unknown }).error, { aosCode: 1000, exitCode: 0, message: "" });
});

Deno.test("timestamps: Z, no suffix, 3/6/9 digits and offsets read; microseconds kept; 6 digits written", () => {
  const read = (till: unknown) =>
    (decodeMessage({
      messageType: "requestLog",
      logType: "crashLog",
      filter: { till },
    }) as RequestLog)
      .filter.till as AosTime;
  const cases: [string, number, number][] = [
    ["2026-03-14T09:26:53Z", Date.UTC(2026, 2, 14, 9, 26, 53), 0],
    ["2026-03-14T09:26:53", Date.UTC(2026, 2, 14, 9, 26, 53), 0],
    ["2026-03-14T09:26:53.589Z", Date.UTC(2026, 2, 14, 9, 26, 53, 589), 0],
    ["2026-03-14T09:26:53.589793Z", Date.UTC(2026, 2, 14, 9, 26, 53, 589), 793],
    ["2026-03-14T09:26:53.589793238Z", Date.UTC(2026, 2, 14, 9, 26, 53, 589), 793],
    ["2026-03-14T11:26:53.000001+02:00", Date.UTC(2026, 2, 14, 9, 26, 53), 1],
  ];
  for (const [text, ms, micros] of cases) {
    const t = read(text);
    assert.ok(t instanceof AosTime, text);
    assert.deepEqual([t.getTime(), t.micros], [ms, micros], text);
  }
  const out = encodeMessage({
    messageType: "requestLog",
    logType: "crashLog",
    filter: {
      nodeIds: [],
      from: new Date(Date.UTC(2026, 2, 14, 9, 26, 53, 5)),
      till: read(cases[4]![0]),
    },
  });
  assert.deepEqual(out.filter, {
    from: "2026-03-14T09:26:53.005000Z",
    till: "2026-03-14T09:26:53.589793Z",
  });
  for (
    const bad of [
      "2026-13-40T25:61:61Z",
      "2026-03-14 09:26:53Z",
      "2026-3-14T09:26:53Z",
      "2026-03-14T09:26:xxZ",
      "",
      "yesterday",
    ]
  ) {
    assertFails(() => read(bad), "invalidFormat", "/filter/till");
  }
  assertFails(() => read("0000-01-01T00:30:00+01:00"), "outOfRange", "/filter/till");
  assertFails(() => read(1_700_000_000), "invalidType", "/filter/till");
  assertFails(() => read({}), "invalidType", "/filter/till");
  assertFails(
    () =>
      encodeMessage({
        messageType: "requestLog",
        logType: "crashLog",
        filter: { nodeIds: [], from: "2026-03-14T09:26:53Z" as unknown as Date },
      }),
    "invalidType",
    "/filter/from",
  );
});

function minTimeout(value: unknown): number {
  const msg = decodeMessage({
    messageType: "desiredStatus",
    unitConfig: {
      nodes: [{ nodeGroupSubject: { codename: "t" }, alertRules: { ram: { minTimeout: value } } }],
    },
  }) as DesiredStatus;
  return msg.unitConfig!.nodes[0]!.alertRules!.ram!.minTimeoutMs;
}

function writtenTimeout(ms: number): unknown {
  const data = encodeMessage({
    messageType: "desiredStatus",
    nodes: [],
    unitConfig: {
      formatVersion: "",
      version: "",
      nodes: [{
        nodeId: "",
        nodeType: "t",
        version: "",
        labels: [],
        priority: 0,
        alertRules: { ram: { minTimeoutMs: ms, minThreshold: 1, maxThreshold: 2 }, partitions: [] },
      }],
    },
    items: [],
    instances: [],
    subjects: [],
    certificates: [],
    certificateChains: [],
  }) as { unitConfig: { nodes: { alertRules: { ram: Record<string, unknown> } }[] } };
  return data.unitConfig.nodes[0]!.alertRules.ram.minTimeout;
}

Deno.test("durations: ISO 8601, plain seconds (number or string, rounded) and Go-style units read", () => {
  const cases: [unknown, number][] = [
    ["PT10S", 10_000],
    ["P1D", 86_400_000],
    ["-PT1S", -1000],
    ["PT1.500000000S", 1500],
    ["P", 0],
    [10, 10_000],
    ["10", 10_000],
    [1.5, 2000],
    ["0.4", 0],
    ["-1.5", -1000],
    [".5", 1000],
    ["1h30m", 5_400_000],
    ["250ms", 250],
    ["1µs", 0.001],
  ];
  for (const [value, ms] of cases) assert.equal(minTimeout(value), ms, String(value));
  assert.equal(minTimeout(2 ** 31 - 1), (2 ** 31 - 1) * 1000);
  assert.equal(minTimeout(-(2 ** 31) - 1), -(2 ** 31) * 1000); // rounds to -2^31
  assert.equal(minTimeout("P100Y") > 2 ** 31 * 1000, true); // the int32 cap is for plain seconds only
  for (const bad of ["", "-", "1x", "P1.5D", "1.5h2"]) {
    assertFails(
      () => minTimeout(bad),
      "invalidFormat",
      "/unitConfig/nodes/0/alertRules/ram/minTimeout",
    );
  }
  assert.equal(minTimeout("PT"), 0);
  for (const big of [2 ** 31, "2147483648", -(2 ** 31) - 2]) {
    assertFails(
      () => minTimeout(big),
      "outOfRange",
      "/unitConfig/nodes/0/alertRules/ram/minTimeout",
    );
  }
  assertFails(
    () => minTimeout(true),
    "invalidType",
    "/unitConfig/nodes/0/alertRules/ram/minTimeout",
  );
});

Deno.test("durations are written as AosCore's ISO 8601, and 0 or less not at all", () => {
  const cases: [number, string][] = [
    [10_000, "PT10S"],
    [90_000, "PT1M30S"],
    [7_200_000, "PT2H"],
    [86_400_000, "P1D"],
    [30 * 86_400_000, "P4W2D"],
    [1500, "PT1.500000000S"],
  ];
  for (const [ms, text] of cases) assert.equal(writtenTimeout(ms), text);
  assert.equal(writtenTimeout(0), undefined);
  assert.equal(writtenTimeout(-5000), undefined);
});

Deno.test("hex: either case in, lower case out, odd length padded, over 64 digits rejected", () => {
  const read = (stateChecksum: unknown) =>
    (decodeMessage({ messageType: "updateState", ...IDENT, stateChecksum }) as UpdateState)
      .stateChecksum;
  assert.deepEqual(read("ABcd"), new Uint8Array([0xab, 0xcd]));
  assert.deepEqual(read("abc"), new Uint8Array([0xab, 0xc0]));
  assert.deepEqual(read(""), new Uint8Array(0));
  assert.equal(read("f".repeat(64)).length, 32);
  assertFails(() => read("f".repeat(65)), "limitExceeded", "/stateChecksum");
  for (const bad of ["xyz0", "0\u0130", "a-", " ab", "abcg"]) {
    assertFails(() => read(bad), "invalidFormat", "/stateChecksum");
  }
  assertFails(() => read(1234), "invalidType", "/stateChecksum");
  const out = encodeMessage(
    {
      messageType: "newState",
      itemId: "i",
      subjectId: "s",
      instance: 0,
      stateChecksum: new Uint8Array([0xab, 0x0c]),
      state: "",
    } satisfies NewState,
  );
  assert.equal(out.stateChecksum, "ab0c");
});

Deno.test("hex and base64: every decoded array owns its buffer, so it can be transferred as it is", () => {
  const read = (stateChecksum: string) =>
    (decodeMessage({ messageType: "updateState", ...IDENT, stateChecksum }) as UpdateState)
      .stateChecksum;
  const sums = Array.from({ length: 300 }, (_, i) => read(i.toString(16).padStart(64, "0")));
  for (const sum of sums) {
    assert.equal(sum.byteOffset, 0);
    assert.equal(sum.buffer.byteLength, 32);
  }
  assert.equal(new Set(sums.map((sum) => sum.buffer)).size, sums.length);
  assert.equal(read("abc").buffer.byteLength, 2);
  const content = (decodeMessage({
    messageType: "pushLog",
    node: { codename: "n" },
    part: 1,
    partsCount: 1,
    content: "QUJD",
    status: "ok",
  }) as PushLog).content;
  assert.equal(content.buffer.byteLength, 3);
  for (const sum of sums) sum[31] = sum[31]! ^ 0xff;
  sums.forEach((sum, i) => assert.equal(sum[30]! * 256 + (sum[31]! ^ 0xff), i));
});

Deno.test("base64: line breaks read, one line written, bad alphabet and padding rejected, limit on bytes", () => {
  const content = (value: unknown) =>
    (decodeMessage({
      messageType: "pushLog",
      node: { codename: "n" },
      part: 1,
      partsCount: 1,
      content: value,
      status: "ok",
    }) as PushLog).content;
  const bytes = Uint8Array.from({ length: 100 }, (_, i) => i);
  const text = btoa(String.fromCharCode(...bytes));
  const broken = text.slice(0, 72) + "\r\n" + text.slice(72) + "\r\n";
  assert.deepEqual(content(broken), bytes);
  assert.deepEqual(content(" QU JD\t"), new TextEncoder().encode("ABC"));
  for (const bad of ["Q", "QUJDR", "QUI", "=QUJ", "QU=D", "QUI=QUJD", "QUJD!", "QUJD=="]) {
    assertFails(() => content(bad), "invalidFormat", "/content");
  }
  const data = encodeMessage({
    messageType: "pushLog",
    nodeId: "n",
    part: 1,
    partsCount: 1,
    content: new Uint8Array(300),
    status: "ok",
  });
  assert.ok(!String(data.content).includes("\n"));
  assert.equal(String(data.content).length, 400);
  const iv = (blockIv: string) =>
    (decodeMessage({ messageType: "blobUrls", items: [{ decryptInfo: { blockIv } }] }) as BlobUrls)
      .items[0]!.decryptInfo!.blockIv;
  assert.equal(iv(btoa("x".repeat(16))).length, 16);
  assertFails(() => iv(btoa("x".repeat(17))), "limitExceeded", "/items/0/decryptInfo/blockIv");
});
