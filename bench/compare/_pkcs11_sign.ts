// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Our side of bench/compare/pkcs11.sh.
//   setup MODULE TOKEN PIN: makes the token's keys "rsa" (RSA-2048) and "ec" (P-256).
//   sign MODULE TOKEN PIN KEY_LABEL SECONDS IN_FLIGHT: signs SHA-256 digests through
//     Pkcs11PrivateKey.sign, IN_FLIGHT at a time on as many exclusive sessions, and
//     prints signatures per second. INLINE_LIMIT_MS sets Pkcs11ManagerOptions.inlineLimitMs
//     (0: every C_Sign on the worker thread).
import { Pkcs11Manager, Pkcs11Utils } from "../../utils/pkcs11/mod.ts";

const [mode, modulePath = "", token = "", pin = "", label = "", seconds = "3", inFlight = "1"] =
  Deno.args;
const inlineLimit = Deno.env.get("INLINE_LIMIT_MS");
await using manager = new Pkcs11Manager({
  sessionCacheSize: 0,
  ...(inlineLimit === undefined ? {} : { inlineLimitMs: Number(inlineLimit) }),
});
const library = await manager.openLibrary(modulePath);
const slot = await library.findSlotByTokenLabel(token);

if (mode === "setup") {
  const session = await library.openSession(slot);
  await session.login("user", pin);
  const utils = new Pkcs11Utils(session);
  await utils.generateRsaKeyPair(new Uint8Array([1]), "rsa", 2048);
  await utils.generateEcdsaKeyPair(new Uint8Array([2]), "ec", "P-256");
} else {
  const sessions = await Promise.all(
    Array.from(
      { length: Number(inFlight) },
      () => library.openSession(slot, undefined, { exclusive: true }),
    ),
  );
  await sessions[0]!.login("user", pin);
  const id = new Uint8Array([label === "rsa" ? 1 : 2]);
  const { key } = await new Pkcs11Utils(sessions[0]!).findPrivateKey(id, label);
  const keys = sessions.map((s) => key.withSession(s));
  const digest = crypto.getRandomValues(new Uint8Array(32));
  const run = async (ms: number) => {
    const end = performance.now() + ms;
    let count = 0;
    await Promise.all(keys.map(async (k) => {
      while (performance.now() < end) {
        await k.sign(digest, { hash: "SHA256" });
        count++;
      }
    }));
    return count;
  };
  await run(300);
  const start = performance.now();
  const count = await run(Number(seconds) * 1000);
  // deno-lint-ignore no-console
  console.log((count * 1000 / (performance.now() - start)).toFixed(0));
}
