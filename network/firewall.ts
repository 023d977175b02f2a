// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * AosCore's service-manager firewall: per-instance chains and NAT masquerade
 * over a transactional {@linkcode FirewallBackend}.
 *
 * @module
 */

import { invalidArgument, type NetworkErrorContext } from "./errors.ts";
import type {
  FirewallBackend,
  FirewallTransaction,
  FWListedRule,
  FWRule,
} from "./firewall_types.ts";
import { parseCidr, parseIp } from "./ip.ts";
import { errorIs } from "../utils/errors.ts";
import { SerialQueue } from "./_settle.ts";

/** A port an instance accepts connections on. */
export interface AllowedInput {
  /** The port, 1..65535, as a number or decimal text. */
  port: number | string;
  /** `"tcp"` (also when empty or omitted) or `"udp"`. */
  protocol?: string;
}

/** A destination an instance may connect to (AosCore's `FirewallRule`). */
export interface AllowedOutput {
  /** The destination address. */
  dstIp: string;
  /** The destination port, 1..65535, as a number or decimal text. */
  dstPort: number | string;
  /** `"tcp"` (also when empty or omitted) or `"udp"`. */
  proto?: string;
  /** Ignored: the source is always the instance's address. */
  srcIp?: string;
}

/** The firewall of one instance. */
export interface InstanceFirewall {
  /** The instance ID; its chain is `instance_<ID>` with every character outside `[A-Za-z0-9_]` turned into `_`. */
  instanceId: string;
  /** The instance's address. */
  ip: string;
  /** The instance's network; when given, traffic within it is allowed both ways. */
  subnet?: string;
  /** Ports the instance accepts connections on. */
  allowedInputs?: readonly AllowedInput[];
  /** Destinations the instance may connect to. */
  allowedOutputs?: readonly AllowedOutput[];
  /** Whether the instance may reach anything else. */
  allowPublicEgress?: boolean;
}

/** A masquerade of a network's traffic that leaves through any interface but its bridge. */
export interface Masquerade {
  /** The network, such as `"172.17.0.0/16"`. */
  subnet: string;
  /** The network's bridge. */
  bridge: string;
}

/** Options of {@linkcode Firewall}. */
export interface FirewallOptions {
  /**
   * The table that holds the ruleset.
   *
   * @default {"aos"}
   */
  table?: string;
}

/** Changes staged by {@linkcode Firewall.batch}, applied together. */
export interface FirewallBatch {
  /** Stages {@linkcode Firewall.addInstance}. */
  addInstance(params: InstanceFirewall): Promise<void>;
  /** Stages {@linkcode Firewall.updateInstance}. */
  updateInstance(params: InstanceFirewall): Promise<void>;
  /** Stages {@linkcode Firewall.removeInstance}. */
  removeInstance(instanceId: string): Promise<void>;
  /** Stages {@linkcode Firewall.addMasquerade}. */
  addMasquerade(masquerade: Masquerade): Promise<void>;
  /** Stages {@linkcode Firewall.removeMasquerade}. */
  removeMasquerade(masquerade: Masquerade): Promise<void>;
}

const FORWARD = "forward";
const POSTROUTING = "postrouting";
const INSTANCE_PREFIX = "instance_";

/**
 * The chain of an instance: `instance_` and the ID with every character
 * outside `[A-Za-z0-9_]` turned into `_`.
 *
 * @example
 * ```ts
 * import { instanceChainName } from "@aoscore/common/network";
 * import assert from "node:assert/strict";
 *
 * assert.equal(instanceChainName("a/b-1"), "instance_a_b_1");
 * ```
 *
 * @param instanceId The instance ID.
 * @returns The chain name.
 */
export function instanceChainName(instanceId: string): string {
  return INSTANCE_PREFIX + instanceId.replace(/[^A-Za-z0-9_]/g, "_");
}

