// Copyright 2026 the aos-common authors. Apache-2.0 license.
// TrafficControl in throw-away namespaces, judged by `tc -j` and real transfers.
import assert from "node:assert/strict";
import { InterfaceManager } from "../../network/interface_manager.ts";
import { TrafficControl } from "../../network/traffic_control.ts";
import { ifbName } from "../../network/names.ts";
import { NetworkError } from "../../network/errors.ts";
import {
  kernelFeatures,
  links,
  Peer,
  privileged,
  qdiscs,
  reportIgnored,
  sh,
  type TestNamespace,
  withNamespaces,
} from "./_fixture.ts";

reportIgnored("traffic_control_test.ts");
const ignore = !privileged;

function isError(kind: string, text?: RegExp) {
  return (err: unknown) => {
    assert.ok(err instanceof NetworkError, String(err));
    assert.equal(err.kind, kind, String(err));
    if (text !== undefined) assert.match(err.message, text);
    return true;
  };
}

/** Two namespaces joined by a veth pair: `va` 10.88.0.1 in `a`, `vb` 10.88.0.2 in `b`. */
async function pair(a: TestNamespace, b: TestNamespace): Promise<void> {
  using m = new InterfaceManager({ netnsPath: a.path });
  await m.createVethToNamespace("va", "vb", b.path);
  await m.addAddress("va", "10.88.0.1/24");
  await m.addAddress("vb", "10.88.0.2/24", b.path);
  await m.setupLink("vb", b.path);
}

/** Sends `bytes` from `from` to `to` (listening on `host`) and returns how long the receiver took. */
async function transfer(
  from: TestNamespace,
  to: TestNamespace,
  host: string,
  bytes: number,
): Promise<number> {
  const sink = await Peer.serve(to, "sink", host, 7100);
  const sent = await Peer.run(from, "send", host, 7100, bytes);
  assert.equal(sent.sent, bytes, JSON.stringify(sent));
  const received = await sink.result();
  assert.equal(received.bytes, bytes, JSON.stringify(received));
  return received.ms as number;
}

Deno.test("root TBF: added, read back, replaced, removed; other root qdiscs left alone", {
  ignore,
}, async () => {
  await withNamespaces(2, async (a, b) => {
    await pair(a, b);
    using tc = new TrafficControl({ netnsPath: a.path });
    await tc.addRootTBFQdisc("va", { rate: 125000, burst: 12800, limit: 51200 });
    let root = (await qdiscs(a)).find((q) => q.dev === "va" && q.root);
    assert.deepEqual([root?.kind, root?.handle], ["tbf", "1:"]);
    assert.equal(root?.options?.rate, 125000);
    assert.equal(root?.options?.burst, 12800);
    assert.deepEqual((await tc.getQdiscs("va")).find((q) => q.parent === "root"), {
      kind: "tbf",
      handle: "1:",
      parent: "root",
      tbf: { rate: 125000n, burst: 12800, limit: 51200 },
    });
    await tc.addRootTBFQdisc("va", { rate: 5_000_000n, burst: 25600, limit: 102400 });
    root = (await qdiscs(a)).find((q) => q.dev === "va" && q.root);
    assert.equal(root?.options?.rate, 5_000_000);
    assert.equal((await qdiscs(a)).filter((q) => q.dev === "va" && q.kind === "tbf").length, 1);
    await tc.delRootTBFQdisc("va");
    assert.ok(!(await qdiscs(a)).some((q) => q.dev === "va" && q.kind === "tbf"));
    await tc.delRootTBFQdisc("va"); // nothing to delete
    await tc.delRootTBFQdisc("no-such-link");
    await sh("tc", "-n", a.name, "qdisc", "add", "dev", "va", "root", "handle", "1:", "htb");
    await tc.delRootTBFQdisc("va");
    assert.equal((await qdiscs(a)).find((q) => q.dev === "va" && q.root)?.kind, "htb");
  });
});

Deno.test(
  "TBF parameters out of tc's range and missing links are refused",
  { ignore },
  async () => {
    await withNamespaces(2, async (a, b) => {
      await pair(a, b);
      using tc = new TrafficControl({ netnsPath: a.path });
      const range = /TBF parameter exceeds tc range/;
      await assert.rejects(
        tc.addRootTBFQdisc("va", { rate: 2 ** 31, burst: 1, limit: 1 }),
        isError("invalidArgument", range),
      );
      await assert.rejects(
        tc.addRootTBFQdisc("va", { rate: 1000, burst: 2 ** 31, limit: 1 }),
        isError("invalidArgument", range),
      );
      await assert.rejects(
        tc.addRootTBFQdisc("va", { rate: 1000, burst: 1, limit: 0 }),
        isError("invalidArgument", range),
      );
      await assert.rejects(
        tc.addRootTBFQdisc("nolink", { rate: 1000, burst: 1000, limit: 1000 }),
        isError("notFound", /interface not found/),
      );
      assert.ok(!(await qdiscs(a)).some((q) => q.kind === "tbf"));
    });
  },
);

