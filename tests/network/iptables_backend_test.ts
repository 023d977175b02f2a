// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Firewall over the iptables backend in throw-away namespaces, judged by
// `iptables-save` and by real connections.
import assert from "node:assert/strict";
import { Firewall } from "../../network/firewall.ts";
import { IptablesBackend } from "../../network/iptables_backend.ts";
import { errorIs } from "../../utils/errors.ts";
import {
  connects,
  instanceTopology,
  nsh,
  privileged,
  reportIgnored,
  type TestNamespace,
  withNamespaces,
} from "./_fixture.ts";

reportIgnored("iptables_backend_test.ts");

function iptablesProblem(): string | undefined {
  try {
    new Deno.Command("iptables-restore", { args: ["--version"], stdout: "null", stderr: "null" })
      .outputSync();
    return undefined;
  } catch {
    return "needs iptables (iptables-restore)";
  }
}
const problem = privileged ? iptablesProblem() : "not privileged";
// deno-lint-ignore no-console
if (privileged && problem !== undefined) console.warn(`iptables_backend_test.ts: ${problem}`);
const ignore = problem !== undefined;

/** `iptables-save` of one table without comments and counters. */
async function saved(ns: TestNamespace, table: string): Promise<string[]> {
  const text = await nsh(ns, "iptables-save", "-t", table);
  return text.split("\n").filter((l) => l !== "" && !l.startsWith("#"));
}

Deno.test("iptables: the ruleset as iptables-save shows it, update, removal, listing", {
  ignore,
}, async () => {
  await withNamespaces(1, async (ns) => {
    const backend = new IptablesBackend({ netnsPath: ns.path });
    const firewall = new Firewall(backend);
    await firewall.start();
    await firewall.start();
    await firewall.addInstance({
      instanceId: "a-long-instance-identifier-0123456789",
      ip: "172.30.0.2",
      subnet: "172.30.0.0/16",
      allowedInputs: [{ port: 8080 }],
    });
    await firewall.addMasquerade({ subnet: "172.30.0.0/16", bridge: "br-aos" });
    const filter = await saved(ns, "filter");
    const chain = filter.find((l) => l.startsWith(":aos-instance_a_long"))!.split(" ")[0]!.slice(1);
    assert.ok(chain.length <= 28, chain);
    assert.deepEqual(filter.filter((l) => l.includes(`-A ${chain} `)), [
      `-A ${chain} -m comment --comment "aos-chain aos instance_a_long_instance_identifier_0123456789"`,
      `-A ${chain} -s 172.30.0.0/16 -d 172.30.0.2/32 -j ACCEPT`,
      `-A ${chain} -s 172.30.0.2/32 -d 172.30.0.0/16 -j ACCEPT`,
      `-A ${chain} -d 172.30.0.2/32 -p tcp -m tcp --dport 8080 -j ACCEPT`,
      `-A ${chain} -d 172.30.0.2/32 -j DROP`,
      `-A ${chain} -s 172.30.0.2/32 -j DROP`,
    ]);
    assert.deepEqual(
      filter.filter((l) => l.startsWith("-A aos-forward") || l.startsWith("-A FORWARD")),
      [
        "-A FORWARD -j aos-forward",
        '-A aos-forward -m comment --comment "aos-chain aos forward"',
        "-A aos-forward -m conntrack --ctstate INVALID -j DROP",
        "-A aos-forward -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
        `-A aos-forward -d 172.30.0.2/32 -j ${chain}`,
        `-A aos-forward -s 172.30.0.2/32 -j ${chain}`,
        "-A aos-forward -m comment --comment aos-policy -j DROP",
      ],
    );
    assert.ok(
      (await saved(ns, "nat")).includes(
        "-A aos-postrouting -s 172.30.0.0/16 ! -o br-aos -j MASQUERADE",
      ),
    );
    const listed = await backend.listChainRules("aos", "forward");
    assert.deepEqual(listed.map((r) => [r.handle, r.rule.action, r.rule.jumpTarget ?? ""]), [
      [2n, "drop", ""],
      [3n, "accept", ""],
      [4n, "jump", "instance_a_long_instance_identifier_0123456789"],
      [5n, "jump", "instance_a_long_instance_identifier_0123456789"],
    ]);
    await firewall.updateInstance({
      instanceId: "a-long-instance-identifier-0123456789",
      ip: "172.30.0.3",
      allowPublicEgress: true,
    });
    assert.deepEqual(
      (await saved(ns, "filter")).filter((l) =>
        l.includes(`-A ${chain} -`) && !l.includes("comment")
      ),
      [
        `-A ${chain} -d 172.30.0.3/32 -j DROP`,
        `-A ${chain} -s 172.30.0.3/32 -j ACCEPT`,
      ],
    );
    await firewall.cleanupOrphans([], []);
    const after = await saved(ns, "filter");
    assert.ok(!after.some((l) => l.includes(chain)));
    assert.ok(!(await saved(ns, "nat")).some((l) => l.includes("MASQUERADE")));
    const withHandles = backend.newTxn();
    withHandles.addRule("aos", "forward", { srcAddr: "172.30.0.8", action: "accept" });
    withHandles.addRule("aos", "forward", { srcAddr: "172.30.0.9", action: "accept" });
    const { handles } = await withHandles.commit({ handles: true });
    const forward = await backend.listChainRules("aos", "forward");
    assert.deepEqual(handles, forward.slice(-2).map((r) => r.handle));
    assert.deepEqual(forward.slice(-2).map((r) => r.rule.srcAddr), ["172.30.0.8", "172.30.0.9"]);
    const txn = backend.newTxn();
    txn.addRule("aos", "forward", { srcAddr: "fd00::1", action: "accept" });
    await assert.rejects(txn.commit(), (e) => errorIs(e, "invalidArgument"));
    await assert.rejects(backend.listChainRules("aos", "nochain"), (e) => errorIs(e, "notFound"));
  });
});

