// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The reservation mechanics of one allocator: its budget, its share of the
// partition and the two kinds of eviction. SpaceAllocator is its public face.

import { AosError } from "../utils/errors.ts";
import type { FSPlatform } from "../utils/fs_platform.ts";
import { type LockToken, runAsHolder } from "./_mutex.ts";
import { checkSize, resolveAmount } from "./_options.ts";
import type { Item, Owner, Partition } from "./_partition.ts";
import type { RegistryState } from "./_registry_state.ts";
import { noAllocation, SpaceHandle, type SpaceHost } from "./_space.ts";
import { checkAllocation, type Levels } from "./_check.ts";
import {
  AllocationFailedEvent,
  type EvictionReason,
  ItemEvictedEvent,
  LowSpaceEvent,
} from "./events.ts";
import type {
  AllocationCheck,
  ItemRemover,
  OutdatedItemInfo,
  SpaceAllocatorOptions,
  SpaceAllocatorStatus,
} from "./types.ts";

/** What a core is made from. */
export interface CoreInit {
  options: SpaceAllocatorOptions;
  fs: FSPlatform;
  mountPoint: string;
  blockSize: number;
  partition: Partition;
  registry: RegistryState;
  /** Dispatches an event on the public allocator. */
  dispatch: (event: Event) => void;
}

/** The state and algorithms behind one SpaceAllocator. */
export class AllocatorCore implements SpaceHost {
  readonly path: string;
  readonly mountPoint: string;
  readonly limitPercent: number;
  readonly sizeLimit: number;
  readonly safetyMargin: number;
  readonly lowSpaceThreshold: number;
  readonly remover: ItemRemover | undefined;
  readonly #fs: FSPlatform;
  readonly #partition: Partition;
  readonly #registry: RegistryState;
  readonly #owner: Owner;
  readonly #blockSize: number;
  readonly #dispatch: (event: Event) => void;
  /** Open reservations at the allocator level (counted only with a budget). */
  #pending = 0;
  /** Operations between measuring `#allocated` and committing (see `Partition.busy`). */
  #busy = 0;
  /** Bytes in the directory plus open reservations, valid while in a session. */
  #allocated = 0;
  #open = 0;
  #closed = false;
  #closing: Promise<void> | undefined;
  #lowSpace = false;

  constructor(init: CoreInit) {
    const { options, partition } = init;
    this.path = options.path;
    this.mountPoint = init.mountPoint;
    this.limitPercent = options.limitPercent ?? 0;
    this.sizeLimit = Math.floor(partition.totalSize * this.limitPercent / 100);
    this.safetyMargin = resolveAmount(options.safetyMargin, partition.totalSize);
    this.lowSpaceThreshold = resolveAmount(options.lowSpaceThreshold, partition.totalSize);
    this.remover = options.remover;
    this.#fs = init.fs;
    this.#partition = partition;
    this.#registry = init.registry;
    this.#blockSize = init.blockSize;
    this.#dispatch = init.dispatch;
    this.#owner = { remover: this.remover, free: (bytes) => this.#freeAllocated(bytes) };
  }

  /** Reserves `size` bytes; see `SpaceAllocator.allocateSpace`. */
  async allocate(size: number): Promise<SpaceHandle> {
    try {
      this.checkOpen("allocate space");
      checkSize(size, "allocate space");
      const charged = this.#charge(size);
      return await this.#partition.mutex.run((token) => this.#allocate(size, charged, token));
    } catch (err) {
      this.#dispatch(new AllocationFailedEvent(size, AosError.from(err)));
      throw err;
    }
  }

