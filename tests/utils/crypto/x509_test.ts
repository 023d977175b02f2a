// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Certificates, CSRs and chains: ours checked by openssl and node:crypto,
// openssl's read by ours. Portable: also run under Node 24.
import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import {
  certificateToPem,
  createCertificate,
  createCsr,
  generatePrivateKey,
  issueCertificate,
  parseCertificate,
  parseCertificates,
  parseCsr,
  publicKeysEqual,
  verifyCertificateChain,
  verifyCsr,
} from "../../../utils/crypto/mod.ts";
import { errorIs, toHex } from "../../../utils/mod.ts";
import { hasOpenssl, makeTestPki } from "../../_helpers/certs.ts";
import { openssl as ssl } from "./_openssl.ts";

const is = (kind: Parameters<typeof errorIs>[1]) => (e: unknown) => errorIs(e, kind);
const openssl = hasOpenssl();
// deno-lint-ignore no-console
if (!openssl) console.warn("openssl cross-checks ignored: the openssl command is missing");
const DAY = 86_400_000;

Deno.test({
  name: "certificates made by openssl parse, as node:crypto reads them",
  ignore: !openssl,
  fn() {
    const pki = makeTestPki();
    const ca = parseCertificate(pki.ca);
    const server = parseCertificate(pki.serverCert);
    const client = parseCertificate(pki.clientCert);
    const node = new X509Certificate(pki.serverCert);
    // Compared as numbers: a minimal serial can start with a zero nibble (0x06...).
    assert.equal(BigInt(`0x${toHex(server.serial)}`), BigInt(`0x${node.serialNumber}`));
    assert.equal(server.notBefore.getTime(), new Date(node.validFrom).getTime());
    assert.equal(server.notAfter.getTime(), new Date(node.validTo).getTime());
    assert.equal(server.subjectName, "CN=server");
    assert.equal(server.issuerName, "CN=ca");
    assert.deepEqual(server.issuer, ca.subject);
    assert.deepEqual(server.dnsNames, ["localhost"]);
    assert.deepEqual(server.ipAddresses, ["127.0.0.1"]);
    assert.deepEqual(server.authorityKeyId, ca.subjectKeyId);
    assert.ok(ca.isCa && !client.isCa);
    assert.deepEqual(client.extKeyUsage, ["1.3.6.1.5.5.7.3.2"]);
    assert.equal(server.version, 3);
    assert.equal(server.signatureAlgorithm, "1.2.840.10045.4.3.2");
    assert.ok(publicKeysEqual(server.publicKey, parseCertificate(node.raw).publicKey));
    assert.deepEqual(parseCertificate(new Uint8Array(node.raw)).raw, new Uint8Array(node.raw));
  },
});

Deno.test({
  name: "issuer alternative name URIs come through (AosCore's service discovery)",
  ignore: !openssl,
  fn() {
    const out = ssl(
      {
        "ext.cnf":
          "[x]\nissuerAltName=URI:https://www.mytest.com\nsubjectAltName=URI:urn:unit,email:a@b.c\n",
      },
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-keyout",
      "/dev/null",
      "-subj",
      "/O=Test1/CN=x",
      "-extensions",
      "x",
      "-config",
      "ext.cnf",
    );
    const cert = parseCertificate(out);
    assert.deepEqual(cert.issuerUrls, ["https://www.mytest.com"]);
    assert.deepEqual(cert.uris, ["urn:unit"]);
    assert.deepEqual(cert.emails, ["a@b.c"]);
    assert.equal(cert.subjectName, "O=Test1, CN=x");
  },
});

Deno.test("PEM bundles parse in order; a corrupted block or a non-certificate is invalidArgument", async () => {
  const key = await generatePrivateKey({ type: "ECDSA" });
  const a = await createCertificate({ subject: "CN=a" }, { key });
  const b = await createCertificate({ subject: "CN=b" }, { key });
  assert.deepEqual(parseCertificates(a + b).map((c) => c.subjectName), ["CN=a", "CN=b"]);
  assert.equal(certificateToPem(parseCertificate(b)), b);
  const broken = a + b.replace(/\n[A-Za-z0-9+/]{10}/, "\n!!!!!!!!!!");
  assert.throws(() => parseCertificates(broken), is("invalidArgument"));
  assert.throws(
    () => parseCertificates(a + "-----BEGIN CERTIFICATE-----\n"),
    is("invalidArgument"),
  );
  assert.throws(
    () => parseCertificate(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01])),
    is("invalidArgument"),
  );
  assert.throws(() => parseCertificate("no certificate"), is("invalidArgument"));
});

