// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Key pairs in SoftHSM2 tokens: generation, lookup, deletion, signing and
// decryption. Every signature is verified outside the token, with WebCrypto
// (verifySignature) and node:crypto.
import assert from "node:assert/strict";
import { constants, createPublicKey, publicEncrypt, verify as nodeVerify } from "node:crypto";
import { errorIs } from "../../../utils/errors.ts";
import { toHex } from "../../../utils/encoding.ts";
import {
  digest,
  type HashAlgorithm,
  type PublicKey,
  publicKeysEqual,
  publicKeyToSpki,
  verifySignature,
} from "../../../utils/crypto/mod.ts";
import {
  booleanAttribute,
  CKA,
  CKM,
  CKO,
  Pkcs11Utils,
  ulongAttribute,
} from "../../../utils/pkcs11/mod.ts";
import { openModule } from "../../../utils/pkcs11/_ffi.ts";
import { softHsm, SOFTHSM_MODULE, softhsmMissing } from "./_softhsm.ts";

const ignore = softhsmMissing !== undefined;
const is = (kind: Parameters<typeof errorIs>[1], message?: RegExp) => (e: unknown) =>
  errorIs(e, kind) && (message === undefined || message.test(String(e)));
const message = new TextEncoder().encode("Hello World");
// The key id of AosCore's tests: the UUID 08080808-0404-0404-0404-121212121212.
const KEY_ID = new Uint8Array([
  8,
  8,
  8,
  8,
  4,
  4,
  4,
  4,
  4,
  4,
  4,
  4,
  0x12,
  0x12,
  0x12,
  0x12,
  0x12,
  0x12,
]).subarray(0, 16);

function nodeKey(key: PublicKey) {
  return createPublicKey({ key: Buffer.from(publicKeyToSpki(key)), format: "der", type: "spki" });
}

async function tokenWithUser() {
  const hsm = await softHsm();
  const slot = await hsm.createToken();
  const session = await hsm.userSession(slot);
  return { hsm, slot, session, utils: new Pkcs11Utils(session) };
}

Deno.test(
  { name: "RSA 2048 and 3072 key pairs are token objects; deleted, they are gone", ignore },
  async () => {
    const { hsm, slot, utils } = await tokenWithUser();
    await using _ = hsm;
    for (const bits of [2048, 3072]) {
      const pair = await utils.generateRsaKeyPair(KEY_ID, `rsa ${bits}`, bits);
      assert.equal(pair.key.publicKey.type, "RSA");
      if (pair.key.publicKey.type === "RSA") {
        assert.equal(pair.key.publicKey.n.length * 8, bits);
        assert.deepEqual(pair.key.publicKey.e, new Uint8Array([1, 0, 1]));
      }
      const other = await hsm.library.openSession(slot, undefined, { exclusive: true });
      const found = await other.findObjects([booleanAttribute(CKA.TOKEN, true)]);
      assert.ok(found.includes(pair.privateHandle) && found.includes(pair.publicHandle));
      const [sensitive, extractable] = await other.getAttributeValues(pair.privateHandle, [
        CKA.SENSITIVE,
        CKA.EXTRACTABLE,
      ]);
      assert.deepEqual([...sensitive!, ...extractable!], [1, 0]);
      await utils.deletePrivateKey(pair);
      await assert.rejects(
        other.findObjects([ulongAttribute(CKA.CLASS, CKO.PRIVATE_KEY), {
          type: CKA.LABEL,
          value: new TextEncoder().encode(`rsa ${bits}`),
        }]),
        is("notFound"),
      );
      await other.close();
    }
  },
);

Deno.test(
  { name: "ECDSA P-384 and P-256 key pairs export the curve OID and the point", ignore },
  async () => {
    const { hsm, utils } = await tokenWithUser();
    await using _ = hsm;
    const p384 = await utils.generateEcdsaKeyPair(KEY_ID, "ec384");
    assert.equal(p384.key.publicKey.type, "ECDSA");
    if (p384.key.publicKey.type === "ECDSA") {
      assert.equal(toHex(p384.key.publicKey.curveOid), "2b81040022");
      assert.equal(p384.key.publicKey.point.length, 97);
      assert.equal(p384.key.publicKey.point[0], 0x04);
    }
    const [ecPoint] = await utils.session.getAttributeValues(p384.publicHandle, [CKA.EC_POINT]);
    assert.deepEqual(
      [...ecPoint!.subarray(0, 3)],
      [0x04, 0x61, 0x04],
      "SoftHSM wraps the point in an OCTET STRING",
    );
    const p256 = await utils.generateEcdsaKeyPair(KEY_ID, "ec256", "P-256");
    if (p256.key.publicKey.type === "ECDSA") {
      assert.equal(toHex(p256.key.publicKey.curveOid), "2a8648ce3d030107");
      assert.equal(p256.key.publicKey.point.length, 65);
    }
    assert.equal(String(p256.key), `Pkcs11PrivateKey(ECDSA P-256, object ${p256.privateHandle})`);
  },
);

