// Copyright 2026 the aos-common authors. Apache-2.0 license.
import assert from "node:assert/strict";
import {
  downScriptName,
  parseScriptName,
  upScriptName,
  VERSION_TABLE,
} from "../../migration/mod.ts";

Deno.test("script names are AosCore's, without padding or sign", () => {
  assert.equal(upScriptName(1), "1_update.up.sql");
  assert.equal(downScriptName(12), "12_update.down.sql");
  assert.equal(VERSION_TABLE, "SchemaVersion");
});

Deno.test("parseScriptName accepts well-formed names only", () => {
  assert.deepEqual(parseScriptName("0_update.up.sql"), { version: 0, direction: "up" });
  assert.deepEqual(parseScriptName("12_update.down.sql"), { version: 12, direction: "down" });
  for (
    const bad of [
      "01_update.up.sql",
      "-1_update.up.sql",
      "1_update.UP.sql",
      "1_update.up.sql.bak",
      "99999999999999999999_update.up.sql",
      "README",
    ]
  ) {
    assert.equal(parseScriptName(bad), undefined, bad);
  }
});
