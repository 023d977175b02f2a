// Copyright 2026 the aos-common authors. Apache-2.0 license.
// deno-lint-ignore-file no-console -- ignored tests print why
// Channel and server credentials against real grpc-js servers on 127.0.0.1,
// with certificates made by `openssl` for each run.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  createChannelCredentials,
  createServerCredentials,
} from "../../../utils/grpc/credentials.ts";
import { clientChannelOptions } from "../../../utils/grpc/channel_options.ts";
import { waitForChannelReady } from "../../../utils/grpc/wait_for_channel_ready.ts";
import { loadProtoPackage } from "../../../utils/grpc/load_proto_package.ts";
import { InMemoryIamProvider } from "../../../utils/iam/in_memory_iam_provider.ts";
import { errorIs } from "../../../utils/errors.ts";
import { hasOpenssl } from "../../_helpers/certs.ts";
import { nodeInfo } from "../monitoring/_fakes.ts";
import { echoClient, EchoServer, say } from "./_echo.ts";
import { TestPki } from "./_pki.ts";

const openssl = hasOpenssl();
if (!openssl) console.warn("grpc credentials_test: openssl is not installed; TLS cases ignored");

Deno.test("insecure channel to an insecure server", async () => {
  await using server = await EchoServer.start(
    await createServerCredentials({ security: "insecure" }),
  );
  const client = echoClient(
    server.port,
    await createChannelCredentials({ security: "insecure" }),
  );
  try {
    assert.equal(await say(client, "hello"), "-:hello");
  } finally {
    client.close();
  }
});

Deno.test("TLS and mutual TLS connect; the server sees the client certificate only with mTLS", {
  ignore: !openssl,
}, async () => {
  using pki = new TestPki();
  const rootCertPath = pki.ca();
  const serverLeaf = pki.leaf("server");
  const clientLeaf = pki.leaf("client-1");
  const serverIdentity = { certChainPath: serverLeaf.cert, keyPath: serverLeaf.key };

  await using tls = await EchoServer.start(
    await createServerCredentials({ security: "tls", ...serverIdentity }),
  );
  const tlsClient = echoClient(
    tls.port,
    await createChannelCredentials({ security: "tls", rootCertPath }),
  );
  try {
    assert.equal(await say(tlsClient, "tls"), "-:tls");
  } finally {
    tlsClient.close();
  }

  await using mtls = await EchoServer.start(
    await createServerCredentials({ security: "mtls", rootCertPath, ...serverIdentity }),
  );
  const mtlsClient = echoClient(
    mtls.port,
    await createChannelCredentials({
      security: "mtls",
      rootCertPath,
      certChainPath: clientLeaf.cert,
      keyPath: clientLeaf.key,
    }),
  );
  try {
    assert.equal(await say(mtlsClient, "mtls"), "client-1:mtls");
  } finally {
    mtlsClient.close();
  }
});

Deno.test("mutual TLS refuses a client certificate of another CA, and a client without one", {
  ignore: !openssl,
}, async () => {
  using pki = new TestPki();
  const rootCertPath = pki.ca();
  const rogueRoot = pki.ca("rogue-ca");
  const serverLeaf = pki.leaf("server");
  const rogue = pki.leaf("rogue", "rogue-ca");
  await using server = await EchoServer.start(
    await createServerCredentials({
      security: "mtls",
      rootCertPath,
      certChainPath: serverLeaf.cert,
      keyPath: serverLeaf.key,
    }),
  );
  const attempts = [
    await createChannelCredentials({
      security: "mtls",
      rootCertPath,
      certChainPath: rogue.cert,
      keyPath: rogue.key,
    }),
    await createChannelCredentials({ security: "tls", rootCertPath }),
  ];
  for (const credentials of attempts) {
    const client = echoClient(server.port, credentials);
    try {
      await assert.rejects(say(client, "x"), /UNAVAILABLE/);
    } finally {
      client.close();
    }
  }
  // The client refuses a server whose chain does not lead to its root.
  const wrongRoot = echoClient(
    server.port,
    await createChannelCredentials({ security: "tls", rootCertPath: rogueRoot }),
  );
  try {
    await assert.rejects(say(wrongRoot, "x"), /UNAVAILABLE/);
  } finally {
    wrongRoot.close();
  }
});

Deno.test("the server's name is not checked, its chain is (AosCore's clients)", {
  ignore: !openssl,
}, async () => {
  using pki = new TestPki();
  const rootCertPath = pki.ca();
  const serverLeaf = pki.leaf("server", "ca", "DNS:somewhere-else.invalid");
  await using server = await EchoServer.start(
    await createServerCredentials({
      security: "tls",
      certChainPath: serverLeaf.cert,
      keyPath: serverLeaf.key,
    }),
  );
  const client = echoClient(
    server.port,
    await createChannelCredentials({ security: "tls", rootCertPath }),
  );
  try {
    assert.equal(await waitForChannelReady(client, { timeoutMs: 5000 }), true);
    assert.equal(await say(client, "x"), "-:x");
  } finally {
    client.close();
  }
});

