// Copyright 2026 the aos-common authors. Apache-2.0 license.
// deno-lint-ignore-file no-console
/**
 * `deno task soak`: every scenario of `_scenarios.ts` at once, under faults,
 * for `SOAK_S` seconds (default 480, so the run ends well inside 10 minutes;
 * CI runs `SOAK_S=60`). `SOAK_SEED` replays a run. Prints a report and exits
 * non-zero when any data was lost, an invariant broke, a scenario failed or
 * resident memory grew after warm-up.
 *
 * @module
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { judgeMemory, RssSampler } from "./_memory.ts";
import { formatReport, type ScenarioResult } from "./_report.ts";
import { emptyTally, lost, nameSeed, seededRandom } from "./_scenario.ts";
import { SCENARIOS } from "./_scenarios.ts";

const FULL_SECONDS = 480;

function envNumber(name: string, fallback: number): number {
  const text = Deno.env.get(name);
  if (text === undefined || text === "") return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${name} must be a positive number, got ${JSON.stringify(text)}`);
  }
  return value;
}

const seconds = envNumber("SOAK_S", FULL_SECONDS);
const seed = envNumber("SOAK_SEED", Math.floor(Math.random() * 2 ** 31));
const profile = seconds >= FULL_SECONDS ? "full" : "short";
const root = await mkdtemp(join(tmpdir(), "aos-soak-"));
const controller = new AbortController();
const interrupt = () => controller.abort(new Error("interrupted"));
Deno.addSignalListener("SIGINT", interrupt);

console.log(
  `soak: ${SCENARIOS.length} scenarios for ${seconds} s (${profile} profile), SOAK_SEED=${seed}`,
);
const started = performance.now();
const until = started + seconds * 1000;
const sampler = new RssSampler();
let results: ScenarioResult[];
try {
  results = await Promise.all(SCENARIOS.map(async (scenario): Promise<ScenarioResult> => {
    const dir = join(root, scenario.name);
    await Deno.mkdir(dir);
    const t0 = performance.now();
    try {
      const tally = await scenario.run({
        dir,
        until,
        seconds,
        profile,
        signal: controller.signal,
        random: seededRandom(nameSeed(seed, scenario.name)),
        log: (line) => console.log(`[${scenario.name}] ${line}`),
      });
      if (tally.operations === 0) lost(tally, "did no work at all");
      return { name: scenario.name, tally, ms: performance.now() - t0 };
    } catch (error) {
      const tally = emptyTally();
      lost(tally, `failed: ${error instanceof Error ? error.stack ?? error.message : error}`);
      return { name: scenario.name, tally, ms: performance.now() - t0 };
    }
  }));
} finally {
  sampler.stop();
  Deno.removeSignalListener("SIGINT", interrupt);
  await rm(root, { recursive: true, force: true });
}
sampler.sample();
const memory = judgeMemory(sampler.samples);
const heap = judgeMemory(sampler.heap);
const { text, passed } = formatReport(results, memory, heap, {
  seconds: (performance.now() - started) / 1000,
  seed,
});
console.log(text);
if (!passed) Deno.exit(1);
