// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Small helpers shared by the FS platform files.

import { AosError, hasErrno } from "./errors.ts";
import { execCommand } from "./exec.ts";

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
 * a failing one is `failed`, with the tool's exit code and output.
 */
export async function runTool(
  file: string,
  args: string[],
  messages: ToolMessages,
): Promise<string> {
  try {
    return await execCommand([file, ...args]);
  } catch (err) {
    if (hasErrno(err, "ENOENT")) {
      throw new AosError("notSupported", messages.missing, { cause: err });
    }
    throw AosError.wrap(err, "failed", messages.failed);
  }
}
