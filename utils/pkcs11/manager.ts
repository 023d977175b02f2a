// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * The entry point of the Cryptoki binding: opens PKCS#11 modules by path.
 *
 * @module
 */

import type { Pkcs11Library } from "./library.ts";
import { LibraryImpl } from "./_library.ts";
import { LoadedModule, type ModuleSettings } from "./_module.ts";

/** Options of {@linkcode Pkcs11Manager}. */
export interface Pkcs11ManagerOptions {
  /**
   * Sessions a module keeps for {@linkcode Pkcs11Library.openSession} to
   * share, replaced round-robin (AosCore keeps 2). Applies when the manager
   * is the first to load a module.
   *
   * @default {2}
   */
  sessionCacheSize?: number;
  /**
   * Signing and decryption (`C_SignInit`, `C_Sign`, `C_DecryptInit`,
   * `C_Decrypt`) run on a worker thread so the event loop goes on while a
   * token works. Once a key has answered within this many milliseconds
   * several times in a row, its calls run on the calling thread instead while
   * nothing else of the module is in flight: for such a key the thread
   * hand-off costs more than it saves, and the loop is held for less than
   * this. A call that overruns sends the key back to the worker thread. 0
   * keeps every call on the worker thread. Applies when the manager is the
   * first to load a module.
   *
   * @default {1}
   */
  inlineLimitMs?: number;
}

/**
 * Opens PKCS#11 modules (SoftHSM2, p11-kit-proxy, a vendor module) through
 * Deno FFI: `dlopen`, `C_GetFunctionList`, then every call through the
 * function list. A module is loaded and `C_Initialize`d once per process
 * however many managers and handles open it, and finalised with its last
 * handle; one that someone else in the process initialised already is used
 * as it is (`CKR_CRYPTOKI_ALREADY_INITIALIZED` is not an error) and left
 * initialised. Any number of modules may be open.
 *
 * Needs `--allow-ffi` and read access to the module and its configuration.
 *
 * Deviation from AosCore: AosCore allows one module per process and fails on
 * `CKR_CRYPTOKI_ALREADY_INITIALIZED`.
 *
 * @example
 * ```ts ignore
 * import { Pkcs11Manager } from "@aoscore/common/utils/pkcs11";
 *
 * await using manager = new Pkcs11Manager();
 * const library = await manager.openLibrary("/usr/lib/softhsm/libsofthsm2.so");
 * const slot = await library.findSlotByTokenLabel("aoscore");
 * const session = await library.openSession(slot);
 * await session.login("user", "1234");
 * ```
 */
export class Pkcs11Manager implements AsyncDisposable {
  #libraries = new Set<Pkcs11Library>();
  #settings: ModuleSettings;

  /**
   * Creates a manager; nothing is loaded until {@linkcode Pkcs11Manager.openLibrary}.
   *
   * @param options The session cache size and the inline limit.
   */
  constructor(options: Pkcs11ManagerOptions = {}) {
    this.#settings = {
      cacheSize: Math.max(0, Math.floor(options.sessionCacheSize ?? 2)),
      inlineLimitMs: Math.max(0, options.inlineLimitMs ?? 1),
    };
  }

  /**
   * Loads and initialises the module at `modulePath` (or shares the one
   * loaded already) and returns a handle on it.
   *
   * A module built on OpenSSL (SoftHSM2, OpenSC) is loaded with OpenSSL's
   * exit handler turned off, because under Deno it races the worker threads
   * that ran nonblocking calls and can crash a process that is ending. A
   * module loaded through p11-kit-proxy.so is out of reach of this: a
   * process using one that way should end with `Deno.exit()`, which leaves
   * those threads alone.
   *
   * Workers load a module each through their own binding: the first to
   * initialise it finalises it for the whole process when it lets go, and
   * two workers should not open the same module at the same moment (SoftHSM2
   * crashes when `C_Initialize` runs on two threads at once).
   *
   * @param modulePath The module file.
   * @returns A library handle; {@linkcode Pkcs11Library.finalize} releases it.
   * @throws {AosError} `notFound` for a missing file, `invalidArgument` for a
   * file that is not a PKCS#11 module, `notSupported` without `--allow-ffi`,
   * and a `Pkcs11Error` when `C_Initialize` fails.
   */
  openLibrary(modulePath: string): Promise<Pkcs11Library> {
    try {
      const library = new LibraryImpl(
        LoadedModule.acquire(modulePath, this.#settings),
        (l) => this.#libraries.delete(l),
      );
      this.#libraries.add(library);
      return Promise.resolve(library);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** Finalizes every library handle this manager opened. */
  async close(): Promise<void> {
    for (const library of [...this.#libraries]) await library.finalize();
  }

  /** Same as {@linkcode Pkcs11Manager.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
