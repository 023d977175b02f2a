// Copyright 2026 the aos-common authors. Apache-2.0 license.
import assert from "node:assert/strict";
import { parseKeyValue } from "../../utils/parser.ts";

Deno.test("parseKeyValue splits a key: value line and trims by default", () => {
  assert.deepEqual(parseKeyValue("key:value"), { key: "key", value: "value" });
  assert.deepEqual(parseKeyValue("key    :    value    "), { key: "key", value: "value" });
  assert.deepEqual(parseKeyValue("key    :    value    ", { trim: false }), {
    key: "key    ",
    value: "    value    ",
  });
});

Deno.test("parseKeyValue needs exactly two non-empty pieces", () => {
  for (const line of ["key:", ":value", "", "a:b:c", "key value", "  :  "]) {
    assert.equal(parseKeyValue(line), undefined, JSON.stringify(line));
  }
  assert.deepEqual(parseKeyValue("a::b"), { key: "a", value: "b" }, "empty pieces are dropped");
  assert.equal(parseKeyValue("key=value"), undefined, "wrong delimiter");
});

Deno.test("parseKeyValue treats the delimiters as a set of characters", () => {
  assert.deepEqual(parseKeyValue("key=value", { delimiters: "=:" }), {
    key: "key",
    value: "value",
  });
  assert.deepEqual(parseKeyValue("key:value", { delimiters: "=:" }), {
    key: "key",
    value: "value",
  });
  assert.equal(parseKeyValue("a=b:c", { delimiters: "=:" }), undefined);
});
