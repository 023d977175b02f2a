// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Semantic versions as AosCore compares them: SemVer 2.0 precedence, with a
 * base of one to three numbers (`1`, `1.2`, `1.2.3`).
 *
 * Deviations from AosCore, whose checks have bugs: a numeric identifier is
 * any run of digits (AosCore only recognises `0`-`7`, so `1.0.0-9` sorted
 * after `1.0.0-10` and `09` passed validation); build metadata is split off
 * at the first `+` before the pre-release is looked for, so `1.0.0+build-1`
 * has no pre-release; an empty pre-release or build (`1.0.0-`) is invalid.
 *
 * @module
 */

import { checkString } from "./_argument_type.ts";
import { AosError } from "./errors.ts";

/** The parts of a version. Numbers are kept as digit strings, so any size compares exactly. */
export interface Semver {
  /** The one to three numbers of the base, as written. */
  base: string[];
  /** The dot-separated pre-release identifiers; empty for a release. */
  prerelease: string[];
  /** The dot-separated build metadata identifiers; ignored in comparisons. */
  build: string[];
}

const NUMBER = /^(?:0|[1-9]\d*)$/;
const DIGITS = /^\d+$/;
const IDENTIFIER = /^[0-9A-Za-z-]+$/;

/**
 * Splits a version into its parts, validating it.
 *
 * @example
 * ```ts
 * import { parseSemver } from "@aoscore/common/utils";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(parseSemver("1.2.0-rc.1+build.5"), {
 *   base: ["1", "2", "0"],
 *   prerelease: ["rc", "1"],
 *   build: ["build", "5"],
 * });
 * assert.throws(() => parseSemver("1.02"), /invalid number "02"/);
 * ```
 *
 * @param version The version text.
 * @returns Its base, pre-release and build identifiers.
 * @throws {AosError} `invalidArgument` naming the faulty part.
 */
export function parseSemver(version: string): Semver {
  checkString(version, "version", "Cannot parse version");
  const fail = (why: string) =>
    new AosError("invalidArgument", `Cannot parse version "${version}": ${why}`);
  const plus = version.indexOf("+");
  const main = plus < 0 ? version : version.slice(0, plus);
  const dash = main.indexOf("-");
  const baseText = dash < 0 ? main : main.slice(0, dash);
  const base = baseText.split(".");
  if (base.length > 3) throw fail("more than three numbers in the base");
  for (const part of base) {
    if (!NUMBER.test(part)) {
      throw fail(part === "" ? "empty number in the base" : `invalid number "${part}"`);
    }
  }
  const prerelease = dash < 0 ? [] : identifiers(main.slice(dash + 1), "pre-release", fail);
  for (const id of prerelease) {
    if (DIGITS.test(id) && !NUMBER.test(id)) throw fail(`leading zero in "${id}"`);
  }
  const build = plus < 0 ? [] : identifiers(version.slice(plus + 1), "build", fail);
  return { base, prerelease, build };
}

function identifiers(text: string, what: string, fail: (why: string) => AosError): string[] {
  const ids = text.split(".");
  for (const id of ids) {
    if (!IDENTIFIER.test(id)) {
      throw fail(id === "" ? `empty ${what} identifier` : `invalid ${what} identifier "${id}"`);
    }
  }
  return ids;
}

/**
 * Checks that a version is valid.
 *
 * @example
 * ```ts
 * import { validateSemver } from "@aoscore/common/utils";
 * import assert from "node:assert/strict";
 *
 * validateSemver("1.0.0-beta+exp.sha.5114f85");
 * assert.throws(() => validateSemver("01.0.0"), /invalid number "01"/);
 * ```
 *
 * @param version The version text.
 * @throws {AosError} `invalidArgument` naming the faulty part.
 */
export function validateSemver(version: string): void {
  parseSemver(version);
}

/**
 * Compares two versions by SemVer precedence; with equal numbers, the base
 * with fewer numbers is older (`1.2` < `1.2.0`). Build metadata is ignored.
 *
 * @example
 * ```ts
 * import { compareSemver } from "@aoscore/common/utils";
 * import assert from "node:assert/strict";
 *
 * assert.equal(compareSemver("1.0.0-alpha", "1.0.0"), -1);
 * assert.equal(compareSemver("1.0.0-10", "1.0.0-9"), 1);
 * assert.deepEqual(["1.1", "1.0.1", "1"].sort(compareSemver), ["1", "1.0.1", "1.1"]);
 * ```
 *
 * @param a A version.
 * @param b Another version.
 * @returns -1 when `a` is older, 0 when equal, 1 when newer.
 * @throws {AosError} `invalidArgument` when either is invalid.
 */
export function compareSemver(a: string, b: string): -1 | 0 | 1 {
  const x = parseSemver(a);
  const y = parseSemver(b);
  return compareList(x.base, y.base, compareNumbers) ||
    (x.prerelease.length === 0 || y.prerelease.length === 0
      ? sign(y.prerelease.length - x.prerelease.length)
      : compareList(x.prerelease, y.prerelease, compareIdentifiers));
}

function compareList(
  a: string[],
  b: string[],
  compare: (a: string, b: string) => -1 | 0 | 1,
): -1 | 0 | 1 {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const result = compare(a[i]!, b[i]!);
    if (result !== 0) return result;
  }
  return sign(a.length - b.length);
}

/** Digit strings without leading zeros: the longer is larger, else compare as text. */
function compareNumbers(a: string, b: string): -1 | 0 | 1 {
  return a.length !== b.length ? sign(a.length - b.length) : a < b ? -1 : a > b ? 1 : 0;
}

function compareIdentifiers(a: string, b: string): -1 | 0 | 1 {
  const numA = DIGITS.test(a);
  const numB = DIGITS.test(b);
  if (numA && numB) return compareNumbers(a, b);
  if (numA !== numB) return numA ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function sign(n: number): -1 | 0 | 1 {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}
