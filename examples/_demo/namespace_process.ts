// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Starts processes inside a network namespace with `ip netns exec` (Deno
 * only, `--allow-run=ip`): `sysctl` settings and the TCP peers of
 * `net_peer.ts`, whose JSON lines it reads back.
 *
 * @module
 */

const PEER_SCRIPT = new URL("./net_peer.ts", import.meta.url).pathname;

/** A peer running in a namespace. */
export class NamespacePeer implements AsyncDisposable {
  readonly #child: Deno.ChildProcess;
  readonly #lines: ReadableStreamDefaultReader<string>;

  private constructor(child: Deno.ChildProcess) {
    this.#child = child;
    this.#lines = child.stdout
      .pipeThrough(new TextDecoderStream())
      .pipeThrough(lineSplitter())
      .getReader();
  }

  /**
   * Starts `net_peer.ts` with `args` in namespace `ns`: the script with
   * `deno run` (allowed to reach only the address it is given), or the
   * compiled demo itself with `--net-peer`.
   */
  static start(ns: string, args: readonly (string | number)[]): NamespacePeer {
    const host = String(args[1]);
    const runtime = Deno.build.standalone ? [Deno.execPath(), "--net-peer"] : [
      Deno.execPath(),
      "run",
      "--quiet",
      "--no-config",
      "--no-lock",
      `--allow-net=${host}`,
      PEER_SCRIPT,
    ];
    const child = new Deno.Command("ip", {
      args: ["netns", "exec", ns, ...runtime, ...args.map(String)],
      stdin: "null",
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    return new NamespacePeer(child);
  }

  /** The next JSON line the peer prints; `{ error }` when it ended first. */
  async next(): Promise<Record<string, unknown>> {
    const { value, done } = await this.#lines.read();
    return done ? { error: "the peer ended without a report" } : JSON.parse(value);
  }

  /** Ends the peer (if it still runs) and waits for it. */
  async [Symbol.asyncDispose](): Promise<void> {
    try {
      this.#child.kill("SIGKILL");
    } catch {
      // It ended already.
    }
    await this.#lines.cancel();
    await this.#child.status;
  }
}

/**
 * Runs a command inside namespace `ns` and waits for it.
 *
 * @throws {Error} With the command's stderr when it fails.
 */
export async function execIn(ns: string, ...command: string[]): Promise<void> {
  const out = await new Deno.Command("ip", { args: ["netns", "exec", ns, ...command] }).output();
  if (!out.success) {
    throw new Error(`${command.join(" ")}: ${new TextDecoder().decode(out.stderr).trim()}`);
  }
}

function lineSplitter(): TransformStream<string, string> {
  let pending = "";
  return new TransformStream({
    transform(chunk, controller) {
      const lines = (pending + chunk).split("\n");
      pending = lines.pop()!;
      for (const line of lines) if (line !== "") controller.enqueue(line);
    },
  });
}
