// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The structure tables run as functions compiled for them; a runtime that
// forbids code from strings interprets them instead. Both must agree.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { childDone } from "../_helpers/child_runtime.ts";
import { cases, outcome } from "./_codec_cases.ts";

const CHILD = fileURLToPath(new URL("./_interpreted_child.ts", import.meta.url));
const FLAG = "--disallow-code-generation-from-strings";

Deno.test("without code generation from strings, every table reads and writes as compiled", async () => {
  const argv = process.versions.deno === undefined
    ? ["--no-warnings", FLAG, CHILD]
    : ["run", "--quiet", "--allow-read", `--v8-flags=${FLAG}`, CHILD];
  const child = spawn(process.execPath, argv, { stdio: ["ignore", "pipe", "pipe"] });
  const { code, stdout, stderr } = await childDone(child);
  assert.equal(code, 0, stderr);
  const [mode, ...lines] = stdout.trim().split("\n").map((line) => JSON.parse(line));
  assert.deepEqual(mode, { generates: false });
  const expected = cases().map(({ name, text }) => ({ name, outcome: outcome(text) }));
  assert.ok(expected.length > 500, `only ${expected.length} cases`);
  assert.ok(expected.some((c) => c.outcome.startsWith("{")), "no case decodes");
  assert.ok(expected.some((c) => c.outcome.startsWith("missingField")), "no case misses a member");
  assert.ok(expected.some((c) => c.outcome.startsWith("invalidType")), "no case has a wrong type");
  assert.deepEqual(lines, expected);
});
