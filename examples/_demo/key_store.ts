// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Where the unit keeps its identity keys: a SoftHSM2 token (`utils/pkcs11`,
 * through Deno FFI), set up in the demo's directory with a configuration of
 * its own (`SOFTHSM2_CONF`), or, where SoftHSM2 or FFI is missing, software
 * keys in files (`utils/crypto`). Both give `PrivateKey`s that
 * `utils/crypto` signs CSRs with.
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import process from "node:process";
import {
  generatePrivateKey,
  type PrivateKey,
  type SoftwarePrivateKey,
} from "../../utils/crypto/mod.ts";
import { atomicWriteFile } from "../../utils/mod.ts";
import { CKF, Pkcs11Manager, type Pkcs11Session, Pkcs11Utils } from "../../utils/pkcs11/mod.ts";
import type { DemoContext } from "./context.ts";

/** Where Debian and Ubuntu put the SoftHSM2 module. */
const SOFTHSM_MODULES = [
  "/usr/lib/softhsm/libsofthsm2.so",
  "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
  "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
];
const TOKEN_LABEL = "aos-unit";

/** Makes keys and keeps certificates. */
export interface KeyStore {
  /** What the keys live in, for the demo's output. */
  readonly description: string;
  /** Makes a P-384 key pair for a certificate type; `pin` unlocks the store. */
  newKey(certType: string, pin: string): Promise<PrivateKey>;
  /** Stores the certificate (PEM) of the key made for `certType`. */
  storeCertificate(certType: string, pem: string): Promise<void>;
}

/**
 * Why a token cannot be used here, or undefined when it can.
 *
 * @returns The reason, with how to fix it.
 */
export function tokenUnavailable(): string | undefined {
  if (!("Deno" in globalThis)) return "PKCS#11 goes through Deno FFI, and this is Node";
  if (Deno.permissions.querySync({ name: "ffi" }).state !== "granted") {
    return "PKCS#11 needs --allow-ffi";
  }
  if (softhsmModule() === undefined) {
    return "SoftHSM2 is not installed (apt-get install softhsm2 puts the key in a token)";
  }
  return undefined;
}

function softhsmModule(): string | undefined {
  return SOFTHSM_MODULES.find((path) => existsSync(path));
}

/**
 * A SoftHSM2 token in `ctx.workDir`, initialised with `userPin` as the
 * provisioning of the unit would do it.
 *
 * @param ctx The demo; the module is closed at its end.
 * @param userPin The user PIN (the node secret the cloud knows).
 * @returns The store.
 */
export async function tokenKeyStore(ctx: DemoContext, userPin: string): Promise<KeyStore> {
  const dir = join(ctx.workDir, "unit", "softhsm");
  await mkdir(join(dir, "tokens"), { recursive: true });
  const conf = join(dir, "softhsm2.conf");
  await writeFile(
    conf,
    `directories.tokendir = ${
      join(dir, "tokens")
    }/\nobjectstore.backend = file\nlog.level = ERROR\n`,
  );
  // SoftHSM2 reads its configuration once, in C_Initialize.
  process.env.SOFTHSM2_CONF = conf;
  const manager = ctx.use(new Pkcs11Manager());
  const library = await manager.openLibrary(softhsmModule()!);
  const [slot] = await library.getSlotList(true);
  const soPin = randomBytes(8).toString("hex");
  await library.initToken(slot!, soPin, TOKEN_LABEL);
  const tokenSlot = await library.findSlotByTokenLabel(TOKEN_LABEL);
  {
    const so = await library.openSession(tokenSlot, CKF.RW_SESSION | CKF.SERIAL_SESSION, {
      exclusive: true,
    });
    try {
      await so.login("so", soPin);
      await so.initPin(userPin);
      await so.logout();
    } finally {
      await so.close();
    }
  }
  let session: Pkcs11Session | undefined;
  const ids = new Map<string, Uint8Array>();
  return {
    description: `SoftHSM2 token "${TOKEN_LABEL}"`,
    async newKey(certType, pin) {
      if (session === undefined) {
        session = await library.openSession(tokenSlot);
        await session.login("user", pin);
      }
      const id = new Uint8Array(randomBytes(16));
      ids.set(certType, id);
      return (await new Pkcs11Utils(session).generateEcdsaKeyPair(id, certType, "P-384")).key;
    },
    async storeCertificate(certType, pem) {
      await new Pkcs11Utils(session!).importCertificate(ids.get(certType)!, certType, pem);
    },
  };
}

/**
 * Software keys, written with their certificates to `ctx.workDir`.
 *
 * @param ctx The demo.
 * @returns The store.
 */
export function softwareKeyStore(ctx: DemoContext): KeyStore {
  const dir = join(ctx.workDir, "unit", "certs");
  const keys = new Map<string, SoftwarePrivateKey>();
  return {
    description: `software keys in ${dir}`,
    async newKey(certType) {
      const key = await generatePrivateKey({ type: "ECDSA", curve: "P-384" });
      keys.set(certType, key);
      return key;
    },
    async storeCertificate(certType, pem) {
      await mkdir(dir, { recursive: true });
      await atomicWriteFile(join(dir, `${certType}.key.pem`), keys.get(certType)!.toPem(), {
        mode: 0o600,
      });
      await atomicWriteFile(join(dir, `${certType}.cert.pem`), pem);
    },
  };
}
