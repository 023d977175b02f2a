// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * The nftables firewall backend, through libnftables over Deno FFI.
 *
 * @module
 */

import type {
  CommitOptions,
  CommitResult,
  FirewallBackend,
  FirewallTransaction,
  FWListedRule,
} from "./firewall_types.ts";
import { checkName, StagedTransaction } from "./_firewall/staged.ts";
import {
  NFT_OUTPUT_ECHO,
  NFT_OUTPUT_HANDLE,
  NFT_OUTPUT_JSON,
  NftContext,
} from "./_nftables/library.ts";
import {
  addedRuleHandles,
  listedChains,
  listedRules,
  nftError,
  renderOp,
} from "./_nftables/render.ts";

/** Options of {@linkcode NftablesBackend}. */
export interface NftablesBackendOptions {
  /** Work inside the network namespace of this file instead of the current one. */
  netnsPath?: string;
  /**
   * The nftables family of every table.
   *
   * @default {"inet"}
   */
  family?: "inet" | "ip" | "ip6";
}

/**
 * A {@linkcode FirewallBackend} on nftables through `libnftables.so.1`
 * (Debian's `libnftables1`), the library the `nft` command is built on, over
 * Deno FFI: no `nft` process. A transaction is one nft batch, so the kernel
 * applies it whole or not at all; the handles of added rules, when asked for,
 * come from the echoed batch, and listings are read back as nft's JSON.
 *
 * Needs `--allow-ffi` and root or `CAP_NET_ADMIN`. The library is opened on
 * first use.
 *
 * @example Build a table in a namespace (needs root: covered by tests/network/nftables_backend_test.ts)
 * ```ts ignore
 * import { NftablesBackend } from "@aoscore/common/network";
 *
 * await using nft = new NftablesBackend({ netnsPath: "/run/netns/test" });
 * const txn = nft.newTxn();
 * txn.addTable("demo");
 * txn.addBaseChain({ table: "demo", name: "input", type: "filter", hook: "input", priority: 0 });
 * txn.addRule("demo", "input", { proto: "tcp", dstPort: 22, counter: true, action: "accept" });
 * const { handles } = await txn.commit({ handles: true });
 * console.log(handles, await nft.listChainRules("demo", "input"));
 * ```
 */
export class NftablesBackend implements FirewallBackend, AsyncDisposable {
  readonly #netnsPath: string | undefined;
  readonly #family: string;
  #context: NftContext | undefined;

  /**
   * Creates a backend. Nothing is opened until the first call.
   *
   * @param options The namespace and family.
   */
  constructor(options: NftablesBackendOptions = {}) {
    this.#netnsPath = options.netnsPath;
    this.#family = options.family ?? "inet";
  }

  /**
   * Starts a transaction.
   *
   * @returns The transaction; nothing happens until its `commit()`.
   */
  newTxn(): FirewallTransaction {
    return new NftTransaction(this.#family, (commands, echo) => this.#run(commands, echo));
  }

  /**
   * The rules of a chain with their handles and counters.
   *
   * @param table The table.
   * @param chain The chain.
   * @returns The rules in order.
   * @throws {NetworkError} `notFound` when the table or chain does not exist.
   */
  async listChainRules(table: string, chain: string): Promise<FWListedRule[]> {
    const context = { operation: "listChainRules", interface: `${table} ${chain}` };
    checkName(table, context.operation);
    checkName(chain, context.operation);
    const result = await this.#run(`list chain ${this.#family} ${table} ${chain}`, false);
    if (!result.ok) throw nftError(result.error, context);
    return listedRules(result.output, chain);
  }

  /**
   * The chains of a table.
   *
   * @param table The table.
   * @returns The chain names; none when the table does not exist.
   */
  async listChains(table: string): Promise<string[]> {
    const context = { operation: "listChains", interface: table };
    checkName(table, context.operation);
    const result = await this.#run(`list table ${this.#family} ${table}`, false);
    if (!result.ok) {
      const err = nftError(result.error, context);
      if (err.kind === "notFound") return [];
      throw err;
    }
    return listedChains(result.output);
  }

  /**
   * Frees the libnftables context.
   *
   * @returns A promise that settles once a running command is done.
   */
  async close(): Promise<void> {
    const context = this.#context;
    this.#context = undefined;
    await context?.close();
  }

  /** Same as {@linkcode close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #run(commands: string, echo: boolean) {
    try {
      this.#context ??= NftContext.open(this.#netnsPath);
    } catch (err) {
      return Promise.reject(err);
    }
    const flags = NFT_OUTPUT_JSON | NFT_OUTPUT_HANDLE | (echo ? NFT_OUTPUT_ECHO : 0);
    return this.#context.run(commands, flags);
  }
}

class NftTransaction extends StagedTransaction {
  readonly #family: string;
  readonly #run: NftablesRun;

  constructor(family: string, run: NftablesRun) {
    super();
    this.#family = family;
    this.#run = run;
  }

  async commit(options: CommitOptions = {}): Promise<CommitResult> {
    if (this.ops.length === 0) return { handles: [] };
    const commands = this.ops.map((op) => renderOp(this.#family, op)).join("\n") + "\n";
    // The echoed batch is what reports the handles of added rules.
    const echo = options.handles === true && this.ops.some((op) => op.op === "addRule");
    const result = await this.#run(commands, echo);
    if (!result.ok) throw nftError(result.error, { operation: "commit" });
    return { handles: echo ? addedRuleHandles(result.output) : [] };
  }
}

type NftablesRun = (
  commands: string,
  echo: boolean,
) => Promise<{ ok: boolean; output: string; error: string }>;
