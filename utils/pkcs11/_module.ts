// Copyright 2026 the aos-common authors. Apache-2.0 license.
// One loaded and initialised module, shared process-wide by every library
// handle that opens the same file (keyed by real path, so two paths to one
// file cannot finalise each other's module). The last handle to go calls
// C_Finalize, but only if our C_Initialize did initialise the module: when
// someone else in the process had initialised it, we leave it to them.

import { AosError } from "../errors.ts";
import { type CkCalls, type CkOffThreadCalls, openModule } from "./_ffi.ts";
import { Pkcs11Error } from "./errors.ts";
import { initializeArgs } from "./_struct.ts";
import type { SessionCore } from "./_session_core.ts";
import { CallSpeed } from "./_call_speed.ts";

const CKR_CRYPTOKI_NOT_INITIALIZED = 0x190n;
const CKR_CRYPTOKI_ALREADY_INITIALIZED = 0x191n;

const loaded = new Map<string, LoadedModule>();

/** A login to remember for session recovery: per slot, as PKCS#11 logins are per token. */
export interface Login {
  userType: bigint;
  pin: string;
}

/** Settings a module takes from the manager that loads it first. */
export interface ModuleSettings {
  cacheSize: number;
  inlineLimitMs: number;
}

/** Shared state of one module. */
export class LoadedModule {
  readonly path: string;
  readonly calls: CkCalls;
  readonly offThread: CkOffThreadCalls;
  readonly inlineLimitMs: number;
  /** Nonblocking calls under way. */
  inFlight = 0;
  #speeds = new Map<string, CallSpeed>();
  /** Cached sessions, replaced round-robin when full. */
  readonly cache: (SessionCore | undefined)[];
  /** Every open session core. */
  readonly sessions = new Set<SessionCore>();
  readonly logins = new Map<bigint, Login>();
  finalized = false;
  #key: string;
  #refs = 0;
  #ownsInitialize: boolean;
  #next = 0;
  #close: () => void;

  private constructor(key: string, path: string, settings: ModuleSettings) {
    const opened = openModule(path);
    this.#key = key;
    this.path = path;
    this.calls = opened.calls;
    this.offThread = opened.offThread;
    this.#close = opened.close;
    this.cache = new Array(settings.cacheSize).fill(undefined);
    this.inlineLimitMs = settings.inlineLimitMs;
    let rv: bigint;
    try {
      rv = this.calls.C_Initialize(initializeArgs());
    } catch (err) {
      opened.close();
      throw err;
    }
    if (rv !== 0n && rv !== CKR_CRYPTOKI_ALREADY_INITIALIZED) {
      opened.close();
      throw new Pkcs11Error("C_Initialize", rv, `Cannot initialise "${path}"`);
    }
    this.#ownsInitialize = rv === 0n;
  }

  /** The module at `path`, loaded on first use; each call takes a reference. */
  static acquire(path: string, settings: ModuleSettings): LoadedModule {
    let key = path;
    try {
      key = Deno.realPathSync(path);
    } catch {
      // A missing file is reported by the load itself.
    }
    let module = loaded.get(key);
    if (module === undefined || module.finalized) {
      module = new LoadedModule(key, path, settings);
      loaded.set(key, module);
    }
    module.#refs++;
    return module;
  }

  /** Drops a reference; the last one closes every session, finalises and unloads. */
  release(): void {
    if (--this.#refs > 0) return;
    this.finalized = true;
    loaded.delete(this.#key);
    for (const core of this.sessions) core.dispose();
    this.sessions.clear();
    this.cache.fill(undefined);
    this.logins.clear();
    try {
      if (this.#ownsInitialize) {
        const rv = this.calls.C_Finalize(null);
        // Finalised already by someone else in the process: nothing is left to do.
        if (rv !== 0n && rv !== CKR_CRYPTOKI_NOT_INITIALIZED) {
          throw new Pkcs11Error("C_Finalize", rv);
        }
      }
    } finally {
      this.#close();
    }
  }

  /** The call record of a function on a key and mechanism (see _call_speed.ts). */
  speedOf(fn: string, key: bigint, mechanism: bigint): CallSpeed {
    const id = `${fn}:${key}:${mechanism}`;
    let speed = this.#speeds.get(id);
    if (speed === undefined) this.#speeds.set(id, speed = new CallSpeed());
    return speed;
  }

  /** Throws `wrongState` once finalised. */
  check(): void {
    if (this.finalized) {
      throw new AosError("wrongState", `The PKCS#11 module "${this.path}" is finalized`);
    }
  }

  /** A cached session for (slot, flags), or `undefined`. */
  cached(slotId: bigint, flags: bigint): SessionCore | undefined {
    return this.cache.find((c) =>
      c !== undefined && c.slotId === slotId && c.flags === flags && !c.closed
    );
  }

  /** Puts a session in the cache, evicting round-robin when full. */
  addToCache(core: SessionCore): void {
    if (this.cache.length === 0) return;
    const evicted = this.cache[this.#next];
    this.cache[this.#next] = core;
    this.#next = (this.#next + 1) % this.cache.length;
    core.cached = true;
    if (evicted !== undefined) {
      evicted.cached = false;
      evicted.closeIfUnused();
    }
  }

  /** Removes every session of the cache and closes those nobody uses. */
  clearCache(): void {
    const cores = this.cache.filter((c) => c !== undefined);
    this.cache.fill(undefined);
    for (const core of cores) {
      core.cached = false;
      core.closeIfUnused();
    }
  }
}