Deno.test({
  name: "findPrivateKey finds the pair, and says whether the key or its public half is missing",
  ignore,
}, async () => {
  const { hsm, utils } = await tokenWithUser();
  await using _ = hsm;
  const made = await utils.generateEcdsaKeyPair(KEY_ID, "iam");
  const found = await utils.findPrivateKey(KEY_ID, "iam");
  assert.equal(found.privateHandle, made.privateHandle);
  assert.equal(found.publicHandle, made.publicHandle);
  assert.ok(publicKeysEqual(found.key.publicKey, made.key.publicKey));
  await assert.rejects(utils.findPrivateKey(KEY_ID, "other"), is("notFound", /No private key/));
  await assert.rejects(
    utils.findPrivateKey(new Uint8Array([1]), "iam"),
    is("notFound", /No private key/),
  );
  await assert.rejects(
    utils.findPrivateKey(KEY_ID, ""),
    is("notFound"),
    "an empty label matches only empty labels",
  );
  await utils.session.destroyObject(made.publicHandle);
  await assert.rejects(utils.findPrivateKey(KEY_ID, "iam"), is("notFound", /has no public key/));
  await utils.session.destroyObject(made.privateHandle);
  await assert.rejects(utils.findPrivateKey(KEY_ID, "iam"), is("notFound", /No private key/));
});

Deno.test({
  name: "RSA signs PKCS#1 v1.5 with every DigestInfo and PSS, verified outside the token",
  ignore,
}, async () => {
  const { hsm, utils } = await tokenWithUser();
  await using _ = hsm;
  const { key } = await utils.generateRsaKeyPair(KEY_ID, "rsa");
  const hashes: [HashAlgorithm, string][] = [
    ["SHA1", "sha1"],
    ["SHA224", "sha224"],
    ["SHA256", "sha256"],
    ["SHA384", "sha384"],
    ["SHA512", "sha512"],
  ];
  for (const [hash, name] of hashes) {
    const signature = await key.sign(digest(hash, message), { hash });
    assert.equal(signature.length, 256);
    assert.ok(nodeVerify(name, message, nodeKey(key.publicKey), signature), hash);
    if (hash !== "SHA224") {
      assert.ok(await verifySignature(key.publicKey, message, signature, { hash }), hash);
    }
  }
  for (const [hash, name] of [["SHA256", "sha256"], ["SHA384", "sha384"]] as const) {
    const pss = await key.sign(digest(hash, message), { hash, padding: "pss" });
    assert.ok(
      await verifySignature(key.publicKey, message, pss, { hash, padding: "pss" }),
      `PSS ${hash}`,
    );
    assert.ok(
      nodeVerify(name, message, {
        key: nodeKey(key.publicKey),
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: 32 + (hash === "SHA384" ? 16 : 0),
      }, pss),
      `PSS ${hash} by node`,
    );
  }
  const salted = await key.sign(digest("SHA256", message), {
    hash: "SHA256",
    padding: "pss",
    saltLength: 0,
  });
  assert.ok(
    await verifySignature(key.publicKey, message, salted, {
      hash: "SHA256",
      padding: "pss",
      saltLength: 0,
    }),
  );
  await assert.rejects(key.sign(new Uint8Array(20), { hash: "SHA256" }), is("invalidArgument"));
  await assert.rejects(
    key.sign(new Uint8Array(32), { hash: "NONE", padding: "pss" }),
    is("invalidArgument"),
  );
  await assert.rejects(
    key.sign(new Uint8Array(28), { hash: "SHA512-224", padding: "pss" }),
    is("notSupported"),
  );
});

Deno.test({
  name: "ECDSA signs raw r||s and DER on P-384 and P-256, verified outside the token",
  ignore,
}, async () => {
  const { hsm, utils } = await tokenWithUser();
  await using _ = hsm;
  for (
    const [curve, hash, name, size] of [["P-384", "SHA384", "sha384", 96], [
      "P-256",
      "SHA256",
      "sha256",
      64,
    ]] as const
  ) {
    const { key } = await utils.generateEcdsaKeyPair(KEY_ID, curve, curve);
    // Enough signatures for the key to move to inline calls (see _call_speed.ts).
    for (let i = 0; i < 20; i++) {
      const raw = await key.sign(digest(hash, message), { hash });
      assert.equal(raw.length, size);
      assert.ok(await verifySignature(key.publicKey, message, raw, { hash }), `${curve} #${i}`);
    }
    const der = await key.sign(digest(hash, message), { hash, format: "der" });
    assert.equal(der[0], 0x30);
    assert.ok(nodeVerify(name, message, nodeKey(key.publicKey), der), `${curve} DER by node`);
    await assert.rejects(key.decrypt(new Uint8Array(32), { scheme: "pkcs1v15" }), is("failed"));
  }
});