/**
 * AosCore's service-manager firewall (table `inet aos`): a `forward` base
 * chain that drops by default and accepts established traffic, one chain per
 * instance jumped to by its address, and masquerade rules in `postrouting`.
 * Every operation is one transaction of the backend, so it applies whole or
 * not at all; {@linkcode Firewall.batch} makes several operations one
 * transaction. Operations run one at a time.
 *
 * Works over any {@linkcode FirewallBackend}: {@linkcode NftablesBackend}
 * (AosCore's mechanism) or {@linkcode IptablesBackend}.
 *
 * @example An instance that serves port 8080 (needs root: covered by tests/network/firewall_test.ts)
 * ```ts ignore
 * import { Firewall, NftablesBackend } from "@aoscore/common/network";
 *
 * await using nft = new NftablesBackend({ netnsPath: "/run/netns/host-side" });
 * const firewall = new Firewall(nft);
 * await firewall.start();
 * await firewall.addMasquerade({ subnet: "172.17.0.0/16", bridge: "br-aos" });
 * await firewall.addInstance({
 *   instanceId: "instance-1",
 *   ip: "172.17.0.2",
 *   subnet: "172.17.0.0/16",
 *   allowedInputs: [{ port: 8080 }],
 *   allowPublicEgress: true,
 * });
 * ```
 */
export class Firewall {
  readonly #backend: FirewallBackend;
  readonly #table: string;
  readonly #queue = new SerialQueue();

  /**
   * Creates a firewall over a backend. Nothing changes until {@linkcode Firewall.start}.
   *
   * @param backend The backend.
   * @param options The table.
   */
  constructor(backend: FirewallBackend, options: FirewallOptions = {}) {
    this.#backend = backend;
    this.#table = options.table ?? "aos";
  }

