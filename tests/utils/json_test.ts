// Copyright 2026 the aos-common authors. Apache-2.0 license.
import assert from "node:assert/strict";
import {
  findByPath,
  findMemberKey,
  getMember,
  hasMember,
  parseJson,
  parseJsonStream,
  stringify,
  toJsonArray,
} from "../../utils/json.ts";
import { AosError, errorIs } from "../../utils/errors.ts";

function streamOf(...parts: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const part of parts) controller.enqueue(encoder.encode(part));
      controller.close();
    },
  });
}

Deno.test("getMember matches keys case-insensitively and prefers the exact spelling", () => {
  const obj = JSON.parse('{"Key": 1, "KEY": 2, "key": 3, "other": "x"}');
  assert.equal(getMember(obj, "key"), 3);
  assert.equal(getMember(obj, "KEY"), 2);
  assert.equal(getMember(obj, "kEy"), 1, "first key in object order wins without an exact match");
  assert.equal(getMember(obj, "OTHER"), "x");
  assert.equal(getMember(obj, "missing"), undefined);
  assert.equal(findMemberKey(obj, "kEY"), "Key");
  assert.equal(findMemberKey(obj, "nope"), undefined);
});

Deno.test("getMember treats null-valued members as absent and skips to a non-null spelling", () => {
  const obj = JSON.parse('{"key": null, "Key": 7, "only": null}');
  assert.equal(getMember(obj, "key"), 7);
  assert.equal(findMemberKey(obj, "key"), "Key");
  assert.equal(getMember(obj, "only"), undefined);
  assert.equal(hasMember(obj, "only"), false);
  assert.equal(hasMember(obj, "KEY"), true);
});

Deno.test("getMember folds ASCII only and never reads inherited properties", () => {
  const obj = JSON.parse('{"straße": 1, "ÄB": 2}');
  assert.equal(getMember(obj, "STRAßE"), 1);
  assert.equal(getMember(obj, "äb"), undefined, "non-ASCII letters are compared as they are");
  assert.equal(getMember({}, "toString"), undefined);
  assert.equal(getMember({}, "__proto__"), undefined);
  assert.equal(getMember({}, "constructor"), undefined);
  const own = JSON.parse('{"__proto__": {"a": 1}}');
  assert.deepEqual(getMember(own, "__PROTO__"), { a: 1 });
});

Deno.test("parseJson parses strings and UTF-8 bytes", () => {
  assert.deepEqual(parseJson('{"a":[1,"b",null]}'), { a: [1, "b", null] });
  assert.deepEqual(parseJson(new TextEncoder().encode('{"ü":true}')), { "ü": true });
  assert.equal(parseJson(" 42 "), 42);
});

Deno.test("parseJson rejects empty input, bad JSON and bad UTF-8 with invalidArgument", () => {
  for (const bad of ["", "   ", "{", "{'a':1}", "[1,]", "nul"]) {
    assert.throws(() => parseJson(bad), (e) => {
      assert.ok(e instanceof AosError);
      assert.equal(e.kind, "invalidArgument");
      assert.match(e.message, /^Cannot parse JSON/);
      return true;
    }, bad);
  }
  assert.throws(() => parseJson(new Uint8Array([0x7b, 0xff, 0x7d])), /invalid UTF-8/);
});

Deno.test("parseJson keeps a U+FFFD that the input really holds and rejects one it stands for", () => {
  const real = new TextEncoder().encode('{"a":"\uFFFD"}');
  assert.deepEqual(parseJson(real), { a: "\uFFFD" });
  const both = new Uint8Array([...real.subarray(0, 6), 0xc3, ...real.subarray(6)]);
  assert.throws(
    () => parseJson(both),
    (e) => errorIs(e, "invalidArgument") && /UTF-8/.test(String(e)),
  );
});

Deno.test("parseJsonStream reads a chunked stream to its end", async () => {
  assert.deepEqual(await parseJsonStream(streamOf('{"a"', ": [1, ", "2]}")), { a: [1, 2] });
  await assert.rejects(parseJsonStream(streamOf()), (e) => errorIs(e, "invalidArgument"));
});

Deno.test("parseJsonStream enforces maxBytes and honours an abort", async () => {
  await assert.rejects(
    parseJsonStream(streamOf("[1,", "2,3]"), { maxBytes: 4 }),
    (e) => errorIs(e, "outOfRange"),
  );
  let canceled = false;
  const endless = new ReadableStream<Uint8Array>({
    pull: () => new Promise(() => {}),
    cancel: () => {
      canceled = true;
    },
  });
  const controller = new AbortController();
  const pending = parseJsonStream(endless, { signal: controller.signal });
  controller.abort();
  await assert.rejects(pending, (e) => errorIs(e, "canceled"));
  assert.ok(canceled, "the source stream is canceled");
});

Deno.test("stringify writes compact JSON and rejects what JSON cannot hold", () => {
  assert.equal(stringify({ key: "value", n: [1, 2] }), '{"key":"value","n":[1,2]}');
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  for (const bad of [undefined, () => 1, 1n, cyclic]) {
    assert.throws(() => stringify(bad), (e) => errorIs(e, "invalidArgument"));
  }
});

Deno.test("findByPath walks nested objects with case-sensitive keys, dots included", () => {
  const doc = JSON.parse('{"a": {"aos.key": {"b": [1]}, "n": 5}}');
  assert.equal(findByPath(doc, []), doc);
  assert.deepEqual(findByPath(doc, ["a", "aos.key", "b"]), [1]);
  assert.equal(findByPath(doc, ["A"]), undefined, "keys are case-sensitive here");
  assert.equal(findByPath(doc, ["a", "n", "x"]), undefined, "stops at a non-object");
  assert.equal(findByPath(doc, ["a", "aos.key", "b", "0"]), undefined, "arrays are not walked");
  assert.equal(findByPath(doc, ["a", "toString"]), undefined);
});

Deno.test("toJsonArray converts every item", () => {
  assert.deepEqual(toJsonArray([1, 2], (v) => `${v}-str`), ["1-str", "2-str"]);
  assert.deepEqual(toJsonArray(new Set(["a"]), (v) => ({ v })), [{ v: "a" }]);
});