Deno.test("self-signed certificates: RSA and ECDSA, SKI equals AKI, verified by node:crypto and openssl", async () => {
  for (const spec of [{ type: "RSA" } as const, { type: "ECDSA", curve: "P-384" } as const]) {
    const key = await generatePrivateKey(spec);
    const pem = await createCertificate({
      subject: "C=UA, ST=Some-State, L=Kyiv, O=EPAM",
      isCa: true,
      serial: new Uint8Array([0x9e, 0xe7, 0xda, 0x5c]),
      notBefore: new Date("2024-01-31T12:00:00.500Z"),
      notAfter: new Date("2051-01-01T00:00:00Z"),
    }, { key });
    const cert = parseCertificate(pem);
    assert.equal(cert.subjectName, "C=UA, ST=Some-State, L=Kyiv, O=EPAM");
    assert.deepEqual(cert.issuer, cert.subject);
    assert.deepEqual(cert.subjectKeyId, cert.authorityKeyId);
    assert.ok(publicKeysEqual(cert.publicKey, key.publicKey));
    assert.deepEqual(cert.serial, new Uint8Array([0x9e, 0xe7, 0xda, 0x5c]));
    assert.equal(cert.notBefore.toISOString(), "2024-01-31T12:00:00.000Z");
    assert.equal(
      cert.notAfter.toISOString(),
      "2051-01-01T00:00:00.000Z",
      "GeneralizedTime from 2050",
    );
    assert.deepEqual(cert.keyUsage, ["digitalSignature", "keyCertSign", "cRLSign"]);
    const node = new X509Certificate(pem);
    assert.ok(node.verify(node.publicKey) && node.ca, spec.type);
    if (openssl) {
      assert.match(ssl({ "c.pem": pem }, "verify", "-CAfile", "c.pem", "c.pem"), /c\.pem: OK/);
    }
  }
});

Deno.test("createCertificate refuses a signer that does not match and validity backwards", async () => {
  const key = await generatePrivateKey({ type: "ECDSA" });
  const other = await generatePrivateKey({ type: "ECDSA" });
  const ca = await createCertificate({ subject: "CN=ca", isCa: true }, { key });
  await assert.rejects(
    createCertificate({ subject: "CN=x", publicKey: other.publicKey }, {
      key: other,
      certificate: ca,
    }),
    is("invalidArgument"),
  );
  await assert.rejects(
    createCertificate({ subject: "CN=x", publicKey: other.publicKey }, { key }),
    is("invalidArgument"),
  );
  await assert.rejects(
    createCertificate({
      subject: "CN=x",
      notBefore: new Date(),
      notAfter: new Date(Date.now() - DAY),
    }, { key }),
    is("invalidArgument"),
  );
  await assert.rejects(
    createCertificate({ subject: "CN=x", notBefore: new Date(NaN) }, { key }),
    is("invalidArgument"),
  );
});