  /**
   * Adopts the table when its `forward` chain exists (the OS provisioned it),
   * else builds it: `forward` (filter, priority 0, policy drop, dropping
   * invalid and accepting established and related connections) and
   * `postrouting` (nat, priority 100).
   */
  start(): Promise<void> {
    return this.#serial(async () => {
      try {
        await this.#backend.listChainRules(this.#table, FORWARD);
        return;
      } catch (err) {
        if (!errorIs(err, "notFound")) throw err;
      }
      const txn = this.#backend.newTxn();
      const table = this.#table;
      txn.addTable(table);
      txn.addBaseChain({
        table,
        name: FORWARD,
        type: "filter",
        hook: "forward",
        priority: 0,
        policy: "drop",
      });
      txn.addBaseChain({
        table,
        name: POSTROUTING,
        type: "nat",
        hook: "postrouting",
        priority: 100,
      });
      txn.addRule(table, FORWARD, { ctState: "invalid", action: "drop" });
      txn.addRule(table, FORWARD, { ctState: "established,related", action: "accept" });
      await txn.commit();
    });
  }

  /**
   * Removes every instance chain and its jumps and every masquerade rule; the
   * table and its base chains stay.
   */
  stop(): Promise<void> {
    return this.#serial(() => this.#cleanup(() => false, () => false));
  }

  /**
   * Adds an instance's chain and the two jumps to it. An instance that has a
   * chain already is updated instead.
   *
   * @param params The instance's address, network and allowed connections.
   * @throws {NetworkError} `invalidArgument` "instance IP required", "invalid port",
   * "access rule requires a port", "unsupported protocol", "output access requires a destination IP".
   */
  addInstance(params: InstanceFirewall): Promise<void> {
    return this.#transaction((txn) => this.#stageInstance(txn, params));
  }

  /**
   * Replaces an instance's rules and both jumps, in one transaction.
   *
   * @param params The instance's address, network and allowed connections.
   */
  updateInstance(params: InstanceFirewall): Promise<void> {
    return this.#transaction((txn) => this.#stageInstance(txn, params));
  }

  /**
   * Removes an instance's jumps and chain. An unknown instance is fine.
   *
   * @param instanceId The instance ID.
   */
  removeInstance(instanceId: string): Promise<void> {
    return this.#transaction((txn) => this.#stageRemoval(txn, instanceId));
  }

  /**
   * Masquerades a network's traffic that leaves through any interface but its
   * bridge. Idempotent.
   *
   * @param masquerade The network and its bridge.
   */
  addMasquerade(masquerade: Masquerade): Promise<void> {
    return this.#transaction((txn) => this.#stageMasquerade(txn, masquerade, true));
  }

  /**
   * Removes a masquerade rule. An absent one is fine.
   *
   * @param masquerade The network and its bridge.
   */
  removeMasquerade(masquerade: Masquerade): Promise<void> {
    return this.#transaction((txn) => this.#stageMasquerade(txn, masquerade, false));
  }

  /**
   * Removes the chains (and jumps) of instances not in `knownIds`, and the
   * masquerade rules not in `knownMasquerades` (and duplicates of known ones).
   *
   * @param knownIds The IDs of the instances that should have chains.
   * @param knownMasquerades The masquerades that should stay.
   */
  cleanupOrphans(
    knownIds: readonly string[],
    knownMasquerades: readonly Masquerade[],
  ): Promise<void> {
    const chains = new Set(knownIds.map(instanceChainName));
    const masquerades = new Set(knownMasquerades.map((m) => `${m.subnet} ${m.bridge}`));
    return this.#serial(() =>
      this.#cleanup((chain) => chains.has(chain), (key, seen) => masquerades.has(key) && !seen)
    );
  }

  /**
   * Stages several operations and applies them as one transaction: all or none.
   *
   * @example
   * ```ts ignore
   * await firewall.batch(async (b) => {
   *   await b.addInstance({ instanceId: "a", ip: "172.17.0.2" });
   *   await b.addInstance({ instanceId: "b", ip: "172.17.0.3" });
   * });
   * ```
   *
   * @param stage Stages the operations.
   */
  batch(stage: (batch: FirewallBatch) => void | Promise<void>): Promise<void> {
    return this.#transaction(async (txn) => {
      await stage({
        addInstance: (p) => this.#stageInstance(txn, p),
        updateInstance: (p) => this.#stageInstance(txn, p),
        removeInstance: (id) => this.#stageRemoval(txn, id),
        addMasquerade: (m) => this.#stageMasquerade(txn, m, true),
        removeMasquerade: (m) => this.#stageMasquerade(txn, m, false),
      });
    });
  }

  /** The rules of an instance's chain, with counters. */
  listInstanceRules(instanceId: string): Promise<FWListedRule[]> {
    return this.#serial(() =>
      this.#backend.listChainRules(this.#table, instanceChainName(instanceId))
    );
  }

  async #stageInstance(txn: FirewallTransaction, params: InstanceFirewall): Promise<void> {
    const rules = instanceRules(params);
    const chain = instanceChainName(params.instanceId);
    const table = this.#table;
    const exists = (await this.#backend.listChains(table)).includes(chain);
    if (exists) {
      for (const jump of await this.#jumpsTo(chain)) {
        txn.deleteRuleByHandle(table, FORWARD, jump.handle);
      }
      txn.flushChain(table, chain);
    } else {
      txn.addChain(table, chain);
    }
    for (const rule of rules) txn.addRule(table, chain, rule);
    txn.addRule(table, FORWARD, { dstAddr: params.ip, action: "jump", jumpTarget: chain });
    txn.addRule(table, FORWARD, { srcAddr: params.ip, action: "jump", jumpTarget: chain });
  }

  async #stageRemoval(txn: FirewallTransaction, instanceId: string): Promise<void> {
    const chain = instanceChainName(instanceId);
    if (!(await this.#backend.listChains(this.#table)).includes(chain)) return;
    for (const jump of await this.#jumpsTo(chain)) {
      txn.deleteRuleByHandle(this.#table, FORWARD, jump.handle);
    }
    txn.flushChain(this.#table, chain);
    txn.deleteChain(this.#table, chain);
  }

  async #stageMasquerade(
    txn: FirewallTransaction,
    masquerade: Masquerade,
    add: boolean,
  ): Promise<void> {
    const context = { operation: add ? "addMasquerade" : "removeMasquerade" };
    checkAddress(masquerade.subnet, "subnet", context);
    const existing = (await this.#backend.listChainRules(this.#table, POSTROUTING)).filter((r) =>
      r.rule.action === "masquerade" && r.rule.srcAddr === masquerade.subnet &&
      r.rule.oifName === masquerade.bridge
    );
    if (add && existing.length === 0) {
      txn.addRule(this.#table, POSTROUTING, {
        srcAddr: masquerade.subnet,
        oifName: masquerade.bridge,
        oifNeg: true,
        action: "masquerade",
      });
    } else if (!add) {
      for (const r of existing) txn.deleteRuleByHandle(this.#table, POSTROUTING, r.handle);
    }
  }

  async #jumpsTo(chain: string): Promise<FWListedRule[]> {
    const forward = await this.#backend.listChainRules(this.#table, FORWARD);
    return forward.filter((r) => r.rule.action === "jump" && r.rule.jumpTarget === chain);
  }

  async #cleanup(
    keepChain: (chain: string) => boolean,
    keepMasquerade: (key: string, seen: boolean) => boolean,
  ): Promise<void> {
    const table = this.#table;
    const txn = this.#backend.newTxn();
    const orphans = (await this.#backend.listChains(table)).filter((c) =>
      c.startsWith(INSTANCE_PREFIX) && !keepChain(c)
    );
    for (const r of await this.#backend.listChainRules(table, FORWARD)) {
      if (r.rule.action === "jump" && orphans.includes(r.rule.jumpTarget ?? "")) {
        txn.deleteRuleByHandle(table, FORWARD, r.handle);
      }
    }
    for (const chain of orphans) {
      txn.flushChain(table, chain);
      txn.deleteChain(table, chain);
    }
    const seen = new Set<string>();
    for (const r of await this.#backend.listChainRules(table, POSTROUTING)) {
      if (r.rule.action !== "masquerade") continue;
      const key = `${r.rule.srcAddr} ${r.rule.oifName}`;
      if (!keepMasquerade(key, seen.has(key))) txn.deleteRuleByHandle(table, POSTROUTING, r.handle);
      seen.add(key);
    }
    await txn.commit();
  }

  #transaction(stage: (txn: FirewallTransaction) => Promise<void>): Promise<void> {
    return this.#serial(async () => {
      const txn = this.#backend.newTxn();
      await stage(txn);
      await txn.commit();
    });
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    return this.#queue.run(fn);
  }
}

