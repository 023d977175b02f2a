// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * The iptables firewall backend, through `iptables-restore --noflush`.
 *
 * @module
 */

import { NetworkError, type NetworkErrorContext } from "./errors.ts";
import type {
  CommitOptions,
  CommitResult,
  FirewallBackend,
  FirewallTransaction,
  FWListedRule,
} from "./firewall_types.ts";
import { checkName, type StagedOp, StagedTransaction } from "./_firewall/staged.ts";
import {
  BUILTIN,
  chainName,
  listedRules,
  markerRule,
  parseSave,
  policyRule,
  renderRule,
  type SavedChain,
} from "./_iptables/rules.ts";

/** Options of {@linkcode IptablesBackend}. */
export interface IptablesBackendOptions {
  /** Work inside the network namespace of this file (through `nsenter`) instead of the current one. */
  netnsPath?: string;
}

/**
 * A {@linkcode FirewallBackend} on iptables, for hosts that manage their
 * firewall with it: chains, NAT masquerade, per-instance filter rules,
 * listing with counters, and deleting. A transaction is written as one
 * `iptables-restore --noflush -w` input per iptables table (`filter`, `nat`),
 * each applied atomically by iptables; when a later table fails, the earlier
 * ones are restored from the listing taken at the start of the commit, so the
 * transaction still applies whole or not at all (short of another writer in
 * between).
 *
 * The nftables model maps onto iptables this way: a chain `C` of table `T`
 * is the iptables chain `T-C` (shortened with a hash past 28 characters),
 * opened by a comment rule that names `T` and `C`; a base chain is jumped to
 * from the top of its hook's built-in chain (`FORWARD`, `POSTROUTING`, ...)
 * and a `drop` policy is a last `DROP` rule that added rules go before; filter chains
 * live in iptables' `filter` table, nat chains in `nat`. Priorities are not
 * used. Rule handles are positions in the iptables chain, valid until the
 * chain changes. IPv4 only.
 *
 * Needs `--allow-run` (`iptables-save`, `iptables-restore`, and `nsenter` for
 * a namespace) and root.
 *
 * @example Masquerade a network (needs root: covered by tests/network/iptables_backend_test.ts)
 * ```ts ignore
 * import { Firewall, IptablesBackend } from "@aoscore/common/network";
 *
 * const firewall = new Firewall(new IptablesBackend());
 * await firewall.start();
 * await firewall.addMasquerade({ subnet: "172.17.0.0/16", bridge: "br-aos" });
 * ```
 */
export class IptablesBackend implements FirewallBackend {
  readonly #netnsPath: string | undefined;

  /**
   * Creates a backend. Nothing runs until the first call.
   *
   * @param options The namespace.
   */
  constructor(options: IptablesBackendOptions = {}) {
    this.#netnsPath = options.netnsPath === "" ? undefined : options.netnsPath;
  }

