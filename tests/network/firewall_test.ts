// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Firewall over the nftables backend in throw-away namespaces, judged by
// `nft -j list ruleset` and by real connections.
import assert from "node:assert/strict";
import { Firewall } from "../../network/firewall.ts";
import { NftablesBackend } from "../../network/nftables_backend.ts";
import { errorIs } from "../../utils/errors.ts";
import {
  connects,
  instanceTopology,
  kernelFeatures,
  nftRuleset,
  privileged,
  reportIgnored,
  type TestNamespace,
  withNamespaces,
} from "./_fixture.ts";

reportIgnored("firewall_test.ts");
const nftables = privileged ? (await kernelFeatures()).nftables : { available: false };
if (privileged && !nftables.available) {
  // deno-lint-ignore no-console
  console.warn(`firewall_test.ts: nftables cases ignored: ${nftables.reason}`);
}
const ignore = !privileged || !nftables.available;

/** One expression of nft's JSON as nft's own text, for the forms the ruleset uses. */
function exprText(e: Record<string, unknown>): string {
  if ("match" in e) {
    const m = e.match as {
      op: string;
      left: Record<string, Record<string, string>>;
      right: unknown;
    };
    const left = m.left.payload
      ? `${m.left.payload.protocol} ${m.left.payload.field}`
      : m.left.meta
      ? m.left.meta.key
      : `ct ${m.left.ct!.key}`;
    const r = m.right as string | number | {
      prefix?: { addr: string; len: number };
      set?: string[];
    } | string[];
    const right = typeof r === "object" && !Array.isArray(r)
      ? r.prefix ? `${r.prefix.addr}/${r.prefix.len}` : r.set!.join(",")
      : Array.isArray(r)
      ? r.join(",")
      : String(r);
    return m.op === "!=" ? `${left} != ${right}` : `${left} ${right}`;
  }
  if ("jump" in e) return `jump ${(e.jump as { target: string }).target}`;
  if ("counter" in e) return "counter";
  return Object.keys(e)[0]!;
}

/** The ruleset of a table as `{chain: [rule text, ...]}` plus each base chain's hook line. */
async function table(ns: TestNamespace, name: string) {
  const out: Record<string, string[]> = {};
  for (const item of await nftRuleset(ns)) {
    const chain = item.chain as
      | {
        table: string;
        name: string;
        type?: string;
        hook?: string;
        prio?: number;
        policy?: string;
      }
      | undefined;
    if (chain?.table === name) {
      out[chain.name] = chain.hook === undefined
        ? []
        : [`type ${chain.type} hook ${chain.hook} priority ${chain.prio}; policy ${chain.policy}`];
    }
    const rule = item.rule as
      | { table: string; chain: string; expr: Record<string, unknown>[] }
      | undefined;
    if (rule?.table === name) out[rule.chain]!.push(rule.expr.map(exprText).join(" "));
  }
  return out;
}

Deno.test("nftables: AosCore's skeleton, instance chains in order, update, removal, stop", {
  ignore,
}, async () => {
  await withNamespaces(1, async (ns) => {
    await using nft = new NftablesBackend({ netnsPath: ns.path });
    const firewall = new Firewall(nft);
    await firewall.start();
    await firewall.start(); // adopts what is there
    assert.deepEqual(await table(ns, "aos"), {
      forward: [
        "type filter hook forward priority 0; policy drop",
        "ct state invalid drop",
        "ct state established,related accept",
      ],
      postrouting: ["type nat hook postrouting priority 100; policy accept"],
    });
    await firewall.addInstance({
      instanceId: "a/b-1",
      ip: "172.30.0.2",
      subnet: "172.30.0.0/16",
      allowedInputs: [{ port: "8080" }, { port: 53, protocol: "udp" }],
      allowedOutputs: [{ dstIp: "198.51.100.7", dstPort: "443", proto: "", srcIp: "10.0.0.9" }],
    });
    let rules = await table(ns, "aos");
    assert.deepEqual(rules.instance_a_b_1, [
      "ip saddr 172.30.0.0/16 ip daddr 172.30.0.2 accept",
      "ip saddr 172.30.0.2 ip daddr 172.30.0.0/16 accept",
      "ip daddr 172.30.0.2 tcp dport 8080 accept",
      "ip daddr 172.30.0.2 udp dport 53 accept",
      "ip saddr 172.30.0.2 ip daddr 198.51.100.7 tcp dport 443 accept",
      "ip daddr 172.30.0.2 drop",
      "ip saddr 172.30.0.2 drop",
    ]);
    assert.deepEqual(rules.forward!.slice(3), [
      "ip daddr 172.30.0.2 jump instance_a_b_1",
      "ip saddr 172.30.0.2 jump instance_a_b_1",
    ]);
    await firewall.updateInstance({
      instanceId: "a/b-1",
      ip: "172.30.0.3",
      allowPublicEgress: true,
    });
    rules = await table(ns, "aos");
    assert.deepEqual(rules.instance_a_b_1, [
      "ip daddr 172.30.0.3 drop",
      "ip saddr 172.30.0.3 accept",
    ]);
    assert.deepEqual(rules.forward!.slice(3), [
      "ip daddr 172.30.0.3 jump instance_a_b_1",
      "ip saddr 172.30.0.3 jump instance_a_b_1",
    ]);
    await firewall.addMasquerade({ subnet: "172.30.0.0/16", bridge: "br-aos" });
    await firewall.addMasquerade({ subnet: "172.30.0.0/16", bridge: "br-aos" });
    assert.deepEqual((await table(ns, "aos")).postrouting!.slice(1), [
      "ip saddr 172.30.0.0/16 oifname != br-aos masquerade",
    ]);
    await firewall.addInstance({ instanceId: "keep", ip: "172.30.0.9" });
    await firewall.cleanupOrphans(["keep"], []);
    rules = await table(ns, "aos");
    assert.equal(rules.instance_a_b_1, undefined);
    assert.deepEqual(rules.postrouting!.slice(1), []);
    assert.deepEqual(rules.forward!.slice(3), [
      "ip daddr 172.30.0.9 jump instance_keep",
      "ip saddr 172.30.0.9 jump instance_keep",
    ]);
    await firewall.removeInstance("keep");
    await firewall.removeInstance("keep");
    assert.deepEqual(await table(ns, "aos"), {
      forward: [
        "type filter hook forward priority 0; policy drop",
        "ct state invalid drop",
        "ct state established,related accept",
      ],
      postrouting: ["type nat hook postrouting priority 100; policy accept"],
    });
    await firewall.addInstance({ instanceId: "x", ip: "172.30.0.4" });
    await firewall.stop();
    assert.equal((await table(ns, "aos")).instance_x, undefined);
  });
});

