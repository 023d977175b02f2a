// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Merges the shipped migration directory into the persistent one: copies what
// is missing, never overwrites, never deletes.
import { randomBytes } from "node:crypto";
import * as fs from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import { hasErrno } from "../utils/errors.ts";
import { ioError } from "./_errors.ts";
import { MigrationError } from "./migration_error.ts";
import { parseScriptName } from "./scripts.ts";

/** What a merge did. */
export interface MergeResult {
  /** Paths, relative to the directories, of the files copied. */
  copied: string[];
  /** Paths of files present on both sides with different content (the merged copy is kept). */
  conflicts: string[];
}

const MERGE_BATCH = 32;
// A leading number with a separator, or "_update." anywhere, and a .sql suffix
// in any case: such names are meant as scripts, and must be well formed.
const LOOKS_LIKE_SCRIPT = /^(?:[+-]?[0-9]+[_.-]|.*_update\.).*\.sql$/i;

/**
 * Copies the contents of `source` into `target` recursively, skipping every
 * file that exists in `target`. A copy is written to a temporary file,
 * synced, then linked into place, so a crash never leaves a torn script that
 * later merges would keep forever.
 */
export async function mergeDirectories(source: string, target: string): Promise<MergeResult> {
  const stat = await fs.stat(source).catch((err: unknown) => {
    if (hasErrno(err, "ENOENT")) {
      throw new MigrationError("invalidArgument", `Migration path ${source} doesn't exist`);
    }
    throw ioError(err, `Cannot read migration path ${source}`);
  });
  if (!stat.isDirectory()) {
    throw new MigrationError("invalidArgument", `Migration path ${source} is not a directory`);
  }
  if (target.startsWith(source + sep)) {
    throw new MigrationError(
      "invalidArgument",
      `Merged migration path ${target} must not be inside migration path ${source}`,
    );
  }
  const files = await listFiles(source);
  for (const file of files) {
    if (
      !file.includes(sep) && LOOKS_LIKE_SCRIPT.test(file) && parseScriptName(file) === undefined
    ) {
      throw new MigrationError(
        "invalidArgument",
        `Malformed migration script name "${file}" in ${source}: expected ` +
          `"<N>_update.up.sql" or "<N>_update.down.sql", N a version without sign or leading zeros`,
        { script: file },
      );
    }
  }
  const result: MergeResult = { copied: [], conflicts: [] };
  await makeDirectory(target);
  for (const dir of new Set(files.map((file) => dirname(join(target, file))))) {
    await makeDirectory(dir);
  }
  const outcomes: ("copied" | "same" | "conflict")[] = new Array(files.length);
  // A few files at a time: far faster than one by one, without exhausting descriptors.
  for (let i = 0; i < files.length; i += MERGE_BATCH) {
    await Promise.all(
      files.slice(i, i + MERGE_BATCH).map(async (file, j) => {
        const from = join(source, file);
        const to = join(target, file);
        outcomes[i + j] = await copyIfMissing(from, to)
          ? "copied"
          : (await sameContent(from, to))
          ? "same"
          : "conflict";
      }),
    );
  }
  const touched = new Set<string>();
  files.forEach((file, i) => {
    if (outcomes[i] === "copied") {
      result.copied.push(file);
      touched.add(dirname(join(target, file)));
    } else if (outcomes[i] === "conflict") {
      result.conflicts.push(file);
    }
  });
  for (const dir of touched) await syncDirectory(dir);
  return result;
}

// Regular files below `root`, relative to it, following symbolic links.
async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const seen = new Set<string>();
  const walk = async (dir: string): Promise<void> => {
    const real = await fs.realpath(dir);
    if (seen.has(real)) return; // a symbolic link loop
    seen.add(real);
    const entries = await fs.readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = join(dir, entry.name);
      const isDir = entry.isSymbolicLink()
        ? (await fs.stat(path)).isDirectory()
        : entry.isDirectory();
      if (isDir) await walk(path);
      else out.push(relative(root, path));
    }
  };
  try {
    await walk(root);
  } catch (err) {
    throw ioError(err, `Cannot list migration path ${root}`);
  }
  return out;
}

async function makeDirectory(dir: string): Promise<void> {
  try {
    await fs.mkdir(dir, { recursive: true });
  } catch (err) {
    throw ioError(err, `Cannot create merged migration directory ${dir}`);
  }
}

// Returns false when `to` already exists.
async function copyIfMissing(from: string, to: string): Promise<boolean> {
  if (await exists(to)) return false;
  const temp = join(dirname(to), `.${randomBytes(6).toString("hex")}.merge.tmp`);
  try {
    const data = await fs.readFile(from);
    const handle = await fs.open(temp, "wx");
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    return await publish(temp, to);
  } catch (err) {
    throw ioError(err, `Cannot copy ${from} to ${to}`);
  } finally {
    await fs.rm(temp, { force: true });
  }
}

// A hard link never replaces an existing file, which a rename would; file
// systems without hard links fall back to a checked rename.
async function publish(temp: string, to: string): Promise<boolean> {
  try {
    await fs.link(temp, to);
    return true;
  } catch (err) {
    if (hasErrno(err, "EEXIST")) return false;
    if (!hasErrno(err, "EPERM") && !hasErrno(err, "ENOTSUP") && !hasErrno(err, "EOPNOTSUPP")) {
      throw err;
    }
  }
  if (await exists(to)) return false;
  await fs.rename(temp, to);
  return true;
}

async function exists(path: string): Promise<boolean> {
  try {
    await fs.lstat(path);
    return true;
  } catch (err) {
    if (hasErrno(err, "ENOENT")) return false;
    throw ioError(err, `Cannot inspect ${path}`);
  }
}

async function sameContent(a: string, b: string): Promise<boolean> {
  try {
    const [x, y] = await Promise.all([fs.readFile(a), fs.readFile(b)]);
    return x.equals(y);
  } catch (err) {
    throw ioError(err, `Cannot compare ${a} with ${b}`);
  }
}

async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await fs.open(dir, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (err) {
    throw ioError(err, `Cannot sync directory ${dir}`);
  }
}
