// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * The space allocator: disk budgets per directory and per partition, with
 * eviction of outdated items.
 *
 * @module
 */

import { mkdir } from "node:fs/promises";
import { AosError } from "../utils/errors.ts";
import { type FSPlatform, LinuxFSPlatform } from "../utils/fs_platform.ts";
import type { LockToken } from "./_mutex.ts";
import { checkItem, checkOptions, checkSize, resolveAmount } from "./_options.ts";
import type { Item, Owner, Partition } from "./_partition.ts";
import { type RegistryState, registryState } from "./_registry_state.ts";
import { noAllocation, SpaceHandle, type SpaceHost } from "./_space.ts";
import { checkAllocation, type Levels } from "./_check.ts";
import {
  AllocationFailedEvent,
  type EvictionReason,
  ItemEvictedEvent,
  LowSpaceEvent,
  type SpaceAllocatorEventMap,
} from "./events.ts";
import { PartitionRegistry } from "./partition_registry.ts";
import type {
  AllocationCheck,
  ItemRemover,
  Space,
  SpaceAllocatorItf,
  SpaceAllocatorOptions,
  SpaceAllocatorStatus,
} from "./types.ts";

interface Init {
  options: SpaceAllocatorOptions;
  fs: FSPlatform;
  mountPoint: string;
  blockSize: number;
  partition: Partition;
  registry: RegistryState;
}

/**
 * Reserves disk space for a directory against two budgets: the free space of
 * its partition, shared with every allocator on the same mount point, and
 * optionally `limitPercent` of the partition's size for the directory itself.
 * When a budget is short, outdated items are evicted oldest first through
 * their owner's {@linkcode ItemRemover}.
 *
 * Many concurrent callers, and several allocators on one partition, never
 * reserve more than the budgets hold: `allocateSpace`, `resize`,
 * `addOutdatedItem`, `canAllocate`, `status` and `close` run one at a time
 * per partition, so one eviction runs at a time. The synchronous members only
 * adjust counters and may be called from a remover during an eviction; so may
 * the asynchronous ones, which then run inside that eviction.
 *
 * Dispatches {@linkcode ItemEvictedEvent}, {@linkcode AllocationFailedEvent}
 * and {@linkcode LowSpaceEvent}.
 *
 * @example Reserve, write, accept
 * ```ts
 * import { PartitionRegistry, SpaceAllocator } from "@aoscore/common/spaceallocator";
 * import { mkdtemp, rm, writeFile } from "node:fs/promises";
 * import { join } from "node:path";
 * import { tmpdir } from "node:os";
 * import assert from "node:assert/strict";
 *
 * const dir = await mkdtemp(join(tmpdir(), "images-"));
 * const allocator = await SpaceAllocator.create({ path: dir, registry: new PartitionRegistry() });
 * {
 *   using space = await allocator.allocateSpace(1024);
 *   await writeFile(join(dir, "image"), new Uint8Array(1024));
 *   space.accept();
 * }
 * assert.equal((await allocator.status()).openReservations, 0);
 * await allocator.close();
 * await rm(dir, { recursive: true });
 * ```
 */
export class SpaceAllocator extends EventTarget implements SpaceAllocatorItf, AsyncDisposable {
  /** The directory accounted for. */
  readonly path: string;
  /** The mount point of its partition. */
  readonly mountPoint: string;
  /** The allocator's share of the partition, in percent (0: no budget). */
  readonly limitPercent: number;
  /** The allocator's budget in bytes: `floor(totalSize × limitPercent / 100)`; 0 for none. */
  readonly sizeLimit: number;
  /** Free bytes this allocator's reservations never consume. */
  readonly safetyMargin: number;
  /** Free bytes below which `lowSpace` is dispatched; 0 for never. */
  readonly lowSpaceThreshold: number;
  readonly #fs: FSPlatform;
  readonly #partition: Partition;
  readonly #registry: RegistryState;
  readonly #remover: ItemRemover | undefined;
  readonly #owner: Owner;
  readonly #host: SpaceHost;
  readonly #blockSize: number;
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

