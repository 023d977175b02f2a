// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Test namespaces and the kernel's own view of them. Every privileged test
// makes its namespaces with `ip netns add` and deletes them in a finally, and
// judges the result by what `ip -j`, `tc -j` and `nft -j` print inside them:
// the host's own namespace is never touched.

import { InterfaceManager } from "../../network/interface_manager.ts";
import { probeNetworkFeatures } from "../../network/probe.ts";
import type { NetworkFeatures } from "../../network/probe.ts";

function privilegeProblem(): string | undefined {
  if (Deno.build.os !== "linux") return "needs Linux";
  if (Deno.permissions.querySync({ name: "ffi" }).state !== "granted") return "needs --allow-ffi";
  if (Deno.permissions.querySync({ name: "run" }).state !== "granted") return "needs --allow-run";
  if (Deno.uid() !== 0) return `needs root (uid ${Deno.uid()})`;
  try {
    new Deno.Command("ip", { args: ["-V"], stdout: "null", stderr: "null" }).outputSync();
  } catch {
    return "needs iproute2 (ip)";
  }
  return undefined;
}

const problem = privilegeProblem();

/** Whether the privileged network tests run here. */
export const privileged: boolean = problem === undefined;

/**
 * Says once per file why its privileged tests are ignored.
 *
 * @param file The test file's name.
 */
export function reportIgnored(file: string): void {
  // deno-lint-ignore no-console
  if (!privileged) console.warn(`${file}: privileged cases ignored: ${problem}`);
}

let features: NetworkFeatures | undefined;

/** The kernel's features, probed once (only when privileged). */
export async function kernelFeatures(): Promise<NetworkFeatures> {
  return features ??= await probeNetworkFeatures();
}

let counter = 0;

/** A namespace made by `ip netns add` for one test. */
export interface TestNamespace {
  /** Its name under /run/netns. */
  name: string;
  /** Its file. */
  path: string;
}

/**
 * Runs `fn` with `count` fresh namespaces, deleted afterwards even when `fn`
 * fails.
 */
export async function withNamespaces(
  count: number,
  fn: (...namespaces: TestNamespace[]) => Promise<void>,
): Promise<void> {
  const made: TestNamespace[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const name = `aosnt-${Deno.pid}-${++counter}`;
      await sh("ip", "netns", "add", name);
      made.push({ name, path: `/run/netns/${name}` });
    }
    await fn(...made);
  } finally {
    for (const ns of made) await sh("ip", "netns", "delete", ns.name).catch(() => {});
  }
}

/** Runs a command and returns its stdout; rejects with its stderr on failure. */
export async function sh(cmd: string, ...args: string[]): Promise<string> {
  const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
  const text = new TextDecoder().decode(out.stdout);
  if (!out.success) {
    throw new Error(`${cmd} ${args.join(" ")}: ${new TextDecoder().decode(out.stderr).trim()}`);
  }
  return text;
}

/** Runs a command inside a namespace. */
export function nsh(ns: TestNamespace, cmd: string, ...args: string[]): Promise<string> {
  return sh("ip", "netns", "exec", ns.name, cmd, ...args);
}

/** What `ip -j <args>` prints inside a namespace, parsed. */
export async function ipJson<T = Record<string, unknown>[]>(
  ns: TestNamespace,
  ...args: string[]
): Promise<T> {
  const text = await sh("ip", "-n", ns.name, "-j", ...args);
  return JSON.parse(text.trim() === "" ? "[]" : text) as T;
}

/** One link of `ip -j -d link show`. */
export interface IpLink {
  ifname: string;
  flags: string[];
  master?: string;
  // iproute2's field names.
  linkinfo?: {
    // deno-lint-ignore camelcase
    info_kind?: string;
    // deno-lint-ignore camelcase
    info_slave_kind?: string;
    // deno-lint-ignore camelcase
    info_slave_data?: Record<string, unknown>;
  };
  address?: string;
}

/** The links of a namespace by name, as `ip -j -d link` shows them. */
export async function links(ns: TestNamespace): Promise<Map<string, IpLink>> {
  const list = await ipJson<IpLink[]>(ns, "-d", "link", "show");
  return new Map(list.map((l) => [l.ifname, l]));
}

/** The qdiscs of a namespace, as `tc -j qdisc` shows them. */
export async function qdiscs(
  ns: TestNamespace,
): Promise<
  {
    kind: string;
    handle: string;
    dev: string;
    root?: boolean;
    parent?: string;
    options?: Record<string, unknown>;
  }[]
> {
  return JSON.parse(await sh("tc", "-n", ns.name, "-j", "qdisc", "show"));
}

