// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Starts a TypeScript file in a child process of the runtime running the
// tests: `deno run` with the given permissions under Deno, plain `node`
// (which strips the types) under Node.
import { type ChildProcess, spawn } from "node:child_process";
import process from "node:process";

/**
 * Spawns `script` with `args` under the current runtime, stdin closed,
 * stdout and stderr piped.
 *
 * @param script Absolute path of the TypeScript file.
 * @param args Arguments after the script.
 * @param denoPermissions Flags for `deno run`, such as `--allow-read`.
 */
export function spawnScript(
  script: string,
  args: readonly string[],
  denoPermissions: readonly string[],
): ChildProcess {
  const argv = process.versions.deno === undefined
    ? ["--no-warnings", script, ...args]
    : ["run", "--quiet", ...denoPermissions, script, ...args];
  return spawn(process.execPath, argv, { stdio: ["ignore", "pipe", "pipe"] });
}

/** How a child ended, and what it printed. */
export interface ChildResult {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

/**
 * Collects a child's output until it exits.
 *
 * @param child The child process.
 * @param onLine Called with every complete line of stdout as it arrives.
 */
export function childDone(
  child: ChildProcess,
  onLine?: (line: string) => void,
): Promise<ChildResult> {
  let stdout = "";
  let stderr = "";
  let pending = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
    pending += chunk;
    let nl: number;
    while ((nl = pending.indexOf("\n")) >= 0) {
      onLine?.(pending.slice(0, nl));
      pending = pending.slice(nl + 1);
    }
  });
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
