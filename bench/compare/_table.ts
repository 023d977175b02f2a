// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * The goal table at the top of BENCHMARKS.md: rendering the runs of
 * `run_all.ts` as two Markdown tables (one row per goal, one row per run)
 * between two marker comments, and putting them in place of the old ones.
 * Rows of runs that were not repeated this time are kept as they were, so a
 * partial run (`deno task bench:compare fileserver`) updates only its rows.
 * The tables come out aligned as `deno fmt` aligns them.
 *
 * @module
 */
import { AosError } from "../../utils/errors.ts";
import type { BenchResult } from "./_result.ts";

/** The comment that opens the generated region. */
export const START_MARKER = "<!-- bench:compare:start -->";
/** The comment that closes the generated region. */
export const END_MARKER = "<!-- bench:compare:end -->";

/** One run of a compare script, as the runner saw it. */
export interface RunRecord {
  /** Names the run in both tables: the script, and the runtime where it runs on both. */
  key: string;
  /** The module named in the row of a run without results. */
  module: string;
  /** The command, as one would type it. */
  command: string;
  /** `ran`, or why there are no results. */
  status: "ran" | "not run" | "failed";
  /** Why the run did not run or failed. */
  reason?: string;
  /** Whether the run was a quick one (fewer rounds, smaller inputs). */
  quick: boolean;
  /** When it started. */
  date: Date;
  /** CPU model and core count. */
  machine: string;
  /** The 1-minute load averages before and after; absent when nothing ran. */
  load?: { before: number; after: number };
  /** How long the run took, in seconds; absent when nothing ran. */
  seconds?: number;
  /** The results the script printed. */
  results: BenchResult[];
}

const GOAL_HEADER = ["module", "measure", "ours", "peer", "ratio", "goal", "met", "run"];
const GOAL_ALIGN: Align[] = ["left", "left", "right", "right", "right", "left", "left", "left"];
const RUN_HEADER = [
  "run",
  "command",
  "date (UTC)",
  "machine",
  "load before → after",
  "took",
  "status",
];
const RUN_ALIGN: Align[] = ["left", "left", "left", "left", "left", "right", "left"];

type Align = "left" | "right";

/** A figure for a table cell: whole from 100 on (thousands grouped), three significant digits below. */
export function formatNumber(value: number): string {
  const size = Math.abs(value);
  if (size >= 100 || Number.isInteger(value)) return Math.round(value).toLocaleString("en-US");
  if (size >= 10) return value.toFixed(1);
  if (size >= 1) return value.toFixed(2);
  return value === 0 ? "0" : Number(value.toPrecision(3)).toString();
}

function withUnit(value: number, unit: string): string {
  return `${formatNumber(value)} ${unit}`;
}

function ratioText(ratio: number): string {
  return `${ratio >= 10 ? ratio.toFixed(1) : ratio.toFixed(2)}x`;
}

/** The value the goal is judged on: the ratio, or our figure where there is no peer. */
function judged(r: BenchResult): number {
  return r.peer === null || r.ratio === null ? r.ours : r.ratio;
}

/** Whether a result meets its goal; undefined for a figure shown for context. */
export function meetsGoal(r: BenchResult): boolean | undefined {
  if (r.goal === null) return undefined;
  return r.higherIsBetter ? judged(r) >= r.goal : judged(r) <= r.goal;
}

function goalText(r: BenchResult): string {
  if (r.goal === null) return "—";
  const sign = r.higherIsBetter ? "≥" : "≤";
  // A goal is shown as its issue states it: 0.6x, 64 MiB, 100,000 cycles/s.
  const bound = r.goal.toLocaleString("en-US", { maximumFractionDigits: 3 });
  return r.peer === null || r.ratio === null ? `${sign} ${bound} ${r.unit}` : `${sign} ${bound}x`;
}

function escapeCell(text: string): string {
  return text.replaceAll("|", "\\|").replaceAll("\n", " ");
}

function code(text: string): string {
  return `\`${text}\``;
}

/** The goal-table rows of one run: one per result, or one saying why there are none. */
export function goalRows(run: RunRecord): string[][] {
  const key = code(run.key);
  if (run.status !== "ran") {
    const why = `${run.status}${run.reason === undefined ? "" : `: ${run.reason}`}`;
    return [[run.module, "every goal of this run", "—", "—", "—", "—", why, key].map(escapeCell)];
  }
  return run.results.map((r) => {
    const met = meetsGoal(r);
    return [
      r.module,
      r.name,
      withUnit(r.ours, r.unit),
      r.peer === null ? "—" : `${withUnit(r.peer, r.unit)} (${r.peerName ?? "peer"})`,
      r.ratio === null ? "—" : ratioText(r.ratio),
      goalText(r),
      met === undefined ? "—" : met ? "yes" : "**no**",
      key,
    ].map(escapeCell);
  });
}

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}

function dateText(date: Date): string {
  return `${date.getUTCFullYear()}-${pad2(date.getUTCMonth() + 1)}-${pad2(date.getUTCDate())} ` +
    `${pad2(date.getUTCHours())}:${pad2(date.getUTCMinutes())}`;
}

