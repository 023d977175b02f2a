// Copyright 2026 the aos-common authors. Apache-2.0 license.
// NamespaceManager in iproute2's /run/netns, judged by `ip netns` and `ip -j`.
import assert from "node:assert/strict";
import { NamespaceManager } from "../../network/namespace_manager.ts";
import { InterfaceManager } from "../../network/interface_manager.ts";
import { errorIs } from "../../utils/errors.ts";
import { ipJson, links, privileged, reportIgnored, sh, withNamespaces } from "./_fixture.ts";

reportIgnored("namespace_manager_test.ts");
const ignore = !privileged;

Deno.test("namespace names are checked before anything is touched", async () => {
  const namespaces = new NamespaceManager({ runDir: "/nonexistent/netns" });
  for (const bad of ["", ".", "..", "a/b", "x\0y", "n".repeat(256)]) {
    assert.throws(
      () => namespaces.getNetworkNamespacePath(bad),
      (e) => errorIs(e, "invalidArgument"),
    );
    await assert.rejects(
      namespaces.createNetworkNamespace(bad),
      (e) => errorIs(e, "invalidArgument"),
    );
    await assert.rejects(
      namespaces.deleteNetworkNamespace(bad),
      (e) => errorIs(e, "invalidArgument"),
    );
  }
  assert.equal(new NamespaceManager().getNetworkNamespacePath("inst-1"), "/run/netns/inst-1");
  assert.deepEqual(await namespaces.listNetworkNamespaces(), []);
  assert.equal(await namespaces.isNetworkNamespaceExist("x"), false);
});

Deno.test("create is idempotent, lo is up inside, ip netns sees it, delete removes it", {
  ignore,
}, async () => {
  const namespaces = new NamespaceManager();
  const name = `aosnt-nm-${Deno.pid}`;
  try {
    await namespaces.createNetworkNamespace(name);
    await namespaces.createNetworkNamespace(name);
    assert.equal(await namespaces.isNetworkNamespaceExist(name), true);
    assert.ok((await namespaces.listNetworkNamespaces()).includes(name));
    assert.ok((await sh("ip", "netns", "list")).split("\n").some((l) => l.split(" ")[0] === name));
    const ns = { name, path: namespaces.getNetworkNamespacePath(name) };
    const lo = (await links(ns)).get("lo")!;
    assert.ok(lo.flags.includes("UP"));
    assert.deepEqual([...(await links(ns)).keys()], ["lo"], "a fresh namespace has only lo");
    // Our namespace is a separate one: a link made inside is not on the host.
    using m = new InterfaceManager({ netnsPath: ns.path });
    await m.createLink("nm-ifb", "ifb");
    assert.ok((await links(ns)).has("nm-ifb"));
    assert.ok(!(await sh("ip", "-j", "link", "show")).includes('"nm-ifb"'));
    m.close();
    // The directory is a shared mount, as iproute2 makes it.
    const propagation = await sh("findmnt", "-n", "-o", "PROPAGATION", "/run/netns");
    assert.match(propagation, /shared/);
    assert.match(await sh("findmnt", "-n", "-o", "TARGET", ns.path), /\/run\/netns\//);
    await namespaces.deleteNetworkNamespace(name);
    assert.equal(await namespaces.isNetworkNamespaceExist(name), false);
    assert.ok(!(await sh("ip", "netns", "list")).includes(name));
    await assert.rejects(sh("findmnt", ns.path));
    await namespaces.deleteNetworkNamespace(name);
  } finally {
    await sh("ip", "netns", "delete", name).catch(() => {});
  }
});

Deno.test("namespaces made by ip netns add are seen and usable", { ignore }, async () => {
  await withNamespaces(1, async (ns) => {
    const namespaces = new NamespaceManager();
    assert.equal(await namespaces.isNetworkNamespaceExist(ns.name), true);
    assert.ok((await namespaces.listNetworkNamespaces()).includes(ns.name));
    using m = new InterfaceManager({ netnsPath: namespaces.getNetworkNamespacePath(ns.name) });
    await m.setupLink("lo");
    const [lo] = await ipJson<{ flags: string[] }[]>(ns, "link", "show", "lo");
    assert.ok(lo!.flags.includes("UP"));
  });
});
