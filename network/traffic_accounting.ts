// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Traffic counters per instance and for the system, in their own firewall
 * table: AosCore's traffic monitor.
 *
 * @module
 */

import { invalidArgument, NetworkError } from "./errors.ts";
import { SerialQueue } from "./_settle.ts";
import type { FirewallBackend, FirewallTransaction, FWRule } from "./firewall_types.ts";
import { DEFAULT_SUBNET_POOLS, parseIp } from "./ip.ts";

/**
 * The networks whose traffic is not counted: the remote side of a counted
 * packet must be outside all of them.
 */
export const LOCAL_NETWORKS: readonly string[] = Object.freeze([
  "127.0.0.0/8",
  "10.0.0.0/8",
  "192.168.0.0/16",
  "172.16.0.0/12",
  ...DEFAULT_SUBNET_POOLS,
]);

/** Bytes counted in each direction. */
export interface TrafficCounters {
  /** Bytes received (into the instance, or into the host for the system). */
  inputBytes: bigint;
  /** Bytes sent. */
  outputBytes: bigint;
}

/** Options of {@linkcode TrafficAccounting}. */
export interface TrafficAccountingOptions {
  /**
   * The table that holds the counters.
   *
   * @default {"aos-traffic"}
   */
  table?: string;
  /**
   * The networks not counted.
   *
   * @default {LOCAL_NETWORKS}
   */
  localNetworks?: readonly string[];
}

const SYSTEM_IN = "in_system";
const SYSTEM_OUT = "out_system";

/**
 * AosCore's traffic accounting (table `inet aos-traffic`): base chains
 * `input`, `output` and `forward` (filter, priority 0, policy accept) that
 * only count, never decide. The host's own traffic is counted in `in_system`
 * and `out_system`; each instance's in `in_<id>` and `out_<id>`, jumped to
 * from `forward` by the instance's address. Each counting chain first returns
 * for traffic with local networks, then counts the rest. A disabled instance
 * (over its limit) has a single `drop` in each of its chains instead.
 *
 * @example Count an instance's traffic (needs root: covered by tests/network/traffic_accounting_test.ts)
 * ```ts ignore
 * import { NftablesBackend, TrafficAccounting } from "@aoscore/common/network";
 *
 * await using nft = new NftablesBackend();
 * const accounting = new TrafficAccounting(nft);
 * await accounting.start();
 * await accounting.addInstance("instance-1", "172.17.0.2");
 * console.log(await accounting.getInstanceTraffic("instance-1"));
 * ```
 */
export class TrafficAccounting {
  readonly #backend: FirewallBackend;
  readonly #table: string;
  readonly #local: readonly string[];
  readonly #instances = new Map<string, string>();
  readonly #queue = new SerialQueue();

  /**
   * Creates the accounting over a backend. Nothing changes until {@linkcode TrafficAccounting.start}.
   *
   * @param backend The backend.
   * @param options The table and the local networks.
   */
  constructor(backend: FirewallBackend, options: TrafficAccountingOptions = {}) {
    this.#backend = backend;
    this.#table = options.table ?? "aos-traffic";
    this.#local = options.localNetworks ?? LOCAL_NETWORKS;
  }

  /** Builds the table and the system chains (replacing what a previous run left). */
  start(): Promise<void> {
    return this.#serial(async () => {
      const table = this.#table;
      const txn = this.#backend.newTxn();
      if ((await this.#backend.listChains(table)).length > 0) txn.deleteTable(table);
      txn.addTable(table);
      for (const hook of ["input", "output", "forward"] as const) {
        txn.addBaseChain({
          table,
          name: hook,
          type: "filter",
          hook,
          priority: 0,
          policy: "accept",
        });
      }
      txn.addChain(table, SYSTEM_IN);
      txn.addChain(table, SYSTEM_OUT);
      txn.addRule(table, "input", { action: "jump", jumpTarget: SYSTEM_IN });
      txn.addRule(table, "output", { action: "jump", jumpTarget: SYSTEM_OUT });
      this.#countingRules(txn, SYSTEM_IN, "in", undefined);
      this.#countingRules(txn, SYSTEM_OUT, "out", undefined);
      await txn.commit();
      this.#instances.clear();
    });
  }

