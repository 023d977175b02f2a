// Copyright 2026 the aos-common authors. Apache-2.0 license.
// A SoftHSM2 environment per test: its own token directory and config
// (SOFTHSM2_CONF points at it while the test runs; SoftHSM reads it in
// C_Initialize), the module loaded through our binding, and tokens made
// through it (C_InitToken on the free slot, SO login, C_InitPIN). Everything
// is finalised and removed on dispose.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CKF,
  type Pkcs11Library,
  Pkcs11Manager,
  type Pkcs11ManagerOptions,
  type Pkcs11Session,
} from "../../../utils/pkcs11/mod.ts";

export { SOFTHSM_MODULE, softhsmMissing } from "./_softhsm_module.ts";
import { SOFTHSM_MODULE } from "./_softhsm_module.ts";

/** Reference test values of AosCore. */
export const SO_PIN = "admin";
export const USER_PIN = "admin";
export const BAD_PIN = "user";
export const TOKEN_LABEL = "iam pkcs11 test slot";

/** One test's SoftHSM2. */
export interface SoftHsm extends AsyncDisposable {
  dir: string;
  manager: Pkcs11Manager;
  library: Pkcs11Library;
  /** Initialises a token on the free slot and sets its user PIN; returns its slot. */
  createToken(label?: string, userPin?: string): Promise<bigint>;
  /** A session on the token with the user logged in. */
  userSession(slot: bigint): Promise<Pkcs11Session>;
}

/** Sets up SoftHSM2 in a fresh directory and opens the module. */
export async function softHsm(options: Pkcs11ManagerOptions = {}): Promise<SoftHsm> {
  const dir = await mkdtemp(join(tmpdir(), "aos-softhsm-"));
  const conf = join(dir, "softhsm2.conf");
  await Deno.mkdir(join(dir, "tokens"));
  await writeFile(
    conf,
    [
      `directories.tokendir = ${join(dir, "tokens")}/`,
      "objectstore.backend = file",
      "objectstore.umask = 0077",
      "log.level = ERROR",
      "slots.removable = false",
      "slots.mechanisms = ALL",
      "library.reset_on_fork = false",
      "",
    ].join("\n"),
  );
  const previous = Deno.env.get("SOFTHSM2_CONF");
  Deno.env.set("SOFTHSM2_CONF", conf);
  const restore = async () => {
    if (previous === undefined) Deno.env.delete("SOFTHSM2_CONF");
    else Deno.env.set("SOFTHSM2_CONF", previous);
    await rm(dir, { recursive: true, force: true });
  };
  const manager = new Pkcs11Manager(options);
  let library: Pkcs11Library;
  try {
    library = await manager.openLibrary(SOFTHSM_MODULE!);
  } catch (err) {
    await restore();
    throw err;
  }
  return {
    dir,
    manager,
    library,
    async createToken(label = TOKEN_LABEL, userPin = USER_PIN) {
      const free = await freeSlot(library);
      await library.initToken(free, SO_PIN, label);
      const slot = await library.findSlotByTokenLabel(label);
      const session = await library.openSession(slot, CKF.RW_SESSION | CKF.SERIAL_SESSION, {
        exclusive: true,
      });
      try {
        await session.login("so", SO_PIN);
        await session.initPin(userPin);
        await session.logout();
      } finally {
        await session.close();
      }
      return slot;
    },
    async userSession(slot) {
      const session = await library.openSession(slot);
      try {
        await session.login("user", USER_PIN);
      } catch (err) {
        if (!(err instanceof Error && /ALREADY_LOGGED_IN/.test(err.message))) throw err;
      }
      return session;
    },
    async [Symbol.asyncDispose]() {
      try {
        await manager.close();
      } finally {
        await restore();
      }
    },
  };
}

async function freeSlot(library: Pkcs11Library): Promise<bigint> {
  for (const slot of await library.getSlotList(true)) {
    if (((await library.getTokenInfo(slot)).flags & CKF.TOKEN_INITIALIZED) === 0n) return slot;
  }
  throw new Error("SoftHSM has no free slot");
}
