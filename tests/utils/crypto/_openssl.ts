// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Runs the openssl command on files written to a scratch directory.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Runs `openssl ...args` in a fresh directory holding `files`.
 *
 * @returns Its stdout and stderr together (openssl reports "verify OK" on stderr).
 */
export function openssl(files: Record<string, string>, ...args: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), "aos-openssl-"));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return execFileSync("sh", ["-c", 'openssl "$@" 2>&1', "sh", ...args], {
      cwd: dir,
      encoding: "utf8",
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