  private constructor(init: Init) {
    super();
    const { options, partition } = init;
    this.path = options.path;
    this.mountPoint = init.mountPoint;
    this.limitPercent = options.limitPercent ?? 0;
    this.sizeLimit = Math.floor(partition.totalSize * this.limitPercent / 100);
    this.safetyMargin = resolveAmount(options.safetyMargin, partition.totalSize);
    this.lowSpaceThreshold = resolveAmount(options.lowSpaceThreshold, partition.totalSize);
    this.#fs = init.fs;
    this.#partition = partition;
    this.#registry = init.registry;
    this.#remover = options.remover;
    this.#blockSize = init.blockSize;
    this.#owner = { remover: this.#remover, free: (bytes) => this.#freeAllocated(bytes) };
    this.#host = {
      finish: (space, release) => this.#finish(space, release),
      resize: (space, newSize) => this.#resizeSpace(space, newSize),
    };
  }

  /**
   * Creates an allocator: creates `path` if missing, finds its partition and
   * joins it in the registry.
   *
   * @param options The directory, budget, remover and platform.
   * @returns The allocator.
   * @throws {AosError} `noMemory` "partition limit exceeded" when the limits
   * on the partition would pass 100 %, `invalidArgument` for bad options, and
   * the errors of the platform and of creating the directory.
   */
  static async create(options: SpaceAllocatorOptions): Promise<SpaceAllocator> {
    checkOptions(options);
    const fs = options.platformFS ?? new LinuxFSPlatform();
    try {
      await mkdir(options.path, { recursive: true });
    } catch (err) {
      throw AosError.wrap(err, undefined, `Cannot create space allocator in "${options.path}"`);
    }
    const mountPoint = await fs.getMountPoint(options.path);
    let blockSize = 1;
    if (options.accounting === "blocks") {
      if (fs.getBlockSize === undefined) {
        throw new AosError(
          "invalidArgument",
          `Cannot create space allocator: accounting "blocks" needs platformFS.getBlockSize`,
        );
      }
      blockSize = await fs.getBlockSize(mountPoint);
      checkSize(blockSize, "create space allocator", "block size");
      blockSize = Math.max(1, blockSize);
    }
    const registry = registryState(options.registry ?? PartitionRegistry.default);
    const partition = await registry.attach(mountPoint, fs, options.limitPercent ?? 0);
    return new SpaceAllocator({ options, fs, mountPoint, blockSize, partition, registry });
  }

  /**
   * Reserves `size` bytes. Evicts own outdated items when the allocator's
   * budget is short, then any outdated item of the partition when its free
   * space is short. When the outdated items' expected sizes show that even
   * evicting all of them cannot help, nothing is evicted.
   *
   * @param size Bytes to reserve.
   * @returns The reservation; finish it with `accept` or `release`.
   * @throws {AosError} `noMemory` "allocator limit exceeded" or "not enough
   * space"; `wrongState` after `close`; remover and platform errors as they are.
   */
  async allocateSpace(size: number): Promise<Space> {
    try {
      this.#checkOpen("allocate space");
      checkSize(size, "allocate space");
      const charged = this.#charge(size);
      return await this.#partition.mutex.run((token) => this.#allocate(size, charged, token));
    } catch (err) {
      this.dispatchEvent(new AllocationFailedEvent(size, AosError.from(err)));
      throw err;
    }
  }

  /**
   * Tells the allocator that `size` bytes in its directory were deleted while
   * reservations are open; without open reservations it has no effect.
   *
   * @param size Bytes deleted.
   */
  freeSpace(size: number): void {
    this.#checkOpen("free space");
    checkSize(size, "free space");
    this.#free(size);
  }

  /**
   * Marks an item as deletable when space runs short. An item with the same
   * id (from any allocator of the partition) is replaced. When the partition
   * already holds the most items it keeps, the oldest is removed first.
   *
   * @param id The item id.
   * @param version The item version.
   * @param timestamp When it became outdated; the oldest are evicted first.
   * @param expectedSize The bytes its removal should free, if known; lets
   * allocations refuse early instead of evicting in vain.
   * @throws {AosError} `notFound` "no item remover" without a remover;
   * the remover's error when removing the oldest item fails.
   */
  async addOutdatedItem(
    id: string,
    version: string,
    timestamp: Date,
    expectedSize?: number,
  ): Promise<void> {
    this.#checkOpen("add outdated item");
    if (this.#remover === undefined) throw new AosError("notFound", "no item remover");
    const time = checkItem(id, version, timestamp, expectedSize);
    const p = this.#partition;
    await p.mutex.run(async (token) => {
      this.#checkOpen("add outdated item");
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

  /**
   * The item is in use again: removes it from the outdated items when both id
   * and version match. A missing item is no error.
   *
   * @param id The item id.
   * @param version The item version.
   */
  restoreOutdatedItem(id: string, version: string): void {
    this.#checkOpen("restore outdated item");
    const item = this.#partition.items.get(id);
    if (item !== undefined && item.version === version) this.#partition.items.delete(item);
  }

  /**
   * Ends one open reservation without giving bytes back. `Space.accept` does
   * this for its own reservation; prefer it.
   *
   * @throws {AosError} `notFound` "no allocation" when none is open.
   */
  allocateDone(): void {
    this.#checkOpen("finish allocation");
    this.#done();
  }

  /**
   * Tells, without reserving or evicting anything, whether `size` bytes
   * could be reserved now.
   *
   * @param size Bytes to reserve.
   * @returns The verdict and the shortfall of each budget.
   */
  async canAllocate(size: number): Promise<AllocationCheck> {
    this.#checkOpen("check allocation");
    checkSize(size, "check allocation");
    const charged = this.#charge(size);
    return await this.#partition.mutex.run(async () => {
      const levels = await this.#levels();
      return checkAllocation(charged, levels, this.#partition.items, this.#owner);
    });
  }

  /**
   * A snapshot of the allocator and its partition. Without open reservations
   * the numbers are measured on disk.
   *
   * @returns The snapshot.
   */
  async status(): Promise<SpaceAllocatorStatus> {
    this.#checkOpen("read status");
    const p = this.#partition;
    return await p.mutex.run(async () => {
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
        outdatedItems: p.items.list().map((item) => {
          const info = {
            id: item.id,
            version: item.version,
            timestamp: new Date(item.time),
            own: item.owner === this.#owner,
          };
          return item.expectedSize === undefined
            ? info
            : { ...info, expectedSize: item.expectedSize };
        }),
      };
    });
  }

  /**
   * Leaves the partition: gives back the allocator's limit share and drops
   * its outdated items; the partition goes when its last allocator closes.
   * Open reservations can still be accepted or released. Closing twice does
   * nothing.
   *
   * @returns A promise that settles when closed.
   */
  close(): Promise<void> {
    return this.#closing ??= this.#partition.mutex.run(() => {
      this.#closed = true;
      this.#partition.items.deleteOwner(this.#owner);
      this.#registry.detach(this.#partition, this.limitPercent);
      return Promise.resolve();
    });
  }

  /**
   * Same as {@linkcode SpaceAllocator.close}.
   *
   * @returns A promise that settles when closed.
   */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /**
   * Adds a typed event listener.
   *
   * @param type `"evicted"`, `"allocationFailed"` or `"lowSpace"`.
   * @param listener Called with the event.
   * @param options Standard listener options.
   */
  override addEventListener<K extends keyof SpaceAllocatorEventMap>(
    type: K,
    listener: (this: SpaceAllocator, event: SpaceAllocatorEventMap[K]) => void,
    options?: boolean | AddEventListenerOptions,
  ): void;
  /**
   * Adds an event listener.
   *
   * @param type The event type.
   * @param listener Called with the event.
   * @param options Standard listener options.
   */
  override addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | AddEventListenerOptions,
  ): void;
  /**
   * Adds an event listener.
   *
   * @param type The event type.
   * @param listener Called with the event.
   * @param options Standard listener options.
   */
  override addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | AddEventListenerOptions,
  ): void {
    super.addEventListener(type, listener, options);
  }

  /**
   * Removes an event listener.
   *
   * @param type The event type.
   * @param listener The listener added before.
   * @param options Standard listener options.
   */
  override removeEventListener<K extends keyof SpaceAllocatorEventMap>(
    type: K,
    listener: (this: SpaceAllocator, event: SpaceAllocatorEventMap[K]) => void,
    options?: boolean | EventListenerOptions,
  ): void;
  /**
   * Removes an event listener.
   *
   * @param type The event type.
   * @param listener The listener added before.
   * @param options Standard listener options.
   */
  override removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | EventListenerOptions,
  ): void;
  /**
   * Removes an event listener.
   *
   * @param type The event type.
   * @param listener The listener added before.
   * @param options Standard listener options.
   */
  override removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | EventListenerOptions,
  ): void {
    super.removeEventListener(type, listener, options);
  }

  async #allocate(size: number, charged: number, token: LockToken): Promise<Space> {
    this.#checkOpen("allocate space");
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
      this.#checkOpen("allocate space");
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
    return new SpaceHandle(this.#host, size, charged);
  }

  async #resizeSpace(space: SpaceHandle, newSize: number): Promise<void> {
    try {
      this.#checkOpen("resize space");
      checkSize(newSize, "resize space");
      if (!space.open) throw noAllocation();
      const charged = this.#charge(newSize);
      await this.#partition.mutex.run((token) => this.#resize(space, newSize, charged, token));
    } catch (err) {
      this.dispatchEvent(new AllocationFailedEvent(newSize, AosError.from(err)));
      throw err;
    }
  }

  async #resize(space: SpaceHandle, size: number, charged: number, token: LockToken) {
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
    this.#checkOpen("resize space");
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

  #finish(space: SpaceHandle, release: boolean): void {
    if (!space.close()) throw noAllocation();
    this.#open--;
    if (release) this.#free(space.charged);
    this.#done();
  }

  #done(): void {
    const p = this.#partition;
    if (this.sizeLimit > 0) {
      if (this.#pending === 0) throw noAllocation();
      this.#pending--;
    }
    if (p.pending === 0) throw noAllocation();
    p.pending--;
  }

  #free(bytes: number): void {
    this.#freeAllocated(bytes);
    this.#partition.free(bytes);
  }

  #inSession(): boolean {
    return this.#pending > 0 || this.#busy > 0;
  }

  #freeAllocated(bytes: number): void {
    if (this.sizeLimit === 0 || !this.#inSession()) return;
    this.#allocated = Math.max(0, this.#allocated - bytes);
  }

  #evicted(item: Item, bytes: number, reason: EvictionReason): void {
    this.dispatchEvent(new ItemEvictedEvent(item.id, item.version, bytes, reason));
  }

  #checkLowSpace(): void {
    if (this.lowSpaceThreshold === 0) return;
    const available = this.#partition.available;
    const low = available < this.lowSpaceThreshold;
    if (low && !this.#lowSpace) {
      this.dispatchEvent(new LowSpaceEvent(this.mountPoint, available, this.lowSpaceThreshold));
    }
    this.#lowSpace = low;
  }

  #checkOpen(action: string): void {
    if (this.#closed) {
      throw new AosError("wrongState", `allocator is closed: cannot ${action} in "${this.path}"`);
    }
  }
}

function checkMeasured(size: number, what: string, path: string): number {
  if (typeof size !== "number" || !Number.isFinite(size) || size < 0) {
    throw new AosError("failed", `invalid ${what} of "${path}": ${String(size)}`);
  }
  return size;
}
