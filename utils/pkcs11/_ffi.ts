// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The Cryptoki function table. A module exports one symbol we resolve,
// C_GetFunctionList; every other call goes through the CK_FUNCTION_LIST it
// returns. CK_FUNCTIONS gives each function's slot in that table (Linux LP64
// layout: a 2-byte CK_VERSION padded to 8, then one pointer per function in
// the standard order) and its native signature. The calls that may take long
// on a real token also get an off-thread twin: a nonblocking FFI call, run on
// a worker thread (safe: C_Initialize asks for OS locking).

import { AosError } from "../errors.ts";
import { Pkcs11Error } from "./errors.ts";

interface CkFunction extends Deno.ForeignFunction {
  /** Index in CK_FUNCTION_LIST after the version. */
  readonly slot: number;
}

/** The functions this binding calls. Every result is a CK_RV. */
export const CK_FUNCTIONS = {
  C_Initialize: { slot: 0, parameters: ["buffer"], result: "u64" },
  C_Finalize: { slot: 1, parameters: ["pointer"], result: "u64" },
  C_GetInfo: { slot: 2, parameters: ["buffer"], result: "u64" },
  C_GetSlotList: { slot: 4, parameters: ["u8", "buffer", "buffer"], result: "u64" },
  C_GetSlotInfo: { slot: 5, parameters: ["u64", "buffer"], result: "u64" },
  C_GetTokenInfo: { slot: 6, parameters: ["u64", "buffer"], result: "u64" },
  C_InitToken: {
    slot: 9,
    parameters: ["u64", "buffer", "u64", "buffer"],
    result: "u64",
  },
  C_InitPIN: { slot: 10, parameters: ["u64", "buffer", "u64"], result: "u64" },
  C_OpenSession: {
    slot: 12,
    parameters: ["u64", "u64", "pointer", "pointer", "buffer"],
    result: "u64",
  },
  C_CloseSession: { slot: 13, parameters: ["u64"], result: "u64" },
  C_CloseAllSessions: { slot: 14, parameters: ["u64"], result: "u64" },
  C_GetSessionInfo: { slot: 15, parameters: ["u64", "buffer"], result: "u64" },
  C_Login: {
    slot: 18,
    parameters: ["u64", "u64", "buffer", "u64"],
    result: "u64",
  },
  C_Logout: { slot: 19, parameters: ["u64"], result: "u64" },
  C_CreateObject: { slot: 20, parameters: ["u64", "buffer", "u64", "buffer"], result: "u64" },
  C_DestroyObject: { slot: 22, parameters: ["u64", "u64"], result: "u64" },
  C_GetAttributeValue: { slot: 24, parameters: ["u64", "u64", "buffer", "u64"], result: "u64" },
  C_FindObjectsInit: { slot: 26, parameters: ["u64", "buffer", "u64"], result: "u64" },
  C_FindObjects: { slot: 27, parameters: ["u64", "buffer", "u64", "buffer"], result: "u64" },
  C_FindObjectsFinal: { slot: 28, parameters: ["u64"], result: "u64" },
  C_DecryptInit: { slot: 33, parameters: ["u64", "buffer", "u64"], result: "u64" },
  C_Decrypt: {
    slot: 34,
    parameters: ["u64", "buffer", "u64", "buffer", "buffer"],
    result: "u64",
  },
  C_SignInit: { slot: 42, parameters: ["u64", "buffer", "u64"], result: "u64" },
  C_Sign: {
    slot: 43,
    parameters: ["u64", "buffer", "u64", "buffer", "buffer"],
    result: "u64",
  },
  C_GenerateKeyPair: {
    slot: 59,
    parameters: ["u64", "buffer", "buffer", "u64", "buffer", "u64", "buffer", "buffer"],
    result: "u64",
  },
} as const satisfies Record<string, CkFunction>;

/** The name of a function of {@linkcode CK_FUNCTIONS}. */
export type CkName = keyof typeof CK_FUNCTIONS;

/** The functions that also have an off-thread (nonblocking) twin. */
export const OFF_THREAD = [
  "C_InitToken",
  "C_InitPIN",
  "C_Login",
  "C_GenerateKeyPair",
  "C_SignInit",
  "C_Sign",
  "C_DecryptInit",
  "C_Decrypt",
] as const satisfies readonly CkName[];

