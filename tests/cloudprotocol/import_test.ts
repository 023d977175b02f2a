// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Importing cloudprotocol does no work: each structure table is compiled on
// its first use, not at import.
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { childDone, spawnScript } from "../_helpers/child_runtime.ts";

const CHILD = fileURLToPath(new URL("./_import_child.ts", import.meta.url));

Deno.test("importing cloudprotocol compiles nothing; the first frame compiles its tables", async () => {
  const { code, stdout, stderr } = await childDone(spawnScript(CHILD, [], ["--allow-read"]));
  assert.equal(code, 0, stderr);
  const { atImport, afterUse } = JSON.parse(stdout);
  assert.equal(atImport, 0, "functions compiled at import");
  // The envelope, the header and `nack` each have a reader and a writer.
  assert.ok(afterUse > 0, "the hook saw no compilation at all");
  assert.ok(afterUse < 20, `${afterUse} functions compiled for one nack frame`);
});
