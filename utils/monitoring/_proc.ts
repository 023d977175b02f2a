// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Parsers of the /proc and cgroup v2 files the monitoring providers read. Each
// takes the file's text and throws `failed` naming the file when the text does
// not have the documented shape.

import { AosError } from "../errors.ts";
import type { TrafficCounters } from "./types.ts";

/** CPU time since boot from the `cpu` line of /proc/stat, in clock ticks. */
export interface CpuTimes {
  /** Ticks spent on anything but idle and I/O wait. */
  busy: number;
  /** All ticks (guest time is already in user and nice, so it is not added again). */
  total: number;
  /** Online CPUs: the number of `cpuN` lines. */
  cpus: number;
}

/** Parses /proc/stat (proc(5)). */
export function parseProcStat(text: string): CpuTimes {
  const end = text.indexOf("\n");
  const first = text.slice(0, end < 0 ? undefined : end).trim().split(/\s+/);
  // user nice system idle iowait irq softirq steal [guest guest_nice]
  const ticks = first.slice(1, 9).map(Number);
  if (first[0] !== "cpu" || ticks.length < 4 || !ticks.every(Number.isSafeInteger)) {
    throw new AosError("failed", "can't parse /proc/stat: no cpu line");
  }
  const total = ticks.reduce((a, b) => a + b, 0);
  const idle = ticks[3]! + (ticks[4] ?? 0);
  const cpus = text.match(/^cpu\d+ /gm)?.length ?? 1;
  return { busy: total - idle, total, cpus };
}

/** Memory figures of /proc/meminfo, in bytes. */
export interface MemoryFigures {
  /** `MemTotal`. */
  total: number;
  /** `MemAvailable`, or `MemFree + Buffers + Cached` on kernels before 3.14. */
  available: number;
}

/** Parses /proc/meminfo. */
export function parseMeminfo(text: string): MemoryFigures {
  const kib = (name: string): number | undefined => {
    const match = new RegExp(`^${name}:\\s+(\\d+) kB$`, "m").exec(text);
    return match === null ? undefined : Number(match[1]) * 1024;
  };
  const total = kib("MemTotal");
  const available = kib("MemAvailable") ??
    ((kib("MemFree") ?? NaN) + (kib("Buffers") ?? 0) + (kib("Cached") ?? 0));
  if (total === undefined || Number.isNaN(available)) {
    throw new AosError("failed", "can't parse /proc/meminfo: no MemTotal or MemAvailable");
  }
  return { total, available };
}

/**
 * Parses /proc/net/dev and adds up the counters of the interfaces `include`
 * accepts.
 */
export function parseNetDev(text: string, include: (name: string) => boolean): TrafficCounters {
  let received = 0;
  let sent = 0;
  // Two header lines, then `name: rx_bytes rx_packets ... (8 fields) tx_bytes ...`.
  for (const line of text.split("\n").slice(2)) {
    const colon = line.indexOf(":");
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim();
    if (!include(name)) continue;
    const fields = line.slice(colon + 1).trim().split(/\s+/);
    const rx = Number(fields[0]);
    const tx = Number(fields[8]);
    if (!Number.isSafeInteger(rx) || !Number.isSafeInteger(tx)) {
      throw new AosError("failed", `can't parse /proc/net/dev: bad counters of "${name}"`);
    }
    received += rx;
    sent += tx;
  }
  return { received, sent };
}

/** Parses the `usage_usec` line of a cgroup v2 `cpu.stat`, in microseconds. */
export function parseCpuStatUsage(text: string, path: string): number {
  const match = /^usage_usec (\d+)$/m.exec(text);
  if (match === null) throw new AosError("failed", `can't parse "${path}": no usage_usec`);
  return Number(match[1]);
}

/** Parses a file that holds one integer (`memory.current`). */
export function parseInteger(text: string, path: string): number {
  const value = Number(text.trim());
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new AosError("failed", `can't parse "${path}": not a byte count`);
  }
  return value;
}

/** The model name of the first CPU in /proc/cpuinfo, or `unknown`. */
export function parseCpuModel(text: string): string {
  const match = /^(?:model name|Model|Hardware|cpu model)\s*:\s*(.+)$/m.exec(text);
  return match?.[1]?.trim() || "unknown";
}
