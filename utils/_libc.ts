// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The one shared libc loader. Every libc call the collection makes through FFI
// is declared once in LIBC_SYMBOLS, so each call site is typed from that table.
// The library is opened on the first call of libc(), never at import time, and
// stays open for the life of the process (the symbols are shared by every user).
// Deno is reached through globalThis with the few FFI types declared locally,
// so the portable modules that import this file type-check without the Deno
// namespace (only the inotify backend of the fs watcher does, and only on Deno).

import { AosError } from "./errors.ts";

/** The FFI value types this table uses. */
export type NativeType =
  | "i8"
  | "u8"
  | "i16"
  | "u16"
  | "i32"
  | "u32"
  | "i64"
  | "u64"
  | "usize"
  | "isize"
  | "buffer"
  | "pointer";

/** The result types this table uses. */
export type NativeResultType = NativeType | "void";

/** One foreign function, as `Deno.dlopen` takes it. */
export interface ForeignFunction {
  readonly parameters: readonly NativeType[];
  readonly result: NativeResultType;
  readonly nonblocking?: boolean;
}

/** An opaque native pointer (`Deno.PointerValue`). */
export type Pointer = object | null;

// The JavaScript types follow Deno's own declarations (64-bit values are bigint),
// so tests/utils/libc_test.ts can check this table against Deno's types.

/** The JavaScript type of an argument of each native type. */
export type ArgumentOf<T> = T extends "i64" | "u64" | "usize" | "isize" ? bigint
  : T extends "buffer" ? Uint8Array | null
  : T extends "pointer" ? Pointer
  : number;

/** The JavaScript types of a parameter list. */
export type ArgumentsOf<P extends readonly NativeType[]> = {
  -readonly [K in keyof P]: ArgumentOf<P[K]>;
};

/** The JavaScript type of a result of each native type. */
export type ResultOf<T extends NativeResultType> = T extends "void" ? void
  : T extends "i64" | "u64" | "usize" | "isize" ? bigint
  : T extends "pointer" | "buffer" ? Pointer
  : number;

/** The typed function of one table entry; nonblocking calls return a promise. */
export type ForeignCall<F extends ForeignFunction> = (
  ...args: ArgumentsOf<F["parameters"]>
) => F["nonblocking"] extends true ? Promise<ResultOf<F["result"]>> : ResultOf<F["result"]>;

/** The typed symbols of a whole table. */
export type ForeignSymbols<T extends Record<string, ForeignFunction>> = {
  readonly [K in keyof T]: ForeignCall<T[K]>;
};

/** Every libc function the collection calls. Add a symbol here, never a second loader. */
export const LIBC_SYMBOLS = {
  open: { parameters: ["buffer", "i32", "u32"], result: "i32" },
  read: { parameters: ["i32", "buffer", "usize"], result: "isize" },
  write: { parameters: ["i32", "buffer", "usize"], result: "isize" },
  close: { parameters: ["i32"], result: "i32" },
  poll: { parameters: ["buffer", "u64", "i32"], result: "i32", nonblocking: true },
  eventfd: { parameters: ["u32", "i32"], result: "i32" },
  inotify_init1: { parameters: ["i32"], result: "i32" },
  inotify_add_watch: { parameters: ["i32", "buffer", "u32"], result: "i32" },
  inotify_rm_watch: { parameters: ["i32", "i32"], result: "i32" },
  __errno_location: { parameters: [], result: "pointer" },
  // network: netlink sockets and network namespaces.
  socket: { parameters: ["i32", "i32", "i32"], result: "i32" },
  setsockopt: { parameters: ["i32", "i32", "i32", "buffer", "u32"], result: "i32" },
  send: { parameters: ["i32", "buffer", "usize", "i32"], result: "isize" },
  recv: { parameters: ["i32", "buffer", "usize", "i32"], result: "isize" },
  setns: { parameters: ["i32", "i32"], result: "i32" },
  unshare: { parameters: ["i32"], result: "i32" },
  mount: { parameters: ["buffer", "buffer", "buffer", "usize", "buffer"], result: "i32" },
  umount2: { parameters: ["buffer", "i32"], result: "i32" },
} as const satisfies Record<string, ForeignFunction>;

/** The typed libc symbols. */
export type Libc = ForeignSymbols<typeof LIBC_SYMBOLS>;

/** The part of Deno's FFI surface the loaders use. */
export interface DenoFfi {
  readonly build: { readonly os: string };
  dlopen<T extends Record<string, ForeignFunction>>(
    path: string,
    symbols: T,
  ): { readonly symbols: ForeignSymbols<T>; close(): void };
  readonly UnsafePointerView: new (pointer: object) => {
    getInt32(offset?: number): number;
  };
  readonly permissions: { querySync(desc: { name: "ffi" }): { state: string } };
}

let loaded: Libc | undefined;

/** Deno's FFI surface, or `undefined` on a runtime without it (Node). */
export function denoFfi(): DenoFfi | undefined {
  const d = (globalThis as unknown as { Deno?: Partial<DenoFfi> }).Deno;
  return typeof d?.dlopen === "function" ? d as DenoFfi : undefined;
}

/** Whether libc can be reached here: Deno on Linux with `--allow-ffi`. */
export function libcAvailable(): boolean {
  const d = denoFfi();
  return d !== undefined && d.build.os === "linux" &&
    d.permissions.querySync({ name: "ffi" }).state === "granted";
}

/**
 * The libc symbols, opened on first use.
 *
 * @throws {AosError} `notSupported` without Deno FFI on Linux.
 */
export function libc(): Libc {
  if (loaded !== undefined) return loaded;
  const d = denoFfi();
  if (d === undefined || d.build.os !== "linux") {
    throw new AosError("notSupported", "libc calls need Deno FFI on Linux");
  }
  try {
    loaded = d.dlopen("libc.so.6", LIBC_SYMBOLS).symbols;
  } catch (err) {
    throw new AosError("notSupported", "Cannot open libc.so.6", { cause: err });
  }
  return loaded;
}

/**
 * The calling thread's errno, read right after a failed synchronous call.
 * A nonblocking call runs on another thread, so its errno cannot be read here.
 */
export function errno(): number {
  const pointer = libc().__errno_location();
  if (pointer === null) return 0;
  return new (denoFfi()!.UnsafePointerView)(pointer).getInt32();
}

/**
 * An `AosError` for the errno of the failed call just made.
 *
 * @param message What failed, such as `can't watch "/tmp/x"`.
 */
export function errnoError(message: string): AosError {
  return AosError.fromErrno(errno(), message);
}

/**
 * A NUL-terminated UTF-8 copy of `text`, for a `buffer` argument.
 *
 * @param text The string to pass.
 * @param what What the string is, for the error (`"path"`).
 * @throws {AosError} `invalidArgument` when `text` holds a NUL byte.
 */
export function cString(text: string, what = "string"): Uint8Array {
  const bytes = new TextEncoder().encode(`${text}\0`);
  if (bytes.indexOf(0) !== bytes.length - 1) {
    throw new AosError("invalidArgument", `Cannot pass ${what} "${text}": it holds a NUL byte`);
  }
  return bytes;
}
