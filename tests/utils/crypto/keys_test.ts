// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Software keys, public key encodings and signature checks. Every signature
// is also checked by node:crypto, independently of verifySignature.
// Portable: also run under Node 24.
import assert from "node:assert/strict";
import {
  constants,
  createPublicKey,
  generateKeyPairSync,
  publicEncrypt,
  sign as nodeSign,
  verify as nodeVerify,
} from "node:crypto";
import { inspect } from "node:util";
import {
  digest,
  digestInfo,
  ecdsaSignatureFromDer,
  ecdsaSignatureToDer,
  generatePrivateKey,
  type HashAlgorithm,
  keyBits,
  parsePrivateKeyPem,
  type PublicKey,
  publicKeyFromSpki,
  publicKeysEqual,
  publicKeyToSpki,
  signatureLength,
  verifySignature,
} from "../../../utils/crypto/mod.ts";
import { errorIs } from "../../../utils/mod.ts";

const is = (kind: Parameters<typeof errorIs>[1]) => (e: unknown) => errorIs(e, kind);
const message = new TextEncoder().encode("Hello World");
const NODE_HASH: Partial<Record<HashAlgorithm, string>> = {
  SHA1: "sha1",
  SHA224: "sha224",
  SHA256: "sha256",
  SHA384: "sha384",
  SHA512: "sha512",
};

function nodeKey(key: PublicKey) {
  return createPublicKey({ key: Buffer.from(publicKeyToSpki(key)), format: "der", type: "spki" });
}

Deno.test("software RSA keys sign every DigestInfo hash, as node:crypto verifies", async () => {
  const key = await generatePrivateKey({ type: "RSA" });
  assert.equal(keyBits(key.publicKey), 2048);
  for (const [hash, name] of Object.entries(NODE_HASH)) {
    const signature = await key.sign(digest(hash as HashAlgorithm, message), {
      hash: hash as HashAlgorithm,
    });
    assert.equal(signature.length, 256);
    assert.ok(nodeVerify(name, message, nodeKey(key.publicKey), signature), hash);
  }
  // "NONE" pads and signs the bytes as given: here a DigestInfo made by hand.
  const raw = await key.sign(digestInfo("SHA256", digest("SHA256", message)), { hash: "NONE" });
  assert.ok(nodeVerify("sha256", message, nodeKey(key.publicKey), raw));
  assert.ok(await verifySignature(key.publicKey, message, raw, { hash: "SHA256" }));
});

Deno.test("software ECDSA keys sign raw r||s or DER on every curve", async () => {
  for (const curve of ["P-256", "P-384", "P-521"] as const) {
    const key = await generatePrivateKey({ type: "ECDSA", curve });
    const hash = ({ "P-256": "SHA256", "P-384": "SHA384", "P-521": "SHA512" } as const)[curve];
    const raw = await key.sign(digest(hash, message), { hash });
    assert.equal(raw.length, signatureLength(key.publicKey), curve);
    const name = NODE_HASH[hash]!;
    assert.ok(
      nodeVerify(name, message, { key: nodeKey(key.publicKey), dsaEncoding: "ieee-p1363" }, raw),
      curve,
    );
    const der = await key.sign(digest(hash, message), { hash, format: "der" });
    assert.ok(nodeVerify(name, message, nodeKey(key.publicKey), der), `${curve} DER`);
    assert.ok(await verifySignature(key.publicKey, message, raw, { hash }), curve);
    assert.ok(await verifySignature(key.publicKey, message, der, { hash }), `${curve} DER`);
  }
});

