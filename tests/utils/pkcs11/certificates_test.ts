// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Certificates in SoftHSM2 tokens, and CSRs and certificates signed by token
// keys, checked by openssl and read back.
import assert from "node:assert/strict";
import { errorIs } from "../../../utils/errors.ts";
import {
  certificateToPem,
  createCertificate,
  createCsr,
  generatePrivateKey,
  issueCertificate,
  parseCertificate,
  parseCsr,
  publicKeysEqual,
  verifyCertificateChain,
  verifyCsr,
} from "../../../utils/crypto/mod.ts";
import { fromHex } from "../../../utils/encoding.ts";
import {
  encodePkcs11Id,
  loadCertificateChainByUrl,
  loadPrivateKeyByUrl,
  Pkcs11Manager,
  Pkcs11Utils,
} from "../../../utils/pkcs11/mod.ts";
import { BAD_PIN, softHsm, SOFTHSM_MODULE, softhsmMissing, USER_PIN } from "./_softhsm.ts";
import { hasOpenssl } from "../../_helpers/certs.ts";
import { openssl as ssl } from "../crypto/_openssl.ts";

const ignore = softhsmMissing !== undefined;
const openssl = hasOpenssl();
const is = (kind: Parameters<typeof errorIs>[1]) => (e: unknown) => errorIs(e, kind);
const CA_ID = new Uint8Array([0xca]);
// The client certificate id of AosCore's tests: UUID 00000000-0404-0404-0404-121212121212.
const CLIENT_ID = fromHex("00000000040404040404121212121212");

async function withUtils(fn: (utils: Pkcs11Utils) => Promise<void>): Promise<void> {
  await using hsm = await softHsm();
  const slot = await hsm.createToken();
  await fn(new Pkcs11Utils(await hsm.userSession(slot)));
}

async function pki() {
  const rootKey = await generatePrivateKey({ type: "ECDSA", curve: "P-384" });
  const root = await createCertificate({ subject: "C=UA, O=EPAM, CN=root", isCa: true }, {
    key: rootKey,
  });
  const interKey = await generatePrivateKey({ type: "ECDSA" });
  const inter = await createCertificate(
    { subject: "C=UA, O=EPAM, CN=intermediate", publicKey: interKey.publicKey, isCa: true },
    { key: rootKey, certificate: root },
  );
  const clientKey = await generatePrivateKey({ type: "ECDSA" });
  const client = await createCertificate(
    { subject: "C=UA, O=EPAM, CN=client", publicKey: clientKey.publicKey },
    { key: interKey, certificate: inter },
  );
  return { root, inter, client, rootKey };
}

Deno.test({
  name: "an imported certificate is found by issuer and serial, and gone once deleted",
  ignore,
}, () =>
  withUtils(async (utils) => {
    const { root } = await pki();
    const cert = parseCertificate(root);
    assert.equal(await utils.hasCertificate(cert.issuer, cert.serial), false);
    await utils.importCertificate(CA_ID, "ca", root);
    assert.equal(await utils.hasCertificate(cert.issuer, cert.serial), true);
    assert.equal(await utils.hasCertificate(cert.issuer, new Uint8Array([1])), false);
    await utils.importCertificate(CA_ID, "ca copy", cert.raw);
    assert.equal(await utils.hasCertificate(cert.issuer, cert.serial), true, "two copies");
    await utils.deleteCertificate(CA_ID, "ca");
    await utils.deleteCertificate(CA_ID, "ca copy");
    assert.equal(await utils.hasCertificate(cert.issuer, cert.serial), false);
    await assert.rejects(utils.deleteCertificate(CA_ID, "ca"), is("notFound"));
    await assert.rejects(
      utils.importCertificate(CA_ID, "x", "not a certificate"),
      is("invalidArgument"),
    );
  }));

Deno.test(
  { name: "a chain imported in any order is rebuilt leaf first", ignore },
  () =>
    withUtils(async (utils) => {
      const { root, inter, client } = await pki();
      // AosCore imports the leaf with a label and the rest without one.
      await utils.importCertificate(CA_ID, "", root);
      await utils.importCertificate(CLIENT_ID, "client", client);
      await utils.importCertificate(new Uint8Array([2]), "", inter);
      const chain = (await utils.findCertificateChain(CLIENT_ID, "client")).map((der) =>
        parseCertificate(der)
      );
      assert.deepEqual(chain.map((c) => c.subjectName), [
        "C=UA, O=EPAM, CN=client",
        "C=UA, O=EPAM, CN=intermediate",
        "C=UA, O=EPAM, CN=root",
      ]);
      for (let i = 0; i + 1 < chain.length; i++) {
        assert.deepEqual(chain[i]!.issuer, chain[i + 1]!.subject);
      }
      const path = await verifyCertificateChain(chain[0]!, {
        roots: [chain[2]!],
        intermediates: [chain[1]!],
      });
      assert.equal(path.length, 3);
      await assert.rejects(utils.findCertificateChain(CLIENT_ID, "other"), is("notFound"));
      // Without its root the chain ends where the token's certificates end.
      await utils.deleteCertificate(CA_ID, "");
      assert.equal((await utils.findCertificateChain(CLIENT_ID, "client")).length, 2);
    }),
);

