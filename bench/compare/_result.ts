// Copyright 2026 the aos-common authors. Apache-2.0 license.
// deno-lint-ignore-file no-console
/**
 * The result lines of `bench/compare/` (the convention is described in
 * bench/README.md): besides its human output, a compare script prints one
 * `BENCH-RESULT {json}` line per figure it sets against a goal, the JSON a
 * {@linkcode BenchResult}. `run_all.ts` collects them into the table at the
 * top of BENCHMARKS.md. Runs on Deno and Node.
 *
 * @module
 */
import { AosError } from "../../utils/errors.ts";

/** One figure of a compare script, beside its peer's and its goal. */
export interface BenchResult {
  /** The module the goal belongs to, such as `fileserver`. */
  module: string;
  /** What was measured, with the runtime where it matters: `4 KiB file, Deno`. */
  name: string;
  /** Our figure, in `unit`. */
  ours: number;
  /** The peer's figure in the same unit; null where the goal is a bound on ours alone. */
  peer: number | null;
  /** Who the peer is (`nginx`); null without a peer. */
  peerName: string | null;
  /** The unit of `ours` and `peer`: `req/s`, `ms`, `MiB`, `%`. */
  unit: string;
  /**
   * The figure the goal judges: ours / peer, unless the script has a better
   * one (the median of per-round ratios, say); null without a peer.
   */
  ratio: number | null;
  /** The bound on `ratio` (on `ours` without a peer); null for a figure shown for context. */
  goal: number | null;
  /** True when more is better (throughput), false when less is (time, memory). */
  higherIsBetter: boolean;
}

/** What a script passes to {@linkcode printResult}: the optional fields default to null. */
export type BenchResultInput =
  & Pick<BenchResult, "module" | "name" | "ours" | "unit" | "higherIsBetter">
  & Partial<Pick<BenchResult, "peer" | "peerName" | "ratio" | "goal">>;

/** The prefix of a result line. */
export const RESULT_PREFIX = "BENCH-RESULT ";

/** Completes a result: null for what is absent, and ratio = ours / peer unless given. */
export function benchResult(input: BenchResultInput): BenchResult {
  const peer = input.peer ?? null;
  return {
    module: input.module,
    name: input.name,
    ours: input.ours,
    peer,
    peerName: input.peerName ?? null,
    unit: input.unit,
    ratio: input.ratio ?? (peer === null ? null : input.ours / peer),
    goal: input.goal ?? null,
    higherIsBetter: input.higherIsBetter,
  };
}

/** Prints one result line on standard output. */
export function printResult(input: BenchResultInput): void {
  console.log(RESULT_PREFIX + JSON.stringify(benchResult(input)));
}

function fail(line: string, why: string): never {
  throw new AosError("invalidArgument", `malformed result line (${why}): ${line}`);
}

/**
 * Reads one line of a script's output: the result it holds, or undefined when
 * it is not a result line. A result line that does not hold a valid result is
 * an `invalidArgument` error, so a broken script is not taken for one that
 * measured nothing.
 */
export function parseResultLine(line: string): BenchResult | undefined {
  if (!line.startsWith(RESULT_PREFIX)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(line.slice(RESULT_PREFIX.length));
  } catch {
    fail(line, "not JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    fail(line, "not an object");
  }
  const r = value as Record<string, unknown>;
  for (const key of ["module", "name", "unit"]) {
    if (typeof r[key] !== "string" || r[key] === "") fail(line, `${key} is not a text`);
  }
  if (typeof r.higherIsBetter !== "boolean") fail(line, "higherIsBetter is not a boolean");
  if (typeof r.ours !== "number" || !Number.isFinite(r.ours)) fail(line, "ours is not a number");
  for (const key of ["peer", "ratio", "goal"]) {
    const v = r[key];
    if (v !== undefined && v !== null && (typeof v !== "number" || !Number.isFinite(v))) {
      fail(line, `${key} is not a number`);
    }
  }
  if (r.peerName !== undefined && r.peerName !== null && typeof r.peerName !== "string") {
    fail(line, "peerName is not a text");
  }
  return benchResult(r as BenchResultInput);
}
