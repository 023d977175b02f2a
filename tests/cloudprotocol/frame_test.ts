// Copyright 2026 the aos-common authors. Apache-2.0 license.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import {
  AosTime,
  CLOUD_TO_UNIT,
  decodeFrame,
  encodeFrame,
  MESSAGE_TYPES,
  PROTOCOL_VERSION,
  UNIT_TO_CLOUD,
} from "../../cloudprotocol/mod.ts";
import { assertFails, frameText, HEADER } from "./_assert.ts";

const TESTDATA = new URL("./testdata/", import.meta.url);

function fixtures(): { name: string; text: string }[] {
  return ["frames", "edges"].flatMap((dir) =>
    readdirSync(new URL(`${dir}/`, TESTDATA)).sort().map((name) => ({
      name: `${dir}/${name}`,
      text: readFileSync(new URL(`${dir}/${name}`, TESTDATA), "utf8"),
    }))
  );
}

const utf8 = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

Deno.test("every canonical fixture round-trips to the same JSON value and the same compact bytes", () => {
  const all = fixtures();
  assert.ok(all.length >= 40, `only ${all.length} fixtures`);
  for (const { name, text } of all) {
    const bytes = encodeFrame(decodeFrame(text));
    assert.deepEqual(JSON.parse(utf8(bytes)), JSON.parse(text), name);
    // Fixtures list members in AosCore's order, so the compact text is AosCore's output.
    assert.equal(utf8(bytes), JSON.stringify(JSON.parse(text)), name);
  }
});

Deno.test("the fixtures cover every message type", () => {
  const types = new Set(fixtures().map(({ text }) => JSON.parse(text).data.messageType));
  assert.deepEqual([...types].sort(), [...MESSAGE_TYPES]);
});

Deno.test("decodeFrame reads UTF-8 bytes and text alike", () => {
  const text = frameText({ messageType: "ack" });
  assert.deepEqual(decodeFrame(new TextEncoder().encode(text)), decodeFrame(text));
});

Deno.test("the header keeps createdAt to the microsecond and the txn as sent", () => {
  const { header } = decodeFrame(frameText({ messageType: "ack" }));
  assert.ok(header.createdAt instanceof AosTime);
  assert.equal(header.createdAt.micros, 622);
  assert.equal(header.txn, HEADER.txn);
  assert.equal(header.version, PROTOCOL_VERSION);
  const out = JSON.parse(utf8(encodeFrame({ header, data: { messageType: "ack" } })));
  assert.deepEqual(out.header, HEADER);
});

Deno.test("envelope, header and data members match case-insensitively", () => {
  const frame = decodeFrame(JSON.stringify({
    HEADER: { Version: 7, SYSTEMID: "unit", createdat: "2026-05-07T05:44:11Z", TXN: "t" },
    Data: { MessageType: "nack", RETRYAFTER: 10, correlationID: "c" },
  }));
  assert.deepEqual(frame.header.systemId, "unit");
  assert.equal(frame.header.txn, "t");
  assert.deepEqual(frame.data, { messageType: "nack", correlationId: "c", retryAfter: 10 });
});

Deno.test("a payload that is not JSON or not UTF-8 is a syntax error", () => {
  assertFails(() => decodeFrame("{"), "syntax", "");
  assertFails(() => decodeFrame(""), "syntax", "");
  assertFails(() => decodeFrame("   "), "syntax", "");
  assertFails(() => decodeFrame(new Uint8Array([0x7b, 0xff, 0x7d])), "syntax", "");
  assertFails(() => decodeFrame('{"header":{"txn":"a\u0001b"}}'), "syntax", "");
  // An escaped lone surrogate parses in JavaScript; AosCore rejects it, so do we.
  const lone = frameText({ messageType: "ack", correlationId: "x" }).replace('"x"', '"\\ud800"');
  assertFails(() => decodeFrame(lone), "syntax", "/data/correlationId");
});

