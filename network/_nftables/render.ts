// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Staged firewall changes as nft command text, and nft's JSON listing back
// into rules. Every value was checked when it was staged (_firewall/staged.ts).

import type { FWListedRule, FWRule } from "../firewall_types.ts";
import { ruleFamily, type StagedOp } from "../_firewall/staged.ts";
import { NetworkError, type NetworkErrorContext } from "../errors.ts";

/** The nft command of one staged change. */
export function renderOp(family: string, op: StagedOp): string {
  switch (op.op) {
    case "addTable":
      return `add table ${family} ${op.table}`;
    case "deleteTable":
      return `delete table ${family} ${op.table}`;
    case "addBaseChain": {
      const c = op.chain;
      return `add chain ${family} ${c.table} ${c.name} { type ${c.type} hook ${c.hook} priority ${c.priority}; policy ${c.policy}; }`;
    }
    case "addChain":
      return `add chain ${family} ${op.table} ${op.chain}`;
    case "flushChain":
      return `flush chain ${family} ${op.table} ${op.chain}`;
    case "deleteChain":
      return `delete chain ${family} ${op.table} ${op.chain}`;
    case "addRule":
      return `add rule ${family} ${op.table} ${op.chain}${renderRule(op.rule)}`;
    case "deleteRule":
      return `delete rule ${family} ${op.table} ${op.chain} handle ${op.handle}`;
  }
}

/** A rule's expression in the order AosCore writes it, with a leading space. */
export function renderRule(rule: FWRule): string {
  const ip = ruleFamily(rule) === 6 ? "ip6" : "ip";
  let text = "";
  if (rule.ctState !== undefined) text += ` ct state ${rule.ctState}`;
  if (rule.srcAddr !== undefined) text += ` ${ip} saddr ${rule.srcAddr}`;
  if (rule.dstAddr !== undefined) text += ` ${ip} daddr ${rule.dstAddr}`;
  if (rule.proto !== undefined) {
    text += rule.dstPort === undefined
      ? ` meta l4proto ${rule.proto}`
      : ` ${rule.proto} dport ${rule.dstPort}`;
  }
  if (rule.oifName !== undefined) text += ` oifname ${rule.oifNeg ? "!= " : ""}"${rule.oifName}"`;
  if (rule.counter) text += " counter";
  text += rule.action === "jump" ? ` jump ${rule.jumpTarget}` : ` ${rule.action}`;
  return text;
}

/** The handles of the rules an echoed (JSON) batch added, in order. */
export function addedRuleHandles(echo: string): bigint[] {
  if (echo.trim() === "") return [];
  const handles: bigint[] = [];
  for (const item of nftItems(echo)) {
    const rule = (item.add as Record<string, unknown> | undefined)?.rule as
      | { handle?: number }
      | undefined;
    if (rule?.handle !== undefined) handles.push(BigInt(rule.handle));
  }
  return handles;
}

/** The rules of one chain in a JSON listing. */
export function listedRules(json: string, chain: string): FWListedRule[] {
  const out: FWListedRule[] = [];
  for (const item of nftItems(json)) {
    const rule = item.rule as { chain: string; handle: number; expr: unknown[] } | undefined;
    if (rule === undefined || rule.chain !== chain) continue;
    out.push(parseRule(rule.expr, BigInt(rule.handle)));
  }
  return out;
}

/** The chain names of a JSON table listing. */
export function listedChains(json: string): string[] {
  return nftItems(json).flatMap((item) => {
    const chain = item.chain as { name: string } | undefined;
    return chain === undefined ? [] : [chain.name];
  });
}

/** The error of a failed nft command, its kind read from the text. */
export function nftError(error: string, context: NetworkErrorContext): NetworkError {
  const text = error.split("\n").filter((l) => l.startsWith("Error:")).join("; ") || error.trim();
  const [kind, errno] = /No such file or directory/.test(text)
    ? ["notFound", 2] as const
    : /File exists/.test(text)
    ? ["alreadyExist", 17] as const
    : /Operation not permitted/.test(text)
    ? ["failed", 1] as const
    : ["failed", 0] as const;
  const detail = errno === 1 ? `${text}: root or CAP_NET_ADMIN is needed` : text;
  return new NetworkError(kind, context, detail, { errno });
}

function nftItems(json: string): Record<string, unknown>[] {
  const parsed = JSON.parse(json) as { nftables?: Record<string, unknown>[] };
  return parsed.nftables ?? [];
}

type Expr = Record<string, unknown>;

function parseRule(exprs: unknown[], handle: bigint): FWListedRule {
  const rule: FWRule = { action: "accept" };
  let packets = 0n;
  let bytes = 0n;
  for (const e of exprs as Expr[]) {
    if ("match" in e) {
      parseMatch(e.match as { op: string; left: Expr; right: unknown }, rule);
    } else if ("counter" in e) {
      const c = e.counter as { packets: number; bytes: number };
      rule.counter = true;
      packets = BigInt(c.packets);
      bytes = BigInt(c.bytes);
    } else if ("jump" in e) {
      rule.action = "jump";
      rule.jumpTarget = (e.jump as { target: string }).target;
    } else {
      for (const verdict of ["accept", "drop", "return", "masquerade"] as const) {
        if (verdict in e) rule.action = verdict;
      }
    }
  }
  return { rule, handle, packets, bytes };
}

function parseMatch(m: { op: string; left: Expr; right: unknown }, rule: FWRule): void {
  const left = m.left;
  if ("payload" in left) {
    const p = left.payload as { protocol: string; field: string };
    if (
      (p.protocol === "ip" || p.protocol === "ip6") && (p.field === "saddr" || p.field === "daddr")
    ) {
      rule[p.field === "saddr" ? "srcAddr" : "dstAddr"] = addressOf(m.right);
    } else if ((p.protocol === "tcp" || p.protocol === "udp") && p.field === "dport") {
      rule.proto = p.protocol;
      rule.dstPort = Number(m.right);
    }
  } else if ("meta" in left) {
    const key = (left.meta as { key: string }).key;
    if (key === "oifname") {
      rule.oifName = String(m.right);
      if (m.op === "!=") rule.oifNeg = true;
    } else if (key === "l4proto" && (m.right === "tcp" || m.right === "udp")) {
      rule.proto = m.right;
    }
  } else if ("ct" in left && (left.ct as { key: string }).key === "state") {
    const right = m.right as string | { set: string[] } | string[];
    rule.ctState = typeof right === "string"
      ? right
      : Array.isArray(right)
      ? right.join(",")
      : right.set.join(",");
  }
}

function addressOf(right: unknown): string {
  if (typeof right === "string") return right;
  const prefix = (right as { prefix?: { addr: string; len: number } }).prefix;
  return prefix === undefined ? JSON.stringify(right) : `${prefix.addr}/${prefix.len}`;
}
