// Copyright 2026 the aos-common authors. Apache-2.0 license.
// TrafficAccounting over nftables in throw-away namespaces: counters of real
// transfers, read back and checked against `nft -j`.
import assert from "node:assert/strict";
import { NftablesBackend } from "../../network/nftables_backend.ts";
import { TrafficAccounting } from "../../network/traffic_accounting.ts";
import { errorIs } from "../../utils/errors.ts";
import {
  connects,
  instanceTopology,
  kernelFeatures,
  nftRuleset,
  Peer,
  privileged,
  reportIgnored,
  type TestNamespace,
  withNamespaces,
} from "./_fixture.ts";

reportIgnored("traffic_accounting_test.ts");
const nftables = privileged ? (await kernelFeatures()).nftables : { available: false };
const ignore = !privileged || !nftables.available;

async function send(from: TestNamespace, to: TestNamespace, host: string, bytes: number) {
  const sink = await Peer.serve(to, "sink", host, 7200);
  await Peer.run(from, "send", host, 7200, bytes);
  assert.equal((await sink.result()).bytes, bytes);
}

Deno.test(
  "traffic accounting counts an instance's and the host's traffic with the world, not local traffic",
  {
    ignore,
  },
  async () => {
    await withNamespaces(3, async (host, inst, out) => {
      await instanceTopology(host, inst, out, { routeBack: true });
      await using nft = new NftablesBackend({ netnsPath: host.path });
      const accounting = new TrafficAccounting(nft);
      await accounting.start();
      await accounting.start(); // a restart replaces the table
      await accounting.addInstance("inst/1", "172.30.0.2");
      await send(out, inst, "172.30.0.2", 300_000);
      await send(inst, out, "198.51.100.2", 100_000);
      const counted = await accounting.getInstanceTraffic("inst/1");
      assert.ok(counted.inputBytes >= 300_000n, `input ${counted.inputBytes}`);
      assert.ok(counted.outputBytes >= 100_000n, `output ${counted.outputBytes}`);
      // The kernel's own counter of the counting rule says the same.
      const rules = (await nftRuleset(host)).flatMap((item) => {
        const rule = item.rule as { chain: string; expr: Record<string, unknown>[] } | undefined;
        return rule?.chain === "in_inst_1" ? [rule] : [];
      });
      const counter = rules.at(-1)!.expr.find((e) => "counter" in e)!.counter as { bytes: number };
      assert.ok(BigInt(counter.bytes) >= counted.inputBytes);

      const system = await accounting.getSystemTraffic();
      await send(out, host, "198.51.100.1", 200_000);
      const afterWorld = await accounting.getSystemTraffic();
      assert.ok(afterWorld.inputBytes - system.inputBytes >= 200_000n);
      await send(inst, host, "172.30.0.1", 200_000);
      const afterLocal = await accounting.getSystemTraffic();
      assert.ok(
        afterLocal.inputBytes - afterWorld.inputBytes < 20_000n,
        "local traffic is not counted",
      );

      await accounting.setInstanceTrafficEnabled("inst/1", false);
      assert.ok(
        !(await connects(out, inst, "172.30.0.2", 7300)).ok,
        "a disabled instance is cut off",
      );
      assert.deepEqual(await accounting.getInstanceTraffic("inst/1"), {
        inputBytes: 0n,
        outputBytes: 0n,
      });
      await accounting.setInstanceTrafficEnabled("inst/1", true);
      assert.ok((await connects(out, inst, "172.30.0.2", 7300)).ok);

      await accounting.removeInstance("inst/1");
      await accounting.removeInstance("inst/1");
      await assert.rejects(accounting.getInstanceTraffic("inst/1"), (e) => errorIs(e, "notFound"));
      await assert.rejects(
        accounting.setInstanceTrafficEnabled("inst/1", false),
        (e) => errorIs(e, "notFound"),
      );
      await assert.rejects(
        accounting.addInstance("x", "not-an-ip"),
        (e) => errorIs(e, "invalidArgument"),
      );
      await accounting.stop();
      assert.deepEqual(await nft.listChains("aos-traffic"), []);
    });
  },
);
