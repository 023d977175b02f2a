// Copyright 2026 the aos-common authors. Apache-2.0 license.
// deno-lint-ignore-file no-console -- ignored tests print why
// Certificate rotation against a real mutual-TLS grpc-js server: a new
// certificate reported by IAM rebuilds the channel, and later calls carry it.
import assert from "node:assert/strict";
import { join } from "node:path";
import { type ChannelCredentials, connectivityState } from "@grpc/grpc-js";
import {
  CertRotatingClient,
  type CertRotatingClientOptions,
} from "../../../utils/grpc/cert_rotating_client.ts";
import { InMemoryIamProvider } from "../../../utils/iam/in_memory_iam_provider.ts";
import type { CertInfo } from "../../../utils/iam/types.ts";
import { delay } from "../../../utils/abort.ts";
import { errorIs } from "../../../utils/errors.ts";
import { CertDir, hasOpenssl, type Leaf } from "../../_helpers/certs.ts";
import { nodeInfo } from "../monitoring/_fakes.ts";
import { type EchoClient, echoClient, type EchoServer, say, startSecureServer } from "./_echo.ts";

const openssl = hasOpenssl();
if (!openssl) console.warn("grpc cert_rotating_client_test: openssl is not installed; ignored");

function certInfo(leaf: Leaf, serial: number): CertInfo {
  return {
    certType: "sm",
    issuer: new Uint8Array([0x30, 0]),
    serial: new Uint8Array([serial]),
    certUrl: `file:${leaf.cert}`,
    keyUrl: `file:${leaf.key}`,
    // A later serial stays valid longer: it is the one getCert picks.
    notAfter: new Date(Date.now() + serial * 86_400_000),
  };
}

/** A CA, an mTLS server, an IAM with the `sm` certificate `client-1`, and client options. */
async function setup(): Promise<{
  certs: CertDir;
  server: EchoServer;
  iam: InMemoryIamProvider;
  options: CertRotatingClientOptions<EchoClient>;
  [Symbol.asyncDispose](): Promise<void>;
}> {
  const certs = new CertDir();
  certs.ca();
  const server = await startSecureServer(certs, "mtls");
  const iam = new InMemoryIamProvider({
    nodeInfo: nodeInfo(),
    certs: [certInfo(certs.leaf("client-1"), 1)],
  });
  return {
    certs,
    server,
    iam,
    options: {
      certProvider: iam.certProvider,
      certType: "sm",
      rootCertPath: join(certs.dir, "ca.pem"),
      create: (credentials: ChannelCredentials) => echoClient(server.port, credentials),
    },
    async [Symbol.asyncDispose]() {
      await server[Symbol.asyncDispose]();
      certs[Symbol.dispose]();
    },
  };
}

Deno.test("a rotated certificate rebuilds the channel; later calls use the new certificate", {
  ignore: !openssl,
}, async () => {
  await using env = await setup();
  const reconnected: EchoClient[] = [];
  await using holder = await CertRotatingClient.create({
    ...env.options,
    onReconnect: (client) => void reconnected.push(client),
    reconnectDelayMs: 20,
  });
  const first = holder.client;
  assert.equal(await say(first, "a"), "client-1:a");

  env.iam.setCert(certInfo(env.certs.leaf("client-2"), 2));
  while (reconnected.length === 0) await delay(5);
  assert.equal(holder.client, reconnected[0]);
  assert.notEqual(holder.client, first);
  assert.equal(await say(holder.client, "b"), "client-2:b");
  assert.equal(first.getChannel().getConnectivityState(false), connectivityState.SHUTDOWN);
});

Deno.test("a failed rebuild is reported and retried until it succeeds", {
  ignore: !openssl,
}, async () => {
  await using env = await setup();
  const errors: unknown[] = [];
  await using holder = await CertRotatingClient.create({
    ...env.options,
    reconnectDelayMs: 10,
    onError: (err) => errors.push(err),
  });
  // The new certificate's files are not there yet.
  const dir = env.certs.dir;
  env.iam.setCert(certInfo({ cert: join(dir, "late.pem"), key: join(dir, "late.key") }, 2));
  while (errors.length < 2) await delay(5);
  assert.ok(errors.every((e) => errorIs(e, "notFound")), String(errors[0]));
  assert.equal(await say(holder.client, "still"), "client-1:still");
  env.certs.leaf("late");
  while ((await say(holder.client, "x").catch(() => "")) !== "late:x") await delay(10);
});

Deno.test("close() stops listening and closes the client; a pending rebuild never runs", {
  ignore: !openssl,
}, async () => {
  await using env = await setup();
  let created = 0;
  const holder = await CertRotatingClient.create({
    ...env.options,
    create: (credentials) => {
      created++;
      return env.options.create(credentials);
    },
    reconnectDelayMs: 60_000,
  });
  env.iam.setCert(certInfo(env.certs.leaf("client-2"), 2)); // arms a 60 s timer
  await holder.close();
  await holder.close();
  assert.equal(created, 1);
  assert.equal(holder.client.getChannel().getConnectivityState(false), connectivityState.SHUTDOWN);
  // Unsubscribed: a new certificate changes nothing (and no timer is left for the sanitizer).
  env.iam.setCert(certInfo(env.certs.leaf("client-3"), 3));
  assert.equal(created, 1);
});

Deno.test("an aborted signal closes the client; an invalid delay is refused", {
  ignore: !openssl,
}, async () => {
  await using env = await setup();
  await assert.rejects(
    CertRotatingClient.create({ ...env.options, reconnectDelayMs: 0 }),
    (e) => errorIs(e, "invalidArgument"),
  );
  const controller = new AbortController();
  const holder = await CertRotatingClient.create({ ...env.options, signal: controller.signal });
  controller.abort();
  while (holder.client.getChannel().getConnectivityState(false) !== connectivityState.SHUTDOWN) {
    await delay(5);
  }
  await assert.rejects(
    CertRotatingClient.create({ ...env.options, signal: controller.signal }),
    (e) => errorIs(e, "canceled"),
  );
});