Deno.test("mutual TLS from the certificate an IAM certificate provider reports", {
  ignore: !openssl,
}, async () => {
  using pki = new TestPki();
  const rootCertPath = pki.ca();
  const serverLeaf = pki.leaf("server");
  const clientLeaf = pki.leaf("client-iam");
  const iam = new InMemoryIamProvider({
    nodeInfo: nodeInfo(),
    certs: [{
      certType: "sm",
      issuer: new Uint8Array([1]),
      serial: new Uint8Array([1]),
      certUrl: `file:${clientLeaf.cert}`,
      keyUrl: `file:${clientLeaf.key}`,
      notAfter: new Date(Date.now() + 86_400_000),
    }],
  });
  await using server = await EchoServer.start(
    await createServerCredentials({
      security: "mtls",
      rootCertPath,
      certChainPath: serverLeaf.cert,
      keyPath: serverLeaf.key,
    }),
  );
  const client = echoClient(
    server.port,
    await createChannelCredentials({
      security: "mtls",
      rootCertPath,
      certProvider: iam.certProvider,
      certType: "sm",
    }),
  );
  try {
    assert.equal(await say(client, "iam"), "client-iam:iam");
  } finally {
    client.close();
  }
});

Deno.test("credential errors: root file missing or empty, identity not in files, no certificate", async () => {
  using pki = new TestPki();
  await assert.rejects(
    createChannelCredentials({ security: "tls", rootCertPath: join(pki.dir, "none.pem") }),
    (e) => errorIs(e, "notFound") && /failed to open root certificate file/.test(String(e)),
  );
  const empty = join(pki.dir, "empty.pem");
  writeFileSync(empty, "");
  await assert.rejects(
    createChannelCredentials({ security: "tls", rootCertPath: empty }),
    (e) => errorIs(e, "invalidArgument") && /root certificate file .* is empty/.test(String(e)),
  );
  const root = join(pki.dir, "root.pem");
  writeFileSync(root, "-----BEGIN CERTIFICATE-----\n");
  const iam = new InMemoryIamProvider({
    nodeInfo: nodeInfo(),
    certs: [{
      certType: "sm",
      issuer: new Uint8Array([1]),
      serial: new Uint8Array([1]),
      certUrl: "file:/nonexistent/sm.pem",
      keyUrl: "pkcs11:token=aos;object=sm;id=%01?module-path=/usr/lib/softhsm/libsofthsm2.so",
      notAfter: new Date(Date.now() + 86_400_000),
    }],
  });
  await assert.rejects(
    createChannelCredentials({
      security: "mtls",
      rootCertPath: root,
      certProvider: iam.certProvider,
      certType: "sm",
    }),
    (e) => errorIs(e, "notSupported") && /pkcs11/.test(String(e)),
  );
  await assert.rejects(
    createChannelCredentials({
      security: "mtls",
      rootCertPath: root,
      certProvider: iam.certProvider,
      certType: "cm",
    }),
    (e) => errorIs(e, "notFound"),
  );
  await assert.rejects(
    createServerCredentials({
      security: "tls",
      certChainPath: join(pki.dir, "none.pem"),
      keyPath: join(pki.dir, "none.key"),
    }),
    (e) => errorIs(e, "notFound") && /certificate chain/.test(String(e)),
  );
});

Deno.test("channel options: AosCore's keepalive and backoff; a server name for IP targets only", () => {
  for (const target of ["127.0.0.1:1", "[::1]:1", "ipv4:10.0.0.1:8089", "dns:///10.0.0.1:1"]) {
    assert.equal(
      clientChannelOptions(target)["grpc.ssl_target_name_override"],
      "localhost",
      target,
    );
  }
  for (const target of ["localhost:1", "dns:///iam:8089", "unix:/run/aos.sock"]) {
    assert.equal(clientChannelOptions(target)["grpc.ssl_target_name_override"], undefined, target);
  }
  const options = clientChannelOptions("iam:8089", { "grpc.max_reconnect_backoff_ms": 500 });
  assert.equal(options["grpc.keepalive_time_ms"], 10_000);
  assert.equal(options["grpc.max_reconnect_backoff_ms"], 500);
});

Deno.test("waitForChannelReady: ready, timed out, canceled", async () => {
  await using server = await EchoServer.start(
    await createServerCredentials({ security: "insecure" }),
  );
  const insecure = await createChannelCredentials({ security: "insecure" });
  const up = echoClient(server.port, insecure);
  const down = echoClient(9, insecure);
  try {
    assert.equal(await waitForChannelReady(up, { timeoutMs: 5000 }), true);
    assert.equal(await waitForChannelReady(down, { timeoutMs: 150 }), false);
    const controller = new AbortController();
    const waiting = waitForChannelReady(down, { timeoutMs: 60_000, signal: controller.signal });
    controller.abort();
    await assert.rejects(waiting, (e) => errorIs(e, "canceled"));
  } finally {
    up.close();
    down.close();
  }
});

Deno.test("loadProtoPackage: a missing file is notFound, a broken one invalidArgument", async () => {
  using pki = new TestPki();
  await assert.rejects(
    loadProtoPackage(join(pki.dir, "none.proto")),
    (e) => errorIs(e, "notFound"),
  );
  const broken = join(pki.dir, "broken.proto");
  writeFileSync(broken, 'syntax = "proto3"; message {');
  await assert.rejects(loadProtoPackage(broken), (e) => errorIs(e, "invalidArgument"));
});