Deno.test(
  { name: "a self-signed leaf is a chain of one; a cycle of issuers ends", ignore },
  () =>
    withUtils(async (utils) => {
      const key = await generatePrivateKey({ type: "ECDSA" });
      await utils.importCertificate(
        CA_ID,
        "self",
        await createCertificate({ subject: "CN=self" }, { key }),
      );
      assert.equal((await utils.findCertificateChain(CA_ID, "self")).length, 1);
      // a issued by b and b issued by a: the loop guard stops at the second.
      const a0 = await createCertificate({ subject: "CN=a", isCa: true }, { key });
      const b = await createCertificate({ subject: "CN=b", isCa: true, publicKey: key.publicKey }, {
        key,
        certificate: a0,
      });
      const a = await createCertificate({ subject: "CN=a", isCa: true, publicKey: key.publicKey }, {
        key,
        certificate: b,
      });
      await utils.importCertificate(new Uint8Array([1]), "a", a);
      await utils.importCertificate(new Uint8Array([2]), "b", b);
      const chain = await utils.findCertificateChain(new Uint8Array([1]), "a");
      assert.deepEqual(chain.map((der) => parseCertificate(der).subjectName), ["CN=a", "CN=b"]);
    }),
);

Deno.test({
  name: "an issuer whose name is encoded differently is found by key identifier",
  ignore,
}, () =>
  withUtils(async (utils) => {
    const key = await generatePrivateKey({ type: "ECDSA" });
    // CN=ca as UTF8String signs the leaf; the token holds the CA as PrintableString CN=ca.
    const utf8Ca = await createCertificate({ subject: "CN=ca", isCa: true }, { key });
    const printable = fromHex("300d310b3009060355040313026361");
    const printableCa = await createCertificate({ subject: printable, isCa: true }, { key });
    const leafKey = await generatePrivateKey({ type: "ECDSA" });
    const leaf = await createCertificate({ subject: "CN=leaf", publicKey: leafKey.publicKey }, {
      key,
      certificate: utf8Ca,
    });
    assert.notDeepEqual(parseCertificate(leaf).issuer, parseCertificate(printableCa).subject);
    await utils.importCertificate(CA_ID, "", printableCa);
    await utils.importCertificate(CLIENT_ID, "leaf", leaf);
    const chain = await utils.findCertificateChain(CLIENT_ID, "leaf");
    assert.equal(chain.length, 2);
    assert.deepEqual(chain[1], parseCertificate(printableCa).raw);
  }));

Deno.test(
  { name: "a CSR signed by a token key verifies, and openssl req reads it", ignore },
  () =>
    withUtils(async (utils) => {
      for (
        const make of [
          () => utils.generateEcdsaKeyPair(new Uint8Array([1]), "iam", "P-384"),
          () => utils.generateEcdsaKeyPair(new Uint8Array([2]), "sm", "P-256"),
          () => utils.generateRsaKeyPair(new Uint8Array([3]), "cm", 2048),
        ]
      ) {
        const { key } = await make();
        const pem = await createCsr(
          {
            subject: "O=Aos, CN=unit-1",
            dnsNames: ["unit-1.local"],
            extKeyUsage: ["1.3.6.1.5.5.7.3.2"],
          },
          key,
        );
        const csr = parseCsr(pem);
        assert.ok(await verifyCsr(csr));
        assert.ok(publicKeysEqual(csr.publicKey, key.publicKey));
        assert.deepEqual(csr.dnsNames, ["unit-1.local"]);
        if (openssl) {
          const text = ssl(
            { "r.pem": pem },
            "req",
            "-in",
            "r.pem",
            "-verify",
            "-noout",
            "-text",
          );
          assert.match(text, /verify OK/);
          assert.match(text, /Subject: O\s?=\s?Aos, CN\s?=\s?unit-1/);
          assert.match(text, /DNS:unit-1\.local/);
          assert.match(text, /TLS Web Client Authentication/);
        }
      }
    }),
);