Deno.test(
  "nftables: bad values are refused before anything reaches the kernel",
  { ignore },
  async () => {
    await withNamespaces(1, async (ns) => {
      await using nft = new NftablesBackend({ netnsPath: ns.path });
      const firewall = new Firewall(nft);
      await firewall.start();
      const before = await nftRuleset(ns);
      const invalid = (text: RegExp) => (e: unknown) =>
        errorIs(e, "invalidArgument") && text.test(String(e));
      await assert.rejects(
        firewall.addInstance({ instanceId: "a", ip: "1.2.3.4;" }),
        invalid(/bad ip/),
      );
      await assert.rejects(
        firewall.addInstance({ instanceId: "a", ip: "" }),
        invalid(/instance IP required/),
      );
      await assert.rejects(
        firewall.addInstance({
          instanceId: "a",
          ip: "172.30.0.2",
          allowedInputs: [{ port: "80x" }],
        }),
        invalid(/invalid port/),
      );
      await assert.rejects(
        firewall.addInstance({ instanceId: "a", ip: "172.30.0.2", allowedInputs: [{ port: "" }] }),
        invalid(/access rule requires a port/),
      );
      await assert.rejects(
        firewall.addInstance({
          instanceId: "a",
          ip: "172.30.0.2",
          allowedInputs: [{ port: 80, protocol: "sctp" }],
        }),
        invalid(/unsupported protocol/),
      );
      await assert.rejects(
        firewall.addInstance({
          instanceId: "a",
          ip: "172.30.0.2",
          allowedOutputs: [{ dstIp: "", dstPort: 80 }],
        }),
        invalid(/output access requires a destination IP/),
      );
      const txn = nft.newTxn();
      assert.throws(
        () => txn.addRule("aos", "forward", { oifName: 'br0" accept', action: "drop" }),
        invalid(/unsafe token/),
      );
      assert.throws(() => txn.addChain("aos", "bad chain"), invalid(/bad table or chain name/));
      assert.deepEqual(await nftRuleset(ns), before);
      await assert.rejects(nft.listChainRules("aos", "nochain"), (e) => errorIs(e, "notFound"));
      const missing = nft.newTxn();
      missing.deleteChain("aos", "nochain");
      await assert.rejects(missing.commit(), (e) => errorIs(e, "notFound"));
      assert.deepEqual(await nft.listChains("no-table"), []);
    });
  },
);

