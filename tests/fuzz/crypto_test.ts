// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The X.509, CSR, key and PEM parsers of utils/crypto fed damaged DER (bytes,
// and the tags and lengths of its TLVs) and damaged PEM text: each gives a
// value that parses again to itself, or fails with a typed error.
import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import fc from "fast-check";
import {
  createCertificate,
  createCsr,
  decodeName,
  ecdsaSignatureFromDer,
  parseCertificate,
  parseCertificates,
  parseCsr,
  parsePrivateKeyPem,
  pemDecode,
  pemEncode,
  publicKeyFromSpki,
} from "../../utils/crypto/mod.ts";
import { damageBytes, damageText, type Edit, edits, outcome, runs } from "./_fuzz.ts";

const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 });
const KEYS = [
  ec.privateKey.export({ type: "pkcs8", format: "pem" }) as string,
  ec.privateKey.export({ type: "sec1", format: "pem" }) as string,
  rsa.privateKey.export({ type: "pkcs8", format: "pem" }) as string,
  rsa.privateKey.export({ type: "pkcs1", format: "pem" }) as string,
];
const signer = parsePrivateKeyPem(KEYS[0]!);
const rsaSigner = parsePrivateKeyPem(KEYS[2]!);
const CERTS = [
  await createCertificate({
    subject: "C=UA, O=Aos \\, Core, CN=unit+UID=42",
    isCa: true,
    pathLength: 1,
    dnsNames: ["unit.local"],
    ipAddresses: ["10.0.0.1", "fd00::1"],
    uris: ["urn:aos:unit"],
    issuerUrls: ["https://aoscloud.io:9000"],
    extKeyUsage: ["1.3.6.1.5.5.7.3.2"],
  }, { key: signer }),
  await createCertificate({ subject: "CN=rsa", keyUsage: ["digitalSignature"] }, {
    key: rsaSigner,
  }),
];
const CSRS = [
  await createCsr({
    subject: "O=Aos, CN=unit",
    dnsNames: ["unit.local"],
    ipAddresses: ["10.0.0.2"],
    extKeyUsage: ["1.3.6.1.5.5.7.3.1"],
  }, signer),
  await createCsr({ subject: "CN=rsa" }, rsaSigner),
];
const derOf = (pem: string) => pemDecode(pem)[0]!.der;
const CERT_DER = CERTS.map(derOf);
const CSR_DER = CSRS.map(derOf);
const certs = CERTS.map((pem) => parseCertificate(pem));
const NAMES = certs.flatMap((cert) => [cert.subject, cert.issuer]);
const SPKIS = certs.map((cert) => cert.spki);
const SIGNATURE = certs[0]!.signature;

/** The offsets of every TLV header in DER bytes, found by walking them. */
function headers(der: Uint8Array, from = 0, to = der.length, out: number[] = []): number[] {
  let at = from;
  while (at + 2 <= to && out.length < 500) {
    const start = at;
    const tag = der[at++]!;
    let length = der[at++]!;
    if (length & 0x80) {
      const count = length & 0x7f;
      if (count === 0 || count > 4 || at + count > to) return out;
      length = 0;
      for (let i = 0; i < count; i++) length = length * 256 + der[at++]!;
    }
    if (at + length > to) return out;
    out.push(start);
    // A constructed value, or a BIT or OCTET STRING that may wrap DER.
    if (tag & 0x20 || tag === 0x03 || tag === 0x04) {
      headers(der, at + (tag === 0x03 ? 1 : 0), at + length, out);
    }
    at += length;
  }
  return out;
}

/** Damage aimed at the TLVs: a tag, a length (shorter, longer, indefinite, huge), or a cut. */
function damageTlv(der: Uint8Array, pick: number, how: number, value: number): Uint8Array {
  const list = headers(der);
  const at = list[pick % list.length]!;
  const out = der.slice();
  switch (how % 6) {
    case 0:
      out[at] = value & 0xff;
      break;
    case 1:
      out[at + 1] = (out[at + 1]! + 1 + (value % 3)) & 0xff;
      break;
    case 2:
      out[at + 1] = (out[at + 1]! - 1 - (value % 3)) & 0xff;
      break;
    case 3:
      out[at + 1] = 0x80;
      break;
    case 4:
      return Uint8Array.of(
        ...der.subarray(0, at + 1),
        0x84,
        0xff,
        0xff,
        0xff,
        0xff,
        ...der.subarray(at + 2),
      );
    default:
      return der.subarray(0, at + 1 + (value % 8));
  }
  return out;
}

