// Copyright 2026 the aos-common authors. Apache-2.0 license.
// deno-lint-ignore-file no-console
/**
 * The demo's output: step headers, detail lines, result lines, a progress
 * bar and the summary table, all within 80 columns. On a terminal the bar
 * redraws in place and results are coloured (unless `NO_COLOR` is set);
 * piped, everything is whole lines of plain text. Every line printed is also
 * kept as a journal line, which step 8 archives as the unit's own log.
 *
 * @module
 */
import process from "node:process";

/** Widest line the demo prints. */
export const WIDTH = 80;

const tty = process.stdout.isTTY === true;
const color = tty && process.env.NO_COLOR === undefined;
const paint = (code: number, text: string) => color ? `\x1b[${code}m${text}\x1b[0m` : text;

// deno-lint-ignore no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;
const journal: string[] = [];
/** Whether a progress bar is drawn on the current terminal line. */
let barShown = false;

/** Prints one line, wrapped at 80 columns, and keeps it in the journal. */
export function say(text = ""): void {
  if (barShown) {
    process.stdout.write("\r\x1b[K");
    barShown = false;
  }
  for (const line of wrap(text)) {
    console.log(line);
    const stamp = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
    journal.push(`${stamp}Z aos-demo ${line.replace(ANSI, "").trim()}\n`);
  }
}

/** Splits a line longer than 80 columns at spaces; continuations are indented 2 more. */
function wrap(text: string): string[] {
  if (text.replace(ANSI, "").length <= WIDTH) return [text];
  const indent = " ".repeat((text.match(/^ */)?.[0].length ?? 0) + 2);
  const lines: string[] = [];
  let rest = text.replace(ANSI, "");
  let prefix = "";
  while (prefix.length + rest.length > WIDTH) {
    const room = WIDTH - prefix.length;
    const cut = rest.lastIndexOf(" ", room);
    const at = cut > prefix.length + 8 ? cut : room;
    lines.push(prefix + rest.slice(0, at).trimEnd());
    rest = rest.slice(at).trimStart();
    prefix = indent;
  }
  lines.push(prefix + rest);
  return lines;
}

/** Prints a detail line of the current step. */
export function detail(text: string): void {
  say(`   ${text}`);
}

/** The journal lines printed so far, oldest first. */
export function journalLines(): readonly string[] {
  return journal;
}

/** What happened to a step. */
export type StepStatus = "ok" | "FAIL" | "skip";

/** Prints a step's header. */
export function header(n: number, title: string): void {
  say();
  say(paint(1, `${n}. ${title}`));
}

/** Prints a step's result line: `   ok 3: ...`, `   FAIL 3: ...` or `   skip 3: ...`. */
export function result(n: number, status: StepStatus, text: string): void {
  const mark = status === "ok" ? paint(32, "ok") : status === "FAIL" ? paint(31, "FAIL") : "skip";
  say(`   ${mark} ${n}: ${text}`);
}

/** Formats a byte count with binary units: `1.5 MiB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KiB", "MiB", "GiB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** Formats milliseconds as seconds: `1.23 s`. */
export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

/**
 * A progress bar for `total` bytes. On a terminal it redraws its line at
 * most ten times a second; piped, it prints a line at each quarter.
 */
export class ProgressBar {
  readonly #total: number;
  readonly #started = performance.now();
  #lastDraw = 0;
  #quarter = -1;

  /** Creates a bar for `total` bytes. */
  constructor(total: number) {
    this.#total = Math.max(1, total);
  }

  /** Shows `done` bytes; `force` draws even when the last draw was recent. */
  update(done: number, force = false): void {
    const ratio = Math.min(1, done / this.#total);
    const now = performance.now();
    if (tty) {
      if (!force && now - this.#lastDraw < 100 && ratio < 1) return;
      this.#lastDraw = now;
      process.stdout.write(`\r\x1b[K${this.#line(done, ratio, now)}`);
      barShown = true;
    } else if (Math.floor(ratio * 4) > this.#quarter) {
      this.#quarter = Math.floor(ratio * 4);
      say(this.#line(done, ratio, now));
    }
  }

  /** Ends the bar: draws it full and moves to the next line. */
  finish(done: number): void {
    this.update(done, true);
    if (barShown) say(this.#line(done, Math.min(1, done / this.#total), performance.now()));
  }

  #line(done: number, ratio: number, now: number): string {
    const cells = 24;
    const bar = "#".repeat(Math.round(ratio * cells)).padEnd(cells, ".");
    const seconds = Math.max(0.001, (now - this.#started) / 1000);
    const rate = `${formatBytes(done / seconds)}/s`;
    const amount = `${(done / 2 ** 20).toFixed(1)}/${(this.#total / 2 ** 20).toFixed(1)} MiB`;
    return `   [${bar}] ${(ratio * 100).toFixed(0).padStart(3)}%  ${amount}  ${rate}`;
  }
}

/** One row of the summary table. */
export interface SummaryRow {
  /** Step number. */
  n: number;
  /** Step title. */
  title: string;
  /** What happened. */
  status: StepStatus;
  /** Time taken, ms; undefined when skipped. */
  ms: number | undefined;
  /** Bytes moved; undefined when skipped. */
  bytes: number | undefined;
}

/** Prints the summary table. */
export function summaryTable(rows: readonly SummaryRow[]): void {
  const line = (n: string, title: string, status: string, time: string, bytes: string) =>
    say(
      ` ${n.padStart(2)} ${title.padEnd(34)} ${status.padEnd(6)} ${time.padStart(9)} ${
        bytes.padStart(11)
      }`,
    );
  line("", "step", "result", "time", "bytes");
  say(` ${"-".repeat(66)}`);
  for (const row of rows) {
    line(
      String(row.n),
      row.title,
      row.status,
      row.ms === undefined ? "-" : formatSeconds(row.ms),
      row.bytes === undefined ? "-" : formatBytes(row.bytes),
    );
  }
  say(` ${"-".repeat(66)}`);
}