Deno.test(
  "nftables: a batch with one bad rule leaves the ruleset as it was",
  { ignore },
  async () => {
    await withNamespaces(1, async (ns) => {
      await using nft = new NftablesBackend({ netnsPath: ns.path });
      const firewall = new Firewall(nft);
      await firewall.start();
      await firewall.addInstance({ instanceId: "a", ip: "172.30.0.2" });
      const before = await nftRuleset(ns);
      const txn = nft.newTxn();
      txn.addChain("aos", "instance_b");
      txn.addRule("aos", "instance_b", { dstAddr: "172.30.0.3", action: "drop" });
      txn.addRule("aos", "forward", {
        dstAddr: "172.30.0.3",
        action: "jump",
        jumpTarget: "instance_b",
      });
      txn.addRule("aos", "forward", {
        srcAddr: "172.30.0.3",
        action: "jump",
        jumpTarget: "no_such_chain",
      });
      txn.addRule("aos", "forward", { srcAddr: "172.30.0.4", action: "accept" });
      assert.equal(txn.size, 5);
      await assert.rejects(txn.commit(), (e) => errorIs(e, "notFound"));
      assert.deepEqual(await nftRuleset(ns), before);
      await assert.rejects(
        firewall.batch(async (b) => {
          await b.addInstance({ instanceId: "c", ip: "172.30.0.5" });
          await b.removeInstance("a");
          throw new Error("changed my mind");
        }),
        /changed my mind/,
      );
      assert.deepEqual(await nftRuleset(ns), before);
      await firewall.batch(async (b) => {
        await b.addInstance({ instanceId: "c", ip: "172.30.0.5" });
        await b.removeInstance("a");
      });
      const chains = await nft.listChains("aos");
      assert.ok(chains.includes("instance_c") && !chains.includes("instance_a"));
      const withHandles = nft.newTxn();
      withHandles.addRule("aos", "forward", {
        srcAddr: "172.30.0.8",
        counter: true,
        action: "accept",
      });
      withHandles.addRule("aos", "postrouting", { srcAddr: "172.30.0.9", action: "return" });
      const { handles } = await withHandles.commit({ handles: true });
      assert.equal(handles.length, 2);
      assert.equal((await nft.listChainRules("aos", "forward")).at(-1)!.handle, handles[0]);
      assert.equal((await nft.listChainRules("aos", "postrouting")).at(-1)!.handle, handles[1]);
      const without = nft.newTxn();
      without.addRule("aos", "forward", { srcAddr: "172.30.0.10", action: "accept" });
      assert.deepEqual(await without.commit(), { handles: [] });
    });
  },
);

Deno.test("nftables: the firewall blocks a connection, then allows it for the instance's port", {
  ignore,
}, async () => {
  await withNamespaces(3, async (host, inst, out) => {
    await instanceTopology(host, inst, out, { routeBack: true });
    assert.ok((await connects(out, inst, "172.30.0.2", 8080)).ok, "open before the firewall");
    await using nft = new NftablesBackend({ netnsPath: host.path });
    const firewall = new Firewall(nft);
    await firewall.start();
    assert.ok(!(await connects(out, inst, "172.30.0.2", 8080)).ok, "the forward policy drops");
    await firewall.addInstance({
      instanceId: "inst",
      ip: "172.30.0.2",
      subnet: "172.30.0.0/16",
      allowedInputs: [{ port: 8080 }],
    });
    const allowed = await connects(out, inst, "172.30.0.2", 8080);
    assert.ok(allowed.ok, "the instance's port is open");
    assert.equal(allowed.peer, "198.51.100.2");
    assert.ok(!(await connects(out, inst, "172.30.0.2", 9090)).ok, "other ports stay closed");
    assert.ok(!(await connects(inst, out, "198.51.100.2", 7000)).ok, "no public egress");
    await firewall.updateInstance({
      instanceId: "inst",
      ip: "172.30.0.2",
      allowedOutputs: [{ dstIp: "198.51.100.2", dstPort: 7000 }],
    });
    assert.ok((await connects(inst, out, "198.51.100.2", 7000)).ok, "an allowed output");
    assert.ok(!(await connects(out, inst, "172.30.0.2", 8080)).ok, "the input is gone");
    await firewall.removeInstance("inst");
    assert.ok(!(await connects(inst, out, "198.51.100.2", 7000)).ok);
  });
});

Deno.test("nftables: NAT masquerade from a namespace through a bridge", { ignore }, async () => {
  await withNamespaces(3, async (host, inst, out) => {
    await instanceTopology(host, inst, out, { routeBack: false });
    await using nft = new NftablesBackend({ netnsPath: host.path });
    const firewall = new Firewall(nft);
    await firewall.start();
    await firewall.addInstance({ instanceId: "inst", ip: "172.30.0.2", allowPublicEgress: true });
    assert.ok(!(await connects(inst, out, "198.51.100.2", 7000)).ok, "no way back without NAT");
    await firewall.addMasquerade({ subnet: "172.30.0.0/16", bridge: "br-aos" });
    const through = await connects(inst, out, "198.51.100.2", 7000);
    assert.ok(through.ok, "masqueraded");
    assert.equal(through.peer, "198.51.100.1", "the world sees the host's uplink address");
    await firewall.removeMasquerade({ subnet: "172.30.0.0/16", bridge: "br-aos" });
    assert.ok(!(await connects(inst, out, "198.51.100.2", 7000)).ok);
  });
});
