// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * The interfaces other modules plug into: reservations, item removers and
 * the allocator itself.
 *
 * @module
 */

import type { FSPlatform } from "../utils/fs_platform.ts";
import type { PartitionRegistry } from "./partition_registry.ts";

/** Implemented by the owner of outdated items (e.g. the image manager). */
export interface ItemRemover {
  /**
   * Deletes the item from disk and storage. It may call the synchronous
   * members of the allocator (`restoreOutdatedItem`, `freeSpace`, `accept`,
   * `release`) and await its asynchronous ones: they run inside the eviction
   * that called the remover instead of waiting for it.
   *
   * @param id The item id.
   * @param version The item version.
   * @returns The number of bytes freed.
   */
  removeItem(id: string, version: string): Promise<number>;
}

/**
 * A reservation of disk space, finished exactly once by {@linkcode Space.accept}
 * or {@linkcode Space.release}. With `using`, an unfinished reservation is
 * released when the scope ends:
 *
 * ```ts ignore
 * using space = await allocator.allocateSpace(size);
 * await download(url, file); // throws: the space is released
 * space.accept();
 * ```
 */
export interface Space extends Disposable {
  /** Reserved bytes, as requested (block accounting may charge more). */
  readonly size: number;
  /** Whether the reservation is still open (neither accepted nor released). */
  readonly open: boolean;
  /**
   * The data is now on disk: end the reservation without giving bytes back.
   *
   * @throws {AosError} `notFound` "no allocation" when already finished.
   */
  accept(): void;
  /**
   * The data was not kept: give the bytes back and end the reservation.
   *
   * @throws {AosError} `notFound` "no allocation" when already finished.
   */
  release(): void;
  /**
   * Changes the reserved size; may evict outdated items. On failure the
   * reservation stays as it was (evictions already done stay done).
   *
   * @param newSize The new size in bytes.
   * @throws {AosError} `noMemory` when it does not fit, `notFound` when finished.
   */
  resize(newSize: number): Promise<void>;
  /** Releases the reservation unless it was already accepted or released. */
  [Symbol.dispose](): void;
}

/** The allocator as other modules depend on it. */
export interface SpaceAllocatorItf {
  /**
   * Reserves `size` bytes, evicting outdated items oldest first when a budget
   * is short.
   *
   * @param size Bytes to reserve.
   * @returns The reservation.
   */
  allocateSpace(size: number): Promise<Space>;
  /**
   * Tells the allocator that `size` bytes in its directory were deleted by
   * someone else while reservations are open. Outside reservations it has no
   * effect: the next reservation measures the disk.
   *
   * @param size Bytes deleted.
   */
  freeSpace(size: number): void;
  /**
   * Marks an item as deletable when space runs short.
   *
   * @param id The item id; an item with the same id is replaced.
   * @param version The item version.
   * @param timestamp When it became outdated; the oldest go first.
   * @param expectedSize The bytes its removal should free, if known.
   */
  addOutdatedItem(
    id: string,
    version: string,
    timestamp: Date,
    expectedSize?: number,
  ): Promise<void>;
  /**
   * The item is in use again: it is no longer deletable.
   *
   * @param id The item id.
   * @param version The item version; both must match.
   */
  restoreOutdatedItem(id: string, version: string): void;
  /** Ends one open reservation without giving bytes back (what `accept` does). */
  allocateDone(): void;
}

/**
 * An amount of space: bytes, or a percentage of the partition's total size.
 */
export type SpaceAmount = number | { percent: number };

/** How sizes are measured. */
export type Accounting = "apparent" | "blocks";

/** Options of {@linkcode SpaceAllocator.create}. */
export interface SpaceAllocatorOptions {
  /** The directory the allocator accounts for; created when missing. */
  path: string;
  /**
   * The file system facts; a fake in tests.
   *
   * @default {new LinuxFSPlatform()}
   */
  platformFS?: FSPlatform;
  /**
   * The share of the partition's total size that `path` may occupy, an
   * integer percentage. The limits of all allocators on one partition add up
   * to at most 100. 0 means no allocator budget (only the partition's free
   * space limits).
   *
   * @default {0}
   */
  limitPercent?: number;
  /** Deletes outdated items; required for {@linkcode SpaceAllocatorItf.addOutdatedItem}. */
  remover?: ItemRemover;
  /**
   * The partition registry shared by allocators that must see each other.
   *
   * @default {a registry shared by the whole process}
   */
  registry?: PartitionRegistry;
  /**
   * Free space that reservations of this allocator never consume, so the
   * file system does not run full (journals, logs).
   *
   * @default {0}
   */
  safetyMargin?: SpaceAmount;
  /**
   * When a reservation leaves less free space on the partition than this, a
   * `lowSpace` event is dispatched (once, until free space is back above).
   *
   * @default {0 (never)}
   */
  lowSpaceThreshold?: SpaceAmount;
  /**
   * `"apparent"` measures file sizes as AosCore does; `"blocks"` measures
   * allocated blocks (like `du`) and rounds each reservation up to the file
   * system block size, so many small files and sparse files count as they
   * occupy the disk. `"blocks"` needs {@linkcode FSPlatform.getBlockSize}.
   *
   * @default {"apparent"}
   */
  accounting?: Accounting;
}

/**
 * The answer of {@linkcode SpaceAllocator.canAllocate}:
 * `"fits"` without evicting anything; `"afterEviction"` once outdated items
 * are evicted (their expected sizes say so); `"maybe"` after eviction, but
 * some items have no expected size; `"no"` even when everything evictable is
 * evicted.
 */
export type AllocationVerdict = "fits" | "afterEviction" | "maybe" | "no";

/** Result of {@linkcode SpaceAllocator.canAllocate}. Nothing is reserved or evicted. */
export interface AllocationCheck {
  /** Whether and how the reservation could be made now. */
  verdict: AllocationVerdict;
  /** Bytes missing from the allocator's budget (0 when it fits or there is none). */
  allocatorShortfall: number;
  /** Bytes missing from the partition's free space, safety margin included. */
  partitionShortfall: number;
}

/** One outdated item, as {@linkcode SpaceAllocator.status} reports it. */
export interface OutdatedItemInfo {
  /** Item id. */
  id: string;
  /** Item version. */
  version: string;
  /** When it became outdated. */
  timestamp: Date;
  /** Expected bytes freed by its removal, when given. */
  expectedSize?: number;
  /** Whether this allocator added it (and its remover deletes it). */
  own: boolean;
}

/** A snapshot of an allocator and its partition, for diagnostics. */
export interface SpaceAllocatorStatus {
  /** The allocator's directory. */
  path: string;
  /** The mount point of its partition. */
  mountPoint: string;
  /** Total size of the partition. */
  totalSize: number;
  /** Free bytes of the partition, open reservations deducted. */
  available: number;
  /** The allocator's budget in bytes; 0 when it has none. */
  sizeLimit: number;
  /** Bytes used in the directory, open reservations included; `undefined` without a budget. */
  allocated: number | undefined;
  /** Free bytes reservations of this allocator leave untouched. */
  safetyMargin: number;
  /** Open reservations of this allocator. */
  openReservations: number;
  /** Open reservations of all allocators on the partition. */
  partitionReservations: number;
  /** Outdated items of the partition, oldest first. */
  outdatedItems: OutdatedItemInfo[];
}
