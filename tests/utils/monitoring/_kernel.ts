// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The kernel's own figures, read with `cat` and `getconf` (independently of
// the code under test), and a CPU-burning child process.
import { type ChildProcess, spawn } from "node:child_process";
import { run } from "../../_helpers/tmpfs.ts";

/** A kernel file's text, read by `cat`. */
export function cat(path: string): Promise<string> {
  return run("cat", [path]);
}

/** A `/proc/meminfo` field in bytes. */
export async function meminfo(field: string): Promise<number> {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, "m").exec(await cat("/proc/meminfo"));
  if (match === null) throw new Error(`no ${field} in /proc/meminfo`);
  return Number(match[1]) * 1024;
}

/** Online CPUs and clock ticks per second. */
export async function cpuFacts(): Promise<{ cpus: number; ticksPerSecond: number }> {
  const [cpus, ticks] = await Promise.all([
    run("getconf", ["_NPROCESSORS_ONLN"]),
    run("getconf", ["CLK_TCK"]),
  ]);
  return { cpus: Number(cpus), ticksPerSecond: Number(ticks) };
}

/** CPU time a process has used, in clock ticks (utime + stime of /proc/PID/stat). */
export async function processTicks(pid: number): Promise<number> {
  const stat = await cat(`/proc/${pid}/stat`);
  // The command name may hold spaces: fields are counted after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(fields[11]) + Number(fields[12]);
}

/** A shell that spins until killed, optionally moved into a cgroup first. */
export class Burner implements AsyncDisposable {
  readonly child: ChildProcess;
  readonly #exited: Promise<void>;

  constructor(cgroupDir?: string) {
    const enter = cgroupDir === undefined ? "" : `echo $$ > '${cgroupDir}/cgroup.procs' && `;
    this.child = spawn("sh", ["-c", `${enter}while :; do :; done`], { stdio: "ignore" });
    this.#exited = new Promise((resolve) => this.child.once("exit", () => resolve()));
  }

  get pid(): number {
    return this.child.pid!;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.child.kill("SIGKILL");
    await this.#exited;
  }
}
