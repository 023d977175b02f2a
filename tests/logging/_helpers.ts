// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Shared pieces of the logging tests: a recording sender and gzip helpers.
import { gunzipSync } from "node:zlib";
import type { PushLog } from "../../cloudprotocol/mod.ts";
import type { LogSender } from "../../logging/mod.ts";

/** A sender that keeps every message it gets. */
export class Recorder implements LogSender {
  readonly logs: PushLog[] = [];
  sendLog(log: PushLog): Promise<void> {
    this.logs.push(log);
    return Promise.resolve();
  }
  /** `[part, partsCount, status]` of every message. */
  get shape(): [number, number, string][] {
    return this.logs.map((log) => [log.part, log.partsCount, log.status]);
  }
  /** The decompressed text of every message. */
  get texts(): string[] {
    return this.logs.map((log) => gunzipText(log.content));
  }
}

/** Decompresses one part; no bytes means no text. */
export function gunzipText(content: Uint8Array): string {
  return content.length === 0 ? "" : new TextDecoder().decode(gunzipSync(content));
}

/** A deterministic pseudo-random generator (mulberry32). */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LEVELS = ["DEBUG", "INFO", "INFO", "INFO", "WARN", "ERROR"] as const;
const UNITS = ["aos-servicemanager", "aos-communicationmanager", "aos-iamanager", "systemd"];
const WORDS = ["started", "instance", "layer", "download", "connected", "retry", "sha256"];

/**
 * A realistic journal line: timestamp, unit, level, text and often a JSON
 * fragment; `extra` adds non-ASCII text to some lines.
 */
export function logLine(rand: () => number, index: number, extra = false): string {
  const time = new Date(Date.UTC(2026, 4, 7, 6) + index * 137).toISOString();
  const level = LEVELS[Math.floor(rand() * LEVELS.length)];
  const unit = UNITS[Math.floor(rand() * UNITS.length)];
  const words = Array.from(
    { length: 3 + Math.floor(rand() * 8) },
    () => WORDS[Math.floor(rand() * WORDS.length)],
  ).join(" ");
  const json = rand() < 0.5
    ? ` {"instance":${Math.floor(rand() * 64)},"item":"${
      Math.floor(rand() * 0xffffffff).toString(16)
    }","progress":${rand().toFixed(3)}}`
    : "";
  const text = extra && rand() < 0.3 ? " Привіт, 世界 🚀" : "";
  return `${time} ${unit} [${level}] ${words}${json}${text}\n`;
}
