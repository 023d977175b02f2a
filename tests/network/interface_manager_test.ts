// Copyright 2026 the aos-common authors. Apache-2.0 license.
// InterfaceManager in throw-away namespaces, judged by `ip -j`.
import assert from "node:assert/strict";
import { InterfaceManager } from "../../network/interface_manager.ts";
import { NetworkError } from "../../network/errors.ts";
import type { ErrorKind } from "../../utils/errors.ts";
import {
  ipJson,
  kernelFeatures,
  links,
  Peer,
  privileged,
  reportIgnored,
  withNamespaces,
} from "./_fixture.ts";

reportIgnored("interface_manager_test.ts");
const ignore = !privileged;

interface IpAddr {
  ifname: string;
  "addr_info": {
    family: string;
    local: string;
    prefixlen: number;
    broadcast?: string;
    label?: string;
  }[];
}

function isError(kind: ErrorKind, errno?: number, text?: RegExp) {
  return (err: unknown) => {
    assert.ok(err instanceof NetworkError, `not a NetworkError: ${err}`);
    assert.equal(err.kind, kind, String(err));
    if (errno !== undefined) assert.equal(err.errno, errno, String(err));
    if (text !== undefined) assert.match(err.message, text);
    return true;
  };
}

Deno.test("bad names and CIDRs are refused before any system call", async () => {
  // The namespace does not exist: any system call would fail with notFound instead.
  using m = new InterfaceManager({ netnsPath: "/nonexistent/netns" });
  const bad = ["", "a-name-longer-than-15", "a/b", "a b", "a:b", ".", "..", "tab\tname"];
  for (const name of bad) {
    await assert.rejects(
      m.createBridge(name, "10.0.0.1", "10.0.0.0/8"),
      isError("invalidArgument"),
    );
    await assert.rejects(m.deleteLink(name), isError("invalidArgument"));
    await assert.rejects(m.createVeth("ok0", name), isError("invalidArgument"));
  }
  await assert.rejects(
    m.createBridge("br0", "10.0.0.256", "10.0.0.0/8"),
    isError("invalidArgument"),
  );
  await assert.rejects(
    m.createBridge("br0", "10.0.0.1", "10.0.0.0/33"),
    isError("invalidArgument"),
  );
  await assert.rejects(
    m.addAddress("eth0", "10.0.0.2"),
    isError("invalidArgument", undefined, /expected CIDR form ip\/mask not found/),
  );
  await assert.rejects(
    m.configureInstanceInterface("eth0", "10.0.0.2", "10.0.0.1", ""),
    isError("invalidArgument", undefined, /expected CIDR form/),
  );
  await assert.rejects(
    m.addRoute("10.1.0.0/16", "nope"),
    isError("invalidArgument", undefined, /failed to parse gateway: nope/),
  );
  await assert.rejects(
    m.addRoute("10.1.0/16", "10.0.0.1"),
    isError("invalidArgument", undefined, /failed to parse destination/),
  );
  await assert.rejects(m.createVlan("v0", 4095), isError("invalidArgument"));
  await assert.rejects(m.createLink("x0", "bad kind"), isError("invalidArgument"));
  const err = await m.deleteLink("a/b").catch((e) => e);
  assert.equal(err.operation, "deleteLink");
  assert.equal(err.interface, "a/b");
});

Deno.test("createBridge makes an up bridge with its address and broadcast, and is idempotent", {
  ignore,
}, async () => {
  await withNamespaces(1, async (ns) => {
    using m = new InterfaceManager({ netnsPath: ns.path });
    await m.createBridge("br-t", "172.30.0.1", "172.30.0.0/16");
    await m.createBridge("br-t", "172.30.0.1", "172.30.0.0/16");
    const br = (await links(ns)).get("br-t")!;
    assert.equal(br.linkinfo?.info_kind, "bridge");
    assert.ok(br.flags.includes("UP"));
    const [addr] = await ipJson<IpAddr[]>(ns, "addr", "show", "dev", "br-t");
    const v4 = addr!.addr_info.filter((a) => a.family === "inet");
    assert.deepEqual(v4.map((a) => [a.local, a.prefixlen, a.broadcast]), [
      ["172.30.0.1", 16, "172.30.255.255"],
    ]);
    const info = await m.getLink("br-t");
    assert.equal(info.kind, "bridge");
    assert.equal(info.up, true);
    assert.equal(info.master, "");
    assert.equal(info.vlanId, 0);
  });
});