Deno.test("CSRs with DNS names and extended key usage, RSA and ECDSA, pass openssl req -verify", async () => {
  for (const spec of [{ type: "RSA" } as const, { type: "ECDSA", curve: "P-384" } as const]) {
    const key = await generatePrivateKey(spec);
    const pem = await createCsr({
      subject: "O=Aos, CN=unit",
      dnsNames: ["test1.com", "test2.com"],
      ipAddresses: ["10.0.0.1", "fd00::1"],
      extKeyUsage: ["1.3.6.1.5.5.7.3.2"],
      extensions: [{ oid: "1.2.3.4", value: new Uint8Array([0x05, 0x00]) }],
    }, key);
    const csr = parseCsr(pem);
    assert.equal(csr.subjectName, "O=Aos, CN=unit");
    assert.deepEqual(csr.dnsNames, ["test1.com", "test2.com"]);
    assert.deepEqual(csr.extKeyUsage, ["1.3.6.1.5.5.7.3.2"]);
    assert.deepEqual(csr.extensions.map((e) => e.oid), ["2.5.29.17", "2.5.29.37", "1.2.3.4"]);
    assert.ok(publicKeysEqual(csr.publicKey, key.publicKey));
    assert.ok(await verifyCsr(csr));
    assert.equal(
      csr.signatureAlgorithm,
      spec.type === "RSA" ? "1.2.840.113549.1.1.11" : "1.2.840.10045.4.3.3",
    );
    if (openssl) {
      const text = ssl({ "r.pem": pem }, "req", "-in", "r.pem", "-verify", "-noout", "-text");
      assert.match(text, /verify OK/);
      assert.match(
        text,
        /DNS:test1\.com, DNS:test2\.com, IP Address:10\.0\.0\.1, IP Address:FD00:0:0:0:0:0:0:1/,
      );
      assert.match(text, /TLS Web Client Authentication/);
      assert.match(text, /Subject: O\s?=\s?Aos, CN\s?=\s?unit/);
    }
  }
});

Deno.test("a CSR whose signature does not match is detected and refused by issueCertificate", async () => {
  const key = await generatePrivateKey({ type: "ECDSA" });
  const csr = parseCsr(await createCsr({ subject: "CN=unit" }, key));
  const tampered = { ...csr, signature: csr.signature.map((b, i) => (i === 10 ? b ^ 1 : b)) };
  assert.equal(await verifyCsr(tampered), false);
  const ca = await createCertificate({ subject: "CN=ca", isCa: true }, { key });
  await assert.rejects(issueCertificate(tampered, { key, certificate: ca }), is("invalidArgument"));
  assert.throws(() => parseCsr("nothing"), is("invalidArgument"));
});

Deno.test("issueCertificate makes a certificate from a CSR that chains to the CA", async () => {
  const caKey = await generatePrivateKey({ type: "RSA" });
  const ca = await createCertificate({ subject: "O=Aos, CN=cloud CA", isCa: true }, { key: caKey });
  const unitKey = await generatePrivateKey({ type: "ECDSA", curve: "P-384" });
  const csr = await createCsr(
    { subject: "O=Aos, CN=unit-1", dnsNames: ["unit-1"], extKeyUsage: ["1.3.6.1.5.5.7.3.2"] },
    unitKey,
  );
  const before = Date.now();
  const pem = await issueCertificate(csr, { key: caKey, certificate: ca }, { validityDays: 30 });
  const cert = parseCertificate(pem);
  assert.equal(cert.subjectName, "O=Aos, CN=unit-1");
  assert.equal(cert.issuerName, "O=Aos, CN=cloud CA");
  assert.ok(publicKeysEqual(cert.publicKey, unitKey.publicKey));
  assert.deepEqual(cert.dnsNames, ["unit-1"]);
  assert.deepEqual(cert.extKeyUsage, ["1.3.6.1.5.5.7.3.2"]);
  assert.deepEqual(cert.authorityKeyId, parseCertificate(ca).subjectKeyId);
  assert.ok(!cert.isCa);
  assert.ok(Math.abs(cert.notAfter.getTime() - (before + 30 * DAY)) < 5000);
  assert.equal(cert.serial.length, 16);
  assert.ok(new X509Certificate(pem).verify(new X509Certificate(ca).publicKey));
  if (openssl) {
    assert.match(
      ssl({ "ca.pem": ca, "c.pem": pem }, "verify", "-CAfile", "ca.pem", "c.pem"),
      /c\.pem: OK/,
    );
  }
});

