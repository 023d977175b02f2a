// Copyright 2026 the aos-common authors. Apache-2.0 license.
// An in-memory FSPlatform for allocator tests: fixed answers that a test can
// change between calls, and a count of every call.
import type { FSPlatform } from "../../utils/fs_platform.ts";

export type FsMethod =
  | "getMountPoint"
  | "getTotalSize"
  | "getDirSize"
  | "getAvailableSize"
  | "setUserQuota"
  | "changeOwner"
  | "getBlockDevice"
  | "getBlockSize";

export const KiB = 1024;
export const MiB = 1024 * KiB;

export class FakeFSPlatform implements FSPlatform {
  /** Mount point reported for every path not in `mounts`. */
  mountPoint = "/mnt/test";
  /** Mount point per path. */
  mounts = new Map<string, string>();
  totalSize = MiB;
  availableSize = MiB;
  /** Directory size per path; `dirSize` for the others. */
  dirSizes = new Map<string, number>();
  dirSize = 0;
  blockSize = 4096;
  calls: Record<FsMethod, number> = {
    getMountPoint: 0,
    getTotalSize: 0,
    getDirSize: 0,
    getAvailableSize: 0,
    setUserQuota: 0,
    changeOwner: 0,
    getBlockDevice: 0,
    getBlockSize: 0,
  };
  /** Options the last getDirSize call got. */
  lastDirSizeOptions: unknown;
  /** Awaited before every answer: lets tests interleave concurrent callers. */
  pause: () => Promise<void> = () => Promise.resolve();
  /** Answers of these methods reject with this error. */
  failures = new Map<FsMethod, Error>();

  constructor(init: Partial<Pick<FakeFSPlatform, "totalSize" | "availableSize" | "dirSize">> = {}) {
    Object.assign(this, init);
  }

  async #answer<T>(method: FsMethod, value: () => T): Promise<T> {
    this.calls[method]++;
    await this.pause();
    const failure = this.failures.get(method);
    if (failure !== undefined) throw failure;
    return value();
  }

  getMountPoint(dir: string): Promise<string> {
    return this.#answer("getMountPoint", () => this.mounts.get(dir) ?? this.mountPoint);
  }
  getTotalSize(_dir: string): Promise<number> {
    return this.#answer("getTotalSize", () => this.totalSize);
  }
  getDirSize(path: string, options?: unknown): Promise<number> {
    this.lastDirSizeOptions = options;
    return this.#answer("getDirSize", () => this.dirSizes.get(path) ?? this.dirSize);
  }
  getAvailableSize(_dir: string): Promise<number> {
    return this.#answer("getAvailableSize", () => this.availableSize);
  }
  setUserQuota(_path: string, _uid: number, _quota: number): Promise<void> {
    return this.#answer("setUserQuota", () => undefined);
  }
  changeOwner(_path: string, _uid: number, _gid: number): Promise<void> {
    return this.#answer("changeOwner", () => undefined);
  }
  getBlockDevice(_path: string): Promise<string> {
    return this.#answer("getBlockDevice", () => "/dev/fake");
  }
  getBlockSize(_dir: string): Promise<number> {
    return this.#answer("getBlockSize", () => this.blockSize);
  }
}
