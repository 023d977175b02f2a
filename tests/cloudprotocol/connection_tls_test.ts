// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Discovery over HTTPS and the WebSocket over WSS, with a private CA and a
// client certificate, as a unit talks to AosCloud.
import assert from "node:assert/strict";
import { hasOpenssl, makeTestPki, type TestPki } from "../_helpers/certs.ts";
import { CloudSimulator } from "../../cloudprotocol/testing.ts";
import { eventually, rig, SYSTEM_ID } from "./_connection.ts";

const openssl = hasOpenssl();
if (!openssl) {
  // deno-lint-ignore no-console
  console.warn("connection_tls_test: the openssl command is missing, TLS tests are ignored");
}
let pki: TestPki | undefined;
const certs = (): TestPki => pki ??= makeTestPki();

Deno.test({
  name: "connects over https and wss with a private CA and a client certificate",
  ignore: !openssl,
  async fn() {
    const { ca, serverCert, serverKey, clientCert, clientKey } = certs();
    await using r = await rig(
      { caCert: ca, clientCert, clientKey },
      { cert: serverCert, key: serverKey, clientCa: ca },
    );
    assert.match(r.cloud.discoveryUrl, /^https:/);
    assert.match(r.cloud.webSocketUrl, /^wss:/);
    await r.conn.connect();
    await r.conn.send({ messageType: "alerts", items: [] });
    assert.equal(r.cloud.messages("alerts").length, 1);
  },
});

Deno.test({
  name: "without the client certificate the TLS handshake fails and is reported",
  ignore: !openssl,
  async fn() {
    const { ca, serverCert, serverKey } = certs();
    await using r = await rig({ caCert: ca }, { cert: serverCert, key: serverKey, clientCa: ca });
    void r.conn.connect().catch(() => {});
    await eventually(() => r.errors.length >= 2, "two failed attempts");
    assert.equal(r.conn.isConnected(), false);
    assert.equal(r.cloud.discoveries.length, 0, "no request got through");
    assert.match(r.errors[0]!.message, /Cannot post to https:\/\/127\.0\.0\.1:\d+\/sd/);
  },
});

Deno.test({
  name: "a server certificate from an unknown CA is refused",
  ignore: !openssl,
  async fn() {
    const { serverCert, serverKey } = certs();
    await using r = await rig({}, { cert: serverCert, key: serverKey });
    void r.conn.connect().catch(() => {});
    await eventually(() => r.errors.length >= 1, "a failed attempt");
    assert.equal(r.cloud.discoveries.length, 0);
  },
});

Deno.test({
  name: "after an https discovery a ws: URL is refused, so the token never travels in clear",
  ignore: !openssl,
  async fn() {
    const { ca, serverCert, serverKey } = certs();
    await using r = await rig({ caCert: ca }, { cert: serverCert, key: serverKey });
    await using plain = await CloudSimulator.start({ systemId: SYSTEM_ID });
    r.cloud.connectionInfo = [plain.webSocketUrl];
    void r.conn.connect().catch(() => {});
    await eventually(() => r.errors.length >= 1, "a refused discovery answer");
    assert.match(r.errors[0]!.message, /only unencrypted WebSocket URLs/);
    assert.equal(r.errors[0]!.kind, "invalidArgument");
    assert.deepEqual(plain.upgrades, [], "the ws: server was never contacted");
    r.cloud.connectionInfo = [plain.webSocketUrl, r.cloud.webSocketUrl];
    await r.conn.connect();
    assert.deepEqual(plain.upgrades, [], "a ws: URL beside a wss: one is skipped");
  },
});
