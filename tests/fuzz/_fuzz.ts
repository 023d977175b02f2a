// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * What the fuzz suites share: how many runs a property gets, the check that
 * a parser fails only with a typed error, and mutations of valid input.
 *
 * A property runs its CI count by default, which keeps the whole fuzz suite
 * to a few seconds. `FUZZ_RUNS=100x` runs every property 100 times its CI
 * count; `FUZZ_RUNS=5000` runs every property 5000 times.
 *
 * No property asserts a time: inputs include long runs of the characters a
 * parser scans for, so a parser that is quadratic (or loops) shows as a
 * suite that does not finish.
 *
 * @module
 */
import assert from "node:assert/strict";
import process from "node:process";
import fc from "fast-check";
import { AosError, ERROR_CODES } from "../../utils/errors.ts";

const FUZZ_RUNS = /^\s*(\d+)\s*(x?)\s*$/i.exec(process.env.FUZZ_RUNS ?? "");

/**
 * The fast-check parameters of a property: its run count.
 *
 * @param ci The runs in CI.
 * @returns The parameters for `fc.assert`.
 */
export function runs(ci: number): fc.Parameters<unknown> {
  if (FUZZ_RUNS === null) return { numRuns: ci };
  const n = Number(FUZZ_RUNS[1]);
  return { numRuns: FUZZ_RUNS[2] === "" ? n : n * ci };
}

const CODES = new Set(Object.values(ERROR_CODES));

/**
 * Asserts that `err` is a typed error: an {@linkcode AosError} with a kind,
 * a known non-zero code and a message.
 *
 * @param err What was thrown.
 * @param input The input, shown when the check fails.
 */
export function assertTyped(err: unknown, input: unknown = ""): asserts err is AosError {
  const shown = typeof input === "string" ? JSON.stringify(input.slice(0, 200)) : String(input);
  assert.ok(err instanceof AosError, `untyped ${String(err)} for ${shown}`);
  const kind: unknown = err.kind;
  assert.ok(typeof kind === "string" && kind !== "", `no kind: ${err} for ${shown}`);
  assert.ok(CODES.has(err.code) && err.code !== 0, `bad code ${err.code}: ${err} for ${shown}`);
  assert.ok(typeof err.message === "string" && err.message !== "", `no message for ${shown}`);
}

/** What a call came to: its value, or the typed error it threw. */
export type Outcome<T> = { value: T; error?: undefined } | { value?: undefined; error: AosError };

/**
 * Calls `fn`; anything it throws must be a typed error (see {@linkcode assertTyped}).
 *
 * @param fn The call.
 * @param input The input, shown when the check fails.
 * @returns Its value or its error.
 */
export function outcome<T>(fn: () => T, input: unknown = ""): Outcome<T> {
  try {
    return { value: fn() };
  } catch (error) {
    assertTyped(error, input);
    return { error };
  }
}

/** One edit of a byte or character string: where, what, and how. */
export type Edit = [position: number, value: number, op: number];

/** Up to `max` edits: delete, insert, replace, duplicate a stretch, or cut the rest off. */
export function edits(max = 4): fc.Arbitrary<Edit[]> {
  return fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat(4)), { minLength: 1, maxLength: max });
}

/**
 * Applies edits to a list of units (bytes, or the pieces of a string).
 *
 * @param units The list.
 * @param list The edits; `value` picks from `alphabet`.
 * @param alphabet What an insert or a replace writes.
 * @returns The edited copy.
 */
export function applyEdits<T>(units: readonly T[], list: Edit[], alphabet: readonly T[]): T[] {
  const out = [...units];
  for (const [position, value, op] of list) {
    const at = position % (out.length + 1);
    const unit = alphabet[value % alphabet.length]!;
    if (op === 0) out.splice(at, 1);
    else if (op === 1) out.splice(at, 0, unit);
    else if (op === 2) out[at] = unit;
    else if (op === 3) out.splice(at, 0, ...out.slice(at, at + 1 + (value % 64)));
    else out.length = at;
  }
  return out;
}

const ALL_BYTES = Array.from({ length: 256 }, (_, i) => i);

/**
 * Byte damage to a valid input.
 *
 * @param valid The input.
 * @param list The edits.
 * @returns The damaged copy.
 */
export function damageBytes(valid: Uint8Array, list: Edit[]): Uint8Array {
  return Uint8Array.from(applyEdits([...valid], list, ALL_BYTES));
}

/**
 * Text damage to a valid input, writing pieces of `alphabet`.
 *
 * @param valid The input.
 * @param list The edits.
 * @param alphabet The characters (or longer pieces) the parser cares about.
 * @returns The damaged copy.
 */
export function damageText(valid: string, list: Edit[], alphabet: readonly string[]): string {
  return applyEdits([...valid], list, alphabet).join("");
}

/**
 * Text made of `pieces`, some of them repeated many times (up to about
 * 64 KiB), so that a parser that backtracks over a run takes long.
 *
 * @param pieces The characters or tokens the parser scans for.
 * @param maxPieces How many pieces at most, before repeats.
 * @returns The arbitrary.
 */
export function tokens(pieces: readonly string[], maxPieces = 24): fc.Arbitrary<string> {
  const piece = fc.constantFrom(...pieces);
  const repeated = fc.tuple(piece, fc.integer({ min: 1, max: 16 * 1024 })).map(([p, n]) =>
    p.repeat(Math.max(1, Math.floor(n / p.length)))
  );
  return fc.array(fc.oneof({ weight: 9, arbitrary: piece }, { weight: 1, arbitrary: repeated }), {
    maxLength: maxPieces,
  }).map((parts) => parts.join(""));
}

/**
 * Cuts `bytes` into pieces at the given points (taken modulo the length).
 *
 * @param bytes The bytes.
 * @param cuts Where to cut.
 * @returns The pieces, in order; together they are `bytes`.
 */
export function split(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const pieces: Uint8Array[] = [];
  let from = 0;
  for (const point of [...points, bytes.length]) {
    pieces.push(bytes.subarray(from, point));
    from = point;
  }
  return pieces;
}
