// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Versions made of semver's own tokens: each parses into parts that spell it
// again and compare as an order, or fails with a typed error.
import assert from "node:assert/strict";
import fc from "fast-check";
import { compareSemver, parseSemver, type Semver, validateSemver } from "../../utils/semver.ts";
import { damageText, edits, outcome, runs, tokens } from "./_fuzz.ts";

const PIECES = [
  ..."0123456789",
  "00",
  "01",
  "10",
  "99999999999999999999",
  ".",
  "-",
  "+",
  "a",
  "Z",
  "rc",
  "_",
  " ",
  "v",
  "é",
];
const VALID = [
  "1",
  "1.2",
  "1.2.3",
  "1.0.0-alpha.1",
  "1.0.0-0.3.7",
  "1.0.0+build.5",
  "2.0.0-rc.1+exp.sha.5114f85",
  "0.0.1--x-",
];

function spell(version: Semver): string {
  let text = version.base.join(".");
  if (version.prerelease.length > 0) text += `-${version.prerelease.join(".")}`;
  if (version.build.length > 0) text += `+${version.build.join(".")}`;
  return text;
}

const NUMBER = fc.oneof(
  fc.constantFrom("0", "1", "2", "10"),
  fc.bigInt({ min: 0n, max: 10n ** 30n }).map(String),
);
const IDENTIFIER = fc.oneof(
  NUMBER,
  fc.stringMatching(/^[0-9A-Za-z-]{1,4}$/).filter((id) => !/^0\d/.test(id)),
);
/** Versions valid by construction, often equal in a part, so comparisons go deep. */
const WELL_FORMED = fc.tuple(
  fc.array(NUMBER, { minLength: 1, maxLength: 3 }),
  fc.array(IDENTIFIER, { maxLength: 3 }),
  fc.array(fc.stringMatching(/^[0-9A-Za-z-]{1,3}$/), { maxLength: 2 }),
).map(([base, prerelease, build]) => spell({ base, prerelease, build }));

const VERSION = fc.oneof(
  WELL_FORMED,
  tokens(PIECES, 16),
  fc.tuple(fc.constantFrom(...VALID), edits()).map(([valid, list]) =>
    damageText(valid, list, PIECES)
  ),
);

Deno.test("versions of random tokens parse into parts that spell them, or fail typed", () => {
  fc.assert(
    fc.property(VERSION, (text) => {
      const parsed = outcome(() => parseSemver(text), text);
      const validated = outcome(() => validateSemver(text), text);
      assert.equal(validated.error === undefined, parsed.error === undefined, text);
      if (parsed.error !== undefined) return;
      assert.equal(spell(parsed.value), text);
      assert.equal(compareSemver(text, text), 0);
    }),
    runs(400),
  );
});

Deno.test("compareSemver is an order over valid versions and typed over invalid ones", () => {
  fc.assert(
    fc.property(VERSION, VERSION, VERSION, (a, b, c) => {
      const ab = outcome(() => compareSemver(a, b), `${a} ${b}`);
      if (ab.error !== undefined) return;
      assert.equal(compareSemver(b, a), -ab.value || 0, `${a} ${b}`);
      const bc = outcome(() => compareSemver(b, c), `${b} ${c}`);
      if (bc.error !== undefined || ab.value !== bc.value) return;
      assert.equal(compareSemver(a, c), ab.value, `${a} ${b} ${c}`);
    }),
    runs(300),
  );
});
