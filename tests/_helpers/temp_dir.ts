// Copyright 2026 the aos-common authors. Apache-2.0 license.
// A temporary directory for one test, removed afterwards whatever happens.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "aos-test-"));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A temporary directory that `await using` removes. */
export interface TempDir extends AsyncDisposable {
  /** Its path. */
  path: string;
  /**
   * A path inside it.
   *
   * @param name The file name.
   * @returns The joined path.
   */
  join(name: string): string;
}

/**
 * Creates a temporary directory for `await using`.
 *
 * @returns The directory.
 */
export async function tempDir(): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir(), "aos-test-"));
  return {
    path,
    join: (name) => join(path, name),
    [Symbol.asyncDispose]: () => rm(path, { recursive: true, force: true }),
  };
}
