// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Runs external programs as AosCore does: output captured, exit code
 * checked, and `NOTIFY_SOCKET` removed from the child's environment (so a
 * child never talks to systemd in the caller's name).
 *
 * Output is read while the child runs, so a chatty child never blocks on a
 * full pipe. Once the child has exited, only what is already on its way is
 * read (for a short grace period): a daemon the child started may keep the
 * pipe open forever, and that must not hang the caller.
 *
 * Beyond AosCore: a timeout and an `AbortSignal`, both of which kill the
 * child with `SIGKILL`, and extra environment variables and a working
 * directory. Needs `--allow-run` (and `--allow-env`) on Deno.
 *
 * @module
 */

import { type ChildProcess, spawn } from "node:child_process";
import process from "node:process";
import { setImmediate } from "node:timers";
import type { Readable } from "node:stream";
import { canceledError } from "./abort.ts";
import { concatBytes } from "./_bytes.ts";
import { AosError, type AosErrorOptions } from "./errors.ts";

/** How long to keep reading the pipes after the child exited. */
const DRAIN_GRACE_MS = 20;
/** How much of the output goes into an error message. */
const MESSAGE_OUTPUT_CHARS = 128;

/** Options of {@linkcode execCommand} and {@linkcode execDetachedCommand}. */
export interface ExecOptions {
  /**
   * The exit codes that count as success.
   *
   * @default {[0]}
   */
  expectedExitCodes?: readonly number[];
  /** Kills the child and rejects with `canceled`. */
  signal?: AbortSignal;
  /**
   * Kills the child and rejects with `timeout` after this many milliseconds; 0 for none.
   *
   * @default {0}
   */
  timeoutMs?: number;
  /** Variables added to (or replacing those of) the current environment. */
  env?: Record<string, string>;
  /**
   * The child's working directory.
   *
   * @default {the current directory}
   */
  cwd?: string;
}

/** Options of the {@linkcode ExecError} constructor. */
export interface ExecErrorOptions extends AosErrorOptions {
  /** The command and its arguments. */
  command: readonly string[];
  /** The exit code, -1 when a signal ended the child. */
  exitCode: number;
  /** The captured output (stdout and stderr in arrival order). */
  output: string;
}

/**
 * A command that ended with an unexpected exit code. Its message is
 * AosCore's: `exit=<code>`, then the start of the output.
 *
 * @example
 * ```ts
 * import { ExecError, execCommand } from "@aoscore/common/utils";
 * import assert from "node:assert/strict";
 *
 * const err = await execCommand(["sh", "-c", "echo disk full >&2; exit 2"]).catch((e) => e);
 * assert.ok(err instanceof ExecError);
 * assert.equal(err.exitCode, 2);
 * assert.equal(err.output, "disk full\n");
 * assert.equal(err.message, "exit=2: disk full\n");
 * assert.equal(err.kind, "runtime");
 * ```
 */
export class ExecError extends AosError {
  /** Always `"ExecError"`. */
  override name = "ExecError";
  /** The command and its arguments. */
  readonly command: readonly string[];
  /** The exit code, -1 when a signal ended the child. */
  readonly exitCode: number;
  /** The whole captured output. */
  readonly output: string;

  /**
   * Creates the error.
   *
   * @param options The command, exit code and output.
   */
  constructor(options: ExecErrorOptions) {
    const { command, exitCode, output, ...rest } = options;
    const shown = output.length > MESSAGE_OUTPUT_CHARS
      ? `${output.slice(0, MESSAGE_OUTPUT_CHARS)}...`
      : output;
    super("runtime", output === "" ? `exit=${exitCode}` : `exit=${exitCode}: ${shown}`, rest);
    this.command = command;
    this.exitCode = exitCode;
    this.output = output;
  }
}

/**
 * Runs a command and returns its output: stdout and stderr together, in the
 * order they arrived.
 *
 * @example
 * ```ts
 * import { ExecError, execCommand } from "@aoscore/common/utils";
 * import assert from "node:assert/strict";
 *
 * assert.equal(await execCommand(["echo", "hello"]), "hello\n");
 * await assert.rejects(
 *   execCommand(["sh", "-c", "echo oops; exit 3"]),
 *   (err) => err instanceof ExecError && err.exitCode === 3 && err.message === "exit=3: oops\n",
 * );
 * ```
 *
 * @param args The program (looked up in `PATH`) and its arguments.
 * @param options Expected exit codes, timeout, abort signal, environment, directory.
 * @returns The output.
 * @throws {ExecError} For an exit code outside `expectedExitCodes`.
 * @throws {AosError} `invalidArgument` for empty `args`; `runtime` when the program cannot be
 *   started; `timeout`; `canceled`.
 */
