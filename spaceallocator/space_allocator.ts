// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * The space allocator: disk budgets per directory and per partition, with
 * eviction of outdated items.
 *
 * @module
 */

import { mkdir } from "node:fs/promises";
import { AosError } from "../utils/errors.ts";
import { LinuxFSPlatform } from "../utils/fs_platform.ts";
import { AllocatorCore, type CoreInit } from "./_allocator_core.ts";
import { checkItem, checkOptions, checkSize } from "./_options.ts";
import { registryState } from "./_registry_state.ts";
import type { SpaceAllocatorEventMap } from "./events.ts";
import { PartitionRegistry } from "./partition_registry.ts";
import type {
  AllocationCheck,
  Space,
  SpaceAllocatorItf,
  SpaceAllocatorOptions,
  SpaceAllocatorStatus,
} from "./types.ts";

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
  readonly #core: AllocatorCore;

  private constructor(init: Omit<CoreInit, "dispatch">) {
    super();
    this.#core = new AllocatorCore({ ...init, dispatch: (event) => this.dispatchEvent(event) });
    this.path = this.#core.path;
    this.mountPoint = this.#core.mountPoint;
    this.limitPercent = this.#core.limitPercent;
    this.sizeLimit = this.#core.sizeLimit;
    this.safetyMargin = this.#core.safetyMargin;
    this.lowSpaceThreshold = this.#core.lowSpaceThreshold;
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
  allocateSpace(size: number): Promise<Space> {
    return this.#core.allocate(size);
  }

  /**
   * Tells the allocator that `size` bytes in its directory were deleted while
   * reservations are open; without open reservations it has no effect.
   *
   * A reservation that measures the directory between the deletion and this
   * call has already missed the file, and the bytes are given back twice.
   * When reservations may start while files are deleted, use
   * {@linkcode SpaceAllocator.freeSpaceAfter} instead.
   *
   * @example
   * ```ts
   * import { SpaceAllocator } from "@aoscore/common/spaceallocator";
   * import { mkdtemp, rm } from "node:fs/promises";
   * import { join } from "node:path";
   * import { tmpdir } from "node:os";
   *
   * const dir = await mkdtemp(join(tmpdir(), "images-"));
   * const allocator = await SpaceAllocator.create({ path: dir });
   * const space = await allocator.allocateSpace(1024);
   * allocator.freeSpace(512); // someone deleted 512 bytes meanwhile
   * space.release();
   * await allocator.close();
   * await rm(dir, { recursive: true });
   * ```
   *
   * @param size Bytes deleted.
   */
  freeSpace(size: number): void {
    this.#core.checkOpen("free space");
    checkSize(size, "free space");
    this.#core.free(size);
  }

  /**
   * Deletes data in the allocator's directory through `remove` and gives the
   * bytes it returns back, with no reservation measuring the disk meanwhile
   * (`remove` runs under the partition's lock, as item removers do), so the
   * deletion is counted exactly once. `remove` may call the allocator.
   *
   * @example Uninstall a service's files
   * ```ts
   * import { SpaceAllocator } from "@aoscore/common/spaceallocator";
   * import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
   * import { join } from "node:path";
   * import { tmpdir } from "node:os";
   * import assert from "node:assert/strict";
   *
   * const dir = await mkdtemp(join(tmpdir(), "images-"));
   * const allocator = await SpaceAllocator.create({ path: dir });
   * await writeFile(join(dir, "layer"), new Uint8Array(4096));
   * const freed = await allocator.freeSpaceAfter(async () => {
   *   const { size } = await stat(join(dir, "layer"));
   *   await rm(join(dir, "layer"));
   *   return size;
   * });
   * assert.equal(freed, 4096);
   * await allocator.close();
   * await rm(dir, { recursive: true });
   * ```
   *
   * @param remove Deletes the data and resolves with the bytes it freed.
   * @returns The bytes freed.
   * @throws {AosError} `invalidArgument` when `remove` resolves with no byte
   * count, `wrongState` when the allocator is closed; errors of `remove` as
   * they are.
   */
  freeSpaceAfter(remove: () => Promise<number>): Promise<number> {
    return this.#core.freeAfter(remove);
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
    this.#core.checkOpen("add outdated item");
    if (this.#core.remover === undefined) throw new AosError("notFound", "no item remover");
    const time = checkItem(id, version, timestamp, expectedSize);
    await this.#core.addItem(id, version, time, expectedSize);
  }

  /**
   * The item is in use again: removes it from the outdated items when both id
   * and version match. A missing item is no error.
   *
   * @param id The item id.
   * @param version The item version.
   */
  restoreOutdatedItem(id: string, version: string): void {
    this.#core.checkOpen("restore outdated item");
    this.#core.restore(id, version);
  }

  /**
   * Ends one open reservation without giving bytes back. `Space.accept` does
   * this for its own reservation; prefer it.
   *
   * @throws {AosError} `notFound` "no allocation" when none is open.
   */
  allocateDone(): void {
    this.#core.checkOpen("finish allocation");
    this.#core.done();
  }

  /**
   * Tells, without reserving or evicting anything, whether `size` bytes
   * could be reserved now.
   *
   * @param size Bytes to reserve.
   * @returns The verdict and the shortfall of each budget.
   */
  async canAllocate(size: number): Promise<AllocationCheck> {
    this.#core.checkOpen("check allocation");
    checkSize(size, "check allocation");
    return await this.#core.check(size);
  }

  /**
   * A snapshot of the allocator and its partition. Without open reservations
   * the numbers are measured on disk.
   *
   * @returns The snapshot.
   */
  async status(): Promise<SpaceAllocatorStatus> {
    this.#core.checkOpen("read status");
    return await this.#core.status();
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
    return this.#core.close();
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
}
