// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Small helpers shared by the FS platform files.

import { execFile } from "node:child_process";
import { AosError } from "./errors.ts";

/** Validates a uid or gid (what `lchown` and `setquota` accept). */
export function checkId(id: number, name: string, action: string): void {
  if (!Number.isInteger(id) || id < 0 || id > 0xffffffff) {
    throw new AosError(
      "invalidArgument",
      `Cannot ${action}: ${name} must be a 32-bit id, got ${id}`,
    );
  }
}

/** Messages of {@linkcode runTool} failures. */
export interface ToolMessages {
  /** Context of the `notSupported` error when the program does not exist. */
  missing: string;
  /** Context of the `failed` error when it exits with an error. */
  failed: string;
}

/**
 * Runs a system tool without a shell. A missing program is `notSupported`;
 * a failing one is `failed` with what it printed on stderr.
 */
export function runTool(file: string, args: string[], messages: ToolMessages): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { encoding: "utf8" }, (err, stdout, stderr) => {
      if (err === null) return resolve(stdout);
      if ((err as { code?: unknown }).code === "ENOENT") {
        return reject(new AosError("notSupported", messages.missing, { cause: err }));
      }
      const text = stderr.trim();
      const code = (err as { code?: unknown }).code;
      reject(
        text === ""
          ? AosError.wrap(err, "failed", messages.failed)
          // The tool's own words say more than "Command failed: <argv>".
          : new AosError("failed", `${messages.failed}: ${text} (exit code ${String(code)})`),
      );
    });
  });
}
