// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Small real file systems for tests that need exact numbers: a tmpfs of a
// fixed size, mounted by the test and removed afterwards. Needs root.
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";

/** Runs a program; resolves with stdout, rejects with its stderr. */
export function run(file: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { encoding: "utf8" }, (err, stdout, stderr) => {
      if (err === null) resolve(stdout);
      else reject(new Error(`${file} ${args.join(" ")}: ${stderr.trim() || err.message}`));
    });
  });
}

/** A mounted tmpfs; unmounted and removed on dispose. */
export interface Tmpfs extends AsyncDisposable {
  readonly path: string;
}

/**
 * Mounts a tmpfs of `size` bytes on a fresh temp directory.
 *
 * @param size Bytes (a multiple of the page size gives exact numbers).
 * @param options Extra mount options, e.g. `ro`.
 */
export async function mountTmpfs(size: number, options: string[] = []): Promise<Tmpfs> {
  const path = await mkdtemp(join(tmpdir(), "tmpfs-"));
  try {
    await run("mount", [
      "-t",
      "tmpfs",
      "-o",
      ["size=" + size, ...options].join(","),
      "tmpfs",
      path,
    ]);
  } catch (err) {
    await rm(path, { recursive: true, force: true });
    throw err;
  }
  return {
    path,
    async [Symbol.asyncDispose]() {
      await run("umount", [path]);
      await rm(path, { recursive: true, force: true });
    },
  };
}

let probe: Promise<string | undefined> | undefined;

/** Why a tmpfs cannot be mounted here, or `undefined` when it can. */
export function tmpfsUnavailable(): Promise<string | undefined> {
  return probe ??= (async () => {
    if (process.getuid?.() !== 0) return "mounting a tmpfs needs root";
    try {
      await using _fs = await mountTmpfs(64 * 1024);
      return undefined;
    } catch (err) {
      return `cannot mount a tmpfs: ${(err as Error).message}`;
    }
  })();
}
