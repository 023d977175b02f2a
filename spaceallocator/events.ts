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

/**
 * Dispatched (`"evicted"`) after an outdated item was removed to make room.
 *
 * @example
 * ```ts
 * import {
 *   type ItemEvictedEvent,
 *   PartitionRegistry,
 *   SpaceAllocator,
 * } from "@aoscore/common/spaceallocator";
 * import type { FSPlatform } from "@aoscore/common/utils";
 * import { mkdtemp, rm } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import assert from "node:assert/strict";
 *
 * // A 1 MiB partition with 100 KiB free, as a fake platform reports it.
 * const fs: FSPlatform = {
 *   getMountPoint: () => Promise.resolve("/var/aos"),
 *   getTotalSize: () => Promise.resolve(1 << 20),
 *   getAvailableSize: () => Promise.resolve(100 << 10),
 *   getDirSize: () => Promise.resolve(0),
 *   getBlockDevice: () => Promise.resolve("/dev/sda2"),
 *   setUserQuota: () => Promise.resolve(),
 *   changeOwner: () => Promise.resolve(),
 * };
 * const dir = await mkdtemp(join(tmpdir(), "images-"));
 * const allocator = await SpaceAllocator.create({
 *   path: dir,
 *   platformFS: fs,
 *   registry: new PartitionRegistry(),
 *   remover: { removeItem: () => Promise.resolve(300 << 10) },
 * });
 * const evicted: ItemEvictedEvent[] = [];
 * allocator.addEventListener("evicted", (event) => evicted.push(event));
 * await allocator.addOutdatedItem("old-image", "1.0.0", new Date("2024-01-01"));
 * (await allocator.allocateSpace(200 << 10)).accept();
 * assert.equal(evicted.length, 1);
 * assert.equal(evicted[0]!.id, "old-image");
 * assert.equal(evicted[0]!.size, 300 << 10);
 * assert.equal(evicted[0]!.reason, "partition");
 * await allocator.close();
 * await rm(dir, { recursive: true });
 * ```
 */
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

/**
 * Dispatched (`"allocationFailed"`) when `allocateSpace` or `resize` rejects.
 *
 * @example
 * ```ts
 * import {
 *   type AllocationFailedEvent,
 *   PartitionRegistry,
 *   SpaceAllocator,
 * } from "@aoscore/common/spaceallocator";
 * import type { FSPlatform } from "@aoscore/common/utils";
 * import { mkdtemp, rm } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import assert from "node:assert/strict";
 *
 * // A 1 MiB partition with 100 KiB free, as a fake platform reports it.
 * const fs: FSPlatform = {
 *   getMountPoint: () => Promise.resolve("/var/aos"),
 *   getTotalSize: () => Promise.resolve(1 << 20),
 *   getAvailableSize: () => Promise.resolve(100 << 10),
 *   getDirSize: () => Promise.resolve(0),
 *   getBlockDevice: () => Promise.resolve("/dev/sda2"),
 *   setUserQuota: () => Promise.resolve(),
 *   changeOwner: () => Promise.resolve(),
 * };
 * const dir = await mkdtemp(join(tmpdir(), "images-"));
 * const allocator = await SpaceAllocator.create({
 *   path: dir,
 *   platformFS: fs,
 *   registry: new PartitionRegistry(),
 * });
 * const failed: AllocationFailedEvent[] = [];
 * allocator.addEventListener("allocationFailed", (event) => failed.push(event));
 * await assert.rejects(allocator.allocateSpace(200 << 10));
 * assert.equal(failed[0]?.size, 200 << 10);
 * assert.equal(failed[0]?.error.kind, "noMemory");
 * await allocator.close();
 * await rm(dir, { recursive: true });
 * ```
 */
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
 *
 * @example
 * ```ts
 * import {
 *   type LowSpaceEvent,
 *   PartitionRegistry,
 *   SpaceAllocator,
 * } from "@aoscore/common/spaceallocator";
 * import type { FSPlatform } from "@aoscore/common/utils";
 * import { mkdtemp, rm } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import assert from "node:assert/strict";
 *
 * // A 1 MiB partition with 100 KiB free, as a fake platform reports it.
 * const fs: FSPlatform = {
 *   getMountPoint: () => Promise.resolve("/var/aos"),
 *   getTotalSize: () => Promise.resolve(1 << 20),
 *   getAvailableSize: () => Promise.resolve(100 << 10),
 *   getDirSize: () => Promise.resolve(0),
 *   getBlockDevice: () => Promise.resolve("/dev/sda2"),
 *   setUserQuota: () => Promise.resolve(),
 *   changeOwner: () => Promise.resolve(),
 * };
 * const dir = await mkdtemp(join(tmpdir(), "images-"));
 * const allocator = await SpaceAllocator.create({
 *   path: dir,
 *   platformFS: fs,
 *   registry: new PartitionRegistry(),
 *   lowSpaceThreshold: 80 << 10,
 * });
 * const low: LowSpaceEvent[] = [];
 * allocator.addEventListener("lowSpace", (event) => low.push(event));
 * const space = await allocator.allocateSpace(50 << 10);
 * assert.equal(low.length, 1);
 * assert.equal(low[0]!.mountPoint, "/var/aos");
 * assert.equal(low[0]!.available, 50 << 10);
 * assert.equal(low[0]!.threshold, 80 << 10);
 * space.release();
 * await allocator.close();
 * await rm(dir, { recursive: true });
 * ```
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
