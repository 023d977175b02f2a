// Copyright 2026 the aos-common authors. Apache-2.0 license.
import assert from "node:assert/strict";
import { compareSemver, parseSemver, validateSemver } from "../../utils/semver.ts";
import { AosError } from "../../utils/errors.ts";

function invalid(version: string, message?: RegExp): (e: unknown) => boolean {
  return (e) => {
    assert.ok(e instanceof AosError && e.kind === "invalidArgument", `${version}: ${e}`);
    assert.ok(e.message.startsWith(`Cannot parse version "${version}": `), e.message);
    if (message) assert.match(e.message, message);
    return true;
  };
}

Deno.test("valid versions of the reference and the 1-3 number base", () => {
  for (
    const v of [
      "1.0.0",
      "2.0.0-alpha.2",
      "2.0.0-beta.3",
      "1.0.0-beta+exp.sha.5114f85",
      "1",
      "1.2",
      "0.0.0",
      "1.0.0-0",
      "1.0.0+001",
      "1.0.0-x-y-z.--",
    ]
  ) {
    validateSemver(v);
  }
});

Deno.test("invalid versions name the faulty part", () => {
  const cases: [string, RegExp][] = [
    ["01.0.0", /invalid number "01"/],
    ["01.0.0.12", /more than three numbers/],
    ["1.0.0.0", /more than three numbers/],
    ["1.0.0-01.2.3", /leading zero in "01"/],
    ["1.0.0-09", /leading zero in "09"/],
    ["", /empty number/],
    ["1..0", /empty number/],
    ["1.a.0", /invalid number "a"/],
    ["1.0.0-", /empty pre-release identifier/],
    ["1.0.0-a..b", /empty pre-release identifier/],
    ["1.0.0-a_b", /invalid pre-release identifier "a_b"/],
    ["1.0.0+", /empty build identifier/],
    ["1.0.0+a+b", /invalid build identifier "a\+b"/],
    ["v1.0.0", /invalid number "v1"/],
    [" 1.0.0", /invalid number/],
  ];
  for (const [v, message] of cases) assert.throws(() => validateSemver(v), invalid(v, message));
});

Deno.test("compareSemver passes the reference vectors", () => {
  const cases: [string, string, -1 | 0 | 1][] = [
    ["1.0.0", "1.0.0", 0],
    ["1.0.1", "1.0.0", 1],
    ["1.0.0", "1.0.0-beta", 1],
    ["1.0.0-alpha", "1.0.0", -1],
    ["1.0.0-alpha", "1.0.0-beta", -1],
    ["1.0.0-alpha", "1.0.0-alpha.1", -1],
    ["1.0.0-alpha.1", "1.0.0-alpha.beta", -1],
    ["1.0.0-alpha.beta+0123", "1.0.0-alpha.beta+fdda", 0],
  ];
  for (const [a, b, expected] of cases) {
    assert.equal(compareSemver(a, b), expected, `${a} vs ${b}`);
    assert.equal(compareSemver(b, a), -expected || 0, `${b} vs ${a}`);
  }
});

Deno.test("compareSemver fixes the reference's bugs", () => {
  assert.equal(compareSemver("1.0.0-9", "1.0.0-10"), -1, "9 is numeric");
  assert.equal(compareSemver("1.0.0-8", "1.0.0-a"), -1, "8 is numeric, so before letters");
  assert.throws(() => validateSemver("1.0.0-09"), invalid("1.0.0-09"));
  assert.deepEqual(parseSemver("1.0.0+build-1"), {
    base: ["1", "0", "0"],
    prerelease: [],
    build: ["build-1"],
  });
  assert.equal(compareSemver("1.0.0+build-1", "1.0.0"), 0);
  assert.equal(compareSemver("1.2", "1.2.0"), -1, "fewer numbers is older");
  assert.equal(compareSemver("1", "1.0"), -1);
});

Deno.test("compareSemver follows SemVer precedence across a sorted list", () => {
  const sorted = [
    "1.0.0-alpha",
    "1.0.0-alpha.1",
    "1.0.0-alpha.beta",
    "1.0.0-beta",
    "1.0.0-beta.2",
    "1.0.0-beta.11",
    "1.0.0-rc.1",
    "1.0.0",
    "1.2.3",
    "1.10.0",
    "2",
    "99999999999999999999.0.0",
    "100000000000000000000.0.0",
  ];
  const shuffled = [...sorted].reverse();
  assert.deepEqual(shuffled.sort(compareSemver), sorted);
});

Deno.test("compareSemver rejects an invalid side", () => {
  assert.throws(() => compareSemver("1.0.0", "x"), invalid("x"));
  assert.throws(() => compareSemver("1.0.0.0", "1.0.0"), invalid("1.0.0.0"));
});