/** The ruleset of a namespace, as `nft -j list ruleset` shows it. */
export async function nftRuleset(ns: TestNamespace): Promise<Record<string, unknown>[]> {
  const parsed = JSON.parse(await nsh(ns, "nft", "-j", "list", "ruleset")) as {
    nftables: Record<string, unknown>[];
  };
  return parsed.nftables.filter((item) => !("metainfo" in item));
}

const PEER = new URL("./_tcp_peer.ts", import.meta.url).pathname;

/** A TCP peer running inside a namespace (see _tcp_peer.ts). */
export class Peer {
  readonly #child: Deno.ChildProcess;
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  #buffered = "";

  private constructor(child: Deno.ChildProcess) {
    this.#child = child;
    this.#reader = child.stdout.getReader();
  }

  /** Starts `_tcp_peer.ts <mode> ...` inside `ns`. */
  static start(ns: TestNamespace, mode: string, ...args: (string | number)[]): Peer {
    const child = new Deno.Command("ip", {
      args: [
        "netns",
        "exec",
        ns.name,
        Deno.execPath(),
        "run",
        "--quiet",
        "--no-config",
        "--no-lock",
        "--allow-net",
        PEER,
        mode,
        ...args.map(String),
      ],
      stdout: "piped",
      stderr: "inherit",
      stdin: "null",
    }).spawn();
    return new Peer(child);
  }

  /** Runs a client to its end and returns its report. */
  static async run(
    ns: TestNamespace,
    mode: string,
    ...args: (string | number)[]
  ): Promise<Record<string, unknown>> {
    const peer = Peer.start(ns, mode, ...args);
    return await peer.result();
  }

  /** Starts a server and waits until it listens. */
  static async serve(ns: TestNamespace, mode: string, ...args: (string | number)[]): Promise<Peer> {
    const peer = Peer.start(ns, mode, ...args);
    const first = await peer.#line();
    if (first.ready !== true) {
      await peer.result();
      throw new Error(`peer did not start: ${JSON.stringify(first)}`);
    }
    return peer;
  }

  /** The final report; waits for the process to end. */
  async result(): Promise<Record<string, unknown>> {
    const report = await this.#line();
    this.#reader.releaseLock();
    await this.#child.stdout.cancel();
    await this.#child.status;
    return report;
  }

  /** Ends the peer (a server whose client never came). */
  async kill(): Promise<void> {
    try {
      this.#child.kill("SIGKILL");
    } catch {
      // already gone
    }
    this.#reader.releaseLock();
    await this.#child.stdout.cancel();
    await this.#child.status;
  }

  async #line(): Promise<Record<string, unknown>> {
    for (;;) {
      const newline = this.#buffered.indexOf("\n");
      if (newline >= 0) {
        const line = this.#buffered.slice(0, newline);
        this.#buffered = this.#buffered.slice(newline + 1);
        return JSON.parse(line);
      }
      const { value, done } = await this.#reader.read();
      if (done) return { error: "peer ended without a report" };
      this.#buffered += new TextDecoder().decode(value);
    }
  }
}

/**
 * AosCore's instance network in three namespaces: `host` with the bridge
 * `br-aos` (172.30.0.1/16) and an uplink `up0` (198.51.100.1/24, forwarding
 * on); `inst` with `eth0` (172.30.0.2/16, default route through the bridge);
 * `out`, the world, with `up1` (198.51.100.2/24) and, when `routeBack`, a
 * route to the instance network through the host.
 */
export async function instanceTopology(
  host: TestNamespace,
  inst: TestNamespace,
  out: TestNamespace,
  options: { routeBack: boolean },
): Promise<void> {
  using m = new InterfaceManager({ netnsPath: host.path });
  await m.createBridge("br-aos", "172.30.0.1", "172.30.0.0/16");
  await m.createVethToNamespace("vh-inst", "eth0", inst.path, "br-aos");
  await m.configureInstanceInterface("eth0", "172.30.0.2/16", "172.30.0.1", inst.path);
  await m.createVethToNamespace("up0", "up1", out.path);
  await m.addAddress("up0", "198.51.100.1/24");
  await m.configureInstanceInterface("up1", "198.51.100.2/24", "198.51.100.1", out.path);
  if (!options.routeBack) {
    // The world knows no way back to the instance network: only masquerading gets answers home.
    await sh("ip", "-n", out.name, "route", "del", "default");
  }
  await nsh(host, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
}

/** Whether a TCP connection from `from` to `to`'s `host:port` gets through; the server reports the peer it saw. */
export async function connects(
  from: TestNamespace,
  to: TestNamespace,
  host: string,
  port: number,
): Promise<{ ok: boolean; peer?: string }> {
  const server = await Peer.serve(to, "serve", host, port);
  const client = await Peer.run(from, "echo", host, port, "ping", 1500);
  if (client.reply !== "ping") {
    await server.kill();
    return { ok: false };
  }
  const served = await server.result();
  return { ok: true, peer: served.peer as string };
}