Deno.test(
  "createVethToNamespace: host end up in the bridge, peer down inside; deleting one end removes both",
  {
    ignore,
  },
  async () => {
    await withNamespaces(2, async (host, inst) => {
      using m = new InterfaceManager({ netnsPath: host.path });
      await m.createBridge("br-t", "172.30.0.1", "172.30.0.0/16");
      await m.createVethToNamespace("vh0", "eth0", inst.path, "br-t");
      const hostLinks = await links(host);
      assert.equal(hostLinks.get("vh0")?.master, "br-t");
      assert.ok(hostLinks.get("vh0")!.flags.includes("UP"));
      assert.ok(!hostLinks.has("eth0"), "the peer is not in the host namespace");
      const eth0 = (await links(inst)).get("eth0");
      assert.ok(eth0 !== undefined, "the peer is inside");
      assert.ok(!eth0.flags.includes("UP"));
      const info = await m.getLink("vh0");
      assert.deepEqual([info.kind, info.master, info.up], ["veth", "br-t", true]);
      const inside = await m.getLink("eth0", inst.path);
      assert.deepEqual([inside.kind, inside.up], ["veth", false]);
      await m.deleteLink("vh0");
      assert.ok(!(await links(host)).has("vh0"));
      assert.ok(!(await links(inst)).has("eth0"), "the peer went with it");
    });
  },
);

Deno.test(
  "configureInstanceInterface brings the link up with its address and default route, re-runnably",
  {
    ignore,
  },
  async () => {
    await withNamespaces(2, async (host, inst) => {
      using m = new InterfaceManager({ netnsPath: host.path });
      await m.createBridge("br-t", "172.30.0.1", "172.30.0.0/16");
      await m.createVethToNamespace("vh0", "eth0", inst.path, "br-t");
      await m.configureInstanceInterface("eth0", "172.30.0.2/16", "172.30.0.1", inst.path);
      await m.configureInstanceInterface("eth0", "172.30.0.2/16", "172.30.0.1", inst.path);
      assert.ok((await links(inst)).get("eth0")!.flags.includes("UP"));
      const [addr] = await ipJson<IpAddr[]>(inst, "addr", "show", "dev", "eth0");
      assert.deepEqual(
        addr!.addr_info.filter((a) => a.family === "inet").map((a) => `${a.local}/${a.prefixlen}`),
        ["172.30.0.2/16"],
      );
      const routes = await ipJson<
        { dst: string; gateway?: string; dev: string; protocol?: string }[]
      >(
        inst,
        "route",
        "show",
      );
      const defaults = routes.filter((r) => r.dst === "default");
      assert.deepEqual(defaults.map((r) => [r.gateway, r.dev, r.protocol]), [
        ["172.30.0.1", "eth0", "static"],
      ]);
      // An empty path is the manager's own namespace (AosCore failed instead).
      using inside = new InterfaceManager({ netnsPath: inst.path });
      await inside.configureInstanceInterface("eth0", "172.30.0.2/16", "172.30.0.1", "");
    });
  },
);

Deno.test("a veth pair between two namespaces with our addresses passes a TCP echo", {
  ignore,
}, async () => {
  await withNamespaces(2, async (a, b) => {
    using m = new InterfaceManager({ netnsPath: a.path });
    await m.createVethToNamespace("va", "vb", b.path);
    await m.addAddress("va", "10.77.0.1/24");
    await m.addAddress("vb", "10.77.0.2/24", b.path);
    await m.setupLink("vb", b.path);
    const server = await Peer.serve(b, "serve", "10.77.0.2", 7007);
    const client = await Peer.run(a, "echo", "10.77.0.2", 7007, "hello through veth");
    const served = await server.result();
    assert.deepEqual(client, { reply: "hello through veth" });
    assert.equal(served.peer, "10.77.0.1");
  });
});

Deno.test("failures carry the operation, the interface and the errno", { ignore }, async () => {
  await withNamespaces(1, async (ns) => {
    using m = new InterfaceManager({ netnsPath: ns.path });
    await assert.rejects(m.deleteLink("nope"), isError("notFound", 19));
    await assert.rejects(m.setupLink("nope"), isError("notFound", 19));
    await assert.rejects(m.getLink("nope"), isError("notFound"));
    await m.createVeth("v0", "v1");
    const exists = await m.createVeth("v0", "v2").catch((e) => e);
    isError("alreadyExist", 17)(exists);
    assert.equal(exists.operation, "createVeth");
    assert.equal(exists.interface, "v0");
    await m.createBridge("br0", "10.9.0.1", "10.9.0.0/24");
    await assert.rejects(
      m.setMasterLink("v0", "nobr"),
      isError("notFound", undefined, /master interface not found nobr/),
    );
    await assert.rejects(
      m.setMasterLink("nolink", "br0"),
      isError("notFound", undefined, /slave interface not found nolink/),
    );
    await m.setMasterLink("v0", "br0");
    assert.equal((await links(ns)).get("v0")?.master, "br0");
    await assert.rejects(
      m.moveLinkToNamespace("v1", "/run/netns/aos-missing-namespace"),
      isError("notFound", 2, /failed to open netns \/run\/netns\/aos-missing-namespace/),
    );
    await assert.rejects(m.moveLinkToNamespace("nolink", ns.path), isError("notFound"));
    await assert.rejects(m.addAddress("nolink", "10.0.0.1/8"), isError("notFound"));
  });
});

