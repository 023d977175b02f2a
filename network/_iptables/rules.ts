// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Rules in iptables-restore syntax and iptables-save output read back. Each
// chain this backend makes starts with a marker rule (a comment and no
// target, so it only counts) that names the table and chain it stands for:
// iptables chain names are limited to 28 characters, and the marker maps a
// shortened name back to the full one.

import type { FWListedRule, FWRule, Hook } from "../firewall_types.ts";
import { ruleFamily } from "../_firewall/staged.ts";
import { invalidArgument } from "../errors.ts";

const MAX_CHAIN = 28;
const MARKER = "aos-chain";

/** The built-in chain of each hook. */
export const BUILTIN: Readonly<Record<Hook, string>> = {
  prerouting: "PREROUTING",
  input: "INPUT",
  forward: "FORWARD",
  output: "OUTPUT",
  postrouting: "POSTROUTING",
};

/** The iptables name of a chain: `table-chain`, shortened with a hash when too long. */
export function chainName(table: string, chain: string): string {
  const full = `${table}-${chain}`;
  if (full.length <= MAX_CHAIN) return full;
  let hash = 2166136261;
  for (const c of full) hash = Math.imul(hash ^ c.charCodeAt(0), 16777619) >>> 0;
  return `${full.slice(0, MAX_CHAIN - 9)}~${hash.toString(16).padStart(8, "0")}`;
}

const POLICY = "aos-policy";

/** The marker rule that opens each of our chains. */
export function markerRule(iptChain: string, table: string, chain: string): string {
  return `-A ${iptChain} -m comment --comment "${MARKER} ${table} ${chain}"`;
}

/** The rule that closes a base chain whose policy is drop. */
export function policyRule(iptChain: string): string {
  return `-A ${iptChain} -m comment --comment ${POLICY} -j DROP`;
}

/** A rule's iptables arguments after `-A <chain>`. */
export function renderRule(table: string, rule: FWRule): string {
  if (ruleFamily(rule) === 6) {
    throw invalidArgument(
      { operation: "addRule" },
      "the iptables backend handles IPv4 only; use the nftables backend for IPv6",
    );
  }
  const parts: string[] = [];
  if (rule.srcAddr !== undefined) parts.push("-s", rule.srcAddr);
  if (rule.dstAddr !== undefined) parts.push("-d", rule.dstAddr);
  if (rule.proto !== undefined) {
    parts.push("-p", rule.proto);
    if (rule.dstPort !== undefined) parts.push("-m", rule.proto, "--dport", String(rule.dstPort));
  }
  if (rule.oifName !== undefined) {
    if (rule.oifNeg) parts.push("!");
    parts.push("-o", rule.oifName);
  }
  if (rule.ctState !== undefined) {
    parts.push("-m", "conntrack", "--ctstate", rule.ctState.toUpperCase());
  }
  parts.push(
    "-j",
    rule.action === "jump" ? chainName(table, rule.jumpTarget!) : rule.action.toUpperCase(),
  );
  return parts.join(" ");
}

/** One chain of an iptables-save listing. */
export interface SavedChain {
  /** The iptables table (`filter`, `nat`, ...). */
  iptTable: string;
  /** The iptables chain name. */
  name: string;
  /** The policy of a built-in chain, `-` for a user chain. */
  policy: string;
  /** The table and chain its marker names, for our chains. */
  ours?: { table: string; chain: string };
  /** Whether it ends with the rule of a drop policy. */
  dropPolicy?: boolean;
  /** The rules in order: their arguments after `-A <chain>` and counters. */
  rules: { args: string; packets: bigint; bytes: bigint }[];
}

/** Parses `iptables-save -c` output. */
export function parseSave(text: string): SavedChain[] {
  const chains = new Map<string, SavedChain>();
  let table = "";
  for (const line of text.split("\n")) {
    if (line.startsWith("*")) {
      table = line.slice(1).trim();
    } else if (line.startsWith(":")) {
      const [name, policy] = line.slice(1).split(" ");
      chains.set(`${table} ${name}`, {
        iptTable: table,
        name: name!,
        policy: policy ?? "-",
        rules: [],
      });
    } else {
      const m = /^\[(\d+):(\d+)\] -A (\S+) ?(.*)$/.exec(line);
      if (m === null) continue;
      const chain = chains.get(`${table} ${m[3]}`);
      if (chain === undefined) continue;
      const marker = new RegExp(`^-m comment --comment "?${MARKER} (\\S+) ([^"\\s]+)"?$`).exec(
        m[4]!,
      );
      if (marker !== null && chain.rules.length === 0) {
        chain.ours = { table: marker[1]!, chain: marker[2]! };
      }
      chain.rules.push({ args: m[4]!, packets: BigInt(m[1]!), bytes: BigInt(m[2]!) });
      chain.dropPolicy = chain.ours !== undefined &&
        new RegExp(`^-m comment --comment "?${POLICY}"? -j DROP$`).test(m[4]!);
    }
  }
  return [...chains.values()];
}

/**
 * The rules of one of our chains, without its marker and policy rules. A
 * rule's handle is its 1-based position in the iptables chain (the marker is
 * position 1).
 */
export function listedRules(chain: SavedChain, chains: readonly SavedChain[]): FWListedRule[] {
  const names = new Map(
    chains.flatMap((c) => c.ours === undefined ? [] : [[c.name, c.ours.chain] as const]),
  );
  const out: FWListedRule[] = [];
  chain.rules.forEach((r, i) => {
    if (i === 0 && chain.ours !== undefined) return;
    if (i === chain.rules.length - 1 && chain.dropPolicy) return;
    out.push({
      rule: parseRuleArgs(r.args, names),
      handle: BigInt(i + 1),
      packets: r.packets,
      bytes: r.bytes,
    });
  });
  return out;
}

/** Splits arguments at spaces, keeping double-quoted words whole. */
function words(args: string): string[] {
  return [...args.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
}

function parseRuleArgs(args: string, names: ReadonlyMap<string, string>): FWRule {
  // iptables counts every rule, so every listed rule has a counter.
  const rule: FWRule = { action: "accept", counter: true };
  const w = words(args);
  let negate = false;
  for (let i = 0; i < w.length; i++) {
    const word = w[i]!;
    const next = () => w[++i] ?? "";
    switch (word) {
      case "!":
        negate = true;
        continue;
      case "-s":
        rule.srcAddr = next().replace(/\/32$/, "");
        break;
      case "-d":
        rule.dstAddr = next().replace(/\/32$/, "");
        break;
      case "-p": {
        const proto = next();
        if (proto === "tcp" || proto === "udp") rule.proto = proto;
        break;
      }
      case "--dport":
        rule.dstPort = Number(next());
        break;
      case "-o":
        rule.oifName = next();
        if (negate) rule.oifNeg = true;
        break;
      case "--ctstate":
        rule.ctState = next().toLowerCase();
        break;
      case "-j": {
        const target = next();
        const verdict = target.toLowerCase();
        if (
          verdict === "accept" || verdict === "drop" || verdict === "return" ||
          verdict === "masquerade"
        ) {
          rule.action = verdict;
        } else {
          rule.action = "jump";
          rule.jumpTarget = names.get(target) ?? target;
        }
        break;
      }
    }
    negate = false;
  }
  return rule;
}