/** Byte edits or TLV damage to one of `samples`. */
function damagedDer(samples: readonly Uint8Array[]): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    fc.tuple(fc.constantFrom(...samples), edits()).map(([der, list]) => damageBytes(der, list)),
    fc.tuple(
      fc.constantFrom(...samples),
      fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat()), { minLength: 1, maxLength: 3 }),
    )
      .map(([der, steps]) =>
        steps.reduce((d, [pick, how, value]) => damageTlv(d, pick, how, value), der)
      ),
  );
}

Deno.test("damaged certificates parse to a certificate that parses again the same, or fail typed", () => {
  fc.assert(
    fc.property(damagedDer(CERT_DER), (der) => {
      const cert = outcome(() => parseCertificate(der), der.length);
      if (cert.error !== undefined) return;
      assert.ok(cert.value.notBefore instanceof Date && cert.value.notAfter instanceof Date);
      assert.equal(typeof cert.value.subjectName, "string");
      assert.deepEqual(parseCertificate(cert.value.raw), cert.value);
    }),
    runs(100),
  );
});

Deno.test("damaged CSRs parse to a request that parses again the same, or fail typed", () => {
  fc.assert(
    fc.property(damagedDer(CSR_DER), (der) => {
      const csr = outcome(() => parseCsr(der), der.length);
      if (csr.error !== undefined) return;
      assert.deepEqual(parseCsr(csr.value.raw), csr.value);
    }),
    runs(100),
  );
});

Deno.test("damaged names, public keys and ECDSA signatures decode or fail typed", () => {
  fc.assert(
    fc.property(
      damagedDer(NAMES),
      damagedDer(SPKIS),
      damagedDer([SIGNATURE]),
      (name, spki, signature) => {
        const text = outcome(() => decodeName(name), name.length);
        if (text.error === undefined) assert.equal(typeof text.value, "string");
        outcome(() => publicKeyFromSpki(spki), spki.length);
        const raw = outcome(() => ecdsaSignatureFromDer(signature, 32), signature.length);
        if (raw.error === undefined) assert.equal(raw.value.length, 64);
      },
    ),
    runs(200),
  );
});

const PEM_PIECES = [
  "-----BEGIN ",
  "-----END ",
  "-----",
  "CERTIFICATE",
  "CERTIFICATE REQUEST",
  "PRIVATE KEY",
  "EC ",
  "RSA ",
  "\n",
  "\r\n",
  "=",
  "A",
  "/",
  ":",
  " ",
  "Proc-Type: 4,ENCRYPTED",
];

/** PEM text damage, which may also splice in another block's lines. */
function damagedPem(samples: readonly string[]): fc.Arbitrary<string> {
  return fc.tuple(fc.constantFrom(...samples), edits(), fc.constantFrom(...samples, "")).map((
    [pem, list, other]: [string, Edit[], string],
  ) => damageText(pem, list, [...PEM_PIECES, ...other.split("\n").map((line) => `${line}\n`)]));
}

Deno.test("damaged PEM chains, requests and keys parse or fail typed", () => {
  fc.assert(
    fc.property(
      damagedPem([CERTS.join(""), ...CERTS]),
      damagedPem(CSRS),
      damagedPem(KEYS),
      (chain, csr, key) => {
        const parsed = outcome(() => parseCertificates(chain), chain);
        if (parsed.error === undefined) {
          assert.equal(parsed.value.length, chain.split("-----BEGIN CERTIFICATE-----").length - 1);
        }
        outcome(() => parseCsr(csr), csr);
        const software = outcome(() => parsePrivateKeyPem(key), key);
        if (software.error === undefined) {
          assert.equal(parsePrivateKeyPem(software.value.toPem()).toPem(), software.value.toPem());
        }
      },
    ),
    runs(100),
  );
});

Deno.test("PEM of any DER round-trips", () => {
  fc.assert(
    fc.property(
      fc.stringMatching(/^[A-Z0-9 ]{0,20}$/),
      fc.uint8Array({ maxLength: 300 }),
      (label, der) => {
        assert.deepEqual(pemDecode(pemEncode(label, der)), [{ label, der }]);
      },
    ),
    runs(200),
  );
});