/** The rules of an instance's chain, in AosCore's order. */
function instanceRules(params: InstanceFirewall): FWRule[] {
  const context = { operation: "addInstance", interface: params.instanceId };
  if (typeof params.ip !== "string" || params.ip === "") {
    throw invalidArgument(context, "instance IP required");
  }
  const ip = params.ip;
  checkAddress(ip, "ip", context);
  const rules: FWRule[] = [];
  if (params.subnet !== undefined && params.subnet !== "") {
    checkAddress(params.subnet, "subnet", context);
    rules.push({ srcAddr: params.subnet, dstAddr: ip, action: "accept" });
    rules.push({ srcAddr: ip, dstAddr: params.subnet, action: "accept" });
  }
  for (const input of params.allowedInputs ?? []) {
    const { proto, dstPort } = portRule(input.port, input.protocol, context);
    rules.push({ dstAddr: ip, proto, dstPort, action: "accept" });
  }
  for (const output of params.allowedOutputs ?? []) {
    if (output.dstIp === undefined || output.dstIp === "") {
      throw invalidArgument(context, "output access requires a destination IP");
    }
    checkAddress(output.dstIp, "dstIp", context);
    const { proto, dstPort } = portRule(output.dstPort, output.proto, context);
    rules.push({ srcAddr: ip, dstAddr: output.dstIp, proto, dstPort, action: "accept" });
  }
  rules.push({ dstAddr: ip, action: "drop" });
  rules.push({ srcAddr: ip, action: params.allowPublicEgress ? "accept" : "drop" });
  return rules;
}

function portRule(
  port: number | string | undefined,
  protocol: string | undefined,
  context: NetworkErrorContext,
): { proto: "tcp" | "udp"; dstPort: number } {
  if (port === undefined || port === "") {
    throw invalidArgument(context, "access rule requires a port");
  }
  const text = String(port);
  const value = /^[0-9]{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(value >= 1 && value <= 65535)) throw invalidArgument(context, `invalid port "${text}"`);
  const proto = protocol === undefined || protocol === "" ? "tcp" : protocol;
  if (proto !== "tcp" && proto !== "udp") {
    throw invalidArgument(context, `unsupported protocol "${protocol}"`);
  }
  return { proto, dstPort: value };
}

function checkAddress(value: string, what: string, context: NetworkErrorContext): void {
  try {
    if (value.includes("/")) parseCidr(value);
    else parseIp(value);
  } catch (err) {
    throw invalidArgument(context, `bad ${what} "${value}": ${(err as Error).message}`);
  }
}
