// Copyright 2026 the aos-common authors. Apache-2.0 license.
// deno-lint-ignore-file camelcase -- the FFI symbols keep their C names
// Linux inotify through Deno FFI. Deno.watchFs cannot tell a close from a
// modify and always watches recursively, so the watcher talks to the kernel
// itself: a poll() loop on the inotify fd and an eventfd that wakes it on stop.
// Deno is reached through globalThis with the few types used here declared
// locally, so the module type-checks without the Deno namespace.

import { AosError } from "./errors.ts";
import type { FSEvent, RecordSink, WatchBackend } from "./_watch_backend.ts";

type NativeType = "i32" | "u32" | "u64" | "usize" | "isize" | "buffer" | "pointer";
interface ForeignFunction {
  parameters: readonly NativeType[];
  result: NativeType;
  nonblocking?: boolean;
}
export interface Symbols {
  inotify_init1(flags: number): number;
  inotify_add_watch(fd: number, path: Uint8Array, mask: number): number;
  inotify_rm_watch(fd: number, wd: number): number;
  read(fd: number, buf: Uint8Array, count: number | bigint): number | bigint;
  write(fd: number, buf: Uint8Array, count: number | bigint): number | bigint;
  close(fd: number): number;
  eventfd(initval: number, flags: number): number;
  poll(fds: Uint8Array, nfds: number | bigint, timeout: number): Promise<number>;
  __errno_location(): unknown;
}
interface DenoFfi {
  build: { os: string };
  dlopen(path: string, symbols: typeof SYMBOLS): { symbols: Symbols; close(): void };
  UnsafePointerView: new (pointer: unknown) => { getInt32(offset?: number): number };
  permissions: { querySync(desc: { name: "ffi" }): { state: string } };
}

export const SYMBOLS = {
  inotify_init1: { parameters: ["i32"], result: "i32" },
  inotify_add_watch: { parameters: ["i32", "buffer", "u32"], result: "i32" },
  inotify_rm_watch: { parameters: ["i32", "i32"], result: "i32" },
  read: { parameters: ["i32", "buffer", "usize"], result: "isize" },
  write: { parameters: ["i32", "buffer", "usize"], result: "isize" },
  close: { parameters: ["i32"], result: "i32" },
  eventfd: { parameters: ["u32", "i32"], result: "i32" },
  poll: { parameters: ["buffer", "u64", "i32"], result: "i32", nonblocking: true },
  __errno_location: { parameters: [], result: "pointer" },
} as const satisfies Record<string, ForeignFunction>;

const IN_NONBLOCK = 0x800;
const IN_CLOEXEC = 0x80000;
const IN_IGNORED = 0x8000;
const POLLIN = 1;
const EINTR = 4;
const EAGAIN = 11;
const HEADER = 16;

/** inotify bits of each event (close and create/delete cover two kernel events each). */
const MASKS: Readonly<Record<FSEvent, number>> = {
  access: 0x1,
  modify: 0x2,
  close: 0x8 | 0x10,
  create: 0x100 | 0x80,
  delete: 0x200 | 0x40,
};

function deno(): DenoFfi | undefined {
  const d = (globalThis as unknown as { Deno?: Partial<DenoFfi> }).Deno;
  return typeof d?.dlopen === "function" ? d as DenoFfi : undefined;
}

/** Whether this process can use inotify through FFI (Deno on Linux with `--allow-ffi`). */
export function inotifyAvailable(): boolean {
  const d = deno();
  return d !== undefined && d.build.os === "linux" &&
    d.permissions.querySync({ name: "ffi" }).state === "granted";
}

/** The inotify watch backend; one instance per running watcher. */
export class InotifyBackend implements WatchBackend {
  readonly #events: readonly FSEvent[];
  readonly #mask: number;
  readonly #pollTimeoutMs: number;
  #lib: ReturnType<DenoFfi["dlopen"]> | undefined;
  #fd = -1;
  #wakeFd = -1;
  #running = false;
  #loop: Promise<void> | undefined;
  readonly #paths = new Map<string, number>();
  readonly #watches = new Map<number, Set<string>>();

  constructor(events: readonly FSEvent[], pollTimeoutMs: number) {
    this.#events = events;
    this.#mask = events.reduce((mask, e) => mask | MASKS[e], 0);
    this.#pollTimeoutMs = pollTimeoutMs;
  }