function durationText(seconds: number): string {
  const s = Math.round(seconds);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${pad2(s % 60)} s`;
}

/** The run-table row of one run. */
export function runRow(run: RunRecord): string[] {
  const status = run.status === "ran"
    ? (run.quick ? "quick" : "full")
    : `${run.status}${run.reason === undefined ? "" : `: ${run.reason}`}`;
  return [
    code(run.key),
    code(run.command),
    dateText(run.date),
    run.machine,
    run.load === undefined ? "—" : `${run.load.before.toFixed(2)} → ${run.load.after.toFixed(2)}`,
    run.seconds === undefined ? "—" : durationText(run.seconds),
    status,
  ].map(escapeCell);
}

/** A Markdown table, its columns padded as `deno fmt` pads them. */
export function formatTable(header: string[], align: Align[], rows: string[][]): string {
  // The rule needs one dash, and a colon too where the column is right-aligned.
  const widths = header.map((h, i) =>
    Math.max(align[i] === "right" ? 2 : 1, h.length, ...rows.map((r) => r[i]?.length ?? 0))
  );
  const line = (cells: string[]) =>
    "| " + widths.map((w, i) => {
      const cell = cells[i] ?? "";
      return align[i] === "right" ? cell.padStart(w) : cell.padEnd(w);
    }).join(" | ") + " |";
  const rule = "| " +
    widths.map((w, i) => align[i] === "right" ? "-".repeat(w - 1) + ":" : "-".repeat(w)).join(
      " | ",
    ) + " |";
  return [line(header), rule, ...rows.map(line)].join("\n");
}

/** Splits a table line into its cells, unpadded; `\|` stays inside its cell. */
function cells(line: string): string[] {
  const inner = line.trim().replace(/^\|/, "").replace(/\|$/, "");
  return inner.split(/(?<!\\)\|/).map((c) => c.trim());
}

function unquote(cell: string): string {
  return cell.replace(/^`(.*)`$/, "$1");
}

/** The body rows of the region's two tables, told apart by their first header cell. */
export function parseRegion(region: string): { goals: string[][]; runs: string[][] } {
  const found: Record<string, string[][]> = {};
  let block: string[] = [];
  for (const line of [...region.split("\n"), ""]) {
    if (line.startsWith("|")) {
      block.push(line);
      continue;
    }
    if (block.length > 2) found[cells(block[0]!)[0]!] = block.slice(2).map(cells);
    block = [];
  }
  return { goals: found[GOAL_HEADER[0]!] ?? [], runs: found[RUN_HEADER[0]!] ?? [] };
}

// Wrapped at 100 columns, as `deno fmt` wraps prose.
const INTRO = [
  "Every module goal as `deno task bench:compare` last measured it (this region is written by",
  "`bench/compare/run_all.ts`; edits here are lost). The sections below explain each figure. The ratio",
  "is ours / peer unless the script says otherwise; the goal bounds the ratio, or our figure where",
  "there is no peer. Quick runs only check the plumbing, and figures measured on a loaded machine (see",
  "the load) are to be re-run on an idle one.",
].join("\n");

/**
 * The region's text, markers included: the goal table, then the run table.
 * `order` lists every run key in the order the rows appear; rows of other
 * keys are dropped.
 */
export function renderRegion(goals: string[][], runs: string[][], order: string[]): string {
  const rank = (row: string[], keyCell: number) => order.indexOf(unquote(row[keyCell] ?? ""));
  const sorted = (rows: string[][], keyCell: number) =>
    rows.filter((r) => rank(r, keyCell) >= 0)
      // Array.prototype.sort is stable: a run's goals keep their order.
      .sort((a, b) => rank(a, keyCell) - rank(b, keyCell));
  return [
    START_MARKER,
    INTRO,
    formatTable(GOAL_HEADER, GOAL_ALIGN, sorted(goals, GOAL_HEADER.length - 1)),
    formatTable(RUN_HEADER, RUN_ALIGN, sorted(runs, 0)),
    END_MARKER,
  ].join("\n\n");
}

/**
 * BENCHMARKS.md with its region rewritten: the rows of `records` replace
 * those of the same keys, the others stay. Without markers, the region goes
 * before the first `##` heading (at the end if there is none). Everything
 * outside the region is returned as it was.
 */
export function updateDocument(doc: string, records: RunRecord[], order: string[]): string {
  const start = doc.indexOf(START_MARKER);
  const end = doc.indexOf(END_MARKER);
  let before: string;
  let after: string;
  let old = { goals: [] as string[][], runs: [] as string[][] };
  if (start === -1 && end === -1) {
    const heading = doc.search(/^## /m);
    const at = heading === -1 ? doc.length : heading;
    before = doc.slice(0, at);
    if (before !== "" && !before.endsWith("\n\n")) before += before.endsWith("\n") ? "\n" : "\n\n";
    after = heading === -1 ? "\n" : "\n\n" + doc.slice(at);
  } else if (start === -1 || end === -1 || end < start) {
    throw new AosError(
      "invalidArgument",
      `BENCHMARKS.md needs both ${START_MARKER} and ${END_MARKER}, in that order`,
    );
  } else {
    before = doc.slice(0, start);
    after = doc.slice(end + END_MARKER.length);
    old = parseRegion(doc.slice(start + START_MARKER.length, end));
  }
  const replaced = new Set(records.map((r) => r.key));
  const keep = (rows: string[][], keyCell: number) =>
    rows.filter((r) => !replaced.has(unquote(r[keyCell] ?? "")));
  const goals = [
    ...keep(old.goals, GOAL_HEADER.length - 1),
    ...records.flatMap(goalRows),
  ];
  const runs = [...keep(old.runs, 0), ...records.map(runRow)];
  return before + renderRegion(goals, runs, order) + after;
}
