// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Reading and parsing of /proc/self/mountinfo for the FS platform.

import { readFile } from "node:fs/promises";
import { runTool } from "./_fs_helpers.ts";

/** One line of `/proc/self/mountinfo`, with the escaped fields decoded. */
export interface MountEntry {
  /** Major number of the device of the mounted file system. */
  major: number;
  /** Minor number of the device of the mounted file system. */
  minor: number;
  /** Where the mount is, as the kernel prints it (absolute). */
  mountPoint: string;
  /** File system type (`ext4`, `tmpfs`, ...). */
  fsType: string;
  /** Mount source: a block device (`/dev/sda1`) or a name (`tmpfs`, `overlay`). */
  source: string;
}

/**
 * Decodes the octal escapes the kernel writes for space, tab, newline and
 * backslash (`\040`, `\011`, `\012`, `\134`); any other `\ooo` too.
 */
export function decodeMountField(field: string): string {
  if (!field.includes("\\")) return field;
  return field.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

/**
 * Parses the text of `/proc/self/mountinfo`. Lines that do not have the
 * documented shape are skipped rather than failing the whole lookup.
 *
 * Format: `id parent major:minor root mountpoint options [optional...] - fstype source superoptions`.
 */
export function parseMountInfo(text: string): MountEntry[] {
  const entries: MountEntry[] = [];
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const fields = line.split(" ");
    const dev = fields[2]?.split(":");
    const separator = fields.indexOf("-", 6);
    if (dev?.length !== 2 || separator < 0 || fields.length < separator + 3) continue;
    const major = Number(dev[0]);
    const minor = Number(dev[1]);
    if (!Number.isInteger(major) || !Number.isInteger(minor)) continue;
    entries.push({
      major,
      minor,
      mountPoint: decodeMountField(fields[4]!),
      fsType: decodeMountField(fields[separator + 1]!),
      source: decodeMountField(fields[separator + 2]!),
    });
  }
  return entries;
}

/** Splits a Linux `dev_t` (glibc encoding) into major and minor numbers. */
export function splitDev(dev: bigint): { major: number; minor: number } {
  const major = ((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn);
  const minor = (dev & 0xffn) | ((dev >> 12n) & ~0xffn);
  return { major: Number(major), minor: Number(minor) };
}

/** Whether `path` is `dir` or lies below it (both absolute and normalised). */
export function isPathWithin(path: string, dir: string): boolean {
  if (dir === "/") return true;
  return path === dir || path.startsWith(dir.endsWith("/") ? dir : `${dir}/`);
}

/**
 * Reads and parses a mount table. Deno lets only `--allow-all` programs read
 * `/proc/self` (and `/proc/mounts`, a link into it), so when Deno refuses,
 * the file is read through `cat` (`--allow-run=cat`) instead.
 */
export async function readMountTable(file: string): Promise<MountEntry[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    if ((err as { name?: unknown }).name !== "NotCapable") throw err;
    text = await runTool("cat", [file], {
      missing: `Cannot read ${file}: "cat" is not installed`,
      failed: `Cannot read ${file}`,
    });
  }
  return parseMountInfo(text);
}