type OffThreadName = (typeof OFF_THREAD)[number];
type Nonblocking<F> = Omit<F, "nonblocking"> & { readonly nonblocking: true };

/** The typed calls of a bound function list, on the calling thread. */
export type CkCalls = {
  readonly [K in CkName]: Deno.UnsafeFnPointer<(typeof CK_FUNCTIONS)[K]>["call"];
};

/** The off-thread twins: the same functions as nonblocking calls, resolving with the CK_RV. */
export type CkOffThreadCalls = {
  readonly [K in OffThreadName]: Deno.UnsafeFnPointer<
    Nonblocking<(typeof CK_FUNCTIONS)[K]>
  >["call"];
};

/** Bytes of CK_FUNCTION_LIST on LP64: the version (padded) and 68 pointers. */
export const FUNCTION_LIST_SIZE = 8 + 8 * 68;

/** A bound function list. */
export interface FunctionList {
  /** The Cryptoki version the table declares (2.x; 3.x tables start the same way). */
  version: { major: number; minor: number };
  /** Every function of {@linkcode CK_FUNCTIONS}; a NULL entry throws `wrongState` when called. */
  calls: CkCalls;
  /** The off-thread twins of {@linkcode OFF_THREAD}. */
  offThread: CkOffThreadCalls;
}

/**
 * Binds the functions of a CK_FUNCTION_LIST.
 *
 * @throws {AosError} `notSupported` for a table version other than 2.x or 3.x.
 */
export function bindFunctionList(
  list: Deno.PointerObject,
  exported: ReadonlyMap<string, ExportedFunction> = new Map(),
): FunctionList {
  const view = new Deno.UnsafePointerView(list);
  const version = { major: view.getUint8(0), minor: view.getUint8(1) };
  if (version.major !== 2 && version.major !== 3) {
    throw new AosError(
      "notSupported",
      `Unsupported Cryptoki version ${version.major}.${version.minor} in the function list`,
    );
  }
  const calls: Record<string, unknown> = {};
  const offThread: Record<string, unknown> = {};
  for (const [name, def] of Object.entries(CK_FUNCTIONS)) {
    const pointer = view.getPointer(8 + 8 * def.slot);
    const twin = (OFF_THREAD as readonly string[]).includes(name);
    if (pointer === null) {
      const missing = () => {
        throw new AosError("wrongState", `${name} is missing from the module's function list`);
      };
      calls[name] = missing;
      if (twin) offThread[name] = missing;
      continue;
    }
    const own = exported.get(name);
    calls[name] = own?.address === Deno.UnsafePointer.value(pointer)
      ? own.call
      : bindCall(pointer, def);
    if (twin) offThread[name] = bindCall(pointer, { ...def, nonblocking: true });
  }
  return { version, calls: calls as CkCalls, offThread: offThread as CkOffThreadCalls };
}

// The table entries are typed through CkCalls; here each pointer only needs
// its definition. `call` reads `this`, so it is bound once.
function bindCall(pointer: Deno.PointerObject, def: Deno.ForeignFunction): unknown {
  const fn = new Deno.UnsafeFnPointer(pointer as Deno.PointerObject<Deno.ForeignFunction>, def);
  return fn.call.bind(fn);
}

/** A function the module exports under its Cryptoki name, bound by `Deno.dlopen`. */
export interface ExportedFunction {
  /** Where it is. */
  address: bigint;
  /** The bound call. */
  call: unknown;
}

// Most modules also export every Cryptoki function by name. Bound through
// Deno.dlopen, V8 calls them directly: about 0.05 us a call against 0.8 us
// through Deno.UnsafeFnPointer, which is a tenth of what the binding adds to a
// SoftHSM ECDSA signature (BENCHMARKS.md, utils/pkcs11). One is used only where
// the function list holds the same address, as the list is what the standard
// promises.
function exportedDefinitions(): Record<string, Deno.ForeignFunction | Deno.ForeignStatic> {
  const definitions: Record<string, Deno.ForeignFunction | Deno.ForeignStatic> = {};
  for (const [name, { parameters, result }] of Object.entries(CK_FUNCTIONS)) {
    definitions[name] = { parameters, result, optional: true };
    definitions[`${name} address`] = { name, type: "pointer", optional: true };
  }
  return definitions;
}

