// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Linux inotify through Deno FFI. Deno.watchFs cannot tell a close from a
// modify and always watches recursively, so the watcher talks to the kernel
// itself: a poll() loop on the inotify fd and an eventfd that wakes it on stop.
// The calls go through the shared libc loader.

import { AosError } from "./errors.ts";
import type { FSEvent, RecordSink, WatchBackend } from "./_watch_backend.ts";
import { cString, errnoError, type Libc, libc, libcAvailable } from "./_libc.ts";

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

/** Whether this process can use inotify through FFI (Deno on Linux with `--allow-ffi`). */
export function inotifyAvailable(): boolean {
  return libcAvailable();
}

/** The inotify watch backend; one instance per running watcher. */
export class InotifyBackend implements WatchBackend {
  readonly #events: readonly FSEvent[];
  readonly #mask: number;
  readonly #pollTimeoutMs: number;
  #lib: Libc | undefined;
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
    const s = this.#lib = libc();
    this.#fd = s.inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    this.#wakeFd = this.#fd < 0 ? -1 : s.eventfd(0, IN_NONBLOCK | IN_CLOEXEC);
    if (this.#fd < 0 || this.#wakeFd < 0) {
      const err = errnoError("can't initialize inotify");
      this.#release();
      throw err;
    }
    this.#running = true;
    this.#loop = this.#run(sink).catch(onError);
  }

  add(path: string): void {
    const wd = this.#lib!.inotify_add_watch(this.#fd, cString(path, "path"), this.#mask);
    if (wd < 0) {
      throw AosError.wrap(errnoError(""), "failed", `can't watch "${path}"`);
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
      this.#lib!.inotify_rm_watch(this.#fd, wd);
    }
  }

  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    const one = new Uint8Array(8);
    one[0] = 1;
    this.#lib!.write(this.#wakeFd, one, 8n);
    await this.#loop;
    this.#release();
  }

  #release(): void {
    const s = this.#lib;
    if (this.#fd >= 0) s?.close(this.#fd);
    if (this.#wakeFd >= 0) s?.close(this.#wakeFd);
    this.#fd = this.#wakeFd = -1;
    this.#paths.clear();
    this.#watches.clear();
    this.#lib = undefined;
  }

  async #run(sink: RecordSink): Promise<void> {
    const s = this.#lib!;
    const fds = new Uint8Array(16);
    const view = new DataView(fds.buffer);
    view.setInt32(0, this.#fd, true);
    view.setInt16(4, POLLIN, true);
    view.setInt32(8, this.#wakeFd, true);
    view.setInt16(12, POLLIN, true);
    const buffer = new Uint8Array(64 * 1024);
    let failures = 0;
    while (this.#running) {
      view.setInt16(6, 0, true);
      const ready = await s.poll(fds, 2n, this.#pollTimeoutMs);
      if (!this.#running) return;
      if (ready < 0) {
        // poll ran on another thread, so its errno is out of reach here. A signal
        // (EINTR) is the usual cause and passes; a failure that repeats does not.
        if (++failures < 3) continue;
        throw new AosError("runtime", "inotify poll failed");
      }
      failures = 0;
      if ((view.getInt16(6, true) & POLLIN) !== 0) this.#drain(buffer, sink);
    }
  }

  #drain(buffer: Uint8Array, sink: RecordSink): void {
    const s = this.#lib!;
    for (;;) {
      const n = Number(s.read(this.#fd, buffer, BigInt(buffer.length)));
      if (n < 0) {
        const err = errnoError("inotify read failed");
        if (err.errno === EAGAIN || err.errno === EINTR) return;
        throw err;
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
