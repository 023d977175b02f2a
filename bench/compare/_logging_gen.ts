// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Writes a realistic journal-style text log for the logging comparison:
// ISO timestamps, units, levels, free text, and JSON fragments on half the
// lines, as the service manager formats them. Deterministic for a given size.
// Usage: <runtime> bench/compare/_logging_gen.ts <file> <size-in-MiB>
import fs from "node:fs";
import process from "node:process";

const [file, mib] = process.argv.slice(2);
if (file === undefined || mib === undefined) throw new Error("usage: _logging_gen.ts <file> <MiB>");
const size = Number(mib) * 1024 * 1024;

let seed = 0x2026;
function rand(): number {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;

const UNITS = [
  "aos-servicemanager.service",
  "aos-communicationmanager.service",
  "aos-iamanager.service",
  "aos-updatemanager.service",
  "aos-service@3f1c9e0a.service",
  "systemd[1]",
] as const;
const LEVELS = ["debug", "info", "info", "info", "info", "warning", "error"] as const;
const TEXT = [
  "Start instance",
  "Instance status changed",
  "Download layer",
  "Connection established",
  "Send monitoring data",
  "Process desired status",
  "Retry request after error",
  "Certificate renewed",
  "Allocate network",
  "Check image digest",
] as const;
const STATES = ["active", "activating", "failed", "inactive"] as const;

function line(ms: number): string {
  const time = new Date(ms).toISOString();
  const text = pick(TEXT);
  let json = "";
  const r = rand();
  if (r < 0.5) {
    json = ` {"instance":${Math.floor(rand() * 16)},"item":"${
      Math.floor(rand() * 0xffffffff).toString(16).padStart(8, "0")
    }","state":"${pick(STATES)}","progress":${(rand() * 100).toFixed(1)}}`;
  } else if (r < 0.6) {
    json = ` err="${pick(TEXT).toLowerCase()}: connection reset by peer (errno 104)"`;
  }
  return `${time} ${pick(UNITS)} level=${pick(LEVELS)} msg="${text}"${json}\n`;
}

const fd = fs.openSync(file, "w");
let written = 0;
let ms = Date.UTC(2026, 4, 7, 0, 0, 0);
while (written < size) {
  let block = "";
  for (let i = 0; i < 2000; i++) {
    ms += Math.floor(rand() * 400);
    block += line(ms);
  }
  const bytes = Buffer.from(block);
  const n = Math.min(bytes.length, size - written);
  fs.writeSync(fd, bytes, 0, n);
  written += n;
}
fs.closeSync(fd);
