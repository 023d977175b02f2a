// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Firewall rule generation and both backends' text, without privileges:
// a recording backend stands in for the kernel.
import assert from "node:assert/strict";
import { Firewall, instanceChainName } from "../../network/firewall.ts";
import type {
  CommitResult,
  FirewallBackend,
  FirewallTransaction,
  FWListedRule,
} from "../../network/firewall_types.ts";
import { StagedTransaction } from "../../network/_firewall/staged.ts";
import {
  addedRuleHandles,
  listedChains,
  listedRules,
  nftError,
  renderOp,
  renderRule,
} from "../../network/_nftables/render.ts";
import {
  chainName,
  listedRules as iptablesRules,
  parseSave,
  renderRule as iptablesRule,
} from "../../network/_iptables/rules.ts";
import { errorIs } from "../../utils/errors.ts";

/** A backend that records each committed transaction as nft text and lists nothing but the base chains. */
class RecordingBackend implements FirewallBackend {
  readonly commits: string[][] = [];
  chains: string[] = ["forward", "postrouting"];
  rules = new Map<string, FWListedRule[]>();

  newTxn(): FirewallTransaction {
    const commits = this.commits;
    return new class extends StagedTransaction {
      commit(): Promise<CommitResult> {
        commits.push(this.ops.map((op) => renderOp("inet", op)));
        return Promise.resolve({ handles: [] });
      }
    }();
  }

  listChainRules(_table: string, chain: string): Promise<FWListedRule[]> {
    return Promise.resolve(this.rules.get(chain) ?? []);
  }