Deno.test("renameLink and moveLinkToNamespace", { ignore }, async () => {
  await withNamespaces(2, async (a, b) => {
    using m = new InterfaceManager({ netnsPath: a.path });
    await m.createVeth("ra", "rb");
    await m.moveLinkToNamespace("rb", b.path);
    assert.ok(!(await links(a)).has("rb"));
    await m.renameLink("rb", "eth1", b.path);
    const inB = await links(b);
    assert.ok(inB.has("eth1") && !inB.has("rb"));
    await assert.rejects(m.renameLink("gone", "x", b.path), isError("notFound"));
    await m.createVeth("ta", "tb");
    await assert.rejects(m.renameLink("ta", "tb"), isError("alreadyExist", 17));
  });
});

Deno.test("addresses: add with a label, list, delete, IPv6", { ignore }, async () => {
  await withNamespaces(1, async (ns) => {
    using m = new InterfaceManager({ netnsPath: ns.path });
    await m.createVeth("a0", "a1");
    await m.addAddr("a0", { ip: "10.5.0.7", subnet: "10.5.0.0/24", label: "a0:web" });
    await m.addAddr("a0", { ip: "10.5.0.7", subnet: "10.5.0.0/24", label: "a0:web" });
    await m.addAddr("a0", { ip: "fd00::7", subnet: "fd00::/64" });
    const [kernel] = await ipJson<IpAddr[]>(ns, "addr", "show", "dev", "a0");
    const v4 = kernel!.addr_info.find((x) => x.family === "inet")!;
    assert.deepEqual([v4.local, v4.prefixlen, v4.broadcast, v4.label], [
      "10.5.0.7",
      24,
      "10.5.0.255",
      "a0:web",
    ]);
    assert.ok(kernel!.addr_info.some((x) => x.family === "inet6" && x.local === "fd00::7"));
    assert.deepEqual(await m.getAddrList("a0"), [{
      ip: "10.5.0.7",
      subnet: "10.5.0.7/24",
      family: "inet",
      label: "a0:web",
      broadcast: "10.5.0.255",
    }]);
    const v6 = await m.getAddrList("a0", "inet6");
    assert.ok(v6.some((x) => x.ip === "fd00::7" && x.subnet === "fd00::7/64"));
    await m.deleteAddr("a0", { ip: "10.5.0.7", subnet: "10.5.0.0/24" });
    assert.deepEqual(await m.getAddrList("a0"), []);
    const [after] = await ipJson<IpAddr[]>(ns, "addr", "show", "dev", "a0");
    assert.ok(!after!.addr_info.some((x) => x.family === "inet"));
  });
});

Deno.test("routes: add, identical route refused, listed as the kernel lists them", {
  ignore,
}, async () => {
  await withNamespaces(1, async (ns) => {
    using m = new InterfaceManager({ netnsPath: ns.path });
    await m.createVeth("r0", "r1");
    await m.setupLink("r0");
    await m.setupLink("r1");
    await m.addAddress("r0", "10.6.0.1/24");
    await m.addRoute("10.200.0.0/16", "10.6.0.254");
    await m.addRoute("10.201.0.5/16", "10.6.0.254"); // host bits are cleared
    await m.addRoute("0.0.0.0/0", "10.6.0.254");
    await assert.rejects(m.addRoute("10.200.0.0/16", "10.6.0.254"), isError("alreadyExist", 17));
    const kernel = await ipJson<{ dst: string; gateway?: string }[]>(ns, "route", "show");
    assert.deepEqual(
      kernel.filter((r) => r.gateway !== undefined).map((r) => r.dst).sort(),
      ["10.200.0.0/16", "10.201.0.0/16", "default"],
    );
    const list = await m.getRouteList();
    const r0 = (await m.getLink("r0")).index;
    for (const dst of ["10.200.0.0/16", "10.201.0.0/16", "10.6.0.0/24"]) {
      assert.ok(list.some((r) => r.destination === dst && r.linkIndex === r0), dst);
    }
    assert.ok(list.some((r) => r.destination === undefined && r.gateway === "10.6.0.254"));
    const entries = await m.listRoutes("inet");
    const def = entries.find((r) => r.destination === "0.0.0.0/0" && r.table === 254)!;
    assert.deepEqual([def.gateway, def.ifname, def.protocol], ["10.6.0.254", "r0", 4]);
  });
});