export async function execCommand(
  args: readonly string[],
  options: ExecOptions = {},
): Promise<string> {
  const chunks: Uint8Array[] = [];
  const child = start(args, options, "pipe");
  const collect = (chunk: Uint8Array) => void chunks.push(chunk);
  child.stdout!.on("data", collect);
  child.stderr!.on("data", collect);
  let exitCode: number;
  try {
    exitCode = await waitForExit(child, args, options);
  } finally {
    await drain([child.stdout!, child.stderr!]);
  }
  const output = new TextDecoder().decode(concatBytes(chunks));
  check(args, options, exitCode, output);
  return output;
}

/**
 * Runs a command whose output goes to this process's stdout and stderr.
 *
 * @example
 * ```ts
 * import { ExecError, execDetachedCommand } from "@aoscore/common/utils";
 * import assert from "node:assert/strict";
 *
 * // The output goes to this process's stdout; only the exit code comes back.
 * await execDetachedCommand(["true"]);
 * await assert.rejects(execDetachedCommand(["false"]), (err) =>
 *   err instanceof ExecError && err.exitCode === 1);
 * ```
 *
 * @param args The program (looked up in `PATH`) and its arguments.
 * @param options Expected exit codes, timeout, abort signal, environment, directory.
 * @throws {ExecError} For an exit code outside `expectedExitCodes` (with empty output).
 * @throws {AosError} As {@linkcode execCommand} does.
 */
export async function execDetachedCommand(
  args: readonly string[],
  options: ExecOptions = {},
): Promise<void> {
  const child = start(args, options, "inherit");
  check(args, options, await waitForExit(child, args, options), "");
}

function start(
  args: readonly string[],
  options: ExecOptions,
  output: "pipe" | "inherit",
): ChildProcess {
  if (args.length === 0) {
    throw new AosError("invalidArgument", "exec command requires at least one argument");
  }
  const { timeoutMs = 0 } = options;
  if (!Number.isFinite(timeoutMs) || timeoutMs < 0) {
    throw new AosError("invalidArgument", `Cannot run "${args[0]}": invalid timeout ${timeoutMs}`);
  }
  if (options.signal?.aborted) throw canceledError(options.signal);
  try {
    const env: Record<string, string | undefined> = { ...process.env, ...options.env };
    delete env.NOTIFY_SOCKET;
    return spawn(args[0]!, args.slice(1), {
      stdio: ["ignore", output, output],
      env,
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    });
  } catch (err) {
    throw AosError.wrap(err, "runtime", `can't spawn process "${args[0]}"`);
  }
}

/** Resolves with the exit code (-1 for a signal), killing the child on timeout or abort. */
function waitForExit(
  child: ChildProcess,
  args: readonly string[],
  options: ExecOptions,
): Promise<number> {
  const { signal, timeoutMs = 0 } = options;
  return new Promise<number>((resolve, reject) => {
    let failure: AosError | undefined;
    const kill = (err: AosError) => {
      failure ??= err;
      child.kill("SIGKILL");
    };
    const onAbort = () => kill(canceledError(signal!, `command "${args[0]}" canceled`));
    const timer = timeoutMs > 0
      ? setTimeout(
        () => kill(new AosError("timeout", `command "${args[0]}" timed out after ${timeoutMs} ms`)),
        timeoutMs,
      )
      : undefined;
    signal?.addEventListener("abort", onAbort, { once: true });
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    };
    child.once("error", (err) => {
      done();
      reject(AosError.wrap(err, "runtime", `can't spawn process "${args[0]}"`));
    });
    child.once("exit", (code) => {
      done();
      if (failure !== undefined) reject(failure);
      else resolve(code ?? -1);
    });
  });
}

/** Waits for the pipes to end, at most a short grace period, then closes them. */
async function drain(streams: Readable[]): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Resolving from setImmediate lets one more I/O poll read what the kernel
  // already holds, even when the timer fires late on a loaded machine.
  const grace = new Promise<void>((resolve) => {
    timer = setTimeout(() => setImmediate(resolve), DRAIN_GRACE_MS);
  });
  const ended = streams.map((stream) =>
    stream.readableEnded || stream.destroyed ? Promise.resolve() : new Promise<void>((resolve) => {
      stream.once("end", resolve);
      stream.once("close", resolve);
    })
  );
  await Promise.race([Promise.all(ended), grace]);
  clearTimeout(timer);
  for (const stream of streams) stream.destroy();
}

function check(
  args: readonly string[],
  options: ExecOptions,
  exitCode: number,
  output: string,
): void {
  const expected = options.expectedExitCodes ?? [0];
  if (!expected.includes(exitCode)) throw new ExecError({ command: args, exitCode, output });
}