Deno.test({
  name: "RSA decrypts PKCS#1 v1.5 and OAEP ciphertexts made from the exported public key",
  ignore,
}, async () => {
  const { hsm, utils } = await tokenWithUser();
  await using _ = hsm;
  const { key } = await utils.generateRsaKeyPair(KEY_ID, "rsa");
  const secret = crypto.getRandomValues(new Uint8Array(32));
  const v15 = publicEncrypt(
    { key: nodeKey(key.publicKey), padding: constants.RSA_PKCS1_PADDING },
    secret,
  );
  assert.deepEqual(await key.decrypt(new Uint8Array(v15), { scheme: "pkcs1v15" }), secret);
  const encrypt = async (hash: string) => {
    const publicKey = await crypto.subtle.importKey(
      "spki",
      publicKeyToSpki(key.publicKey),
      { name: "RSA-OAEP", hash },
      false,
      ["encrypt"],
    );
    return new Uint8Array(await crypto.subtle.encrypt({ name: "RSA-OAEP" }, publicKey, secret));
  };
  assert.deepEqual(
    await key.decrypt(await encrypt("SHA-1"), { scheme: "oaep", hash: "SHA1" }),
    secret,
  );
  // SoftHSM 2.6 takes OAEP with SHA-1 only; the parameters it refuses reach it intact.
  await assert.rejects(
    key.decrypt(await encrypt("SHA-256"), { scheme: "oaep", hash: "SHA256" }),
    is("runtime", /C_DecryptInit failed: CKR_ARGUMENTS_BAD/),
  );
  await assert.rejects(
    key.decrypt(new Uint8Array(v15), { scheme: "oaep", hash: "SHA224" }),
    is("notSupported"),
  );
  await assert.rejects(
    key.decrypt(new Uint8Array(10), { scheme: "pkcs1v15" }),
    is("runtime", /C_Decrypt/),
  );
});

Deno.test(
  { name: "a size query sizes the output when the caller gives no length", ignore },
  async () => {
    const { hsm, utils } = await tokenWithUser();
    await using _ = hsm;
    const pair = await utils.generateEcdsaKeyPair(KEY_ID, "ec");
    const signature = await utils.session.sign(
      { type: CKM.ECDSA },
      pair.privateHandle,
      digest("SHA384", message),
    );
    assert.equal(signature.length, 96);
    // Too small a buffer is grown to what the module asks for.
    const grown = await utils.session.sign(
      { type: CKM.ECDSA },
      pair.privateHandle,
      digest("SHA384", message),
      8,
    );
    assert.equal(grown.length, 96);
    assert.ok(await verifySignature(pair.key.publicKey, message, grown, { hash: "SHA384" }));
  },
);

Deno.test({ name: "four sessions sign in parallel", ignore }, async () => {
  const { hsm, slot, utils } = await tokenWithUser();
  await using _ = hsm;
  const { key } = await utils.generateEcdsaKeyPair(KEY_ID, "ec", "P-256");
  const sessions = await Promise.all(
    [1, 2, 3, 4].map(() => hsm.library.openSession(slot, undefined, { exclusive: true })),
  );
  const signatures = await Promise.all(
    sessions.flatMap((s) =>
      [1, 2, 3].map(() => key.withSession(s).sign(digest("SHA256", message), { hash: "SHA256" }))
    ),
  );
  assert.equal(signatures.length, 12);
  for (const signature of signatures) {
    assert.ok(await verifySignature(key.publicKey, message, signature, { hash: "SHA256" }));
  }
  // One session: overlapping calls queue instead of colliding in the module.
  const queued = await Promise.all(
    [1, 2, 3, 4].map(() => key.sign(digest("SHA256", message), { hash: "SHA256" })),
  );
  assert.equal(queued.length, 4);
});

Deno.test(
  { name: "a session the module dropped is reopened and logged in again", ignore },
  async () => {
    const { hsm, slot, utils } = await tokenWithUser();
    await using _ = hsm;
    const { key } = await utils.generateRsaKeyPair(KEY_ID, "rsa");
    const before = utils.session.handle;
    // Someone else in the process closes every session of the slot: that also logs the token out.
    const raw = openModule(SOFTHSM_MODULE!);
    try {
      assert.equal(raw.calls.C_CloseAllSessions(slot), 0n);
    } finally {
      raw.close();
    }
    const signature = await key.sign(digest("SHA256", message), { hash: "SHA256" });
    assert.ok(await verifySignature(key.publicKey, message, signature, { hash: "SHA256" }));
    assert.notEqual(utils.session.handle, before);
    assert.equal((await utils.session.getSessionInfo()).state, 3n, "logged in again");
    assert.notEqual(key.handle, 0n);
  },
);

Deno.test({ name: "key generation runs off the event loop", ignore }, async () => {
  const { hsm, utils } = await tokenWithUser();
  await using _ = hsm;
  let done = false;
  const generated = utils.generateRsaKeyPair(KEY_ID, "slow", 3072).then((pair) => {
    done = true;
    return pair;
  });
  // A blocking call would have finished inside generateRsaKeyPair(), before
  // this timer could run; a nonblocking one is still under way.
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.equal(done, false);
  assert.equal((await generated).key.publicKey.type, "RSA");
});
