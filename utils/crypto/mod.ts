// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * X.509 certificates, CSRs, keys, PEM and hashing, on Deno and Node 24.
 *
 * Every helper that signs takes a {@linkcode PrivateKey}: a software key of
 * this module or a PKCS#11 key from `@aoscore/common/utils/pkcs11` that never
 * leaves its token. CSRs and certificates are built by hashing the
 * to-be-signed bytes here and asking the key to sign the digest, so both
 * kinds of key take the same path.
 *
 * Libraries: WebCrypto verifies signatures, `node:crypto` hashes, generates
 * and decrypts; ASN.1 structures are read and written with **pkijs** (and its
 * ASN.1 layer asn1js), which runs unchanged on both runtimes and needs no
 * global set-up. `@peculiar/x509` was the other candidate: it needs a
 * `reflect-metadata` polyfill installed on the global `Reflect` before import
 * (its dependency injection container fails without it), and its generators
 * sign with WebCrypto `CryptoKey`s only. Software ECDSA keys sign digests
 * with `@noble/curves`, as no runtime API signs a precomputed ECDSA digest.
 *
 * How keys reach TLS: `Deno.connectTls`/`Deno.listenTls` and `node:tls` take
 * PEM keys only and have no hook for an external signer, so a key that never
 * leaves a token cannot terminate TLS in-process. Use a software key
 * ({@linkcode SoftwarePrivateKey.toPem}) with the certificate PEM for native
 * TLS, or hand OpenSSL-based peers (a gRPC sidecar, `openssl s_client`,
 * stunnel) the token key through the OpenSSL pkcs11-provider: the PEM of
 * `pemEncodePkcs11Url(createPkcs11ProviderUrl(keyUrl))` from
 * `@aoscore/common/utils/pkcs11` is a key file that provider loads.
 *
 * Deviations from AosCore: certificates and CSRs of RSA keys under 2048 bits
 * are signed with SHA-256, not SHA-1; random serials are 16 bytes; CSRs take
 * any extra extension (AosCore accepts extended key usage only); software RSA
 * keys do not sign RSA-PSS.
 *
 * @example A CSR signed by a software key, issued by a CA and verified
 * ```ts
 * import {
 *   createCertificate,
 *   createCsr,
 *   generatePrivateKey,
 *   issueCertificate,
 *   parseCertificate,
 *   verifyCertificateChain,
 * } from "@aoscore/common/utils/crypto";
 * import assert from "node:assert/strict";
 *
 * const caKey = await generatePrivateKey({ type: "RSA" });
 * const ca = await createCertificate({ subject: "O=Aos, CN=Aos Cloud CA", isCa: true }, { key: caKey });
 *
 * const unitKey = await generatePrivateKey({ type: "ECDSA", curve: "P-384" });
 * const csr = await createCsr({ subject: "O=Aos, CN=unit-1", extKeyUsage: ["1.3.6.1.5.5.7.3.2"] }, unitKey);
 * const cert = await issueCertificate(csr, { key: caKey, certificate: ca });
 *
 * await verifyCertificateChain(cert, { roots: [ca] });
 * assert.equal(parseCertificate(cert).subjectName, "O=Aos, CN=unit-1");
 * ```
 *
 * @module
 */
export * from "./certificate.ts";
export * from "./create_certificate.ts";
export * from "./csr.ts";
export * from "./hash.ts";
export * from "./keys.ts";
export * from "./name.ts";
export * from "./pem.ts";
export * from "./signature.ts";
export * from "./software_key.ts";
export * from "./verify_chain.ts";
