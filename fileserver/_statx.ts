// Copyright 2026 the aos-common authors. Apache-2.0 license.
// `stat` through the C library's `statx`, on Deno when FFI is allowed.
//
// Every hit of the small-file cache checks one `stat` of the file's path.
// `Deno.statSync` spends most of its time around the system call (a read
// permission check of the path, a `FileInfo` with four `Date`s); a direct
// `statx` into a reused buffer costs a quarter of it. FFI is all access
// anyway, so skipping the permission check grants nothing new; the paths are
// ones the server opened through Deno's checks before. The result is compared
// with the `FileStat` Deno gave for the open file, so the fields are derived
// the same way: times in whole milliseconds, except `ctime` in whole seconds
// as `Deno.FileInfo` has it, and `st_dev` as glibc's `makedev`. A disagreement
// would only make every hit a miss; a test guards against it. `struct statx`
// has one layout on every architecture, unlike `struct stat`.
import type { FileStat } from "./_files.ts";

interface StatxSymbols {
  statx(dirfd: number, path: Uint8Array, flags: number, mask: number, buf: Uint8Array): number;
}

/** The members of the `Deno` namespace used here. */
interface DenoFfi {
  build: { os: string };
  permissions: { querySync(desc: { name: "ffi" }): { state: string } };
  dlopen(path: string, symbols: typeof SYMBOLS): { symbols: StatxSymbols };
}

const SYMBOLS = {
  statx: { parameters: ["i32", "buffer", "i32", "u32", "buffer"], result: "i32" },
} as const;

const AT_FDCWD = -100;
const STATX_BASIC_STATS = 0x7ff;
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const PATH_MAX = 4096;
const TWO_32 = 2 ** 32;

/**
 * A `stat` (following symlinks) that returns `undefined` when the path cannot
 * be examined, or `undefined` itself when FFI is not allowed or `statx` is
 * missing (not Linux, an old C library).
 */
export function statxFunction(): ((path: string) => FileStat | undefined) | undefined {
  const deno = (globalThis as unknown as { Deno?: Partial<DenoFfi> }).Deno;
  if (
    typeof deno?.dlopen !== "function" || deno.build?.os !== "linux" ||
    deno.permissions?.querySync({ name: "ffi" }).state !== "granted"
  ) {
    return undefined;
  }
  let statx: StatxSymbols["statx"];
  try {
    statx = openLibc(deno as DenoFfi).statx;
  } catch {
    return undefined;
  }
  const encoder = new TextEncoder();
  const path0 = new Uint8Array(PATH_MAX);
  const buffer = new Uint8Array(256);
  const view = new DataView(buffer.buffer);
  return (path) => {
    // A NUL would cut the path short, and a longer one does not fit the buffer.
    if (path.includes("\0")) return undefined;
    const { read, written } = encoder.encodeInto(path, path0);
    if (read !== path.length || written >= PATH_MAX) return undefined;
    path0[written] = 0;
    if (statx(AT_FDCWD, path0, 0, STATX_BASIC_STATS, buffer) !== 0) return undefined;
    const type = view.getUint16(28, true) & S_IFMT;
    return {
      isFile: type === S_IFREG,
      isDirectory: type === S_IFDIR,
      ino: u64(view, 32),
      size: u64(view, 40),
      ctimeMs: seconds(view, 96) * 1000,
      mtimeMs: timeMs(view, 112),
      dev: makedev(view.getUint32(136, true), view.getUint32(140, true)),
    };
  };
}

function openLibc(deno: DenoFfi): StatxSymbols {
  try {
    return deno.dlopen("libc.so.6", SYMBOLS).symbols;
  } catch {
    return deno.dlopen("libc.so", SYMBOLS).symbols;
  }
}

function u64(view: DataView, at: number): number {
  return view.getUint32(at, true) + view.getUint32(at + 4, true) * TWO_32;
}

/** The seconds of a `struct statx_timestamp`. */
function seconds(view: DataView, at: number): number {
  return view.getUint32(at, true) + view.getInt32(at + 4, true) * TWO_32;
}

/** A `struct statx_timestamp` in whole milliseconds. */
function timeMs(view: DataView, at: number): number {
  return seconds(view, at) * 1000 + Math.floor(view.getUint32(at + 8, true) / 1e6);
}

/** glibc's `makedev`, without 32-bit overflow. */
function makedev(major: number, minor: number): number {
  return Math.floor(major / 0x1000) * 0x1000 * TWO_32 + (major % 0x1000) * 0x100 +
    Math.floor(minor / 0x100) * 0x100 * 0x1000 + (minor % 0x100);
}
