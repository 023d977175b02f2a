// Copyright 2026 the aos-common authors. Apache-2.0 license.
import assert from "node:assert/strict";
import { type CertInfo, InMemoryIamProvider } from "../../../utils/iam/mod.ts";
import { errorIs } from "../../../utils/errors.ts";
import type { NodeInfo } from "../../../utils/node_info.ts";
import { nodeInfo } from "../monitoring/_fakes.ts";

function node(nodeId: string): NodeInfo {
  return nodeInfo({ nodeId, title: nodeId });
}

function cert(certType: string, serial: number, notAfter: string, issuer = 1): CertInfo {
  return {
    certType,
    issuer: new Uint8Array([0x30, issuer]),
    serial: new Uint8Array([serial]),
    certUrl: `file:/certs/${certType}-${serial}.pem`,
    keyUrl: `file:/certs/${certType}-${serial}.key`,
    notAfter: new Date(notAfter),
  };
}

Deno.test("getCert: latest notAfter without a serial, exact issuer and serial otherwise", async () => {
  const iam = new InMemoryIamProvider({
    nodeInfo: node("main"),
    certs: [cert("sm", 1, "2027-01-01"), cert("sm", 2, "2028-01-01"), cert("iam", 3, "2029-01-01")],
  });
  const { certProvider } = iam;
  assert.equal((await certProvider.getCert("sm")).certUrl, "file:/certs/sm-2.pem");
  assert.equal(
    (await certProvider.getCert("sm", undefined, new Uint8Array())).certUrl,
    "file:/certs/sm-2.pem",
  );
  const exact = await certProvider.getCert("sm", new Uint8Array([0x30, 1]), new Uint8Array([1]));
  assert.equal(exact.certUrl, "file:/certs/sm-1.pem");
  await assert.rejects(
    certProvider.getCert("sm", new Uint8Array([0x30, 9]), new Uint8Array([1])),
    (e) => errorIs(e, "notFound"),
  );
  await assert.rejects(certProvider.getCert("cm"), (e) => errorIs(e, "notFound"));
  // Callers get copies.
  exact.serial[0] = 77;
  assert.deepEqual(
    (await certProvider.getCert("sm", undefined, new Uint8Array([1]))).serial,
    new Uint8Array([1]),
  );
});

Deno.test("certificate listeners hear their type only; subscription rules", () => {
  const iam = new InMemoryIamProvider({ nodeInfo: node("main") });
  const heard: string[] = [];
  const listener = { onCertChanged: (c: CertInfo) => heard.push(c.certUrl) };
  iam.certProvider.subscribeListener("sm", listener);
  assert.throws(
    () => iam.certProvider.subscribeListener("sm", listener),
    (e) => errorIs(e, "alreadyExist"),
  );
  iam.setCert(cert("iam", 1, "2027-01-01"));
  iam.setCert(cert("sm", 2, "2027-01-01"));
  assert.deepEqual(heard, ["file:/certs/sm-2.pem"]);
  iam.certProvider.unsubscribeListener(listener);
  assert.throws(
    () => iam.certProvider.unsubscribeListener(listener),
    (e) => errorIs(e, "notFound"),
  );
  iam.setCert(cert("sm", 3, "2027-01-01"));
  assert.equal(heard.length, 1);
});

Deno.test("a throwing listener does not keep later ones from hearing; errors go to onError", () => {
  const errors: unknown[] = [];
  const iam = new InMemoryIamProvider({ nodeInfo: node("main"), onError: (e) => errors.push(e) });
  const heard: string[] = [];
  iam.nodeInfoProvider.subscribeListener({
    onNodeInfoChanged: () => {
      throw new Error("boom");
    },
  });
  using _ = iam.nodeInfoProvider.subscribeListener({
    onNodeInfoChanged: (n) => heard.push(n.nodeId),
  });
  iam.setNodeInfo(node("second"));
  assert.deepEqual(heard, ["second"]);
  assert.match(String(errors[0]), /boom/);
});

Deno.test("nodes: ids, info, pause and resume with notifications, current node listeners", async () => {
  const iam = new InMemoryIamProvider({ nodeInfo: node("main"), nodes: [node("sub")] });
  assert.deepEqual(await iam.nodeInfoProvider.getAllNodeIds(), ["main", "sub"]);
  await assert.rejects(iam.nodeInfoProvider.getNodeInfo("ghost"), (e) => errorIs(e, "notFound"));
  const states: string[] = [];
  const current: string[] = [];
  using _a = iam.nodeInfoProvider.subscribeListener({
    onNodeInfoChanged: (n) => states.push(`${n.nodeId}:${n.state}`),
  });
  using _b = iam.currentNodeInfoProvider.subscribeListener({
    onCurrentNodeInfoChanged: (n) => current.push(n.state),
  });
  await iam.nodeHandler.pauseNode("sub");
  await iam.nodeHandler.pauseNode("main");
  await iam.nodeHandler.resumeNode("main");
  assert.deepEqual(states, ["sub:paused", "main:paused", "main:provisioned"]);
  assert.deepEqual(current, ["paused", "provisioned"]);
  assert.equal((await iam.nodeInfoProvider.getNodeInfo("sub")).state, "paused");
  await assert.rejects(iam.nodeHandler.resumeNode("ghost"), (e) => errorIs(e, "notFound"));
});

Deno.test("identity and subjects", async () => {
  const iam = new InMemoryIamProvider({
    nodeInfo: node("main"),
    systemInfo: { systemId: "unit-1", unitModel: "model", version: "1.0" },
    subjects: ["a"],
  });
  assert.deepEqual(await iam.identProvider.getSystemInfo(), {
    systemId: "unit-1",
    unitModel: "model",
    version: "1.0",
  });
  const seen: string[][] = [];
  using _ = iam.identProvider.subscribeListener({ subjectsChanged: (s) => seen.push(s) });
  iam.setSubjects(["a", "b"]);
  assert.deepEqual(seen, [["a", "b"]]);
  assert.deepEqual(await iam.identProvider.getSubjects(), ["a", "b"]);
});

Deno.test("permissions: a secret per instance, looked up per functional service", async () => {
  const iam = new InMemoryIamProvider({ nodeInfo: node("main") });
  const ident = { itemId: "svc", subjectId: "user", instance: 0 };
  const secret = await iam.permHandler.registerInstance(ident, [
    { name: "vis", permissions: [{ function: "*", permissions: "rw" }] },
  ]);
  assert.match(secret, /^[0-9a-f]{32}$/);
  const again = await iam.permHandler.registerInstance({ ...ident }, [
    { name: "vis", permissions: [{ function: "speed", permissions: "r" }] },
  ]);
  assert.equal(again, secret, "a registered instance keeps its secret");
  assert.deepEqual(await iam.permProvider.getPermissions(secret, "vis"), {
    instanceIdent: ident,
    permissions: [{ function: "speed", permissions: "r" }],
  });
  await assert.rejects(
    iam.permProvider.getPermissions(secret, "other"),
    (e) => errorIs(e, "notFound"),
  );
  await iam.permHandler.unregisterInstance(ident);
  await assert.rejects(
    iam.permProvider.getPermissions(secret, "vis"),
    (e) => errorIs(e, "notFound"),
  );
  await assert.rejects(iam.permHandler.unregisterInstance(ident), (e) => errorIs(e, "notFound"));
});
