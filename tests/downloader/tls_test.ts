// Copyright 2026 the aos-common authors. Apache-2.0 license.
// HTTPS: certificate verification, a custom CA, client certificates, and
// the redirect rule that never goes from https down to http.
import assert from "node:assert/strict";
import { HttpDownloader } from "../../downloader/mod.ts";
import { errorIs } from "../../utils/errors.ts";
import { hasOpenssl, makeTestPki, type TestPki } from "../_helpers/certs.ts";
import { fileDigest, sha256Digest, testBytes } from "../_helpers/data.ts";
import { tempDir } from "../_helpers/temp_dir.ts";
import { FaultServer } from "../_helpers/fault_server.ts";

const available = hasOpenssl();
// deno-lint-ignore no-console
if (!available) console.warn("tls_test: the openssl command is missing, HTTPS tests are ignored");
let pki: TestPki | undefined;
const certs = (): TestPki => pki ??= makeTestPki();

Deno.test({
  name: "rejects a server certificate from an unknown CA, accepts it with that CA",
  ignore: !available,
  async fn() {
    await using server = await FaultServer.start({
      tls: { key: certs().serverKey, cert: certs().serverCert },
    });
    await using dir = await tempDir();
    const body = testBytes(1 << 20);
    server.set("/f", { body });
    await using plain = new HttpDownloader({ initialRetryDelayMs: 1 });
    await assert.rejects(
      plain.download("d", server.url("/f"), dir.join("a")),
      (err) => errorIs(err, "failed"),
    );
    assert.equal(server.requestsOf("GET").length, 0);
    await using trusting = new HttpDownloader({ tls: { caCerts: [certs().ca] } });
    await trusting.download(sha256Digest(body), server.url("/f"), dir.join("b"));
    assert.equal(await fileDigest(dir.join("b")), sha256Digest(body));
  },
});

Deno.test({
  name: "presents a client certificate to a server that requires one",
  ignore: !available,
  async fn() {
    await using server = await FaultServer.start({
      tls: { key: certs().serverKey, cert: certs().serverCert, clientCa: certs().ca },
    });
    await using dir = await tempDir();
    const body = testBytes(100_000);
    server.set("/f", { body });
    await using anonymous = new HttpDownloader({
      initialRetryDelayMs: 1,
      maxAttempts: 1,
      tls: { caCerts: [certs().ca] },
    });
    await assert.rejects(anonymous.download("d", server.url("/f"), dir.join("a")));
    await using mutual = new HttpDownloader({
      tls: { caCerts: [certs().ca], cert: certs().clientCert, key: certs().clientKey },
    });
    await mutual.download(sha256Digest(body), server.url("/f"), dir.join("b"));
    assert.equal(await fileDigest(dir.join("b")), sha256Digest(body));
  },
});

Deno.test({
  name: "refuses a redirect from https to http",
  ignore: !available,
  async fn() {
    await using secure = await FaultServer.start({
      tls: { key: certs().serverKey, cert: certs().serverCert },
    });
    await using insecure = await FaultServer.start();
    await using dir = await tempDir();
    insecure.set("/f", { body: testBytes(100) });
    secure.plan("/f", { kind: "redirect", location: insecure.url("/f") });
    await using downloader = new HttpDownloader({ tls: { caCerts: [certs().ca] } });
    await assert.rejects(
      downloader.download("d", secure.url("/f"), dir.join("f")),
      (err) => errorIs(err, "failed") && /from https to http/.test(String(err)),
    );
    assert.equal(secure.requestsOf("GET").length, 1);
    assert.equal(insecure.requests.length, 0);
  },
});
