// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Boundaries SECURITY.md states about the source itself: which files open
// native libraries, which start programs, and which programs those are.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

const ROOT = new URL("..", import.meta.url).pathname;
const SKIP = new Set(["tests", "bench", "examples", "node_modules", ".tools", "dist", ".git"]);

/** Every library source file (not tests, benchmarks or examples), relative to the root. */
function sources(dir = ROOT): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return SKIP.has(entry.name) ? [] : sources(path);
    return entry.name.endsWith(".ts") ? [relative(ROOT, path)] : [];
  });
}

const FILES = new Map(sources().map((file) => [file, readFileSync(join(ROOT, file), "utf8")]));
const matching = (pattern: RegExp) =>
  [...FILES].filter(([, text]) => pattern.test(text)).map(([file]) => file);

Deno.test("only network/, utils/pkcs11/ and utils/_libc.ts open native libraries", () => {
  assert.ok(FILES.size > 100, "the source files were found");
  const opening = matching(/\bdlopen\b/);
  assert.ok(opening.includes("utils/_libc.ts"));
  for (const file of opening) {
    assert.ok(
      file.startsWith("network/") || file.startsWith("utils/pkcs11/") || file === "utils/_libc.ts",
      `${file} opens a native library`,
    );
  }
});

Deno.test("programs are started only by utils/exec.ts and the iptables backend, never through a shell", () => {
  assert.deepEqual(
    matching(/node:child_process|Deno\.Command\b|Deno\.run\b/).sort(),
    ["network/iptables_backend.ts", "utils/exec.ts"],
  );
  assert.deepEqual(matching(/\bshell\s*:/), [], "no spawn asks for a shell");
  for (const file of ["network/iptables_backend.ts", "utils/exec.ts"]) {
    // Code only: the doc examples of utils/exec.ts run `sh -c` themselves.
    const code = FILES.get(file)!.split("\n").filter((line) => !/^\s*(\*|\/\/)/.test(line)).join(
      "\n",
    );
    assert.doesNotMatch(code, /["'](?:\/bin\/)?(?:ba)?sh["']/, `${file} names a shell`);
  }
});

Deno.test("the network module runs only iptables-save and iptables-restore, through nsenter in a namespace", () => {
  const text = FILES.get("network/iptables_backend.ts")!;
  assert.equal(text.match(/new Deno\.Command\(/g)?.length, 1, "one place starts programs");
  const programs = new Set([...text.matchAll(/runTool\([^[]*\[\s*"([^"]+)"/g)].map((m) => m[1]));
  assert.deepEqual([...programs].sort(), ["iptables-restore", "iptables-save"]);
  assert.match(text, /\["nsenter", `--net=\$\{netnsPath\}`, "--", \.\.\.argv\]/);
});
