// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Hashing, PEM and distinguished names. Portable: also run under Node 24.
import assert from "node:assert/strict";
import {
  createHash,
  decodeName,
  digest,
  encodeName,
  HASH_LENGTH,
  type HashAlgorithm,
  pemDecode,
  pemDecodeFirst,
  pemEncode,
} from "../../../utils/crypto/mod.ts";
import { errorIs, fromHex, toHex } from "../../../utils/mod.ts";

const is = (kind: Parameters<typeof errorIs>[1]) => (e: unknown) => errorIs(e, kind);

Deno.test("hash vectors, one-shot and incremental", () => {
  const sha256 = (s: string) => toHex(digest("SHA256", s));
  assert.equal(sha256(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  assert.equal(sha256("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  assert.match(sha256("12345678901234567890123456"), /^5adcb597.*5582$/);
  assert.equal(
    sha256("a".repeat(10_000)),
    "27dd1f61b867b6a0f6e9d8a41c43231de52107e53ae424de8f847b821db4b711",
  );
  assert.equal(
    toHex(digest("SHA3-256", "abc")),
    "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532",
  );
  const hash = createHash("SHA256");
  for (const chunk of ["", "abc", "string to test has works"]) {
    hash.update(new TextEncoder().encode(chunk));
  }
  assert.equal(
    toHex(hash.digest()),
    "a98c0eb748fcf3c87b8d231c0866f20dd12202923de5e93696ee4a3ad3da91ec",
  );
});

Deno.test("every algorithm gives a digest of its length", () => {
  for (const [algorithm, length] of Object.entries(HASH_LENGTH)) {
    assert.equal(
      createHash(algorithm as HashAlgorithm).update("x").digest().length,
      length,
      algorithm,
    );
  }
});

Deno.test("a finished hash refuses more work, an unknown algorithm is invalidArgument", () => {
  const hash = createHash("SHA1");
  hash.digest();
  assert.throws(() => hash.digest(), is("wrongState"));
  assert.throws(() => hash.update("x"), is("wrongState"));
  assert.throws(() => createHash("NONE" as HashAlgorithm), is("invalidArgument"));
  assert.throws(() => digest("MD5" as HashAlgorithm, "x"), is("invalidArgument"));
});

Deno.test("PEM blocks encode in 64-character lines and decode in order", () => {
  const der = Uint8Array.from({ length: 100 }, (_, i) => i);
  const pem = pemEncode("CERTIFICATE", der);
  const lines = pem.trimEnd().split("\n");
  assert.equal(lines[0], "-----BEGIN CERTIFICATE-----");
  assert.equal(lines[1]!.length, 64);
  assert.equal(lines.at(-1), "-----END CERTIFICATE-----");
  const text = `Bag Attributes: junk\n${pem}between\r\n${
    pemEncode("PRIVATE KEY", der.subarray(0, 3))
  }`;
  const blocks = pemDecode(text.replaceAll("\n", "\r\n"));
  assert.deepEqual(blocks.map((b) => b.label), ["CERTIFICATE", "PRIVATE KEY"]);
  assert.deepEqual(blocks[0]!.der, der);
  assert.deepEqual(pemDecodeFirst(text, "PRIVATE KEY").der, der.subarray(0, 3));
  assert.deepEqual(pemDecode("no pem here"), []);
  assert.deepEqual(pemDecode(pemEncode("EMPTY", new Uint8Array())), [{
    label: "EMPTY",
    der: new Uint8Array(),
  }]);
});

Deno.test("malformed PEM is invalidArgument", () => {
  const good = pemEncode("CERTIFICATE", new Uint8Array([1, 2, 3]));
  assert.throws(() => pemDecode(good.replace("END CERTIFICATE", "END KEY")), is("invalidArgument"));
  assert.throws(() => pemDecode(good.replace("AQID", "AQ!D")), is("invalidArgument"));
  assert.throws(
    () => pemDecode(good + "-----BEGIN CERTIFICATE-----\nAQID\n"),
    is("invalidArgument"),
  );
  assert.throws(
    () =>
      pemDecode(
        "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nAQID\n-----END RSA PRIVATE KEY-----",
      ),
    is("invalidArgument"),
  );
  assert.throws(() => pemDecodeFirst(good, "PRIVATE KEY"), is("invalidArgument"));
});

Deno.test("encodeName matches AosCore's vector and decodeName reads it back", () => {
  const der = encodeName("C=UA, CN=Aos Core");
  assert.equal(
    toHex(der),
    "3020310b3009060355040613025541311130" + "0f06035504030c08416f7320436f7265",
  );
  assert.equal(decodeName(der), "C=UA, CN=Aos Core");
  for (const text of ["C=UA, ST=Some-State, L=Kyiv, O=EPAM", "O=EPAM, OU=Aos, CN=unit 1"]) {
    assert.equal(decodeName(encodeName(text)), text);
  }
});

Deno.test("names take OpenSSL's slash form, long names, escapes and typed strings", () => {
  assert.equal(decodeName(encodeName("/C=UA/O=EPAM/CN=x")), "C=UA, O=EPAM, CN=x");
  assert.equal(decodeName(encodeName("countryName=UA,commonName=x")), "C=UA, CN=x");
  assert.equal(decodeName(encodeName("CN=a\\, b, O=c")), "CN=a\\, b, O=c");
  const email = encodeName("emailAddress=a@b.c");
  assert.ok(toHex(email).includes("1605" + toHex(new TextEncoder().encode("a@b.c"))), "IA5String");
  assert.ok(toHex(encodeName("CN=\u00e1")).includes("0c02c3a1"), "UTF8String");
  // An unknown attribute type shows as its OID, a multi-valued RDN with "+".
  const multi = fromHex(
    "3022" + "3120" + "300906035504030c02" + "6162" + "3013060a0992268993f22c640119" + "0c05" +
      "6c6f63616c",
  );
  assert.equal(decodeName(multi), "CN=ab+DC=local");
  const unknown = fromHex("300e310c300a06032a03040c03" + "78797a");
  assert.equal(decodeName(unknown), "1.2.3.4=xyz");
});

Deno.test("bad names are invalidArgument", () => {
  for (const text of ["", "CN", "XX=1", "C=\u00e1", "emailAddress=\u00e1@b"]) {
    assert.throws(() => encodeName(text), is("invalidArgument"), text);
  }
  assert.throws(() => decodeName(new Uint8Array([0x30, 0x05, 0x31])), is("invalidArgument"));
  assert.throws(() => decodeName(new Uint8Array([0x02, 0x01, 0x00])), is("invalidArgument"));
});
