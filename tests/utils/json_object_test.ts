// Copyright 2026 the aos-common authors. Apache-2.0 license.
import assert from "node:assert/strict";
import { CaseInsensitiveObject, convertJson } from "../../utils/json_object.ts";
import { AosError, errorIs } from "../../utils/errors.ts";

function kindOf(kind: string, message?: RegExp): (e: unknown) => boolean {
  return (e) => {
    assert.ok(e instanceof AosError, String(e));
    assert.equal(e.kind, kind);
    if (message) assert.match(e.message, message);
    return true;
  };
}

Deno.test("CaseInsensitiveObject reads members in any case", () => {
  const obj = new CaseInsensitiveObject(JSON.parse('{"Key": "value", "Number": 42}'));
  for (const key of ["key", "Key", "KEY"]) {
    assert.ok(obj.has(key));
    assert.equal(obj.get(key), "value");
    assert.equal(obj.getString(key), "value");
    assert.equal(obj.getOptional(key), "value");
  }
  assert.equal(obj.getInteger("NUMBER"), 42);
  assert.equal(obj.getOptional("missing"), undefined);
  assert.throws(() => obj.get("missing"), kindOf("notFound", /Key not found: "missing"/));
});

Deno.test("null-valued members are invisible to getters but listed by names()", () => {
  const obj = new CaseInsensitiveObject(JSON.parse('{"a": null, "B": 1}'));
  assert.equal(obj.has("a"), false);
  assert.equal(obj.getString("a", "default"), "default");
  assert.throws(() => obj.getString("a"), kindOf("notFound"));
  assert.deepEqual(obj.names(), ["a", "B"]);
});

Deno.test("getters convert leniently between strings, numbers and booleans", () => {
  const obj = new CaseInsensitiveObject({
    port: "8080",
    ratio: "0.25",
    count: 3,
    flag: "TRUE",
    off: "false",
    yes: true,
    frac: 1.7,
    neg: -1.7,
    nested: { a: [1] },
  });
  assert.equal(obj.getUnsigned("port"), 8080);
  assert.equal(obj.getNumber("ratio"), 0.25);
  assert.equal(obj.getString("count"), "3");
  assert.equal(obj.getString("yes"), "true");
  assert.equal(obj.getBoolean("flag"), true);
  assert.equal(obj.getBoolean("off"), false);
  assert.equal(obj.getInteger("frac"), 1, "AosCore truncates toward zero");
  assert.equal(obj.getInteger("neg"), -1);
  assert.equal(obj.getString("nested"), '{"a":[1]}', "AosCore returns the JSON text");
});

Deno.test("failed conversions throw invalidArgument naming the member and the value", () => {
  const obj = new CaseInsensitiveObject({ a: "abc", n: -5, big: 2 ** 60, b: 1, s: "1.5" });
  assert.throws(
    () => obj.getInteger("a"),
    kindOf("invalidArgument", /member "a" to integer: "abc"/),
  );
  assert.throws(() => obj.getUnsigned("n"), kindOf("invalidArgument", /unsigned: -5/));
  assert.throws(() => obj.getInteger("big"), kindOf("invalidArgument"));
  assert.throws(() => obj.getBoolean("b"), kindOf("invalidArgument"));
  assert.throws(() => obj.getInteger("s"), kindOf("invalidArgument"));
  assert.throws(() => obj.getNumber("a"), kindOf("invalidArgument"));
});

Deno.test("strict mode rejects truncation and object-to-string, also in nested objects", () => {
  const obj = new CaseInsensitiveObject({ frac: 1.5, inner: { frac: 2.5, o: {} } }, {
    strict: true,
  });
  assert.throws(() => obj.getInteger("frac"), kindOf("invalidArgument"));
  const inner = obj.getObject("INNER");
  assert.throws(() => inner.getInteger("frac"), kindOf("invalidArgument", /member "INNER.frac"/));
  assert.throws(() => inner.getString("o"), kindOf("invalidArgument"));
  assert.equal(convertJson(3, "integer", { strict: true }), 3);
});

Deno.test("convertJson never converts null and keeps integers safe", () => {
  for (const type of ["string", "number", "integer", "unsigned", "boolean"] as const) {
    assert.throws(() => convertJson(null, type), kindOf("invalidArgument"));
  }
  assert.equal(convertJson("-0", "integer"), 0);
  assert.equal(convertJson("1e3", "number"), 1000);
  assert.throws(() => convertJson(Infinity, "number"), kindOf("invalidArgument"));
  assert.throws(() => convertJson("9007199254740993", "integer"), kindOf("invalidArgument"));
});

Deno.test("arrays of numbers and strings are read and converted", () => {
  const obj = new CaseInsensitiveObject({ nums: [1, 2, 3], strs: ["a", "b"], one: "x" });
  assert.deepEqual(obj.getArray("NUMS"), [1, 2, 3]);
  assert.deepEqual(obj.map("strs", (v) => convertJson(v, "string").toUpperCase()), ["A", "B"]);
  assert.deepEqual(obj.getArray("missing"), []);
  assert.deepEqual(obj.map("missing", (v) => v), []);
  assert.throws(() => obj.getArray("one"), kindOf("invalidArgument", /as an array/));
  const withNull = new CaseInsensitiveObject({ a: [1, null] });
  assert.throws(
    () => withNull.map("a", (v) => convertJson(v, "integer")),
    kindOf("invalidArgument"),
  );
});

Deno.test("nested objects are views, not copies", () => {
  const raw = { Outer: { Inner: { v: 1 } } };
  const obj = new CaseInsensitiveObject(raw);
  assert.equal(obj.raw(), raw);
  assert.equal(obj.getObject("outer").getObject("inner").raw(), raw.Outer.Inner);
  assert.equal(obj.getOptionalObject("absent"), undefined);
  assert.throws(() => obj.getObject("absent"), kindOf("notFound"));
});

Deno.test("a wrapper over an array or a scalar is rejected", () => {
  for (const bad of [[1, 2], "text", 1, null]) {
    assert.throws(() => new CaseInsensitiveObject(bad), kindOf("invalidArgument", /as an object/));
  }
  const obj = new CaseInsensitiveObject({ list: [1] });
  assert.throws(() => obj.getObject("list"), kindOf("invalidArgument", /member "list"/));
  assert.ok(errorIs(assertThrown(() => obj.getOptionalObject("list")), "invalidArgument"));
});

function assertThrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  assert.fail("expected a throw");
}
