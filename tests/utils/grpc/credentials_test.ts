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
import type { CertInfo } from "../../../utils/iam/types.ts";
import { errorIs } from "../../../utils/errors.ts";
import { CertDir, hasOpenssl } from "../../_helpers/certs.ts";
import { nodeInfo } from "../monitoring/_fakes.ts";
import { echoClient, EchoServer, say, sayOnce, startSecureServer } from "./_echo.ts";

const openssl = hasOpenssl();
if (!openssl) console.warn("grpc credentials_test: openssl is not installed; TLS cases ignored");

/** An IAM whose `sm` certificate is at these URLs. */
function iamWithCert(certUrl: string, keyUrl: string): InMemoryIamProvider {
  const cert: CertInfo = {
    certType: "sm",
    issuer: new Uint8Array([1]),
    serial: new Uint8Array([1]),
    certUrl,
    keyUrl,
    notAfter: new Date(Date.now() + 86_400_000),
  };
  return new InMemoryIamProvider({ nodeInfo: nodeInfo(), certs: [cert] });
}

Deno.test("insecure channel to an insecure server", async () => {
  await using server = await EchoServer.start(
    await createServerCredentials({ security: "insecure" }),
  );
  assert.equal(await sayOnce(server.port, { security: "insecure" }, "hello"), "-:hello");
});

Deno.test("TLS and mutual TLS connect; the server sees the client certificate only with mTLS", {
  ignore: !openssl,
}, async () => {
  using certs = new CertDir();
  const rootCertPath = certs.ca();
  const client = certs.leaf("client-1");
  await using tls = await startSecureServer(certs, "tls");
  assert.equal(await sayOnce(tls.port, { security: "tls", rootCertPath }, "tls"), "-:tls");
  await using mtls = await startSecureServer(certs, "mtls");
  const identity = { certChainPath: client.cert, keyPath: client.key };
  assert.equal(
    await sayOnce(mtls.port, { security: "mtls", rootCertPath, ...identity }, "mtls"),
    "client-1:mtls",
  );
});

Deno.test("mutual TLS refuses a client certificate of another CA, and a client without one", {
  ignore: !openssl,
}, async () => {
  using certs = new CertDir();
  const rootCertPath = certs.ca();
  const rogueRoot = certs.ca("rogue-ca");
  const rogue = certs.leaf("rogue", { ca: "rogue-ca" });
  await using server = await startSecureServer(certs, "mtls");
  const refused = [
    { security: "mtls", rootCertPath, certChainPath: rogue.cert, keyPath: rogue.key },
    { security: "tls", rootCertPath },
    // The client refuses a server whose chain does not lead to its root.
    { security: "tls", rootCertPath: rogueRoot },
  ] as const;
  for (const options of refused) {
    await assert.rejects(sayOnce(server.port, options, "x"), /UNAVAILABLE/);
  }
});

Deno.test("the server's name is not checked, its chain is (AosCore's clients)", {
  ignore: !openssl,
}, async () => {
  using certs = new CertDir();
  const rootCertPath = certs.ca();
  await using server = await startSecureServer(certs, "tls", "DNS:somewhere-else.invalid");
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
  using certs = new CertDir();
  const rootCertPath = certs.ca();
  const client = certs.leaf("client-iam");
  const iam = iamWithCert(`file:${client.cert}`, `file:${client.key}`);
  await using server = await startSecureServer(certs, "mtls");
  const options = { certProvider: iam.certProvider, certType: "sm" };
  assert.equal(
    await sayOnce(server.port, { security: "mtls", rootCertPath, ...options }, "iam"),
    "client-iam:iam",
  );
});

Deno.test("credential errors: root file missing or empty, identity not in files, no certificate", async () => {
  using certs = new CertDir();
  await assert.rejects(
    createChannelCredentials({ security: "tls", rootCertPath: join(certs.dir, "none.pem") }),
    (e) => errorIs(e, "notFound") && /failed to open root certificate file/.test(String(e)),
  );
  const empty = join(certs.dir, "empty.pem");
  writeFileSync(empty, "");
  await assert.rejects(
    createChannelCredentials({ security: "tls", rootCertPath: empty }),
    (e) => errorIs(e, "invalidArgument") && /root certificate file .* is empty/.test(String(e)),
  );
  const root = join(certs.dir, "root.pem");
  writeFileSync(root, "-----BEGIN CERTIFICATE-----\n");
  const iam = iamWithCert(
    "file:/nonexistent/sm.pem",
    "pkcs11:token=aos;object=sm;id=%01?module-path=/usr/lib/softhsm/libsofthsm2.so",
  );
  const fromIam = { security: "mtls", rootCertPath: root, certProvider: iam.certProvider } as const;
  await assert.rejects(
    createChannelCredentials({ ...fromIam, certType: "sm" }),
    (e) => errorIs(e, "notSupported") && /pkcs11/.test(String(e)),
  );
  await assert.rejects(
    createChannelCredentials({ ...fromIam, certType: "cm" }),
    (e) => errorIs(e, "notFound"),
  );
  await assert.rejects(
    createServerCredentials({
      security: "tls",
      certChainPath: join(certs.dir, "none.pem"),
      keyPath: join(certs.dir, "none.key"),
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
  using certs = new CertDir();
  await assert.rejects(
    loadProtoPackage(join(certs.dir, "none.proto")),
    (e) => errorIs(e, "notFound"),
  );
  const broken = join(certs.dir, "broken.proto");
  writeFileSync(broken, 'syntax = "proto3"; message {');
  await assert.rejects(loadProtoPackage(broken), (e) => errorIs(e, "invalidArgument"));
});
