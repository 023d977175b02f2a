// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * What a soak scenario is given and what it reports. Each scenario lives in
 * its own file, loops until its deadline, and counts what it did; the runner
 * (`main.ts`) runs them all at once and adds up the tallies.
 *
 * @module
 */

/** A seeded pseudo-random source, so a failing run can be replayed with `SOAK_SEED`. */
export interface Random {
  /** A number in [0, 1). */
  next(): number;
  /** An integer in [min, max], both ends included. */
  int(min: number, max: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
  /** `n` pseudo-random bytes. */
  bytes(n: number): Uint8Array;
}

/** What the runner hands to a scenario. */
export interface SoakContext {
  /** The scenario's own directory, removed after the run. */
  readonly dir: string;
  /** `performance.now()` value at which the scenario must stop starting new work. */
  readonly until: number;
  /** Length of the whole run in seconds (`SOAK_S`). */
  readonly seconds: number;
  /** `"full"` for the default run, `"short"` when `SOAK_S` is below the full length. */
  readonly profile: "full" | "short";
  /** Aborted when the run is interrupted; long waits must honour it. */
  readonly signal: AbortSignal;
  /** This scenario's random source (seeded from the run's seed and its name). */
  readonly random: Random;
  /** Prints one progress line, prefixed with the scenario's name. */
  log(line: string): void;
}

/** What a scenario did. Every invariant it checks and finds broken is a problem. */
export interface Tally {
  /** Operations completed or failed (downloads, requests, frames, migrations, reservations). */
  operations: number;
  /** Faults the scenario injected. */
  faultsInjected: number;
  /** Injected faults after which every invariant still held. */
  faultsSurvived: number;
  /** Items of data lost, duplicated, mixed or taken for whole when they were not. Must be 0. */
  dataLost: number;
  /** One line per broken invariant (the first few are kept). Must be empty. */
  problems: string[];
  /** Free-form figures for the report, such as `{ "given up": 3 }`. */
  details: Record<string, number>;
}

/** One soak scenario. */
export interface Scenario {
  /** Short name used in the report and the log. */
  readonly name: string;
  /** Runs until `context.until` and returns what happened. */
  run(context: SoakContext): Promise<Tally>;
}

/** A fresh, empty tally. */
export function emptyTally(): Tally {
  return {
    operations: 0,
    faultsInjected: 0,
    faultsSurvived: 0,
    dataLost: 0,
    problems: [],
    details: {},
  };
}

/** How many problem lines a tally keeps; the count in `dataLost` keeps going. */
const KEPT_PROBLEMS = 20;

/** Records a broken invariant: counts it as data lost and keeps its description. */
export function lost(tally: Tally, problem: string): void {
  tally.dataLost++;
  if (tally.problems.length < KEPT_PROBLEMS) tally.problems.push(problem);
}

/** Adds `n` to a named detail figure. */
export function count(tally: Tally, detail: string, n = 1): void {
  tally.details[detail] = (tally.details[detail] ?? 0) + n;
}

/** A mulberry32 generator: small, fast and plenty for choosing faults. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
    bytes(n) {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i += 4) {
        const word = Math.floor(next() * 4294967296);
        out[i] = word & 0xff;
        if (i + 1 < n) out[i + 1] = (word >>> 8) & 0xff;
        if (i + 2 < n) out[i + 2] = (word >>> 16) & 0xff;
        if (i + 3 < n) out[i + 3] = word >>> 24;
      }
      return out;
    },
  };
}

/** A stable 32-bit hash of a name, to derive each scenario's seed from the run's. */
export function nameSeed(seed: number, name: string): number {
  let h = seed >>> 0 ^ 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
