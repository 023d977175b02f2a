// Copyright 2026 the aos-common authors. Apache-2.0 license.
// What both firewall backends share: staged operations, checked as they are
// staged, so that nothing a caller passes can change the meaning of the
// command text a backend renders from them.

import { parseCidr } from "../ip.ts";
import { invalidArgument, type NetworkErrorContext } from "../errors.ts";
import { interfaceNameProblem } from "../names.ts";
import type {
  BaseChain,
  CommitOptions,
  CommitResult,
  FirewallTransaction,
  FWRule,
  Hook,
  Verdict,
} from "../firewall_types.ts";

/** One staged change. */
export type StagedOp =
  | { op: "addTable"; table: string }
  | { op: "deleteTable"; table: string }
  | { op: "addBaseChain"; chain: Required<BaseChain> }
  | { op: "addChain"; table: string; chain: string }
  | { op: "flushChain"; table: string; chain: string }
  | { op: "deleteChain"; table: string; chain: string }
  | { op: "addRule"; table: string; chain: string; rule: FWRule }
  | { op: "deleteRule"; table: string; chain: string; handle: bigint };

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;
const HOOKS: readonly Hook[] = ["prerouting", "input", "forward", "output", "postrouting"];
const VERDICTS: readonly Verdict[] = ["accept", "drop", "jump", "masquerade", "return"];
const CT_STATES = new Set(["invalid", "established", "related", "new", "untracked"]);
const UNSAFE = /[\s;"{}\\]/;

/** Stages changes; a backend renders and applies them in {@linkcode commit}. */
export abstract class StagedTransaction implements FirewallTransaction {
  /** The staged changes, in order. */
  protected readonly ops: StagedOp[] = [];

  addTable(table: string): void {
    this.ops.push({ op: "addTable", table: checkName(table, "addTable") });
  }

  deleteTable(table: string): void {
    this.ops.push({ op: "deleteTable", table: checkName(table, "deleteTable") });
  }

  addBaseChain(chain: BaseChain): void {
    const context = { operation: "addBaseChain", interface: String(chain.name) };
    checkName(chain.table, "addBaseChain");
    checkName(chain.name, "addBaseChain");
    if (chain.type !== "filter" && chain.type !== "nat") {
      throw invalidArgument(context, `bad chain type "${chain.type}"`);
    }
    if (!HOOKS.includes(chain.hook)) throw invalidArgument(context, `bad hook "${chain.hook}"`);
    if (!Number.isInteger(chain.priority) || Math.abs(chain.priority) > 2 ** 31 - 1) {
      throw invalidArgument(context, `bad priority ${chain.priority}`);
    }
    const policy = chain.policy ?? "accept";
    if (policy !== "accept" && policy !== "drop") {
      throw invalidArgument(context, `bad policy "${policy}"`);
    }
    this.ops.push({ op: "addBaseChain", chain: { ...chain, policy } });
  }

  addChain(table: string, chain: string): void {
    this.ops.push({
      op: "addChain",
      table: checkName(table, "addChain"),
      chain: checkName(chain, "addChain"),
    });
  }

  flushChain(table: string, chain: string): void {
    this.ops.push({
      op: "flushChain",
      table: checkName(table, "flushChain"),
      chain: checkName(chain, "flushChain"),
    });
  }

  deleteChain(table: string, chain: string): void {
    this.ops.push({
      op: "deleteChain",
      table: checkName(table, "deleteChain"),
      chain: checkName(chain, "deleteChain"),
    });
  }

  addRule(table: string, chain: string, rule: FWRule): void {
    checkName(table, "addRule");
    checkName(chain, "addRule");
    this.ops.push({ op: "addRule", table, chain, rule: checkRule(rule) });
  }

  deleteRuleByHandle(table: string, chain: string, handle: bigint): void {
    checkName(table, "deleteRuleByHandle");
    checkName(chain, "deleteRuleByHandle");
    if (typeof handle !== "bigint" || handle <= 0n) {
      throw invalidArgument({ operation: "deleteRuleByHandle" }, `bad rule handle ${handle}`);
    }
    this.ops.push({ op: "deleteRule", table, chain, handle });
  }

  get size(): number {
    return this.ops.length;
  }

  abstract commit(options?: CommitOptions): Promise<CommitResult>;
}

/** Throws `invalidArgument` unless `name` is a table or chain name (letters, digits, `_.-`). */
export function checkName(name: string, operation: string): string {
  if (typeof name !== "string" || !NAME.test(name)) {
    throw invalidArgument(
      { operation, interface: String(name) },
      "bad table or chain name: 1..64 of letters, digits, '_', '.', '-', not starting with a digit",
    );
  }
  return name;
}

/** A copy of `rule` with every field checked. */
function checkRule(rule: FWRule): FWRule {
  const context: NetworkErrorContext = { operation: "addRule" };
  for (const [key, value] of Object.entries(rule)) {
    if (typeof value === "string" && UNSAFE.test(value)) {
      throw invalidArgument(
        context,
        `unsafe token in nft rule field ${key}: ${JSON.stringify(value)}`,
      );
    }
  }
  if (!VERDICTS.includes(rule.action)) {
    throw invalidArgument(context, `bad verdict "${rule.action}"`);
  }
  const out: FWRule = { action: rule.action };
  let family: 4 | 6 | undefined;
  for (const key of ["srcAddr", "dstAddr"] as const) {
    const value = rule[key];
    if (value === undefined) continue;
    let parsed;
    try {
      parsed = parseCidr(value);
    } catch (err) {
      throw invalidArgument(context, `bad ${key} "${value}": ${(err as Error).message}`);
    }
    if (family !== undefined && parsed.family !== family) {
      throw invalidArgument(context, "srcAddr and dstAddr are of different families");
    }
    family = parsed.family;
    out[key] = value;
  }
  if (rule.proto !== undefined) {
    if (rule.proto !== "tcp" && rule.proto !== "udp") {
      throw invalidArgument(context, `unsupported protocol "${rule.proto}"`);
    }
    out.proto = rule.proto;
  }
  if (rule.dstPort !== undefined) {
    if (!Number.isInteger(rule.dstPort) || rule.dstPort < 1 || rule.dstPort > 65535) {
      throw invalidArgument(context, `invalid port ${rule.dstPort}`);
    }
    if (rule.proto === undefined) throw invalidArgument(context, "a port needs a protocol");
    out.dstPort = rule.dstPort;
  }
  if (rule.oifName !== undefined) {
    const problem = interfaceNameProblem(rule.oifName);
    if (problem !== undefined) throw invalidArgument(context, `bad oifName: ${problem}`);
    out.oifName = rule.oifName;
    if (rule.oifNeg) out.oifNeg = true;
  } else if (rule.oifNeg) {
    throw invalidArgument(context, "oifNeg needs oifName");
  }
  if (rule.ctState !== undefined) {
    const states = rule.ctState.split(",");
    if (states.some((s) => !CT_STATES.has(s))) {
      throw invalidArgument(context, `bad ctState "${rule.ctState}"`);
    }
    out.ctState = rule.ctState;
  }
  if (rule.counter) out.counter = true;
  if (rule.action === "jump") {
    out.jumpTarget = checkName(rule.jumpTarget ?? "", "addRule");
  } else if (rule.jumpTarget !== undefined) {
    throw invalidArgument(context, "jumpTarget needs action jump");
  }
  return out;
}

/** The address family of a checked rule's addresses, or `undefined` when it matches none. */
export function ruleFamily(rule: FWRule): 4 | 6 | undefined {
  const address = rule.srcAddr ?? rule.dstAddr;
  return address === undefined ? undefined : parseCidr(address).family;
}
