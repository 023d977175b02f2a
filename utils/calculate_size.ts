// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Size of a file or directory tree, apparent or allocated.
 *
 * @module
 */

import { lstat, opendir, stat } from "node:fs/promises";
import type { BigIntStats, Stats } from "node:fs";
import { join } from "node:path";
import { AosError } from "./errors.ts";

/** Options of {@linkcode calculateSize}. */
export interface CalculateSizeOptions {
  /**
   * Count allocated blocks (`st_blocks × 512`, as `du` does) instead of
   * apparent sizes: sparse files count what they occupy, small files count
   * whole blocks, directories count their own blocks, hard-linked files count
   * once.
   *
   * @default {false}
   */
  allocated?: boolean;
}

// How many entries of one directory are stat'ed at once.
const PARALLEL = 32;

/**
 * The size of a file, or of everything below a directory.
 *
 * Apparent size (the default, as AosCore): the sum of `st_size` of every
 * regular file found recursively. A symlink to a regular file counts with its
 * target's size; symlinks to directories are not followed; broken symlinks,
 * directories and special files count 0. A hard-linked file counts once per
 * link.
 *
 * Allocated size (`{ allocated: true }`): what `du -s --block-size=1` reports.
 *
 * Entries that vanish while the tree is walked are skipped, so a directory
 * being cleaned up concurrently can still be measured.
 *
 * @example
 * ```ts
 * import { calculateSize } from "@aoscore/common/utils";
 * import { mkdtemp, rm, writeFile } from "node:fs/promises";
 * import { join } from "node:path";
 * import { tmpdir } from "node:os";
 * import assert from "node:assert/strict";
 *
 * const dir = await mkdtemp(join(tmpdir(), "size-"));
 * await writeFile(join(dir, "a"), new Uint8Array(1000));
 * assert.equal(await calculateSize(dir), 1000);
 * await rm(dir, { recursive: true });
 * ```
 *
 * @param path A file or directory; a symlink given here is followed.
 * @param options Apparent or allocated size.
 * @returns Bytes.
 * @throws {AosError} `notSupported` when `path` is missing or neither a file
 * nor a directory; `failed` with the system's message when reading fails.
 */
export async function calculateSize(
  path: string,
  options: CalculateSizeOptions = {},
): Promise<number> {
  let top: BigIntStats;
  try {
    top = await stat(path, { bigint: true });
  } catch (err) {
    if (isGone(err)) throw notSupported(path, err);
    throw AosError.wrap(err, "failed", `Cannot calculate size of "${path}"`);
  }
  const allocated = options.allocated === true;
  if (top.isFile()) return allocated ? Number(top.blocks) * 512 : Number(top.size);
  if (!top.isDirectory()) throw notSupported(path);
  if (!allocated) return await apparentSize(path);
  const seen = new Set<string>();
  return Number(top.blocks) * 512 + await allocatedSize(path, seen);
}

function notSupported(path: string, cause?: unknown): AosError {
  return new AosError(
    "notSupported",
    `Cannot calculate size of "${path}": not a regular file or directory`,
    cause === undefined ? {} : { cause },
  );
}

function isGone(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return code === "ENOENT" || code === "ENOTDIR";
}

interface Entry {
  name: string;
  kind: "dir" | "file" | "link" | "other";
}

async function readEntries(dir: string): Promise<Entry[]> {
  const entries: Entry[] = [];
  try {
    for await (const dirent of await opendir(dir)) {
      const kind = dirent.isDirectory()
        ? "dir"
        : dirent.isFile()
        ? "file"
        : dirent.isSymbolicLink()
        ? "link"
        : "other";
      entries.push({ name: dirent.name, kind });
    }
  } catch (err) {
    if (isGone(err)) return entries;
    throw AosError.wrap(err, "failed", `Cannot calculate size of "${dir}"`);
  }
  return entries;
}

async function forEachBatch<T>(items: T[], fn: (item: T) => Promise<number>): Promise<number> {
  let total = 0;
  for (let i = 0; i < items.length; i += PARALLEL) {
    const sizes = await Promise.all(items.slice(i, i + PARALLEL).map(fn));
    for (const size of sizes) total += size;
  }
  return total;
}

async function statOrSkip<T>(fn: () => Promise<T>, path: string): Promise<T | undefined> {
  try {
    return await fn();
  } catch (err) {
    if (isGone(err)) return undefined;
    throw AosError.wrap(err, "failed", `Cannot calculate size of "${path}"`);
  }
}

async function apparentSize(dir: string): Promise<number> {
  const entries = await readEntries(dir);
  return await forEachBatch(entries, async (entry) => {
    const path = join(dir, entry.name);
    if (entry.kind === "dir") return await apparentSize(path);
    if (entry.kind === "other") return 0;
    // A symlink counts only when it resolves to a regular file; `stat`
    // follows it, `lstat` reads the file itself.
    const st: Stats | undefined = await statOrSkip(
      () => entry.kind === "link" ? stat(path) : lstat(path),
      path,
    );
    return st?.isFile() ? st.size : 0;
  });
}

async function allocatedSize(dir: string, seen: Set<string>): Promise<number> {
  const entries = await readEntries(dir);
  return await forEachBatch(entries, async (entry) => {
    const path = join(dir, entry.name);
    const st = await statOrSkip(() => lstat(path, { bigint: true }), path);
    if (st === undefined) return 0;
    if (st.nlink > 1n && !st.isDirectory()) {
      const key = `${st.dev}:${st.ino}`;
      if (seen.has(key)) return 0;
      seen.add(key);
    }
    const own = Number(st.blocks) * 512;
    return st.isDirectory() ? own + await allocatedSize(path, seen) : own;
  });
}