Deno.test({
  name: "the device flow: token key, CSR, certificate from a CA, imported and rebuilt",
  ignore,
}, () =>
  withUtils(async (utils) => {
    const { root, rootKey } = await pki();
    const { key } = await utils.generateEcdsaKeyPair(CLIENT_ID, "online", "P-384");
    const csr = await createCsr({ subject: "O=Aos, CN=unit-1" }, key);
    const issued = await issueCertificate(csr, { key: rootKey, certificate: root });
    await utils.importCertificate(CLIENT_ID, "online", issued);
    await utils.importCertificate(CA_ID, "", root);
    const chain = await utils.findCertificateChain(CLIENT_ID, "online");
    assert.deepEqual(chain.map((der) => parseCertificate(der).subjectName), [
      "O=Aos, CN=unit-1",
      "C=UA, O=EPAM, CN=root",
    ]);
    assert.ok(publicKeysEqual(parseCertificate(chain[0]!).publicKey, key.publicKey));
    await verifyCertificateChain(chain[0]!, { roots: [root] });
    if (openssl) {
      const out = ssl(
        { "ca.pem": root, "c.pem": certificateToPem(chain[0]!) },
        "verify",
        "-CAfile",
        "ca.pem",
        "c.pem",
      );
      assert.match(out, /c\.pem: OK/);
    }
  }));

Deno.test(
  { name: "a token key can be the CA: certificates it signs pass openssl verify", ignore },
  () =>
    withUtils(async (utils) => {
      const { key } = await utils.generateRsaKeyPair(CA_ID, "ca", 3072);
      const ca = await createCertificate({ subject: "CN=token CA", isCa: true }, { key });
      const unitKey = await generatePrivateKey({ type: "ECDSA" });
      const issued = await issueCertificate(await createCsr({ subject: "CN=unit" }, unitKey), {
        key,
        certificate: ca,
      });
      await verifyCertificateChain(issued, { roots: [ca] });
      if (openssl) {
        const out = ssl(
          { "ca.pem": ca, "c.pem": issued },
          "verify",
          "-CAfile",
          "ca.pem",
          "c.pem",
        );
        assert.match(out, /c\.pem: OK/);
      }
    }),
);

Deno.test(
  { name: "keys and chains open by AosCore URL, PIN from pin-value or pin-source", ignore },
  async () => {
    await using hsm = await softHsm();
    const slot = await hsm.createToken("aoscore");
    const utils = new Pkcs11Utils(await hsm.userSession(slot));
    const { key } = await utils.generateEcdsaKeyPair(CLIENT_ID, "iam", "P-384");
    const { root, rootKey } = await pki();
    await utils.importCertificate(
      CLIENT_ID,
      "iam",
      await issueCertificate(await createCsr({ subject: "CN=iam" }, key), {
        key: rootKey,
        certificate: root,
      }),
    );
    await utils.importCertificate(CA_ID, "", root);
    await hsm.library.closeAllSessions(slot);

    const pinFile = `${hsm.dir}/pin`;
    await Deno.writeTextFile(pinFile, USER_PIN);
    const base = `pkcs11:token=aoscore;object=iam;id=${
      encodePkcs11Id(CLIENT_ID)
    }?module-path=${SOFTHSM_MODULE}`;
    const manager = new Pkcs11Manager();
    try {
      const pair = await loadPrivateKeyByUrl(manager, `${base}&pin-source=${pinFile}`);
      assert.ok(publicKeysEqual(pair.key.publicKey, key.publicKey));
      const signature = await pair.key.sign(new Uint8Array(48), { hash: "SHA384" });
      assert.equal(signature.length, 96);
      const chain = await loadCertificateChainByUrl(manager, `${base}&pin-value=${USER_PIN}`);
      assert.deepEqual(chain.map((der) => parseCertificate(der).subjectName), [
        "CN=iam",
        "C=UA, O=EPAM, CN=root",
      ]);
      await assert.rejects(
        loadPrivateKeyByUrl(manager, base.replace("object=iam", "object=sm")),
        is("notFound"),
      );
      await assert.rejects(
        loadPrivateKeyByUrl(manager, base.replace("token=aoscore", "token=other")),
        is("notFound"),
      );
    } finally {
      await manager.close();
    }
    await hsm.library.closeAllSessions(slot);
    const wrong = new Pkcs11Manager();
    await assert.rejects(
      loadPrivateKeyByUrl(wrong, `${base}&pin-value=${BAD_PIN}`),
      (e) =>
        errorIs(e, "runtime") && /CKR_PIN_INCORRECT/.test(String(e)) &&
        !String(e).includes(BAD_PIN),
    );
    await wrong.close();
  },
);