  /**
   * Starts a transaction.
   *
   * @returns The transaction; nothing happens until its `commit()`.
   */
  newTxn(): FirewallTransaction {
    return new IptablesTransaction(this.#netnsPath);
  }

  /**
   * The rules of a chain with their positions and counters.
   *
   * @param table The table.
   * @param chain The chain.
   * @returns The rules in order (every iptables rule counts).
   * @throws {NetworkError} `notFound` when the chain does not exist.
   */
  async listChainRules(table: string, chain: string): Promise<FWListedRule[]> {
    const context = { operation: "listChainRules", interface: `${table} ${chain}` };
    checkName(table, context.operation);
    checkName(chain, context.operation);
    const chains = await saveRules(this.#netnsPath);
    const found = findChain(chains, table, chain);
    if (found === undefined) {
      throw new NetworkError("notFound", context, "no such chain", { errno: 2 });
    }
    return listedRules(found, chains);
  }

  /**
   * The chains of a table.
   *
   * @param table The table.
   * @returns The chain names; none when the table has none.
   */
  async listChains(table: string): Promise<string[]> {
    checkName(table, "listChains");
    return (await saveRules(this.#netnsPath)).flatMap((c) =>
      c.ours?.table === table ? [c.ours.chain] : []
    );
  }

  /** Nothing to release: every call runs its own process. */
  close(): Promise<void> {
    return Promise.resolve();
  }
}

class IptablesTransaction extends StagedTransaction {
  readonly #netnsPath: string | undefined;

  constructor(netnsPath: string | undefined) {
    super();
    this.#netnsPath = netnsPath;
  }

  async commit(options: CommitOptions = {}): Promise<CommitResult> {
    if (this.ops.length === 0) return { handles: [] };
    const context = { operation: "commit" };
    const before = await saveRules(this.#netnsPath);
    const plan = new Plan(before);
    for (const op of this.ops) plan.stage(op);
    const tables = [...plan.blocks.keys()];
    for (let i = 0; i < tables.length; i++) {
      const table = tables[i]!;
      try {
        await runTool(
          this.#netnsPath,
          ["iptables-restore", "--noflush", "-w"],
          plan.text(table),
          context,
        );
      } catch (err) {
        if (i > 0) await this.#rollBack(before, tables.slice(0, i));
        throw err;
      }
    }
    if (options.handles !== true || plan.added.length === 0) return { handles: [] };
    // Added rules went to the end of each chain (before a drop policy), in order.
    const after = await saveRules(this.#netnsPath);
    const left = new Map<SavedChain, number>();
    const chains = plan.added.map(({ table, chain }) => findChain(after, table, chain)!);
    for (const c of chains) left.set(c, (left.get(c) ?? 0) + 1);
    return {
      handles: chains.map((c) => {
        const n = left.get(c)!;
        left.set(c, n - 1);
        return BigInt(c.rules.length - (c.dropPolicy ? 1 : 0) - n + 1);
      }),
    };
  }

  /**
   * Puts the tables back as they were: without --noflush, iptables-restore
   * replaces each table it is given, chains and all.
   */
  async #rollBack(before: SavedChain[], tables: string[]): Promise<void> {
    let text = "";
    for (const table of tables) {
      const old = before.filter((c) => c.iptTable === table);
      text += `*${table}\n`;
      for (const c of old) text += `:${c.name} ${c.policy} [0:0]\n`;
      for (const c of old) {
        for (const r of c.rules) text += `[${r.packets}:${r.bytes}] -A ${c.name} ${r.args}\n`;
      }
      text += "COMMIT\n";
    }
    await runTool(this.#netnsPath, ["iptables-restore", "-c", "-w"], text, {
      operation: "commit: roll back",
    });
  }
}

/** The restore input of a transaction, per iptables table, built against a listing. */
class Plan {
  readonly blocks = new Map<string, { declarations: string[]; rules: string[] }>();
  /** The chain of each added rule, in order. */
  readonly added: { table: string; chain: string }[] = [];
  readonly #chains: SavedChain[];
  /** How many rules each chain will have once the rules staged so far are applied. */
  readonly #lengths = new Map<string, number>();

  constructor(chains: readonly SavedChain[]) {
    // A copy: the plan adds the chains it declares, the listing stays as it was.
    this.#chains = [...chains];
    for (const c of chains) this.#lengths.set(c.name, c.rules.length);
  }

  stage(op: StagedOp): void {
    switch (op.op) {
      case "addTable":
        return;
      case "deleteTable":
        return this.#deleteTable(op.table);
      case "addBaseChain": {
        const c = op.chain;
        const iptTable = c.type === "nat" ? "nat" : "filter";
        const created = this.#declare(iptTable, c.table, c.name, c.policy === "drop");
        if (created !== undefined) {
          this.#block(iptTable).rules.push(`-I ${BUILTIN[c.hook]} 1 -j ${created.name}`);
        }
        return;
      }
      case "addChain":
        this.#declare("filter", op.table, op.chain, false);
        return;
      case "flushChain": {
        const c = this.#require(op.table, op.chain);
        const rules = this.#block(c.iptTable).rules;
        rules.push(`-F ${c.name}`, markerRule(c.name, op.table, op.chain));
        if (c.dropPolicy) rules.push(policyRule(c.name));
        this.#lengths.set(c.name, c.dropPolicy ? 2 : 1);
        return;
      }
      case "deleteChain": {
        const c = this.#require(op.table, op.chain);
        // The flush drops the marker rule, which would keep the chain from being deleted.
        this.#block(c.iptTable).rules.push(`-F ${c.name}`, `-X ${c.name}`);
        return;
      }
      case "addRule": {
        const c = this.#require(op.table, op.chain);
        const args = renderRule(op.table, op.rule);
        const length = this.#lengths.get(c.name)!;
        // A drop policy is the chain's last rule: insert before it.
        this.#block(c.iptTable).rules.push(
          c.dropPolicy ? `-I ${c.name} ${length} ${args}` : `-A ${c.name} ${args}`,
        );
        this.#lengths.set(c.name, length + 1);
        this.added.push({ table: op.table, chain: op.chain });
        return;
      }
      case "deleteRule": {
        const c = this.#require(op.table, op.chain);
        const index = Number(op.handle) - 1;
        const rule = c.rules[index];
        const reserved = (index === 0 && c.ours !== undefined) ||
          (index === c.rules.length - 1 && c.dropPolicy);
        if (rule === undefined || reserved) {
          throw new NetworkError(
            "notFound",
            { operation: "deleteRuleByHandle", interface: op.chain },
            `no rule ${op.handle}`,
            { errno: 2 },
          );
        }
        this.#block(c.iptTable).rules.push(`-D ${c.name} ${rule.args}`);
        this.#lengths.set(c.name, this.#lengths.get(c.name)! - 1);
        return;
      }
    }
  }

  text(iptTable: string): string {
    const b = this.blocks.get(iptTable)!;
    return `*${iptTable}\n${[...b.declarations, ...b.rules].join("\n")}\nCOMMIT\n`;
  }

  #deleteTable(table: string): void {
    const ours = this.#chains.filter((c) => c.ours?.table === table);
    const names = new Set(ours.map((c) => c.name));
    for (const c of this.#chains) {
      if (names.has(c.name)) continue;
      for (const r of c.rules) {
        const target = /(?:^| )-j (\S+)/.exec(r.args)?.[1];
        if (target !== undefined && names.has(target)) {
          this.#block(c.iptTable).rules.push(`-D ${c.name} ${r.args}`);
        }
      }
    }
    for (const c of ours) this.#block(c.iptTable).rules.push(`-F ${c.name}`);
    for (const c of ours) this.#block(c.iptTable).rules.push(`-X ${c.name}`);
  }

  /**
   * Declares a chain that does not exist yet (declaring an existing one would
   * flush it) with its marker and, for a drop policy, its closing rule.
   *
   * @returns The new chain, or `undefined` when it exists.
   */
  #declare(
    iptTable: string,
    table: string,
    chain: string,
    dropPolicy: boolean,
  ): SavedChain | undefined {
    if (findChain(this.#chains, table, chain) !== undefined) return undefined;
    const name = chainName(table, chain);
    const block = this.#block(iptTable);
    block.declarations.push(`:${name} - [0:0]`);
    block.rules.push(markerRule(name, table, chain));
    if (dropPolicy) block.rules.push(policyRule(name));
    const created: SavedChain = {
      iptTable,
      name,
      policy: "-",
      ours: { table, chain },
      dropPolicy,
      rules: [],
    };
    this.#chains.push(created);
    this.#lengths.set(name, dropPolicy ? 2 : 1);
    return created;
  }

  #require(table: string, chain: string): SavedChain {
    const found = findChain(this.#chains, table, chain);
    if (found === undefined) {
      throw new NetworkError(
        "notFound",
        { operation: "commit", interface: `${table} ${chain}` },
        "no such chain",
        { errno: 2 },
      );
    }
    return found;
  }

  #block(iptTable: string) {
    let block = this.blocks.get(iptTable);
    if (block === undefined) this.blocks.set(iptTable, block = { declarations: [], rules: [] });
    return block;
  }
}

function findChain(
  chains: readonly SavedChain[],
  table: string,
  chain: string,
): SavedChain | undefined {
  return chains.find((c) => c.ours?.table === table && c.ours.chain === chain);
}

function restoreError(stderr: string, context: NetworkErrorContext): NetworkError {
  const text = stderr.trim().split("\n").slice(0, 3).join("; ");
  if (/No chain\/target\/match by that name|does not exist|No such file/.test(text)) {
    return new NetworkError("notFound", context, text, { errno: 2 });
  }
  if (/Permission denied|Operation not permitted/.test(text)) {
    return new NetworkError("failed", context, `${text}: root or CAP_NET_ADMIN is needed`, {
      errno: 1,
    });
  }
  return new NetworkError("failed", context, text);
}

/** The current rules of every table. */
async function saveRules(netnsPath: string | undefined): Promise<SavedChain[]> {
  return parseSave(
    await runTool(netnsPath, ["iptables-save", "-c"], undefined, { operation: "iptables-save" }),
  );
}

/** Runs an iptables tool, inside the namespace (through nsenter) when there is one. */
async function runTool(
  netnsPath: string | undefined,
  argv: string[],
  input: string | undefined,
  context: NetworkErrorContext,
): Promise<string> {
  const [cmd, ...args] = netnsPath === undefined
    ? argv
    : ["nsenter", `--net=${netnsPath}`, "--", ...argv];
  let output: Deno.CommandOutput;
  try {
    const child = new Deno.Command(cmd!, {
      args,
      stdin: input === undefined ? "null" : "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    if (input !== undefined) {
      const writer = child.stdin.getWriter();
      await writer.write(new TextEncoder().encode(input));
      await writer.close();
    }
    output = await child.output();
  } catch (err) {
    const kind = err instanceof Deno.errors.NotFound ? "notSupported" : "failed";
    throw new NetworkError(kind, context, `cannot run ${cmd}`, { cause: err });
  }
  if (output.success) return new TextDecoder().decode(output.stdout);
  throw restoreError(new TextDecoder().decode(output.stderr), context);
}