Deno.test("software keys refuse what they cannot do", async () => {
  const rsa = await generatePrivateKey({ type: "RSA" });
  await assert.rejects(
    rsa.sign(digest("SHA256", message), { hash: "SHA256", padding: "pss" }),
    is("notSupported"),
  );
  await assert.rejects(rsa.sign(new Uint8Array(31), { hash: "SHA256" }), is("invalidArgument"));
  // Longer than the modulus: an error everywhere (a bad padding of the right
  // length decrypts to random bytes on Node 24's OpenSSL: implicit rejection).
  await assert.rejects(rsa.decrypt(new Uint8Array(257), { scheme: "pkcs1v15" }), is("failed"));
  await assert.rejects(
    rsa.decrypt(new Uint8Array(256), { scheme: "oaep", hash: "SHA256" }),
    is("failed"),
  );
  await assert.rejects(
    rsa.decrypt(new Uint8Array(256), { scheme: "oaep", hash: "SHA512-224" }),
    is("notSupported"),
  );
  const ec = await generatePrivateKey({ type: "ECDSA" });
  await assert.rejects(ec.decrypt(new Uint8Array(32), { scheme: "pkcs1v15" }), is("failed"));
});

Deno.test("software RSA keys decrypt PKCS#1 v1.5 and OAEP", async () => {
  const key = await generatePrivateKey({ type: "RSA" });
  const secret = crypto.getRandomValues(new Uint8Array(32));
  const v15 = publicEncrypt(
    { key: nodeKey(key.publicKey), padding: constants.RSA_PKCS1_PADDING },
    secret,
  );
  assert.deepEqual(await key.decrypt(new Uint8Array(v15), { scheme: "pkcs1v15" }), secret);
  for (const hash of ["SHA1", "SHA256", "SHA384"] as const) {
    const oaep = publicEncrypt(
      {
        key: nodeKey(key.publicKey),
        padding: constants.RSA_PKCS1_OAEP_PADDING,
        oaepHash: NODE_HASH[hash]!,
      },
      secret,
    );
    assert.deepEqual(
      await key.decrypt(new Uint8Array(oaep), { scheme: "oaep", hash }),
      secret,
      hash,
    );
  }
});

Deno.test("PEM private keys: PKCS#8, PKCS#1 and SEC1 read back to the same key", () => {
  const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const ec = generateKeyPairSync("ec", { namedCurve: "P-384" });
  const cases: [string, string][] = [
    ["pkcs8 rsa", rsa.privateKey.export({ type: "pkcs8", format: "pem" }) as string],
    ["pkcs1", rsa.privateKey.export({ type: "pkcs1", format: "pem" }) as string],
    ["pkcs8 ec", ec.privateKey.export({ type: "pkcs8", format: "pem" }) as string],
    ["sec1", ec.privateKey.export({ type: "sec1", format: "pem" }) as string],
  ];
  for (const [name, pem] of cases) {
    const key = parsePrivateKeyPem(pem);
    const pub = name.includes("ec") || name === "sec1" ? ec.publicKey : rsa.publicKey;
    const want = publicKeyFromSpki(new Uint8Array(pub.export({ type: "spki", format: "der" })));
    assert.ok(publicKeysEqual(key.publicKey, want), name);
    assert.ok(
      publicKeysEqual(parsePrivateKeyPem(key.toPem()).publicKey, want),
      `${name} via toPem`,
    );
  }
  const encrypted = rsa.privateKey.export({
    type: "pkcs8",
    format: "pem",
    cipher: "aes-256-cbc",
    passphrase: "x",
  }) as string;
  assert.throws(() => parsePrivateKeyPem(encrypted), is("notSupported"));
  assert.throws(
    () => parsePrivateKeyPem("-----BEGIN PRIVATE KEY-----\nAQID\n-----END PRIVATE KEY-----\n"),
    is("invalidArgument"),
  );
  assert.throws(() => parsePrivateKeyPem("nothing"), is("invalidArgument"));
  const ed = generateKeyPairSync("ed25519").privateKey.export({
    type: "pkcs8",
    format: "pem",
  }) as string;
  assert.throws(() => parsePrivateKeyPem(ed), is("notSupported"));
});

Deno.test("a software key never shows its secret", async () => {
  const key = await generatePrivateKey({ type: "ECDSA" });
  const pemBody = key.toPem().split("\n")[1]!;
  for (const text of [String(key), JSON.stringify({ key }), inspect(key, { depth: 5 })]) {
    assert.ok(!text.includes(pemBody.slice(0, 20)) && !text.includes("PRIVATE"), text);
  }
  assert.equal(String(key), "SoftwarePrivateKey(ECDSA P-256)");
});

