// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Pkcs11Library: one handle on a shared LoadedModule.

import { AosError } from "../errors.ts";
import { CKF } from "./constants.ts";
import type { OpenSessionOptions, Pkcs11Library } from "./library.ts";
import type { Pkcs11Session } from "./session.ts";
import type { LibInfo, SlotInfo, TokenInfo } from "./types.ts";
import type { LoadedModule } from "./_module.ts";
import { check, SessionCore } from "./_session_core.ts";
import { SessionImpl } from "./_session.ts";
import {
  alloc,
  native,
  paddedLabel,
  readPadded,
  readUlong,
  readVersion,
  STRUCT_SIZES,
} from "./_struct.ts";

export class LibraryImpl implements Pkcs11Library {
  readonly path: string;
  #module: LoadedModule;
  #released = false;
  #sessions = new Set<SessionImpl>();
  #onFinalize: (library: LibraryImpl) => void;

  constructor(module: LoadedModule, onFinalize: (library: LibraryImpl) => void) {
    this.path = module.path;
    this.#module = module;
    this.#onFinalize = onFinalize;
  }

  #live(): LoadedModule {
    if (this.#released) {
      throw new AosError("wrongState", `The PKCS#11 library "${this.path}" is finalized`);
    }
    this.#module.check();
    return this.#module;
  }

  // Runs a synchronous call as a promise, so that errors reject.
  #call<T>(fn: (module: LoadedModule) => T): Promise<T> {
    try {
      return Promise.resolve(fn(this.#live()));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  getLibInfo(): Promise<LibInfo> {
    return this.#call((m) => {
      const info = alloc(STRUCT_SIZES.CK_INFO);
      check(m.calls.C_GetInfo(info), "C_GetInfo");
      return {
        cryptokiVersion: readVersion(info, 0),
        manufacturerId: readPadded(info, 2, 32),
        flags: readUlong(info, 40),
        libraryDescription: readPadded(info, 48, 32),
        libraryVersion: readVersion(info, 80),
      };
    });
  }

  getSlotList(tokenPresent = true): Promise<bigint[]> {
    return this.#call((m) => {
      const count = alloc(8);
      const present = tokenPresent ? 1 : 0;
      // The count can grow between the two calls (a token inserted): retry then.
      for (;;) {
        check(m.calls.C_GetSlotList(present, null, count), "C_GetSlotList");
        const n = Number(readUlong(count));
        const slots = alloc(8 * Math.max(n, 1));
        const rv = m.calls.C_GetSlotList(present, slots, count);
        if (rv === 0x150n) continue;
        check(rv, "C_GetSlotList");
        return Array.from({ length: Number(readUlong(count)) }, (_, i) => readUlong(slots, 8 * i));
      }
    });
  }

  getSlotInfo(slotId: bigint): Promise<SlotInfo> {
    return this.#call((m) => {
      const info = alloc(STRUCT_SIZES.CK_SLOT_INFO);
      check(m.calls.C_GetSlotInfo(slotId, info), "C_GetSlotInfo");
      return {
        slotDescription: readPadded(info, 0, 64),
        manufacturerId: readPadded(info, 64, 32),
        flags: readUlong(info, 96),
        hardwareVersion: readVersion(info, 104),
        firmwareVersion: readVersion(info, 106),
      };
    });
  }

  getTokenInfo(slotId: bigint): Promise<TokenInfo> {
    return this.#call((m) => {
      const info = alloc(STRUCT_SIZES.CK_TOKEN_INFO);
      check(m.calls.C_GetTokenInfo(slotId, info), "C_GetTokenInfo");
      return {
        label: readPadded(info, 0, 32),
        manufacturerId: readPadded(info, 32, 32),
        model: readPadded(info, 64, 16),
        serialNumber: readPadded(info, 80, 16),
        flags: readUlong(info, 96),
        maxSessionCount: readUlong(info, 104),
        sessionCount: readUlong(info, 112),
        maxRwSessionCount: readUlong(info, 120),
        rwSessionCount: readUlong(info, 128),
        maxPinLen: readUlong(info, 136),
        minPinLen: readUlong(info, 144),
        totalPublicMemory: readUlong(info, 152),
        freePublicMemory: readUlong(info, 160),
        totalPrivateMemory: readUlong(info, 168),
        freePrivateMemory: readUlong(info, 176),
        hardwareVersion: readVersion(info, 184),
        firmwareVersion: readVersion(info, 186),
        utcTime: readPadded(info, 188, 16).replace(/\0+$/, ""),
      };
    });
  }

  async findSlotByTokenLabel(label: string): Promise<bigint> {
    for (const slot of await this.getSlotList(true)) {
      if ((await this.getTokenInfo(slot)).label === label) return slot;
    }
    throw new AosError("notFound", `No PKCS#11 token labelled "${label}"`);
  }

  async initToken(slotId: bigint, soPin: string, label: string): Promise<void> {
    const m = this.#live();
    const padded = paddedLabel(label);
    const pin = native(new TextEncoder().encode(soPin));
    try {
      check(
        await m.offThread.C_InitToken(slotId, pin, BigInt(pin.byteLength), padded),
        "C_InitToken",
      );
    } finally {
      pin.fill(0);
    }
  }

  openSession(
    slotId: bigint,
    flags: bigint = CKF.RW_SESSION | CKF.SERIAL_SESSION,
    options: OpenSessionOptions = {},
  ): Promise<Pkcs11Session> {
    return this.#call((m) => {
      let core = options.exclusive === true ? undefined : m.cached(slotId, flags);
      if (core === undefined) {
        core = new SessionCore(m, slotId, flags);
        if (options.exclusive !== true) m.addToCache(core);
      }
      const session = new SessionImpl(core, (s) => this.#sessions.delete(s));
      this.#sessions.add(session);
      return session;
    });
  }

  clearSessions(): void {
    this.#live().clearCache();
  }

  closeAllSessions(slotId: bigint): Promise<void> {
    return this.#call((m) => {
      check(m.calls.C_CloseAllSessions(slotId), "C_CloseAllSessions");
      for (const core of [...m.sessions]) if (core.slotId === slotId) core.dispose();
      m.logins.delete(slotId);
    });
  }

  async finalize(): Promise<void> {
    if (this.#released) return;
    for (const session of [...this.#sessions]) await session.close();
    this.#released = true;
    this.#onFinalize(this);
    if (!this.#module.finalized) this.#module.release();
  }

  toString(): string {
    return `Pkcs11Library(${this.path})`;
  }
}