  /** Adds an outdated item, making room in a full list first. */
  addItem(id: string, version: string, time: number, expectedSize?: number): Promise<void> {
    const p = this.#partition;
    return p.mutex.run(async (token) => {
      this.checkOpen("add outdated item");
      const existing = p.items.get(id);
      if (existing !== undefined) p.items.delete(existing);
      // A remover that adds items while we make room must not keep us looping.
      for (let rounds = p.maxItems; p.items.size >= p.maxItems && rounds > 0; rounds--) {
        const oldest = p.oldest();
        if (oldest === undefined) break;
        const bytes = await p.remove(token, oldest);
        oldest.owner.free(bytes);
        p.available += bytes;
        this.#evicted(oldest, bytes, "capacity");
        const added = p.items.get(id);
        if (added !== undefined) p.items.delete(added);
      }
      p.items.add(id, version, time, this.#owner, expectedSize);
    });
  }

  /** Removes an outdated item when id and version match. */
  freeAfter(remove: () => Promise<number>): Promise<number> {
    return this.#partition.mutex.run(async (token) => {
      this.checkOpen("free space");
      const bytes = await runAsHolder(token, remove);
      checkSize(bytes, "free space", "bytes removed");
      this.free(bytes);
      return bytes;
    });
  }

  restore(id: string, version: string): void {
    const item = this.#partition.items.get(id);
    if (item !== undefined && item.version === version) this.#partition.items.delete(item);
  }

  /** The dry run of `SpaceAllocator.canAllocate`. */
  check(size: number): Promise<AllocationCheck> {
    const charged = this.#charge(size);
    return this.#partition.mutex.run(async () => {
      const levels = await this.#levels();
      return checkAllocation(charged, levels, this.#partition.items, this.#owner);
    });
  }

  /** The snapshot of `SpaceAllocator.status`. */
  status(): Promise<SpaceAllocatorStatus> {
    const p = this.#partition;
    return p.mutex.run(async () => {
      const levels = await this.#levels();
      return {
        path: this.path,
        mountPoint: this.mountPoint,
        totalSize: p.totalSize,
        available: levels.available,
        sizeLimit: this.sizeLimit,
        allocated: this.sizeLimit > 0 ? levels.allocated : undefined,
        safetyMargin: this.safetyMargin,
        openReservations: this.#open,
        partitionReservations: p.pending,
        outdatedItems: p.items.list().map((item) => this.#describe(item)),
      };
    });
  }

  /** Leaves the partition, once. */
  close(): Promise<void> {
    return this.#closing ??= this.#partition.mutex.run(() => {
      this.#closed = true;
      this.#partition.items.deleteOwner(this.#owner);
      this.#registry.detach(this.#partition, this.limitPercent);
      return Promise.resolve();
    });
  }

  /** Ends a reservation (SpaceHost); allowed after close. */
  finish(space: SpaceHandle, release: boolean): void {
    if (!space.close()) throw noAllocation();
    this.#open--;
    if (release) this.free(space.charged);
    this.done();
  }

  /** Resizes a reservation (SpaceHost). */
  async resize(space: SpaceHandle, newSize: number): Promise<void> {
    try {
      this.checkOpen("resize space");
      checkSize(newSize, "resize space");
      if (!space.open) throw noAllocation();
      const charged = this.#charge(newSize);
      await this.#partition.mutex.run((token) => this.#resize(space, newSize, charged, token));
    } catch (err) {
      this.#dispatch(new AllocationFailedEvent(newSize, AosError.from(err)));
      throw err;
    }
  }

  /** Ends one open reservation without giving bytes back. */
  done(): void {
    const p = this.#partition;
    if (this.sizeLimit > 0) {
      if (this.#pending === 0) throw noAllocation();
      this.#pending--;
    }
    if (p.pending === 0) throw noAllocation();
    p.pending--;
  }

  /** Both `free` helpers: bytes deleted while reservations are open. */
  free(bytes: number): void {
    this.#freeAllocated(bytes);
    this.#partition.free(bytes);
  }

  /** Throws `wrongState` once closed. */
  checkOpen(action: string): void {
    if (this.#closed) {
      throw new AosError("wrongState", `allocator is closed: cannot ${action} in "${this.path}"`);
    }
  }

  async #allocate(size: number, charged: number, token: LockToken): Promise<SpaceHandle> {
    this.checkOpen("allocate space");
    const p = this.#partition;
    const budget = this.sizeLimit > 0;
    if (budget) {
      const fresh = !this.#inSession();
      this.#busy++;
      try {
        if (fresh) this.#allocated = await this.#dirSize();
        await this.#fitAllocator(token, () => this.#allocated + charged - this.sizeLimit, charged);
      } finally {
        this.#busy--;
      }
      this.#allocated += charged;
      this.#pending++;
    }
    const fresh = !p.inSession;
    p.busy++;
    try {
      if (fresh) p.available = await this.#availableSize();
      await this.#fitPartition(token, () => charged - this.#room(), charged);
      this.checkOpen("allocate space");
      p.available -= charged;
      p.pending++;
    } catch (err) {
      if (budget) {
        this.#allocated = Math.max(0, this.#allocated - charged);
        this.#pending--;
      }
      throw err;
    } finally {
      p.busy--;
    }
    this.#open++;
    this.#checkLowSpace();
    return new SpaceHandle(this, size, charged);
  }

  async #resize(
    space: SpaceHandle,
    size: number,
    charged: number,
    token: LockToken,
  ): Promise<void> {
    const delta = charged - space.charged;
    const p = this.#partition;
    const budget = this.sizeLimit > 0;
    // Growing may evict; shrinking always succeeds.
    if (delta > 0) {
      if (budget) {
        await this.#fitAllocator(token, () => this.#allocated + delta - this.sizeLimit, delta);
      }
      await this.#fitPartition(token, () => delta - this.#room(), delta);
    }
    // A remover may have finished this reservation or closed the allocator.
    if (!space.open) throw noAllocation();
    this.checkOpen("resize space");
    p.available -= delta;
    if (budget) this.#allocated = Math.max(0, this.#allocated + delta);
    space.update(size, charged);
    if (delta > 0) this.#checkLowSpace();
  }

  /** Own eviction until `excess()` is no longer positive. */
  async #fitAllocator(token: LockToken, excess: () => number, charged: number): Promise<void> {
    if (excess() <= 0) return;
    const p = this.#partition;
    const hints = p.items.hints(this.#owner);
    const hopeless = hints.unknown === 0 && hints.known < excess();
    if (!p.items.hasOwner(this.#owner) || hopeless) throw this.#limitError(charged);
    await p.evict(token, {
      owner: this.#owner,
      short: () => excess() > 0,
      credit: (_, bytes) => {
        p.free(bytes);
        this.#allocated = Math.max(0, this.#allocated - bytes);
      },
      evicted: (item, bytes) => this.#evicted(item, bytes, "allocator"),
    });
    if (excess() > 0) throw this.#limitError(charged);
  }

  /** Partition eviction until `excess()` is no longer positive. */
  async #fitPartition(token: LockToken, excess: () => number, charged: number): Promise<void> {
    if (excess() <= 0) return;
    const p = this.#partition;
    const hints = p.items.hints();
    const hopeless = hints.unknown === 0 && hints.known < excess();
    if (p.items.size === 0 || hopeless) throw this.#spaceError(charged);
    await p.evict(token, {
      short: () => excess() > 0,
      credit: (item, bytes) => {
        item.owner.free(bytes);
        p.available += bytes;
      },
      evicted: (item, bytes) => this.#evicted(item, bytes, "partition"),
    });
    if (excess() > 0) throw this.#spaceError(charged);
  }

  #limitError(charged: number): AosError {
    const left = Math.max(0, this.sizeLimit - this.#allocated);
    return new AosError(
      "noMemory",
      `allocator limit exceeded: ${charged} bytes requested, ${left} of ${this.sizeLimit} left for "${this.path}"`,
    );
  }

  #spaceError(charged: number): AosError {
    const margin = this.safetyMargin > 0 ? ` beyond a safety margin of ${this.safetyMargin}` : "";
    return new AosError(
      "noMemory",
      `not enough space: ${charged} bytes requested, ${
        Math.max(0, this.#room())
      } available${margin} on "${this.mountPoint}"`,
    );
  }

  /** Free bytes this allocator may still reserve on the partition. */
  #room(): number {
    return this.#partition.available - this.safetyMargin;
  }

  #charge(size: number): number {
    const block = this.#blockSize;
    return block === 1 ? size : Math.ceil(size / block) * block;
  }

  async #dirSize(): Promise<number> {
    const size = await this.#fs.getDirSize(
      this.path,
      this.#blockSize === 1 ? undefined : { allocated: true },
    );
    return checkMeasured(size, "directory size", this.path);
  }

  async #availableSize(): Promise<number> {
    const size = await this.#fs.getAvailableSize(this.mountPoint);
    return checkMeasured(size, "available size", this.mountPoint);
  }

  /** Both levels as a reservation would see them, measured when not cached. */
  async #levels(): Promise<Levels> {
    const p = this.#partition;
    const budget = this.sizeLimit > 0;
    const allocated = !budget ? 0 : this.#inSession() ? this.#allocated : await this.#dirSize();
    const available = p.inSession ? p.available : await this.#availableSize();
    return { allocated, available, sizeLimit: this.sizeLimit, margin: this.safetyMargin };
  }

  #inSession(): boolean {
    return this.#pending > 0 || this.#busy > 0;
  }

  #freeAllocated(bytes: number): void {
    if (this.sizeLimit === 0 || !this.#inSession()) return;
    this.#allocated = Math.max(0, this.#allocated - bytes);
  }

  #evicted(item: Item, bytes: number, reason: EvictionReason): void {
    this.#dispatch(new ItemEvictedEvent(item.id, item.version, bytes, reason));
  }

  #checkLowSpace(): void {
    if (this.lowSpaceThreshold === 0) return;
    const available = this.#partition.available;
    const low = available < this.lowSpaceThreshold;
    if (low && !this.#lowSpace) {
      this.#dispatch(new LowSpaceEvent(this.mountPoint, available, this.lowSpaceThreshold));
    }
    this.#lowSpace = low;
  }

  #describe(item: Item): OutdatedItemInfo {
    const info = {
      id: item.id,
      version: item.version,
      timestamp: new Date(item.time),
      own: item.owner === this.#owner,
    };
    return item.expectedSize === undefined ? info : { ...info, expectedSize: item.expectedSize };
  }
}

function checkMeasured(size: number, what: string, path: string): number {
  if (typeof size !== "number" || !Number.isFinite(size) || size < 0) {
    throw new AosError("failed", `invalid ${what} of "${path}": ${String(size)}`);
  }
  return size;
}
