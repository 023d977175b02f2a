// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Disk space budgets that never over-commit. Before a component writes a
 * large amount of data (a download, an unpacked image) it reserves the space
 * with {@linkcode SpaceAllocator.allocateSpace}; the allocator checks the
 * free space of the partition, shared by every allocator on the same mount
 * point, and an optional budget of `limitPercent` of the partition for its
 * own directory. When a budget is short it evicts outdated items, oldest
 * first, through their owner's {@linkcode ItemRemover}.
 *
 * Deviations from AosCore (bugs fixed):
 * - each allocator's budget comes from its own `limitPercent`, not from the
 *   sum of all limits on the partition;
 * - `close` gives back only its own limit share and drops its own outdated
 *   items; a failed `create` leaves no count or partition behind;
 * - a refused reservation leaks no open-reservation count, so the next one
 *   measures the disk again;
 * - a reservation can be finished once: a second `accept`/`release` throws
 *   `notFound` instead of ending another reservation;
 * - `resize` changes no reservation count and, on failure, nothing at all;
 * - removers may call back into the allocator during an eviction without a
 *   deadlock; an item a remover restored is not removed; items removed
 *   before a remover error leave the list;
 * - one lock per partition serialises all allocators on it, so concurrent
 *   first reservations do not overwrite each other's numbers.
 *
 * Beyond AosCore: expected item sizes that let an allocation refuse before
 * evicting in vain, `canAllocate` and `status`, reservations that release
 * themselves with `using`, a safety margin, `evicted`/`allocationFailed`/
 * `lowSpace` events, block-based accounting, and `freeSpaceAfter`, which
 * counts a deletion once even when a reservation measures the directory
 * while it runs (with AosCore's delete-then-`freeSpace` the bytes come back
 * twice and the budget over-commits).
 *
 * @example Evict an outdated image to make room
 * ```ts
 * import { PartitionRegistry, SpaceAllocator } from "@aoscore/common/spaceallocator";
 * import type { FSPlatform } from "@aoscore/common/utils";
 * import { mkdtemp, rm } from "node:fs/promises";
 * import { join } from "node:path";
 * import { tmpdir } from "node:os";
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
 * const removed: string[] = [];
 * const dir = await mkdtemp(join(tmpdir(), "images-"));
 * const allocator = await SpaceAllocator.create({
 *   path: dir,
 *   platformFS: fs,
 *   registry: new PartitionRegistry(),
 *   remover: {
 *     removeItem(id) {
 *       removed.push(id);
 *       return Promise.resolve(300 << 10);
 *     },
 *   },
 * });
 * await allocator.addOutdatedItem("old-image", "1.0.0", new Date("2024-01-01"));
 * const space = await allocator.allocateSpace(200 << 10);
 * assert.deepEqual(removed, ["old-image"]);
 * space.accept();
 * await allocator.close();
 * await rm(dir, { recursive: true });
 * ```
 *
 * @module
 */
export * from "./events.ts";
export * from "./partition_registry.ts";
export * from "./space_allocator.ts";
export * from "./types.ts";