Deno.test("public keys go to SubjectPublicKeyInfo and back, byte for byte as node:crypto writes them", () => {
  for (
    const pair of [
      generateKeyPairSync("rsa", { modulusLength: 3072 }),
      generateKeyPairSync("ec", { namedCurve: "P-256" }),
      generateKeyPairSync("ec", { namedCurve: "P-521" }),
    ]
  ) {
    const spki = new Uint8Array(pair.publicKey.export({ type: "spki", format: "der" }));
    const key = publicKeyFromSpki(spki);
    assert.deepEqual(publicKeyToSpki(key), spki);
  }
  const rsa: PublicKey = {
    type: "RSA",
    n: new Uint8Array([0, 0xc5, 1]),
    e: new Uint8Array([1, 0, 1]),
  };
  assert.ok(
    publicKeysEqual(rsa, {
      type: "RSA",
      n: new Uint8Array([0xc5, 1]),
      e: new Uint8Array([1, 0, 1]),
    }),
  );
  assert.ok(
    !publicKeysEqual(rsa, { type: "ECDSA", curveOid: new Uint8Array(), point: new Uint8Array() }),
  );
  const ed = new Uint8Array(
    generateKeyPairSync("ed25519").publicKey.export({ type: "spki", format: "der" }),
  );
  assert.throws(() => publicKeyFromSpki(ed), is("notSupported"));
  assert.throws(() => publicKeyFromSpki(new Uint8Array([0x30, 0x00])), is("invalidArgument"));
});

Deno.test("ECDSA signatures convert between raw and DER, high bits and leading zeros included", () => {
  const raw = new Uint8Array(96);
  raw.fill(0xff, 0, 48);
  raw[48] = 0;
  raw[49] = 0x01;
  const der = ecdsaSignatureToDer(raw);
  assert.equal(der[2], 0x02);
  assert.equal(der[3], 49, "r gets a 0x00 before its high bit");
  assert.deepEqual(ecdsaSignatureFromDer(der, 48), raw);
  assert.throws(() => ecdsaSignatureToDer(new Uint8Array(3)), is("invalidArgument"));
  assert.throws(() => ecdsaSignatureFromDer(der, 32), is("invalidArgument"));
  assert.throws(
    () => ecdsaSignatureFromDer(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]), 32),
    is("invalidArgument"),
  );
});

Deno.test("verifySignature checks RSA PKCS#1 v1.5, PSS and ECDSA, and rejects a flipped bit", async () => {
  const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const rsaPublic = publicKeyFromSpki(
    new Uint8Array(rsa.publicKey.export({ type: "spki", format: "der" })),
  );
  const pss = nodeSign("sha256", message, {
    key: rsa.privateKey,
    padding: constants.RSA_PKCS1_PSS_PADDING,
    saltLength: 32,
  });
  assert.ok(
    await verifySignature(rsaPublic, message, new Uint8Array(pss), {
      hash: "SHA256",
      padding: "pss",
    }),
  );
  const v15 = new Uint8Array(nodeSign("sha384", message, rsa.privateKey));
  assert.ok(await verifySignature(rsaPublic, message, v15, { hash: "SHA384" }));
  v15[10]! ^= 1;
  assert.equal(await verifySignature(rsaPublic, message, v15, { hash: "SHA384" }), false);

  const ec = generateKeyPairSync("ec", { namedCurve: "P-384" });
  const ecPublic = publicKeyFromSpki(
    new Uint8Array(ec.publicKey.export({ type: "spki", format: "der" })),
  );
  const der = new Uint8Array(nodeSign("sha384", message, ec.privateKey));
  assert.ok(await verifySignature(ecPublic, message, der, { hash: "SHA384" }));
  assert.ok(
    await verifySignature(ecPublic, message, ecdsaSignatureFromDer(der, 48), { hash: "SHA384" }),
  );
  assert.equal(
    await verifySignature(ecPublic, message, new Uint8Array(95), { hash: "SHA384" }),
    false,
  );
  await assert.rejects(
    verifySignature(ecPublic, message, der, { hash: "SHA3-256" }),
    is("notSupported"),
  );
});