  listChains(): Promise<string[]> {
    return Promise.resolve(this.chains);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

Deno.test("instance chains are named after the sanitised ID", () => {
  assert.equal(instanceChainName("a/b-1"), "instance_a_b_1");
  assert.equal(instanceChainName("Abc_9"), "instance_Abc_9");
  assert.equal(instanceChainName("é.x"), "instance___x");
});

Deno.test("an instance is one transaction: its chain, its rules in order, two jumps", async () => {
  const backend = new RecordingBackend();
  const firewall = new Firewall(backend);
  await firewall.addInstance({
    instanceId: "a/b-1",
    ip: "172.17.0.2",
    subnet: "172.17.0.0/16",
    allowedInputs: [{ port: "8080", protocol: "" }, { port: 5353, protocol: "udp" }],
    allowedOutputs: [{ dstIp: "10.1.2.3", dstPort: "443" }],
    allowPublicEgress: false,
  });
  assert.deepEqual(backend.commits, [[
    "add chain inet aos instance_a_b_1",
    "add rule inet aos instance_a_b_1 ip saddr 172.17.0.0/16 ip daddr 172.17.0.2 accept",
    "add rule inet aos instance_a_b_1 ip saddr 172.17.0.2 ip daddr 172.17.0.0/16 accept",
    "add rule inet aos instance_a_b_1 ip daddr 172.17.0.2 tcp dport 8080 accept",
    "add rule inet aos instance_a_b_1 ip daddr 172.17.0.2 udp dport 5353 accept",
    "add rule inet aos instance_a_b_1 ip saddr 172.17.0.2 ip daddr 10.1.2.3 tcp dport 443 accept",
    "add rule inet aos instance_a_b_1 ip daddr 172.17.0.2 drop",
    "add rule inet aos instance_a_b_1 ip saddr 172.17.0.2 drop",
    "add rule inet aos forward ip daddr 172.17.0.2 jump instance_a_b_1",
    "add rule inet aos forward ip saddr 172.17.0.2 jump instance_a_b_1",
  ]]);
});

Deno.test("an update flushes the chain and replaces both jumps in one transaction", async () => {
  const backend = new RecordingBackend();
  backend.chains.push("instance_x");
  backend.rules.set("forward", [
    { rule: { ctState: "invalid", action: "drop" }, handle: 3n, packets: 0n, bytes: 0n },
    {
      rule: { dstAddr: "172.17.0.2", action: "jump", jumpTarget: "instance_x" },
      handle: 9n,
      packets: 0n,
      bytes: 0n,
    },
    {
      rule: { srcAddr: "172.17.0.2", action: "jump", jumpTarget: "instance_x" },
      handle: 10n,
      packets: 0n,
      bytes: 0n,
    },
    {
      rule: { srcAddr: "172.17.0.5", action: "jump", jumpTarget: "instance_y" },
      handle: 11n,
      packets: 0n,
      bytes: 0n,
    },
  ]);
  await new Firewall(backend, { table: "t" }).updateInstance({
    instanceId: "x",
    ip: "172.17.0.3",
    allowPublicEgress: true,
  });
  assert.deepEqual(backend.commits, [[
    "delete rule inet t forward handle 9",
    "delete rule inet t forward handle 10",
    "flush chain inet t instance_x",
    "add rule inet t instance_x ip daddr 172.17.0.3 drop",
    "add rule inet t instance_x ip saddr 172.17.0.3 accept",
    "add rule inet t forward ip daddr 172.17.0.3 jump instance_x",
    "add rule inet t forward ip saddr 172.17.0.3 jump instance_x",
  ]]);
});

Deno.test("masquerade is added once, removed by listing, and orphans are cleaned", async () => {
  const backend = new RecordingBackend();
  const firewall = new Firewall(backend);
  await firewall.addMasquerade({ subnet: "172.17.0.0/16", bridge: "br0" });
  assert.deepEqual(backend.commits.pop(), [
    'add rule inet aos postrouting ip saddr 172.17.0.0/16 oifname != "br0" masquerade',
  ]);
  const masq = (subnet: string, bridge: string, handle: bigint): FWListedRule => ({
    rule: { srcAddr: subnet, oifName: bridge, oifNeg: true, action: "masquerade" },
    handle,
    packets: 0n,
    bytes: 0n,
  });
  backend.rules.set("postrouting", [
    masq("172.17.0.0/16", "br0", 5n),
    masq("172.17.0.0/16", "br0", 6n),
    masq("172.18.0.0/16", "br1", 7n),
  ]);
  await firewall.addMasquerade({ subnet: "172.17.0.0/16", bridge: "br0" });
  assert.deepEqual(backend.commits.pop(), []);
  await firewall.removeMasquerade({ subnet: "172.18.0.0/16", bridge: "br1" });
  assert.deepEqual(backend.commits.pop(), ["delete rule inet aos postrouting handle 7"]);
  backend.chains.push("instance_a", "instance_b", "other");
  backend.rules.set("forward", [
    {
      rule: { dstAddr: "10.0.0.1", action: "jump", jumpTarget: "instance_a" },
      handle: 20n,
      packets: 0n,
      bytes: 0n,
    },
    {
      rule: { dstAddr: "10.0.0.2", action: "jump", jumpTarget: "instance_b" },
      handle: 21n,
      packets: 0n,
      bytes: 0n,
    },
  ]);
  await firewall.cleanupOrphans(["b"], [{ subnet: "172.17.0.0/16", bridge: "br0" }]);
  assert.deepEqual(backend.commits.pop(), [
    "delete rule inet aos forward handle 20",
    "flush chain inet aos instance_a",
    "delete chain inet aos instance_a",
    "delete rule inet aos postrouting handle 6",
    "delete rule inet aos postrouting handle 7",
  ]);
});

Deno.test("staged values are checked: unsafe tokens, names, ports, families", () => {
  const txn = new RecordingBackend().newTxn();
  const invalid = (e: unknown) => errorIs(e, "invalidArgument");
  for (const token of ["a b", "a;b", 'a"b', "a{b", "a}b", "a\\b", "a\nb", "a\tb"]) {
    assert.throws(
      () => txn.addRule("t", "c", { oifName: token, action: "accept" }),
      invalid,
      token,
    );
  }
  assert.throws(() => txn.addRule("t", "c", { srcAddr: "1.2.3.4;", action: "accept" }), invalid);
  assert.throws(
    () => txn.addRule("t", "c", { srcAddr: "1.2.3.4", dstAddr: "::1", action: "accept" }),
    invalid,
  );
  assert.throws(
    () => txn.addRule("t", "c", { proto: "tcp", dstPort: 0, action: "accept" }),
    invalid,
  );
  assert.throws(
    () => txn.addRule("t", "c", { proto: "tcp", dstPort: 65536, action: "accept" }),
    invalid,
  );
  assert.throws(() => txn.addRule("t", "c", { dstPort: 80, action: "accept" }), invalid);
  assert.throws(() => txn.addRule("t", "c", { proto: "icmp" as "tcp", action: "accept" }), invalid);
  assert.throws(
    () => txn.addRule("t", "c", { ctState: "established,bogus", action: "accept" }),
    invalid,
  );
  assert.throws(() => txn.addRule("t", "c", { action: "jump" }), invalid);
  assert.throws(() => txn.addRule("t", "c", { action: "jump", jumpTarget: "x;y" }), invalid);
  assert.throws(() => txn.addRule("t", "c", { action: "reject" as "drop" }), invalid);
  assert.throws(() => txn.addRule("t", "c", { oifNeg: true, action: "accept" }), invalid);
  assert.throws(() => txn.addChain("t", "1chain"), invalid);
  assert.throws(() => txn.addTable(""), invalid);
  assert.throws(
    () =>
      txn.addBaseChain({
        table: "t",
        name: "c",
        type: "route" as "nat",
        hook: "input",
        priority: 0,
      }),
    invalid,
  );
  assert.throws(
    () =>
      txn.addBaseChain({
        table: "t",
        name: "c",
        type: "nat",
        hook: "ingress" as "input",
        priority: 0,
      }),
    invalid,
  );
  assert.throws(() => txn.deleteRuleByHandle("t", "c", 0n), invalid);
  assert.equal(txn.size, 0);
});

Deno.test("nft text: expression order, IPv6, ports without a port, verdicts", () => {
  assert.equal(
    renderRule({
      ctState: "new",
      srcAddr: "10.0.0.0/8",
      dstAddr: "10.1.1.1",
      proto: "udp",
      dstPort: 53,
      oifName: "br0",
      oifNeg: true,
      counter: true,
      action: "accept",
    }),
    ' ct state new ip saddr 10.0.0.0/8 ip daddr 10.1.1.1 udp dport 53 oifname != "br0" counter accept',
  );
  assert.equal(
    renderRule({ dstAddr: "fd00::1", proto: "tcp", action: "drop" }),
    " ip6 daddr fd00::1 meta l4proto tcp drop",
  );
  assert.equal(renderRule({ action: "jump", jumpTarget: "x" }), " jump x");
  assert.equal(
    renderOp("inet", {
      op: "addBaseChain",
      chain: {
        table: "aos",
        name: "forward",
        type: "filter",
        hook: "forward",
        priority: 0,
        policy: "drop",
      },
    }),
    "add chain inet aos forward { type filter hook forward priority 0; policy drop; }",
  );
  assert.equal(
    renderOp("ip", { op: "deleteRule", table: "t", chain: "c", handle: 12n }),
    "delete rule ip t c handle 12",
  );
});

Deno.test("nft JSON: listings and echoed handles read back", () => {
  const listing = JSON.stringify({
    nftables: [
      { metainfo: { version: "1.0.6" } },
      { chain: { family: "inet", table: "aos", name: "forward", handle: 1 } },
      {
        rule: {
          family: "inet",
          table: "aos",
          chain: "forward",
          handle: 4,
          expr: [
            {
              match: {
                op: "in",
                left: { ct: { key: "state" } },
                right: ["established", "related"],
              },
            },
            { accept: null },
          ],
        },
      },
      {
        rule: {
          chain: "forward",
          handle: 5,
          expr: [
            {
              match: {
                op: "==",
                left: { payload: { protocol: "ip", field: "saddr" } },
                right: { prefix: { addr: "10.0.0.0", len: 8 } },
              },
            },
            {
              match: {
                op: "==",
                left: { payload: { protocol: "tcp", field: "dport" } },
                right: 80,
              },
            },
            { match: { op: "!=", left: { meta: { key: "oifname" } }, right: "br0" } },
            { counter: { packets: 3, bytes: 180 } },
            { jump: { target: "instance_x" } },
          ],
        },
      },
      { rule: { chain: "other", handle: 6, expr: [{ drop: null }] } },
    ],
  });
  assert.deepEqual(listedChains(listing), ["forward"]);
  assert.deepEqual(listedRules(listing, "forward"), [
    {
      rule: { action: "accept", ctState: "established,related" },
      handle: 4n,
      packets: 0n,
      bytes: 0n,
    },
    {
      rule: {
        action: "jump",
        srcAddr: "10.0.0.0/8",
        proto: "tcp",
        dstPort: 80,
        oifName: "br0",
        oifNeg: true,
        counter: true,
        jumpTarget: "instance_x",
      },
      handle: 5n,
      packets: 3n,
      bytes: 180n,
    },
  ]);
  const echo = JSON.stringify({
    nftables: [
      { add: { table: { name: "aos", handle: 1 } } },
      { add: { chain: { name: "c", handle: 2 } } },
      { add: { rule: { chain: "c", handle: 7 } } },
      { add: { rule: { chain: "c", handle: 8 } } },
    ],
  });
  assert.deepEqual(addedRuleHandles(echo), [7n, 8n]);
  assert.deepEqual(addedRuleHandles(""), []);
  const context = { operation: "commit" };
  assert.ok(
    errorIs(
      nftError("Error: Could not process rule: No such file or directory\n", context),
      "notFound",
    ),
  );
  assert.ok(
    errorIs(nftError("Error: Could not process rule: File exists\n", context), "alreadyExist"),
  );
  const eperm = nftError("Error: Operation not permitted\n", context);
  assert.match(eperm.message, /root or CAP_NET_ADMIN is needed/);
  assert.ok(errorIs(nftError("Error: syntax error\n", context), "failed"));
});

Deno.test("iptables text: rules, shortened chain names and iptables-save read back", () => {
  assert.equal(
    iptablesRule("aos", {
      srcAddr: "10.0.0.0/8",
      dstAddr: "10.1.1.1",
      proto: "tcp",
      dstPort: 80,
      oifName: "br0",
      oifNeg: true,
      ctState: "established,related",
      action: "accept",
    }),
    "-s 10.0.0.0/8 -d 10.1.1.1 -p tcp -m tcp --dport 80 ! -o br0 -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT",
  );
  assert.equal(
    iptablesRule("aos", { action: "jump", jumpTarget: "instance_x" }),
    "-j aos-instance_x",
  );
  assert.equal(iptablesRule("aos", { action: "masquerade" }), "-j MASQUERADE");
  assert.throws(
    () => iptablesRule("aos", { dstAddr: "fd00::1", action: "drop" }),
    (e) => errorIs(e, "invalidArgument"),
  );
  assert.equal(chainName("aos", "forward"), "aos-forward");
  const long = chainName("aos", "instance_0123456789abcdef0123456789");
  assert.equal(long.length, 28);
  assert.notEqual(long, chainName("aos", "instance_0123456789abcdef0123456788"));
  const save = [
    "*filter",
    ":FORWARD ACCEPT [0:0]",
    ":aos-forward - [0:0]",
    `:${long} - [0:0]`,
    "[1:60] -A FORWARD -j aos-forward",
    '[0:0] -A aos-forward -m comment --comment "aos-chain aos forward"',
    "[2:120] -A aos-forward -d 172.17.0.2/32 -j " + long,
    "[0:0] -A aos-forward -m comment --comment aos-policy -j DROP",
    `[0:0] -A ${long} -m comment --comment "aos-chain aos instance_0123456789abcdef0123456789"`,
    `[5:500] -A ${long} -s 172.17.0.2/32 ! -o br0 -p udp -m udp --dport 53 -j RETURN`,
    "COMMIT",
  ].join("\n");
  const chains = parseSave(save);
  const forward = chains.find((c) => c.name === "aos-forward")!;
  assert.deepEqual(forward.ours, { table: "aos", chain: "forward" });
  assert.equal(forward.dropPolicy, true);
  assert.deepEqual(iptablesRules(forward, chains), [{
    rule: {
      action: "jump",
      counter: true,
      dstAddr: "172.17.0.2",
      jumpTarget: "instance_0123456789abcdef0123456789",
    },
    handle: 2n,
    packets: 2n,
    bytes: 120n,
  }]);
  const instance = chains.find((c) => c.name === long)!;
  assert.deepEqual(iptablesRules(instance, chains), [{
    rule: {
      action: "return",
      counter: true,
      srcAddr: "172.17.0.2",
      oifName: "br0",
      oifNeg: true,
      proto: "udp",
      dstPort: 53,
    },
    handle: 2n,
    packets: 5n,
    bytes: 500n,
  }]);
  assert.equal(chains.find((c) => c.name === "FORWARD")!.ours, undefined);
});