Deno.test(
  "iptables: a batch with one bad rule leaves every table as it was",
  { ignore },
  async () => {
    await withNamespaces(1, async (ns) => {
      const backend = new IptablesBackend({ netnsPath: ns.path });
      const firewall = new Firewall(backend);
      await firewall.start();
      const filter = await saved(ns, "filter");
      const nat = await saved(ns, "nat");
      const sameTable = backend.newTxn();
      sameTable.addChain("aos", "instance_b");
      sameTable.addRule("aos", "instance_b", { dstAddr: "172.30.0.3", action: "drop" });
      sameTable.deleteRuleByHandle("aos", "forward", 99n);
      await assert.rejects(sameTable.commit(), (e) => errorIs(e, "notFound"));
      // The filter table is applied first; the nat table then fails on the kernel's side.
      const twoTables = backend.newTxn();
      twoTables.addChain("aos", "instance_c");
      twoTables.addRule("aos", "forward", {
        dstAddr: "172.30.0.4",
        action: "jump",
        jumpTarget: "instance_c",
      });
      twoTables.addRule("aos", "postrouting", {
        srcAddr: "172.30.0.0/16",
        action: "jump",
        jumpTarget: "instance_c",
      });
      await assert.rejects(
        twoTables.commit(),
        (e) => errorIs(e, "failed") || errorIs(e, "notFound"),
      );
      assert.deepEqual(await saved(ns, "filter"), filter);
      assert.deepEqual(await saved(ns, "nat"), nat);
    });
  },
);

Deno.test("iptables: the firewall blocks, then allows; masquerade through a bridge", {
  ignore,
}, async () => {
  await withNamespaces(3, async (host, inst, out) => {
    await instanceTopology(host, inst, out, { routeBack: false });
    const firewall = new Firewall(new IptablesBackend({ netnsPath: host.path }));
    await firewall.start();
    await firewall.addInstance({ instanceId: "inst", ip: "172.30.0.2" });
    assert.ok(!(await connects(inst, out, "198.51.100.2", 7000)).ok, "no public egress");
    await firewall.updateInstance({
      instanceId: "inst",
      ip: "172.30.0.2",
      allowPublicEgress: true,
    });
    assert.ok(!(await connects(inst, out, "198.51.100.2", 7000)).ok, "no way back without NAT");
    await firewall.addMasquerade({ subnet: "172.30.0.0/16", bridge: "br-aos" });
    const through = await connects(inst, out, "198.51.100.2", 7000);
    assert.ok(through.ok);
    assert.equal(through.peer, "198.51.100.1");
  });
});
