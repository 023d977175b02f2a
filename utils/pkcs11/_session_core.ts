// Copyright 2026 the aos-common authors. Apache-2.0 license.
// One Cryptoki session handle: shared by every Pkcs11Session opened on it
// (through the cache), closed when the last user closes and it is no longer
// cached. Operations run one at a time (a session has one active operation
// in PKCS#11). A handle the module invalidated (the token was reset, someone
// called C_CloseAllSessions) is reopened once, logged in again with the
// slot's remembered PIN, and the operation retried.

import { AosError } from "../errors.ts";
import { Pkcs11Error } from "./errors.ts";
import type { LoadedModule } from "./_module.ts";
import { alloc, native, readUlong } from "./_struct.ts";

const CKR_CRYPTOKI_NOT_INITIALIZED = 0x190n;
const RECOVERABLE: ReadonlySet<bigint> = new Set([
  0x32n, // CKR_DEVICE_REMOVED
  0xb0n, // CKR_SESSION_CLOSED
  0xb3n, // CKR_SESSION_HANDLE_INVALID
  0xe0n, // CKR_TOKEN_NOT_PRESENT
]);

/** Throws the error of a failed call. */
export function check(rv: bigint, fn: string, context?: string): void {
  if (rv !== 0n) throw new Pkcs11Error(fn, rv, context);
}

export class SessionCore {
  readonly module: LoadedModule;
  readonly slotId: bigint;
  readonly flags: bigint;
  handle: bigint;
  users = 0;
  cached = false;
  closed = false;
  /** The CK_ULONG an operation's output length goes through; operations run one at a time. */
  readonly outputLength: Uint8Array<ArrayBuffer> = alloc(8);
  #busy = false;
  #waiters: (() => void)[] = [];

  constructor(module: LoadedModule, slotId: bigint, flags: bigint) {
    this.module = module;
    this.slotId = slotId;
    this.flags = flags;
    this.handle = SessionCore.#open(module, slotId, flags);
    module.sessions.add(this);
  }

  static #open(module: LoadedModule, slotId: bigint, flags: bigint): bigint {
    const out = alloc(8);
    check(
      module.calls.C_OpenSession(slotId, flags, null, null, out),
      "C_OpenSession",
      `Cannot open a session on slot ${slotId}`,
    );
    return readUlong(out);
  }

  /** Throws `wrongState` when the session or the module is gone. */
  check(): void {
    this.module.check();
    if (this.closed) throw new AosError("wrongState", `PKCS#11 session ${this.handle} is closed`);
  }

  /**
   * Runs `op` on the handle, one operation at a time; a handle the module
   * dropped is reopened and `op` run again, once.
   */
  async run<T>(op: (handle: bigint) => T | Promise<T>): Promise<T> {
    this.check();
    if (this.#busy) await new Promise<void>((resolve) => this.#waiters.push(resolve));
    else this.#busy = true;
    try {
      this.check();
      try {
        return await op(this.handle);
      } catch (err) {
        if (!(err instanceof Pkcs11Error) || !RECOVERABLE.has(err.rv)) throw err;
        await this.#reopen(err);
        return await op(this.handle);
      }
    } finally {
      const next = this.#waiters.shift();
      if (next !== undefined) next();
      else this.#busy = false;
    }
  }

  async #reopen(cause: Pkcs11Error): Promise<void> {
    const { calls, offThread } = this.module;
    let handle: bigint;
    try {
      handle = SessionCore.#open(this.module, this.slotId, this.flags);
    } catch {
      throw cause;
    }
    // Close the dead handle for form's sake; the module may have done so.
    calls.C_CloseSession(this.handle);
    this.handle = handle;
    const login = this.module.logins.get(this.slotId);
    if (login === undefined) return;
    const pin = native(new TextEncoder().encode(login.pin));
    try {
      const rv = await offThread.C_Login(
        handle,
        login.userType,
        pin.byteLength === 0 ? null : pin,
        BigInt(pin.byteLength),
      );
      if (rv !== 0n && rv !== 0x100n) throw cause;
    } finally {
      pin.fill(0);
    }
  }

  /** Closes the handle when nobody uses it and the cache does not hold it. */
  closeIfUnused(): void {
    if (this.users > 0 || this.cached || this.closed) return;
    this.dispose();
    const rv = this.module.calls.C_CloseSession(this.handle);
    // A handle already closed by the module, or a module finalised by someone
    // else in the process (another worker, another library), is what we wanted.
    if (rv !== 0n && rv !== CKR_CRYPTOKI_NOT_INITIALIZED && !RECOVERABLE.has(rv)) {
      throw new Pkcs11Error("C_CloseSession", rv);
    }
  }

  /** Marks the session closed without calling the module. */
  dispose(): void {
    this.closed = true;
    this.module.sessions.delete(this);
  }
}