  /** Deletes the table. */
  stop(): Promise<void> {
    return this.#serial(async () => {
      if ((await this.#backend.listChains(this.#table)).length === 0) return;
      const txn = this.#backend.newTxn();
      txn.deleteTable(this.#table);
      await txn.commit();
      this.#instances.clear();
    });
  }

  /**
   * Starts counting an instance's traffic.
   *
   * @param instanceId The instance ID (sanitised into the chain names as for the firewall).
   * @param ip The instance's address.
   * @throws {NetworkError} `invalidArgument` for a bad address.
   */
  addInstance(instanceId: string, ip: string): Promise<void> {
    return this.#serial(async () => {
      const context = { operation: "addInstance", interface: instanceId };
      try {
        parseIp(ip);
      } catch (err) {
        throw invalidArgument(context, `bad instance IP "${ip}": ${(err as Error).message}`);
      }
      const table = this.#table;
      const [inChain, outChain] = chainsOf(instanceId);
      const txn = this.#backend.newTxn();
      await this.#stageRemoval(txn, instanceId);
      txn.addChain(table, inChain);
      txn.addChain(table, outChain);
      this.#countingRules(txn, inChain, "in", ip);
      this.#countingRules(txn, outChain, "out", ip);
      txn.addRule(table, "forward", { dstAddr: ip, action: "jump", jumpTarget: inChain });
      txn.addRule(table, "forward", { srcAddr: ip, action: "jump", jumpTarget: outChain });
      await txn.commit();
      this.#instances.set(instanceId, ip);
    });
  }

  /**
   * Stops counting an instance's traffic. An unknown instance is fine.
   *
   * @param instanceId The instance ID.
   */
  removeInstance(instanceId: string): Promise<void> {
    return this.#serial(async () => {
      const txn = this.#backend.newTxn();
      await this.#stageRemoval(txn, instanceId);
      await txn.commit();
      this.#instances.delete(instanceId);
    });
  }

  /**
   * Blocks (over its limit) or unblocks an instance's traffic. Blocking
   * replaces the counting rules with a `drop`, which resets the counters.
   *
   * @param instanceId The instance ID.
   * @param enabled Whether its traffic may pass.
   * @throws {NetworkError} `notFound` for an instance this object is not counting.
   */
  setInstanceTrafficEnabled(instanceId: string, enabled: boolean): Promise<void> {
    return this.#serial(async () => {
      const ip = this.#instances.get(instanceId);
      if (ip === undefined) {
        throw new NetworkError(
          "notFound",
          { operation: "setInstanceTrafficEnabled", interface: instanceId },
          "instance not counted",
        );
      }
      const [inChain, outChain] = chainsOf(instanceId);
      const txn = this.#backend.newTxn();
      for (const [chain, direction] of [[inChain, "in"], [outChain, "out"]] as const) {
        txn.flushChain(this.#table, chain);
        if (enabled) this.#countingRules(txn, chain, direction, ip);
        else txn.addRule(this.#table, chain, { action: "drop" });
      }
      await txn.commit();
    });
  }

  /**
   * The bytes an instance sent and received to and from outside the local networks.
   *
   * @param instanceId The instance ID.
   * @returns The counters (0 while the instance is disabled).
   * @throws {NetworkError} `notFound` for an instance without chains.
   */
  getInstanceTraffic(instanceId: string): Promise<TrafficCounters> {
    const [inChain, outChain] = chainsOf(instanceId);
    return this.#serial(() => this.#read(inChain, outChain));
  }

  /**
   * The bytes the host itself sent and received to and from outside the local networks.
   *
   * @returns The counters.
   */
  getSystemTraffic(): Promise<TrafficCounters> {
    return this.#serial(() => this.#read(SYSTEM_IN, SYSTEM_OUT));
  }

  async #read(inChain: string, outChain: string): Promise<TrafficCounters> {
    const bytes = async (chain: string) => {
      const rules = await this.#backend.listChainRules(this.#table, chain);
      // The counting rule is the last one; the local-network returns before it count nothing useful.
      const counting = rules.findLast((r) => r.rule.action === "return" && r.rule.counter);
      return counting?.bytes ?? 0n;
    };
    return { inputBytes: await bytes(inChain), outputBytes: await bytes(outChain) };
  }

  #countingRules(
    txn: FirewallTransaction,
    chain: string,
    direction: "in" | "out",
    ip: string | undefined,
  ): void {
    // The remote side: the source of what comes in, the destination of what goes out.
    const remote = direction === "in" ? "srcAddr" : "dstAddr";
    const own = direction === "in" ? "dstAddr" : "srcAddr";
    for (const network of this.#local) {
      txn.addRule(this.#table, chain, { [remote]: network, action: "return" } as FWRule);
    }
    const counting: FWRule = { counter: true, action: "return" };
    if (ip !== undefined) counting[own] = ip;
    txn.addRule(this.#table, chain, counting);
  }

  async #stageRemoval(txn: FirewallTransaction, instanceId: string): Promise<void> {
    const table = this.#table;
    const chains = chainsOf(instanceId);
    const existing = await this.#backend.listChains(table);
    const present = chains.filter((c) => existing.includes(c));
    if (present.length === 0) return;
    for (const r of await this.#backend.listChainRules(table, "forward")) {
      if (r.rule.action === "jump" && present.includes(r.rule.jumpTarget ?? "")) {
        txn.deleteRuleByHandle(table, "forward", r.handle);
      }
    }
    for (const chain of present) {
      txn.flushChain(table, chain);
      txn.deleteChain(table, chain);
    }
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    return this.#queue.run(fn);
  }
}

function chainsOf(instanceId: string): [string, string] {
  const id = instanceId.replace(/[^A-Za-z0-9_]/g, "_");
  return [`in_${id}`, `out_${id}`];
}
