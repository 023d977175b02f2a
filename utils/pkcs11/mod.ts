// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * PKCS#11: URIs (RFC 7512, portable) and a Cryptoki binding through Deno FFI
 * that loads any module by path (SoftHSM2, p11-kit-proxy, a vendor module).
 *
 * {@linkcode Pkcs11Manager} opens modules; a {@linkcode Pkcs11Library} gives
 * slots, tokens and sessions; {@linkcode Pkcs11Utils} makes and finds key
 * pairs and certificates on a session; a {@linkcode Pkcs11PrivateKey} signs
 * and decrypts in the token and is the `PrivateKey` that
 * `@aoscore/common/utils/crypto` takes, so a CSR or certificate can be signed
 * by a key that never leaves the token. Calls that may take long (login,
 * key generation, sign, decrypt, token set-up) run nonblocking on a worker
 * thread, so the event loop goes on meanwhile; a key that keeps answering
 * within a millisecond signs on the calling thread instead, where the thread
 * hand-off would cost more than the signature
 * ({@linkcode Pkcs11ManagerOptions.inlineLimitMs}).
 *
 * The URI helpers (`uri.ts`) run on Node too; the binding needs Deno with
 * `--allow-ffi`. Nothing is loaded at import time.
 *
 * PINs are passed to the module and kept in memory for session recovery, but
 * never appear in an error, a log line or `toString()`.
 *
 * Keys in a token reach TLS through OpenSSL: Deno's and Node's TLS take PEM
 * keys only, so give OpenSSL-based peers the key file
 * `pemEncodePkcs11Url(createPkcs11ProviderUrl(keyUrl))`, which the OpenSSL
 * pkcs11-provider loads (see `@aoscore/common/utils/crypto` for the routes).
 *
 * @example A key made on a throwaway SoftHSM2 token signs a CSR
 * ```ts
 * import { Pkcs11Manager, Pkcs11Utils } from "@aoscore/common/utils/pkcs11";
 * import { createCsr, parseCsr, verifyCsr } from "@aoscore/common/utils/crypto";
 * import assert from "node:assert/strict";
 *
 * // SoftHSM2 reads the token directory from SOFTHSM2_CONF when the module loads.
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/softhsm2.conf`, `directories.tokendir = ${dir}\n`);
 * Deno.env.set("SOFTHSM2_CONF", `${dir}/softhsm2.conf`);
 * try {
 *   await using manager = new Pkcs11Manager();
 *   const library = await manager.openLibrary("/usr/lib/softhsm/libsofthsm2.so");
 *   const [freeSlot] = await library.getSlotList(true);
 *   await library.initToken(freeSlot!, "so-pin", "aoscore");
 *   const session = await library.openSession(await library.findSlotByTokenLabel("aoscore"));
 *   await session.login("so", "so-pin");
 *   await session.initPin("1234");
 *   await session.logout();
 *   await session.login("user", "1234");
 *
 *   const { key } = await new Pkcs11Utils(session)
 *     .generateEcdsaKeyPair(new Uint8Array([1]), "iam", "P-384");
 *   const csr = parseCsr(await createCsr({ subject: "O=Aos, CN=unit" }, key));
 *   assert.equal(csr.subjectName, "O=Aos, CN=unit");
 *   assert.ok(await verifyCsr(csr));
 * } finally {
 *   Deno.env.delete("SOFTHSM2_CONF");
 *   await Deno.remove(dir, { recursive: true });
 * }
 * ```
 *
 * @module
 */
export * from "./attributes.ts";
export * from "./constants.ts";
export * from "./errors.ts";
export * from "./library.ts";
export * from "./load_by_url.ts";
export * from "./manager.ts";
export * from "./pin.ts";
export * from "./pkcs11_utils.ts";
export * from "./private_key.ts";
export * from "./session.ts";
export * from "./types.ts";
export * from "./uri.ts";