Deno.test("string limits and surrogates are checked alike in ASCII, escaped and UTF-8 payload bytes", () => {
  const bytes = (password: string, escaped = false) => {
    const data = { messageType: "deprovisioningRequest", node: { codename: "n" }, password };
    const text = frameText(data);
    const json = escaped
      ? text.replace(
        /[\u0080-\uffff]/g,
        (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
      )
      : text;
    return new TextEncoder().encode(json);
  };
  const read = (payload: Uint8Array) =>
    (decodeFrame(payload).data as { password: string }).password;
  for (const escaped of [false, true]) {
    assert.equal(read(bytes("x".repeat(64), escaped)), "x".repeat(64));
    assert.equal(read(bytes("é".repeat(32), escaped)), "é".repeat(32));
    assertFails(() => read(bytes("x".repeat(65), escaped)), "limitExceeded", "/data/password");
    assertFails(() => read(bytes("é".repeat(33), escaped)), "limitExceeded", "/data/password");
  }
  const lone = utf8(bytes("x")).replace('"x"', '"a\\ud800"');
  assertFails(() => decodeFrame(new TextEncoder().encode(lone)), "syntax", "/data/password");
});

Deno.test("a top level, header or data that is not an object is an envelope error", () => {
  assertFails(() => decodeFrame("[]"), "envelope", "");
  assertFails(() => decodeFrame('"frame"'), "envelope", "");
  assertFails(() => decodeFrame("null"), "envelope", "");
  assertFails(() => decodeFrame('{"data":{"messageType":"ack"}}'), "envelope", "/header");
  assertFails(() => decodeFrame(frameText({ messageType: "ack" }, null!)), "envelope", "/header");
  assertFails(() => decodeFrame(JSON.stringify({ header: [], data: {} })), "envelope", "/header");
  assertFails(() => decodeFrame(JSON.stringify({ header: HEADER })), "envelope", "/data");
  assertFails(() => decodeFrame(frameText(null)), "envelope", "/data");
  assertFails(() => decodeFrame(frameText([])), "envelope", "/data");
  assertFails(() => decodeFrame(frameText("ack")), "envelope", "/data");
});

Deno.test("header.version must be 7, with AosCore's coercions", () => {
  const withVersion = (version: unknown) =>
    frameText({ messageType: "ack" }, { ...HEADER, version });
  assert.equal(decodeFrame(withVersion("7")).header.version, 7);
  assert.equal(decodeFrame(withVersion(7.9)).header.version, 7);
  assertFails(() => decodeFrame(withVersion(6)), "versionMismatch", "/header/version");
  assertFails(() => decodeFrame(withVersion("8")), "versionMismatch", "/header/version");
  assertFails(() => decodeFrame(withVersion(null)), "versionMismatch", "/header/version");
  const { version: _, ...noVersion } = HEADER;
  assertFails(
    () => decodeFrame(frameText({ messageType: "ack" }, noVersion)),
    "versionMismatch",
    "/header/version",
  );
  assertFails(() => decodeFrame(withVersion("abc")), "invalidType", "/header/version");
  assertFails(() => decodeFrame(withVersion(-7)), "outOfRange", "/header/version");
  assertFails(() => decodeFrame(withVersion({})), "invalidType", "/header/version");
});

Deno.test("header.systemId must equal the expected ID exactly, when one is given", () => {
  const text = frameText({ messageType: "ack" });
  const expectedSystemId = HEADER.systemId as string;
  assert.equal(decodeFrame(text, { expectedSystemId }).header.systemId, expectedSystemId);
  assert.equal(decodeFrame(text, {}).header.systemId, expectedSystemId);
  const other = { expectedSystemId: expectedSystemId.toUpperCase() };
  assertFails(() => decodeFrame(text, other), "systemIdMismatch", "/header/systemId");
  const { systemId: _, ...noId } = HEADER;
  assertFails(
    () => decodeFrame(frameText({ messageType: "ack" }, noId), { expectedSystemId }),
    "systemIdMismatch",
    "/header/systemId",
  );
  const long = frameText({ messageType: "ack" }, { ...HEADER, systemId: "x".repeat(65) });
  assertFails(() => decodeFrame(long), "limitExceeded", "/header/systemId");
});

Deno.test("messageType must be one of the 26, spelled exactly, and accepted by the caller", () => {
  assertFails(() => decodeFrame(frameText({})), "unknownMessageType", "/data/messageType");
  assertFails(
    () => decodeFrame(frameText({ messageType: "Ack" })),
    "unknownMessageType",
    "/data/messageType",
  );
  assertFails(
    () => decodeFrame(frameText({ messageType: 1 })),
    "unknownMessageType",
    "/data/messageType",
  );
  assertFails(
    () => decodeFrame(frameText({ messageType: "constructor" })),
    "unknownMessageType",
    "/data/messageType",
  );
  const status = frameText({ messageType: "unitStatus", isDeltaInfo: true });
  assertFails(
    () => decodeFrame(status, { accept: CLOUD_TO_UNIT }),
    "unsupportedMessageType",
    "/data/messageType",
  );
  assert.equal(decodeFrame(status, { accept: UNIT_TO_CLOUD }).data.messageType, "unitStatus");
});

Deno.test("CLOUD_TO_UNIT and UNIT_TO_CLOUD split the types, sharing only ack and nack", () => {
  assert.equal(CLOUD_TO_UNIT.size, 13);
  assert.equal(UNIT_TO_CLOUD.size, 15);
  const both = [...CLOUD_TO_UNIT].filter((t) => UNIT_TO_CLOUD.has(t));
  assert.deepEqual(both.sort(), ["ack", "nack"]);
  assert.deepEqual([...new Set([...CLOUD_TO_UNIT, ...UNIT_TO_CLOUD])].sort(), [...MESSAGE_TYPES]);
});

Deno.test("a payload over maxBytes fails before it is parsed", () => {
  const text = frameText({ messageType: "ack" });
  assertFails(() => decodeFrame(text, { maxBytes: text.length - 1 }), "limitExceeded", "");
  assert.equal(decodeFrame(text, { maxBytes: text.length }).data.messageType, "ack");
});

Deno.test("100k-deep nesting fails fast with an error, not a stack overflow", () => {
  const depth = 100_000;
  const deep = "[".repeat(depth) + "]".repeat(depth);
  assertFails(() => decodeFrame(deep), "envelope", "");
  const inData = `{"header":${JSON.stringify(HEADER)},"data":${deep}}`;
  assertFails(() => decodeFrame(inData), "envelope", "/data");
  const inItems = `{"header":${JSON.stringify(HEADER)},"data":{"messageType":"desiredStatus",` +
    `"items":[${deep}]}}`;
  assertFails(() => decodeFrame(inItems), "invalidType", "/data/items/0");
  const objects = '{"a":'.repeat(depth) + "1" + "}".repeat(depth);
  const inSubject = `{"header":${JSON.stringify(HEADER)},"data":{"messageType":"updateState",` +
    `"item":{"id":${objects}},"subject":{}}}`;
  assertFails(() => decodeFrame(inSubject), "invalidType", "/data/item/id");
  // Unknown members are never walked, however deep.
  const ignored = `{"header":${JSON.stringify(HEADER)},"data":{"messageType":"ack","x":${deep}}}`;
  assert.deepEqual(decodeFrame(ignored).data, { messageType: "ack" });
});

Deno.test("10 MB of arrays fails fast: over the default size limit before parsing", () => {
  const arrays = "[],".repeat(3_500_000) + "[]";
  const huge = `{"header":${JSON.stringify(HEADER)},"data":{"messageType":"ack","x":[${arrays}]}}`;
  assert.ok(huge.length > 10_000_000);
  assertFails(() => decodeFrame(huge), "limitExceeded", "");
  assertFails(() => decodeFrame(new TextEncoder().encode(huge)), "limitExceeded", "");
});

Deno.test("an over-long array fails on its count before any element is read", () => {
  const arrays = "[],".repeat(200_000) + "[]";
  const items = `{"header":${JSON.stringify(HEADER)},"data":{"messageType":"desiredStatus",` +
    `"items":[${arrays}]}}`;
  assertFails(() => decodeFrame(items), "limitExceeded", "/data/items");
});

Deno.test("encodeFrame writes AosCore's escapes: upper-case \\u00XX, raw non-ASCII, raw DEL and /", () => {
  const state = '\u0001\u000b\u001f\n\t"\\/\u007f\u2028é😀\\u001f';
  const bytes = encodeFrame({
    header: { version: PROTOCOL_VERSION, systemId: "u", txn: "t" },
    data: {
      messageType: "newState",
      itemId: "i",
      subjectId: "s",
      instance: 0,
      stateChecksum: new Uint8Array(0),
      state,
    },
  });
  const text = utf8(bytes);
  assert.ok(
    text.includes(
      String.raw`"state":"\u0001\u000B\u001F\n\t\"\\/` + "\u007f\u2028é😀" +
        String.raw`\\u001f"`,
    ),
    text,
  );
  assert.equal(decodeFrame(bytes).data.messageType, "newState");
  if (decodeFrame(bytes).data.messageType === "newState") {
    assert.equal((decodeFrame(bytes).data as { state: string }).state, state);
  }
});

Deno.test("encodeFrame writes the header in AosCore's order and checks it", () => {
  const data = { messageType: "ack" } as const;
  const text = utf8(encodeFrame({
    header: {
      txn: "t",
      createdAt: new AosTime(Date.UTC(2026, 4, 7), 42),
      systemId: "u",
      version: 7,
    },
    data,
  }));
  assert.equal(
    text,
    '{"header":{"version":7,"systemId":"u","createdAt":"2026-05-07T00:00:00.000042Z","txn":"t"},' +
      '"data":{"messageType":"ack"}}',
  );
  const bad = { version: 6, systemId: "u", txn: "t" } as unknown as {
    version: 7;
    systemId: string;
    txn: string;
  };
  assertFails(() => encodeFrame({ header: bad, data }), "versionMismatch", "/header/version");
  assertFails(
    () => encodeFrame({ header: { version: 7, systemId: "x".repeat(65), txn: "t" }, data }),
    "limitExceeded",
    "/header/systemId",
  );
  assertFails(
    () =>
      encodeFrame({
        header: { version: 7, systemId: "u", txn: "t" },
        data: { messageType: "pushLog" } as never,
      }),
    "missingField",
    "/data/node",
  );
});
