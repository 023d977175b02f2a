// Copyright 2026 the aos-common authors. Apache-2.0 license.
// SECURITY.md proves its claims by naming tests, written as
// `` `tests/<file>` — "<test name>" ``. Every named file must exist and hold a
// Deno.test of exactly that name, so the document cannot outlive its proofs.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";

const ROOT = new URL("../", import.meta.url);
// Names wrap across lines in the document: whitespace is compared as single spaces.
const DOC = readFileSync(new URL("SECURITY.md", ROOT), "utf8").replace(/\s+/g, " ");
const REFERENCE = /`(tests\/[\w./-]+_test\.ts)` — "([^"]+)"/g;

/**
 * The names of the tests a file defines: the first argument of each
 * `Deno.test(`, or the `name` of its definition object, as a string literal.
 */
function testNames(source: string): Set<string> {
  const names = new Set<string>();
  const call = /Deno\.test\(\s*(?:\{\s*name:\s*)?("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`$]*`)/g;
  for (const [, literal] of source.matchAll(call)) {
    const body = literal!.slice(1, -1);
    names.add(literal!.startsWith('"') ? JSON.parse(literal!) : body.replace(/\\(.)/g, "$1"));
  }
  return names;
}

Deno.test("the test-name reader sees every form of Deno.test the suites use", () => {
  const names = testNames(`
    Deno.test("plain \\"quoted\\" name", () => {});
    Deno.test({ name: "object form", ignore }, async () => {});
    Deno.test(
      { name: "object form on its own line", ignore },
      () => {},
    );
    Deno.test({
      name: "object form with name first",
      fn() {},
    });
    Deno.test('single "quotes"', () => {});
    Deno.test(\`template without substitution\`, () => {});
    Deno.test(\`template \${"with"} substitution\`, () => {});
  `);
  assert.deepEqual([...names], [
    'plain "quoted" name',
    "object form",
    "object form on its own line",
    "object form with name first",
    'single "quotes"',
    "template without substitution",
  ]);
});

Deno.test("every test SECURITY.md names exists, in the file it names", () => {
  const references = [...DOC.matchAll(REFERENCE)];
  assert.ok(references.length >= 50, `only ${references.length} references found`);
  const missing: string[] = [];
  const cache = new Map<string, Set<string>>();
  for (const [, file, name] of references) {
    const url = new URL(file!, ROOT);
    if (!existsSync(url)) {
      missing.push(`${file}: no such file`);
      continue;
    }
    if (!cache.has(file!)) cache.set(file!, testNames(readFileSync(url, "utf8")));
    if (!cache.get(file!)!.has(name!)) missing.push(`${file}: no test "${name}"`);
  }
  assert.deepEqual(missing, []);
});

Deno.test("every claim of SECURITY.md is followed by a test that proves it", () => {
  // In each section, a bullet that makes a claim is followed by at least one reference.
  const text = readFileSync(new URL("SECURITY.md", ROOT), "utf8");
  const section = text.slice(text.indexOf("## Input from outside"), text.indexOf("## Not checked"));
  const claims = section.split(/\n- /).slice(1);
  assert.ok(claims.length >= 30, `only ${claims.length} claims found`);
  for (const claim of claims) {
    assert.match(claim.replace(/\s+/g, " "), REFERENCE_ONE, `no proof for: ${claim.slice(0, 80)}`);
  }
});

const REFERENCE_ONE = new RegExp(REFERENCE.source);
