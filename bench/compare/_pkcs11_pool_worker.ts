// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The worker of _pkcs11_pool.ts: loads the module through the binding, opens
// its own session and signs with every call inline (inlineLimitMs 1000, so a
// slow moment never sends a call back to a nonblocking one). It either signs
// alone for a while ("loop") or signs each digest the main thread posts
// ("serve").
import { Pkcs11Manager, type Pkcs11PrivateKey, Pkcs11Utils } from "../../utils/pkcs11/mod.ts";

interface Setup {
  modulePath: string;
  token: string;
  pin: string;
  label: string;
}

// A worker's global scope; the project's types are those of the main thread.
const scope = self as unknown as {
  onmessage: ((event: MessageEvent) => void) | null;
  postMessage(message: unknown): void;
};
let manager: Pkcs11Manager | undefined;
let key: Pkcs11PrivateKey | undefined;

scope.onmessage = async (event: MessageEvent) => {
  const message = event.data;
  if (message.setup !== undefined) {
    const { modulePath, token, pin, label } = message.setup as Setup;
    manager = new Pkcs11Manager({ sessionCacheSize: 0, inlineLimitMs: 1000 });
    const library = await manager.openLibrary(modulePath);
    const session = await library.openSession(
      await library.findSlotByTokenLabel(token),
      undefined,
      { exclusive: true },
    );
    // Logins are per token: another worker may have logged in already.
    await session.login("user", pin).catch(() => {});
    const id = new Uint8Array([label === "rsa" ? 1 : 2]);
    key = (await new Pkcs11Utils(session).findPrivateKey(id, label)).key;
    for (let i = 0; i < 20; i++) await key.sign(new Uint8Array(32), { hash: "SHA256" });
    scope.postMessage("ready");
  } else if (message.close) {
    await manager!.close();
    scope.postMessage("closed");
  } else if (message.loopMs !== undefined) {
    const end = performance.now() + message.loopMs;
    const digest = new Uint8Array(32).fill(1);
    let count = 0;
    while (performance.now() < end) {
      await key!.sign(digest, { hash: "SHA256" });
      count++;
    }
    scope.postMessage(count);
  } else {
    scope.postMessage({
      id: message.id,
      signature: await key!.sign(message.digest, { hash: "SHA256" }),
    });
  }
};