Deno.test("chains verify leaf to root, and fail for the wrong time, root or CA flag", async () => {
  const rootKey = await generatePrivateKey({ type: "ECDSA", curve: "P-384" });
  const root = await createCertificate({ subject: "CN=root", isCa: true }, { key: rootKey });
  const interKey = await generatePrivateKey({ type: "RSA" });
  const inter = await createCertificate(
    { subject: "CN=intermediate", publicKey: interKey.publicKey, isCa: true, pathLength: 0 },
    { key: rootKey, certificate: root },
  );
  const leafKey = await generatePrivateKey({ type: "ECDSA" });
  const leaf = await createCertificate(
    { subject: "CN=leaf", publicKey: leafKey.publicKey, dnsNames: ["unit"] },
    { key: interKey, certificate: inter },
  );
  const path = await verifyCertificateChain(leaf, { roots: [root], intermediates: [inter] });
  assert.deepEqual(path.map((c) => c.subjectName), ["CN=leaf", "CN=intermediate", "CN=root"]);
  // Intermediates as one PEM bundle, the leaf parsed.
  const bundle = await verifyCertificateChain(parseCertificate(leaf), {
    roots: [root],
    intermediates: [inter + root],
  });
  assert.equal(bundle.length, 3);

  await assert.rejects(
    verifyCertificateChain(leaf, {
      roots: [root],
      intermediates: [inter],
      time: new Date(Date.now() + 2 * 365 * DAY),
    }),
    (e) => errorIs(e, "failed") && /valid|expired/.test(String(e)),
  );
  await assert.rejects(verifyCertificateChain(leaf, { roots: [root] }), is("failed"));
  await assert.rejects(verifyCertificateChain(leaf, { roots: [] }), is("invalidArgument"));
  const stranger = await createCertificate({ subject: "CN=root", isCa: true }, { key: leafKey });
  await assert.rejects(
    verifyCertificateChain(leaf, { roots: [stranger], intermediates: [inter] }),
    is("failed"),
  );
  // A leaf signing another certificate does not make a chain. This one also
  // shares the root's key, so the intermediate has two issuers that verify: a
  // cycle (intermediate, leaf, below-leaf, intermediate) the search must not follow.
  const notCa = await createCertificate(
    { subject: "CN=below leaf", publicKey: rootKey.publicKey },
    { key: leafKey, certificate: leaf },
  );
  await assert.rejects(
    verifyCertificateChain(notCa, { roots: [root], intermediates: [inter, leaf] }),
    (e) => errorIs(e, "failed") && /"CN=leaf" is not a CA/.test(String(e)),
  );
});

Deno.test({
  name: "chains made by openssl verify",
  ignore: !openssl,
  async fn() {
    const pki = makeTestPki();
    const path = await verifyCertificateChain(pki.clientCert, { roots: [pki.ca] });
    assert.deepEqual(path.map((c) => c.subjectName), ["CN=client", "CN=ca"]);
  },
});

Deno.test("chains respect path length, keyCertSign and unknown critical extensions", async () => {
  const key = await generatePrivateKey({ type: "ECDSA" });
  const root = await createCertificate({ subject: "CN=root", isCa: true, pathLength: 0 }, { key });
  const mid = await createCertificate({ subject: "CN=mid", publicKey: key.publicKey, isCa: true }, {
    key,
    certificate: root,
  });
  const leaf = await createCertificate({ subject: "CN=leaf", publicKey: key.publicKey }, {
    key,
    certificate: mid,
  });
  await assert.rejects(
    verifyCertificateChain(leaf, { roots: [root], intermediates: [mid] }),
    (e) => errorIs(e, "failed") && /allows 0 CAs below it, the path has 1/.test(String(e)),
  );
  const noSign = await createCertificate({
    subject: "CN=nosign",
    isCa: true,
    keyUsage: ["digitalSignature"],
  }, { key });
  const leaf2 = await createCertificate({ subject: "CN=l2", publicKey: key.publicKey }, {
    key,
    certificate: noSign,
  });
  await assert.rejects(
    verifyCertificateChain(leaf2, { roots: [noSign] }),
    (e) => errorIs(e, "failed") && /keyCertSign/.test(String(e)),
  );
  const okRoot = await createCertificate({ subject: "CN=ok", isCa: true }, { key });
  const odd = await createCertificate({
    subject: "CN=odd",
    publicKey: key.publicKey,
    extensions: [{ oid: "1.2.3.4.5", critical: true, value: new Uint8Array([5, 0]) }],
  }, { key, certificate: okRoot });
  await assert.rejects(
    verifyCertificateChain(odd, { roots: [okRoot] }),
    (e) => errorIs(e, "failed") && /critical extension 1\.2\.3\.4\.5/.test(String(e)),
  );
  assert.equal(
    (await verifyCertificateChain(okRoot, { roots: [okRoot] })).length,
    1,
    "a root verifies itself",
  );
});
