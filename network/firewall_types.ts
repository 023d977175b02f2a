// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The transactional firewall interface that Firewall and TrafficAccounting
// work through, and that NftablesBackend and IptablesBackend implement. A
// caller may plug in a backend of its own.

/** The type of a base chain. */
export type ChainType = "filter" | "nat";

/** The netfilter hook a base chain is attached to. */
export type Hook = "prerouting" | "input" | "forward" | "output" | "postrouting";

/** What a rule does with a matching packet. */
export type Verdict = "accept" | "drop" | "jump" | "masquerade" | "return";

/**
 * One firewall rule: the matches present are all required, then the verdict.
 * Addresses are IPv4 or IPv6 (an address or a CIDR network).
 */
export interface FWRule {
  /** Source address or network. */
  srcAddr?: string;
  /** Destination address or network. */
  dstAddr?: string;
  /** Transport protocol. */
  proto?: "tcp" | "udp";
  /** Destination port, 1..65535 (needs `proto`). */
  dstPort?: number;
  /** Outgoing interface name. */
  oifName?: string;
  /** Match every outgoing interface except `oifName`. */
  oifNeg?: boolean;
  /** Connection-tracking states, comma-separated (`"established,related"`). */
  ctState?: string;
  /** Count packets and bytes. */
  counter?: boolean;
  /** The verdict. */
  action: Verdict;
  /** The chain to jump to, for `action: "jump"`. */
  jumpTarget?: string;
}

/** A rule as listed, with its handle and counters. */
export interface FWListedRule {
  /** The rule's matches and verdict. */
  rule: FWRule;
  /** The handle that deletes it (nftables' rule handle; the 1-based position for iptables). */
  handle: bigint;
  /** Packets counted (0 without a counter). */
  packets: bigint;
  /** Bytes counted (0 without a counter). */
  bytes: bigint;
}

/** A base chain: attached to a hook, with a type, priority and policy. */
export interface BaseChain {
  /** The table. */
  table: string;
  /** The chain name. */
  name: string;
  /** `filter` or `nat`. */
  type: ChainType;
  /** The hook. */
  hook: Hook;
  /** The priority (lower runs first). */
  priority: number;
  /** The verdict for packets no rule decided; `accept` when omitted. */
  policy?: "accept" | "drop";
}

/** Options of {@linkcode FirewallTransaction.commit}. */
export interface CommitOptions {
  /**
   * Report the handles of the rules the transaction adds. nftables then
   * echoes the whole batch back, which makes a large batch about twice as slow.
   *
   * @default {false}
   */
  handles?: boolean;
}

/** What a committed transaction reports. */
export interface CommitResult {
  /** The handles of the rules the transaction added, in the order they were added; empty unless asked for. */
  handles: bigint[];
}

/**
 * Firewall changes staged to be applied together: {@linkcode FirewallTransaction.commit}
 * applies all of them or, when any fails, none. Staging checks each value and
 * throws `invalidArgument` at once for a bad one.
 */
export interface FirewallTransaction {
  /** Adds a table (an existing one is fine). */
  addTable(table: string): void;
  /** Deletes a table with everything in it. */
  deleteTable(table: string): void;
  /** Adds a base chain (an existing one is fine). */
  addBaseChain(chain: BaseChain): void;
  /** Adds a regular chain. */
  addChain(table: string, chain: string): void;
  /** Removes every rule of a chain. */
  flushChain(table: string, chain: string): void;
  /** Deletes an empty chain that nothing jumps to. */
  deleteChain(table: string, chain: string): void;
  /** Appends a rule to a chain. */
  addRule(table: string, chain: string, rule: FWRule): void;
  /** Deletes a rule by the handle listing reported. */
  deleteRuleByHandle(table: string, chain: string, handle: bigint): void;
  /** How many changes are staged. */
  readonly size: number;
  /** Applies every staged change atomically. An empty transaction succeeds. */
  commit(options?: CommitOptions): Promise<CommitResult>;
}

/** A firewall: transactions, and listing of what is in place. */
export interface FirewallBackend {
  /** Starts a transaction. */
  newTxn(): FirewallTransaction;
  /**
   * The rules of a chain, in order.
   *
   * @throws {AosError} `notFound` when the table or chain does not exist.
   */
  listChainRules(table: string, chain: string): Promise<FWListedRule[]>;
  /** The chains of a table; none when the table does not exist. */
  listChains(table: string): Promise<string[]>;
  /** Releases what the backend holds. */
  close(): Promise<void>;
}