Deno.test(
  "link down, listLinks and hairpin mode as the kernel shows them",
  { ignore },
  async () => {
    await withNamespaces(1, async (ns) => {
      using m = new InterfaceManager({ netnsPath: ns.path });
      await m.createBridge("br0", "10.8.0.1", "10.8.0.0/24");
      await m.createVeth("h0", "h1");
      await m.setMasterLink("h0", "br0");
      await m.setupLink("h0");
      await m.setLinkDown("h0");
      assert.ok(!(await links(ns)).get("h0")!.flags.includes("UP"));
      await m.setHairpin("h0", true);
      const port = (await links(ns)).get("h0")!;
      assert.equal(port.linkinfo?.info_slave_kind, "bridge");
      assert.equal(port.linkinfo?.info_slave_data?.hairpin, true);
      await m.setHairpin("h0", false);
      assert.equal((await links(ns)).get("h0")!.linkinfo?.info_slave_data?.hairpin, false);
      await assert.rejects(
        m.setHairpin("h1", true),
        isError("failed", undefined, /not a bridge port/),
      );
      const listed = await m.listLinks();
      assert.deepEqual(listed.map((l) => l.name).sort(), ["br0", "h0", "h1", "lo"]);
      assert.equal(listed.find((l) => l.name === "h0")!.master, "br0");
      assert.match(listed.find((l) => l.name === "h1")!.mac, /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
    });
  },
);

Deno.test("createLink makes an IFB link, down", { ignore }, async () => {
  await withNamespaces(1, async (ns) => {
    using m = new InterfaceManager({ netnsPath: ns.path });
    await m.createLink("ifb0", "ifb");
    const ifb = (await links(ns)).get("ifb0")!;
    assert.equal(ifb.linkinfo?.info_kind, "ifb");
    assert.ok(!ifb.flags.includes("UP"));
  });
});

Deno.test("VLAN and dummy links, where the kernel has them", { ignore }, async (t) => {
  const features = await kernelFeatures();
  await t.step({
    name: "createVlan on the default route's interface with a random local MAC",
    ignore: !features.vlan.available,
    fn: () =>
      withNamespaces(1, async (ns) => {
        using m = new InterfaceManager({
          netnsPath: ns.path,
          random: (n) => new Uint8Array(n).fill(0xab),
        });
        await m.createVeth("up0", "up1");
        await m.setupLink("up0");
        await m.setupLink("up1");
        await m.addAddress("up0", "10.10.0.1/24");
        await m.addRoute("0.0.0.0/0", "10.10.0.254");
        await m.createBridge("brv", "10.11.0.1", "10.11.0.0/24");
        await m.createVlan("vl5", 5, "brv");
        const info = await m.getLink("vl5");
        assert.deepEqual([info.kind, info.vlanId, info.master, info.up], ["vlan", 5, "brv", true]);
        assert.equal(info.mac, "aa:ab:ab:ab:ab:ab");
        assert.equal(parseInt(info.mac.slice(0, 2), 16) & 0x03, 0x02);
      }),
  });
  await t.step({
    name: "createLink of kind dummy",
    ignore: !features.dummy.available,
    fn: () =>
      withNamespaces(1, async (ns) => {
        using m = new InterfaceManager({ netnsPath: ns.path });
        await m.createLink("d0", "dummy");
        assert.equal((await links(ns)).get("d0")?.linkinfo?.info_kind, "dummy");
      }),
  });
  // deno-lint-ignore no-console
  if (!features.vlan.available) console.warn(`VLAN case ignored: ${features.vlan.reason}`);
  // deno-lint-ignore no-console
  if (!features.dummy.available) console.warn(`dummy case ignored: ${features.dummy.reason}`);
  if (!features.vlan.available) {
    await withNamespaces(1, async (ns) => {
      using m = new InterfaceManager({ netnsPath: ns.path });
      await m.createVeth("up0", "up1");
      await m.addAddress("up0", "10.10.0.1/24");
      await m.setupLink("up0");
      await m.addRoute("0.0.0.0/0", "10.10.0.254");
      await assert.rejects(m.createVlan("vl5", 5), isError("notSupported", 95));
    });
  }
});

Deno.test("createVlan without a default route fails with 'no master interface found'", {
  ignore,
}, async () => {
  await withNamespaces(1, async (ns) => {
    using m = new InterfaceManager({ netnsPath: ns.path });
    await assert.rejects(
      m.createVlan("vl5", 5),
      isError("failed", undefined, /no master interface found/),
    );
  });
});
