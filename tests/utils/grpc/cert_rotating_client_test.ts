// Copyright 2026 the aos-common authors. Apache-2.0 license.
// deno-lint-ignore-file no-console -- ignored tests print why
// Certificate rotation against a real mutual-TLS grpc-js server: a new
// certificate reported by IAM rebuilds the channel, and later calls carry it.
import assert from "node:assert/strict";
import { type ChannelCredentials, connectivityState } from "@grpc/grpc-js";
import { CertRotatingClient } from "../../../utils/grpc/cert_rotating_client.ts";
import { createServerCredentials } from "../../../utils/grpc/credentials.ts";
import { InMemoryIamProvider } from "../../../utils/iam/in_memory_iam_provider.ts";
import type { CertInfo } from "../../../utils/iam/types.ts";
import { delay } from "../../../utils/abort.ts";
import { errorIs } from "../../../utils/errors.ts";
import { hasOpenssl } from "../../_helpers/certs.ts";
import { nodeInfo } from "../monitoring/_fakes.ts";
import { type EchoClient, echoClient, EchoServer, say } from "./_echo.ts";
import { type Leaf, TestPki } from "./_pki.ts";

const openssl = hasOpenssl();
if (!openssl) console.warn("grpc cert_rotating_client_test: openssl is not installed; ignored");

function certInfo(leaf: Leaf, serial: number, daysValid: number): CertInfo {
  return {
    certType: "sm",
    issuer: new Uint8Array([0x30, 0]),
    serial: new Uint8Array([serial]),
    certUrl: `file:${leaf.cert}`,
    keyUrl: `file:${leaf.key}`,
    notAfter: new Date(Date.now() + daysValid * 86_400_000),
  };
}

async function mtlsServer(pki: TestPki, rootCertPath: string): Promise<EchoServer> {
  const leaf = pki.leaf("server");
  return await EchoServer.start(
    await createServerCredentials({
      security: "mtls",
      rootCertPath,
      certChainPath: leaf.cert,
      keyPath: leaf.key,
    }),
  );
}

Deno.test("a rotated certificate rebuilds the channel; later calls use the new certificate", {
  ignore: !openssl,
}, async () => {
  using pki = new TestPki();
  const rootCertPath = pki.ca();
  await using server = await mtlsServer(pki, rootCertPath);
  const iam = new InMemoryIamProvider({
    nodeInfo: nodeInfo(),
    certs: [certInfo(pki.leaf("client-1"), 1, 1)],
  });
  const reconnected: EchoClient[] = [];
  await using holder = await CertRotatingClient.create({
    certProvider: iam.certProvider,
    certType: "sm",
    rootCertPath,
    create: (credentials) => echoClient(server.port, credentials),
    onReconnect: (client) => void reconnected.push(client),
    reconnectDelayMs: 20,
  });
  const first = holder.client;
  assert.equal(await say(first, "a"), "client-1:a");

  iam.setCert(certInfo(pki.leaf("client-2"), 2, 2));
  while (reconnected.length === 0) await delay(5);
  assert.equal(holder.client, reconnected[0]);
  assert.notEqual(holder.client, first);
  assert.equal(await say(holder.client, "b"), "client-2:b");
  assert.equal(first.getChannel().getConnectivityState(false), connectivityState.SHUTDOWN);
});

Deno.test("a failed rebuild is reported and retried until it succeeds", {
  ignore: !openssl,
}, async () => {
  using pki = new TestPki();
  const rootCertPath = pki.ca();
  await using server = await mtlsServer(pki, rootCertPath);
  const iam = new InMemoryIamProvider({
    nodeInfo: nodeInfo(),
    certs: [certInfo(pki.leaf("client-1"), 1, 1)],
  });
  const errors: unknown[] = [];
  await using holder = await CertRotatingClient.create({
    certProvider: iam.certProvider,
    certType: "sm",
    rootCertPath,
    create: (credentials) => echoClient(server.port, credentials),
    reconnectDelayMs: 10,
    onError: (err) => errors.push(err),
  });
  // The new certificate's files are not there yet.
  const pending = certInfo({ cert: `${pki.dir}/late.pem`, key: `${pki.dir}/late.key` }, 2, 2);
  iam.setCert(pending);
  while (errors.length < 2) await delay(5);
  assert.ok(errors.every((e) => errorIs(e, "notFound")), String(errors[0]));
  assert.equal(await say(holder.client, "still"), "client-1:still");
  pki.leaf("late");
  while ((await say(holder.client, "x").catch(() => "")) !== "late:x") await delay(10);
});

Deno.test("close() stops listening and closes the client; a pending rebuild never runs", {
  ignore: !openssl,
}, async () => {
  using pki = new TestPki();
  const rootCertPath = pki.ca();
  await using server = await mtlsServer(pki, rootCertPath);
  const iam = new InMemoryIamProvider({
    nodeInfo: nodeInfo(),
    certs: [certInfo(pki.leaf("client-1"), 1, 1)],
  });
  let created = 0;
  const holder = await CertRotatingClient.create({
    certProvider: iam.certProvider,
    certType: "sm",
    rootCertPath,
    create: (credentials) => {
      created++;
      return echoClient(server.port, credentials);
    },
    reconnectDelayMs: 60_000,
  });
  iam.setCert(certInfo(pki.leaf("client-2"), 2, 2)); // arms a 60 s timer
  await holder.close();
  await holder.close();
  assert.equal(created, 1);
  assert.equal(holder.client.getChannel().getConnectivityState(false), connectivityState.SHUTDOWN);
  // Unsubscribed: a new certificate changes nothing (and the test's timer check passes).
  iam.setCert(certInfo(pki.leaf("client-3"), 3, 3));
  assert.equal(created, 1);
});

Deno.test("an aborted signal closes the client; an invalid delay is refused", {
  ignore: !openssl,
}, async () => {
  using pki = new TestPki();
  const rootCertPath = pki.ca();
  await using server = await mtlsServer(pki, rootCertPath);
  const iam = new InMemoryIamProvider({
    nodeInfo: nodeInfo(),
    certs: [certInfo(pki.leaf("client-1"), 1, 1)],
  });
  const options = {
    certProvider: iam.certProvider,
    certType: "sm",
    rootCertPath,
    create: (credentials: ChannelCredentials) => echoClient(server.port, credentials),
  };
  await assert.rejects(
    CertRotatingClient.create({ ...options, reconnectDelayMs: 0 }),
    (e) => errorIs(e, "invalidArgument"),
  );
  const controller = new AbortController();
  const holder = await CertRotatingClient.create({ ...options, signal: controller.signal });
  controller.abort();
  while (holder.client.getChannel().getConnectivityState(false) !== connectivityState.SHUTDOWN) {
    await delay(5);
  }
  await assert.rejects(
    CertRotatingClient.create({ ...options, signal: controller.signal }),
    (e) => errorIs(e, "canceled"),
  );
});
