// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Events a {@linkcode SpaceAllocator} dispatches, for alerts and diagnostics.
 *
 * @module
 */

import type { AosError } from "../utils/errors.ts";

/**
 * Why an item was evicted: to fit the allocator's budget, to fit the
 * partition's free space, or to make room in the full list of outdated items.
 */
export type EvictionReason = "allocator" | "partition" | "capacity";

/** Dispatched (`"evicted"`) after an outdated item was removed to make room. */
export class ItemEvictedEvent extends Event {
  /** The item id. */
  readonly id: string;
  /** The item version. */
  readonly version: string;
  /** Bytes its remover reported freed. */
  readonly size: number;
  /** Why it was evicted. */
  readonly reason: EvictionReason;

  /**
   * Creates the event.
   *
   * @param id The item id.
   * @param version The item version.
   * @param size Bytes freed.
   * @param reason Why it was evicted.
   */
  constructor(id: string, version: string, size: number, reason: EvictionReason) {
    super("evicted");
    this.id = id;
    this.version = version;
    this.size = size;
    this.reason = reason;
  }
}

/** Dispatched (`"allocationFailed"`) when `allocateSpace` or `resize` rejects. */
export class AllocationFailedEvent extends Event {
  /** The requested size. */
  readonly size: number;
  /** Why it failed (`noMemory` when a budget is short). */
  readonly error: AosError;

  /**
   * Creates the event.
   *
   * @param size The requested size.
   * @param error Why it failed.
   */
  constructor(size: number, error: AosError) {
    super("allocationFailed");
    this.size = size;
    this.error = error;
  }
}

/**
 * Dispatched (`"lowSpace"`) when a reservation leaves less free space on the
 * partition than the allocator's `lowSpaceThreshold`; again only after a
 * later reservation saw free space back above it.
 */
export class LowSpaceEvent extends Event {
  /** The partition's mount point. */
  readonly mountPoint: string;
  /** Free bytes left, open reservations deducted. */
  readonly available: number;
  /** The threshold in bytes. */
  readonly threshold: number;

  /**
   * Creates the event.
   *
   * @param mountPoint The partition's mount point.
   * @param available Free bytes left.
   * @param threshold The threshold in bytes.
   */
  constructor(mountPoint: string, available: number, threshold: number) {
    super("lowSpace");
    this.mountPoint = mountPoint;
    this.available = available;
    this.threshold = threshold;
  }
}

/** The events of a {@linkcode SpaceAllocator} by type. */
export interface SpaceAllocatorEventMap {
  /** An outdated item was removed. */
  evicted: ItemEvictedEvent;
  /** A reservation or resize was refused or failed. */
  allocationFailed: AllocationFailedEvent;
  /** Free space fell below the threshold. */
  lowSpace: LowSpaceEvent;
}