Deno.test("ingress qdisc and the mirred redirect to an IFB (matchall, or u32 without it)", {
  ignore,
}, async () => {
  const features = await kernelFeatures();
  await withNamespaces(2, async (a, b) => {
    await pair(a, b);
    using m = new InterfaceManager({ netnsPath: a.path });
    using tc = new TrafficControl({ netnsPath: a.path });
    await tc.addIngressQdisc("va");
    await assert.rejects(tc.addIngressQdisc("va"), isError("alreadyExist"));
    await m.createLink("ifb9", "ifb");
    await m.setupLink("ifb9");
    await tc.addIngressMirredFilter("va", "ifb9");
    await assert.rejects(tc.addIngressMirredFilter("va", "nolink"), isError("notFound"));
    const filters = JSON.parse(
      await sh("tc", "-n", a.name, "-j", "filter", "show", "dev", "va", "ingress"),
    ) as {
      kind: string;
      options?: { actions?: { kind: string; to_dev: string; mirred_action: string }[] };
    }[];
    const expected = features.matchall.available ? "matchall" : "u32";
    const withAction = filters.find((f) => f.options?.actions !== undefined)!;
    assert.equal(withAction.kind, expected);
    assert.deepEqual(
      withAction.options!.actions!.map((x) => [x.kind, x.mirred_action, x.to_dev]),
      [["mirred", "redirect", "ifb9"]],
    );
    await tc.delIngressQdisc("va");
    assert.ok(!(await qdiscs(a)).some((q) => q.dev === "va" && q.kind === "ingress"));
    await tc.delIngressQdisc("va");
    await tc.delIngressQdisc("no-such-link");
  });
});

Deno.test("setBandwidth: both directions read back, re-set, and cleared with the IFB", {
  ignore,
}, async () => {
  await withNamespaces(2, async (a, b) => {
    await pair(a, b);
    using tc = new TrafficControl({ netnsPath: a.path });
    await tc.setBandwidth("va", { egressKbit: 1000, ingressKbit: 8000 });
    const ifb = ifbName("va");
    assert.ok((await links(a)).get(ifb)?.flags.includes("UP"));
    const kernel = await qdiscs(a);
    assert.equal(kernel.find((q) => q.dev === "va" && q.root)?.options?.rate, 125000);
    assert.ok(kernel.some((q) => q.dev === "va" && q.kind === "ingress"));
    assert.equal(kernel.find((q) => q.dev === ifb && q.root)?.options?.rate, 1_000_000);
    assert.deepEqual(await tc.getBandwidth("va"), {
      egress: { rate: 125000n, burst: 12800, limit: 51200 },
      ingress: { rate: 1_000_000n, burst: 12800, limit: 51200 },
    });
    await tc.setBandwidth("va", { ingressKbit: 4000 });
    assert.equal((await tc.getBandwidth("va")).ingress?.rate, 500_000n);
    await tc.clearBandwidth("va");
    assert.ok(!(await links(a)).has(ifb));
    assert.ok(
      !(await qdiscs(a)).some((q) => q.dev === "va" && (q.kind === "tbf" || q.kind === "ingress")),
    );
    assert.deepEqual(await tc.getBandwidth("va"), {});
    await tc.clearBandwidth("va");
    await tc.setBandwidth("va", {}); // no limits: nothing to do
    assert.ok(!(await qdiscs(a)).some((q) => q.kind === "tbf"));
    await assert.rejects(tc.setBandwidth("va", { egressKbit: -5 }), isError("invalidArgument"));
  });
});

Deno.test("an egress limit measurably slows a TCP transfer, and removing it restores the speed", {
  ignore,
}, async () => {
  await withNamespaces(2, async (a, b) => {
    await pair(a, b);
    using tc = new TrafficControl({ netnsPath: a.path });
    const bytes = 1_000_000;
    const free = await transfer(a, b, "10.88.0.2", bytes);
    await tc.setBandwidth("va", { egressKbit: 8000 }); // 1 MB/s: about a second
    const limited = await transfer(a, b, "10.88.0.2", bytes);
    await tc.clearBandwidth("va");
    const freeAgain = await transfer(a, b, "10.88.0.2", bytes);
    // deno-lint-ignore no-console
    console.log(
      `1 MB: ${free.toFixed(0)} ms free, ${limited.toFixed(0)} ms at 8 Mbit/s, ${
        freeAgain.toFixed(0)
      } ms freed`,
    );
    assert.ok(
      limited > 3 * Math.max(free, freeAgain, 10),
      `limited ${limited} ms vs free ${free} ms`,
    );
  });
});

Deno.test("an ingress limit (IFB and mirred) measurably slows what the interface receives", {
  ignore,
}, async () => {
  await withNamespaces(2, async (a, b) => {
    await pair(a, b);
    using tc = new TrafficControl({ netnsPath: a.path });
    const bytes = 1_000_000;
    const free = await transfer(b, a, "10.88.0.1", bytes);
    await tc.setBandwidth("va", { ingressKbit: 8000 });
    const limited = await transfer(b, a, "10.88.0.1", bytes);
    // deno-lint-ignore no-console
    console.log(`1 MB in: ${free.toFixed(0)} ms free, ${limited.toFixed(0)} ms at 8 Mbit/s`);
    assert.ok(limited > 3 * Math.max(free, 10), `limited ${limited} ms vs free ${free} ms`);
  });
});
