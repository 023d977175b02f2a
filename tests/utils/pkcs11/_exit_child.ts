// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The child of process_exit_test.ts: signs on four sessions at once with
// every call off the calling thread (so the runtime's worker threads enter
// the module and its OpenSSL), then lets the process end by itself.
import { Pkcs11Utils } from "../../../utils/pkcs11/mod.ts";
import { softHsm } from "./_softhsm.ts";

await using hsm = await softHsm({ inlineLimitMs: 0, sessionCacheSize: 0 });
const slot = await hsm.createToken();
const sessions = await Promise.all([0, 1, 2, 3].map(() => hsm.userSession(slot)));
const { key: tokenKey } = await new Pkcs11Utils(sessions[0]!).generateEcdsaKeyPair(
  new Uint8Array([7]),
  "exit",
  "P-256",
);
const digest = new Uint8Array(32).fill(1);
await Promise.all(sessions.map(async (session) => {
  const key = tokenKey.withSession(session);
  for (let i = 0; i < 8; i++) await key.sign(digest, { hash: "SHA256" });
}));