function exportedFunctions(symbols: Record<string, unknown>): Map<string, ExportedFunction> {
  const exported = new Map<string, ExportedFunction>();
  for (const name of Object.keys(CK_FUNCTIONS)) {
    const address = symbols[`${name} address`] as Deno.PointerValue;
    if (address !== null && symbols[name] !== null) {
      exported.set(name, { address: Deno.UnsafePointer.value(address), call: symbols[name] });
    }
  }
  return exported;
}

// OPENSSL_init_crypto is looked up through the module's own dependencies, to
// reach the OpenSSL that modules such as SoftHSM2 and OpenSC use.
const GET_FUNCTION_LIST = {
  C_GetFunctionList: { parameters: ["buffer"], result: "u64", optional: true },
  OPENSSL_init_crypto: { parameters: ["u64", "pointer"], result: "i32", optional: true },
} as const satisfies Deno.ForeignLibraryInterface;

// When a Deno process ends by itself, the threads that ran nonblocking calls
// exit while the main thread runs the exit handlers. If OpenSSL registered
// OPENSSL_cleanup as one of them, it frees the per-thread state those
// threads are freeing too, and a few percent of such processes die with
// "double free or corruption" or SIGSEGV after all their work is done.
// Asking OpenSSL, before the module initialises it, to register no exit
// handler removes the race; the memory goes back with the process. It only
// works the first time OpenSSL is initialised in the process, and not through
// a proxy module (p11-kit-proxy.so), which loads the real module itself.
const OPENSSL_INIT_NO_ATEXIT = 0x0008_0000n;

/** An opened module: its function list and the handle that unloads it. */
export interface OpenedModule extends FunctionList {
  /** `dlclose`. */
  close(): void;
}

/**
 * Opens a PKCS#11 module by path and binds its function list.
 *
 * @throws {AosError} `notFound` for a missing file, `invalidArgument` for a
 * file that is not a shared library or has no `C_GetFunctionList`,
 * `notSupported` without FFI permission, and the error of `C_GetFunctionList`.
 */
export function openModule(path: string): OpenedModule {
  try {
    if (!Deno.statSync(path).isFile) {
      throw new AosError("invalidArgument", `The PKCS#11 module "${path}" is not a file`);
    }
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) {
      throw new AosError("notFound", `The PKCS#11 module "${path}" does not exist`);
    }
    // Without read permission the load below reports what is wrong.
    if (err instanceof AosError) throw err;
  }
  let library: Deno.DynamicLibrary<typeof GET_FUNCTION_LIST>;
  try {
    library = Deno.dlopen(path, { ...exportedDefinitions(), ...GET_FUNCTION_LIST });
  } catch (err) {
    if (err instanceof Deno.errors.NotCapable || err instanceof Deno.errors.PermissionDenied) {
      throw new AosError("notSupported", "Loading a PKCS#11 module needs --allow-ffi", {
        cause: err,
      });
    }
    throw new AosError("invalidArgument", `"${path}" is not a loadable shared library`, {
      cause: err,
    });
  }
  try {
    const getFunctionList = library.symbols.C_GetFunctionList;
    if (getFunctionList === null) {
      throw new AosError(
        "invalidArgument",
        `"${path}" is not a PKCS#11 module: no C_GetFunctionList`,
      );
    }
    library.symbols.OPENSSL_init_crypto?.(OPENSSL_INIT_NO_ATEXIT, null);
    const out = new Uint8Array(new ArrayBuffer(8));
    const rv = getFunctionList(out);
    if (rv !== 0n) throw new Pkcs11Error("C_GetFunctionList", rv, `Cannot load "${path}"`);
    const pointer = Deno.UnsafePointer.create(new DataView(out.buffer).getBigUint64(0, true));
    if (pointer === null) {
      throw new AosError("invalidArgument", `"${path}" returned no function list`);
    }
    const exported = exportedFunctions(library.symbols as Record<string, unknown>);
    return { ...bindFunctionList(pointer, exported), close: () => library.close() };
  } catch (err) {
    library.close();
    throw err;
  }
}
