// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Recursive ownership change that never follows symlinks.
 *
 * @module
 */

import { lchown, lstat, opendir } from "node:fs/promises";
import { join } from "node:path";
import { AosError } from "./errors.ts";
import { checkId } from "./_fs_helpers.ts";

/**
 * Changes the owner and group of `path` and, unless it is a regular file, of
 * every entry below it. Symlinks themselves are changed, never their targets
 * (`lchown`), and symlinked directories are not entered; a symlink given as
 * `path` changes only the link.
 *
 * Needs root (or `CAP_CHOWN`) for any uid other than the caller's own.
 *
 * @example
 * ```ts
 * import { changeOwner } from "@aoscore/common/utils";
 * import { mkdtemp, rm } from "node:fs/promises";
 * import { join } from "node:path";
 * import { tmpdir } from "node:os";
 * import process from "node:process";
 *
 * const dir = await mkdtemp(join(tmpdir(), "owner-"));
 * await changeOwner(dir, process.getuid!(), process.getgid!());
 * await rm(dir, { recursive: true });
 * ```
 *
 * @param path The file or directory.
 * @param uid New owner.
 * @param gid New group.
 * @throws {AosError} `runtime` "can't change file owner" with the `errno`
 * (`EPERM`, `ENOENT`, `EROFS`...) of the first failure; `invalidArgument` for
 * an id that is not a 32-bit unsigned integer.
 */
export async function changeOwner(path: string, uid: number, gid: number): Promise<void> {
  checkId(uid, "uid", "change file owner");
  checkId(gid, "gid", "change file owner");
  await chownOne(path, uid, gid);
  let isDir: boolean;
  try {
    isDir = (await lstat(path)).isDirectory();
  } catch (err) {
    throw failure(err, path);
  }
  if (isDir) await chownTree(path, uid, gid);
}

function failure(err: unknown, path: string): AosError {
  return AosError.wrap(err, "runtime", `can't change file owner of "${path}"`);
}

async function chownOne(path: string, uid: number, gid: number): Promise<void> {
  try {
    await lchown(path, uid, gid);
  } catch (err) {
    throw failure(err, path);
  }
}

async function chownTree(dir: string, uid: number, gid: number): Promise<void> {
  const subdirs: string[] = [];
  try {
    for await (const entry of await opendir(dir)) {
      const path = join(dir, entry.name);
      await chownOne(path, uid, gid);
      if (entry.isDirectory()) subdirs.push(path);
    }
  } catch (err) {
    throw err instanceof AosError ? err : failure(err, dir);
  }
  for (const sub of subdirs) await chownTree(sub, uid, gid);
}
