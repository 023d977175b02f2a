// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Mount point and mount source of a path, from `/proc/self/mountinfo`.
 *
 * @module
 */

import { realpath, stat } from "node:fs/promises";
import { dirname } from "node:path";
import { AosError } from "./errors.ts";
import { isPathWithin, type MountEntry, readMountTable, splitDev } from "./_mountinfo.ts";

/** Options of {@linkcode getMountPoint} and {@linkcode getBlockDevice}. */
export interface MountInfoOptions {
  /**
   * The mount table to read, in `mountinfo` format (see `proc_pid_mountinfo(5)`).
   *
   * @default {"/proc/self/mountinfo"}
   */
  mountInfoPath?: string;
}

const MOUNTINFO = "/proc/self/mountinfo";

interface Target {
  dev: bigint;
  resolved: string;
}

async function statTarget(path: string): Promise<Target> {
  try {
    const dev = (await stat(path, { bigint: true })).dev;
    return { dev, resolved: await realpath(path) };
  } catch (err) {
    throw AosError.wrap(err, "notFound", `failed to stat directory "${path}"`);
  }
}

async function readTable(options: MountInfoOptions): Promise<MountEntry[]> {
  const file = options.mountInfoPath ?? MOUNTINFO;
  try {
    return await readMountTable(file);
  } catch (err) {
    throw AosError.wrap(err, "notFound", `failed to open ${file}`);
  }
}

/** The mounts of the target's device. */
async function mountsOf(target: Target, entries: MountEntry[]): Promise<MountEntry[]> {
  const { major, minor } = splitDev(target.dev);
  const matches = entries.filter((e) => e.major === major && e.minor === minor);
  // Some file systems (btrfs subvolumes) report another st_dev than the
  // mount table; compare with the mount directories themselves then, as
  // AosCore does for every entry.
  return matches.length > 0 ? matches : await sameDevice(entries, target.dev);
}

/** The topmost directory above `resolved` on the same device: its mount point. */
async function walkUp(target: Target): Promise<string> {
  let current = target.resolved;
  for (;;) {
    const parent = dirname(current);
    if (parent === current) return current;
    try {
      if ((await stat(parent, { bigint: true })).dev !== target.dev) return current;
    } catch {
      return current;
    }
    current = parent;
  }
}

async function sameDevice(entries: MountEntry[], dev: bigint): Promise<MountEntry[]> {
  const found: MountEntry[] = [];
  for (const entry of entries) {
    try {
      if ((await stat(entry.mountPoint, { bigint: true })).dev === dev) found.push(entry);
    } catch {
      // A mount directory that cannot be stat'ed cannot be the one we look for.
    }
  }
  return found;
}

/**
 * The mount point of the file system that holds `dir`: among the mounts of
 * `dir`'s device, the longest mount directory that contains `dir`.
 *
 * Deviation from AosCore: AosCore returns the longest mount directory of the
 * device even when it does not contain `dir` (a bind mount elsewhere); this
 * falls back to that only when no mount of the device contains `dir` (a path
 * seen from another mount namespace).
 *
 * When the mount table cannot be read (no `/proc`, or Deno without
 * `--allow-all` or `--allow-run=cat`), the mount point is found by walking up
 * from `dir` while the parent is on the same device, which needs only
 * `--allow-read`.
 *
 * @example
 * ```ts
 * import { getMountPoint } from "@aoscore/common/utils";
 * import { realpath } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import assert from "node:assert/strict";
 *
 * const dir = await realpath(tmpdir());
 * const mountPoint = await getMountPoint(dir);
 * assert.ok(dir.startsWith(mountPoint));
 * ```
 *
 * @param dir An existing path.
 * @param options The mount table to read.
 * @returns The mount directory.
 * @throws {AosError} `notFound` "failed to stat directory" for a missing
 * path, or "failed to find mount point" when the mount table lists no mount
 * of its device.
 */
export async function getMountPoint(dir: string, options: MountInfoOptions = {}): Promise<string> {
  const target = await statTarget(dir);
  let entries: MountEntry[];
  try {
    entries = await readTable(options);
  } catch {
    return await walkUp(target);
  }
  const matches = await mountsOf(target, entries);
  let best: MountEntry | undefined;
  for (const entry of matches) {
    if (!isPathWithin(target.resolved, entry.mountPoint)) continue;
    if (best === undefined || entry.mountPoint.length > best.mountPoint.length) best = entry;
  }
  if (best === undefined) {
    for (const entry of matches) {
      if (best === undefined || entry.mountPoint.length > best.mountPoint.length) best = entry;
    }
  }
  if (best === undefined) throw new AosError("notFound", `failed to find mount point of "${dir}"`);
  return best.mountPoint;
}

/**
 * The mount source of the file system that holds `path`: the source field of
 * the first mount of its device, e.g. `/dev/sda2`, `tmpfs` or `overlay`.
 *
 * Deno lets only `--allow-all` programs read `/proc/self/mountinfo`; with
 * less, it is read through `cat`, which needs `--allow-run=cat`.
 *
 * @example
 * ```ts
 * import { getBlockDevice } from "@aoscore/common/utils";
 * import { tmpdir } from "node:os";
 *
 * console.log(await getBlockDevice(tmpdir())); // e.g. "/dev/sda2"
 * ```
 *
 * @param path An existing path.
 * @param options The mount table to read.
 * @returns The mount source.
 * @throws {AosError} `notFound` "failed to stat directory" for a missing
 * path, "failed to open /proc/self/mountinfo", or "failed to find block device".
 */
export async function getBlockDevice(
  path: string,
  options: MountInfoOptions = {},
): Promise<string> {
  const target = await statTarget(path);
  const first = (await mountsOf(target, await readTable(options)))[0];
  if (first === undefined) {
    throw new AosError("notFound", `failed to find block device of "${path}"`);
  }
  return first.source;
}
