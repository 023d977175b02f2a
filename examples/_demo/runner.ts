// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Runs the demo's steps in order: prints each header, times the step,
 * counts the bytes the relays carried meanwhile, prints its result line and
 * collects the summary rows. A step that throws fails; one that throws
 * {@linkcode SkipStep} (or needs a step that did not pass) is skipped. Each
 * step gets a signal that aborts after {@linkcode STEP_TIMEOUT_MS}.
 *
 * @module
 */
import { AosError } from "../../utils/mod.ts";
import type { DemoContext } from "./context.ts";
import { header, result, type SummaryRow } from "./ui.ts";

/** Longest a step may take, ms. */
export const STEP_TIMEOUT_MS = 45_000;

/** What a step reports when it passed. */
export interface StepOutcome {
  /** The result line's text. */
  summary: string;
  /** Bytes it moved beyond what the relays counted. */
  bytes?: number;
}

/** One step of the demo. */
export interface Step {
  /** Short title for the header and the summary. */
  title: string;
  /** Numbers of the steps that must have passed first. */
  needs?: readonly number[];
  /** Does the step's work. */
  run(ctx: DemoContext, signal: AbortSignal): Promise<StepOutcome>;
}

/** Thrown by a step that cannot run here; the message says why. */
export class SkipStep extends Error {
  /** @param reason Why the step is skipped. */
  constructor(reason: string) {
    super(reason);
    this.name = "SkipStep";
  }
}

/**
 * Runs `steps` (numbered from 1) and returns their summary rows.
 *
 * @param ctx The shared state.
 * @param steps The steps in order.
 * @returns One row per step.
 */
export async function runSteps(ctx: DemoContext, steps: readonly Step[]): Promise<SummaryRow[]> {
  const rows: SummaryRow[] = [];
  for (const [i, step] of steps.entries()) {
    const n = i + 1;
    const row: SummaryRow = {
      n,
      title: step.title,
      status: "skip",
      ms: undefined,
      bytes: undefined,
    };
    rows.push(row);
    header(n, step.title);
    const missing = (step.needs ?? []).filter((k) => rows[k - 1]?.status !== "ok");
    if (missing.length > 0) {
      result(n, "skip", `needs step ${missing.join(" and ")}, which did not pass`);
      continue;
    }
    const started = performance.now();
    const relayed = ctx.relayedBytes();
    const signal = AbortSignal.timeout(STEP_TIMEOUT_MS);
    try {
      const outcome = await untilAborted(step.run(ctx, signal), signal);
      row.status = "ok";
      row.ms = performance.now() - started;
      row.bytes = ctx.relayedBytes() - relayed + (outcome.bytes ?? 0);
      result(n, "ok", outcome.summary);
    } catch (err) {
      if (err instanceof SkipStep) {
        result(n, "skip", err.message);
        continue;
      }
      row.status = "FAIL";
      row.ms = performance.now() - started;
      row.bytes = ctx.relayedBytes() - relayed;
      result(n, "FAIL", describe(err));
    }
  }
  return rows;
}

/** Settles like `work`, or rejects when `signal` aborts first. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const onAbort = () =>
      reject(new AosError("timeout", `the step took longer than ${STEP_TIMEOUT_MS / 1000} s`));
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/** An error's kind and message on one line. */
function describe(err: unknown): string {
  const error = AosError.from(err);
  return `${error.kind}: ${error.message}`.replaceAll("\n", " ");
}