  start(sink: RecordSink, onError: (err: unknown) => void): void {
    const d = deno();
    if (d === undefined) throw new AosError("notSupported", "inotify needs Deno FFI");
    this.#lib = openLibc(d);
    const s = this.#lib.symbols;
    this.#fd = s.inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    this.#wakeFd = this.#fd < 0 ? -1 : s.eventfd(0, IN_NONBLOCK | IN_CLOEXEC);
    if (this.#fd < 0 || this.#wakeFd < 0) {
      const err = AosError.fromErrno(errno(d, s), "can't initialize inotify");
      this.#release();
      throw err;
    }
    this.#running = true;
    this.#loop = this.#run(d, sink).catch(onError);
  }

  add(path: string): void {
    const d = deno()!;
    const s = this.#lib!.symbols;
    const wd = s.inotify_add_watch(this.#fd, cString(path), this.#mask);
    if (wd < 0) {
      throw AosError.wrap(AosError.fromErrno(errno(d, s)), "failed", `can't watch "${path}"`);
    }
    this.#paths.set(path, wd);
    let paths = this.#watches.get(wd);
    if (paths === undefined) this.#watches.set(wd, paths = new Set());
    paths.add(path);
  }

  remove(path: string): void {
    const wd = this.#paths.get(path);
    if (wd === undefined) return;
    this.#paths.delete(path);
    const paths = this.#watches.get(wd)!;
    paths.delete(path);
    // Two paths to one inode share a watch descriptor: keep it for the other.
    if (paths.size === 0) {
      this.#watches.delete(wd);
      this.#lib!.symbols.inotify_rm_watch(this.#fd, wd);
    }
  }

  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    const one = new Uint8Array(8);
    one[0] = 1;
    this.#lib!.symbols.write(this.#wakeFd, one, 8);
    await this.#loop;
    this.#release();
  }

  #release(): void {
    const s = this.#lib?.symbols;
    if (this.#fd >= 0) s?.close(this.#fd);
    if (this.#wakeFd >= 0) s?.close(this.#wakeFd);
    this.#fd = this.#wakeFd = -1;
    this.#paths.clear();
    this.#watches.clear();
    this.#lib?.close();
    this.#lib = undefined;
  }

  async #run(d: DenoFfi, sink: RecordSink): Promise<void> {
    const s = this.#lib!.symbols;
    const fds = new Uint8Array(16);
    const view = new DataView(fds.buffer);
    view.setInt32(0, this.#fd, true);
    view.setInt16(4, POLLIN, true);
    view.setInt32(8, this.#wakeFd, true);
    view.setInt16(12, POLLIN, true);
    const buffer = new Uint8Array(64 * 1024);
    while (this.#running) {
      view.setInt16(6, 0, true);
      const ready = await s.poll(fds, 2, this.#pollTimeoutMs);
      if (!this.#running) return;
      if (ready < 0) {
        const code = errno(d, s);
        if (code === EINTR) continue;
        throw AosError.fromErrno(code, "inotify poll failed");
      }
      if ((view.getInt16(6, true) & POLLIN) !== 0) this.#drain(d, buffer, sink);
    }
  }

  #drain(d: DenoFfi, buffer: Uint8Array, sink: RecordSink): void {
    const s = this.#lib!.symbols;
    for (;;) {
      const n = Number(s.read(this.#fd, buffer, buffer.length));
      if (n < 0) {
        const code = errno(d, s);
        if (code === EAGAIN || code === EINTR) return;
        throw AosError.fromErrno(code, "inotify read failed");
      }
      const view = new DataView(buffer.buffer, 0, n);
      for (let offset = 0; offset + HEADER <= n;) {
        const wd = view.getInt32(offset, true);
        const mask = view.getUint32(offset + 4, true);
        offset += HEADER + view.getUint32(offset + 12, true);
        const paths = this.#watches.get(wd);
        if (paths === undefined) continue;
        if ((mask & IN_IGNORED) !== 0) {
          // The kernel dropped the watch (the path was deleted or unmounted).
          for (const path of paths) this.#paths.delete(path);
          this.#watches.delete(wd);
          continue;
        }
        const events = this.#events.filter((e) => (mask & MASKS[e]) !== 0);
        if (events.length === 0) continue;
        for (const path of paths) sink(path, events);
      }
    }
  }
}

function openLibc(d: DenoFfi): ReturnType<DenoFfi["dlopen"]> {
  try {
    return d.dlopen("libc.so.6", SYMBOLS);
  } catch {
    return d.dlopen("libc.so", SYMBOLS);
  }
}

function errno(d: DenoFfi, s: Symbols): number {
  return new d.UnsafePointerView(s.__errno_location()).getInt32();
}

function cString(text: string): Uint8Array {
  const bytes = new TextEncoder().encode(`${text}\0`);
  if (bytes.indexOf(0) !== bytes.length - 1) {
    throw new AosError("invalidArgument", `Cannot watch "${text}": the path holds a NUL byte`);
  }
  return bytes;
}
