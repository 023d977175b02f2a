// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * The registry of partitions that allocators share.
 *
 * @module
 */

import { AosError } from "../utils/errors.ts";
import { bindRegistryState, RegistryState } from "./_registry_state.ts";

/** Options of the {@linkcode PartitionRegistry} constructor. */
export interface PartitionRegistryOptions {
  /**
   * How many outdated items one partition keeps; adding one more evicts the
   * oldest.
   *
   * @default {64}
   */
  maxOutdatedItems?: number;
}

/** A snapshot of one partition of a {@linkcode PartitionRegistry}. */
export interface PartitionInfo {
  /** The mount point. */
  mountPoint: string;
  /** Total size, read once when the first allocator joined. */
  totalSize: number;
  /** Allocators on the partition. */
  allocatorCount: number;
  /** Sum of the allocators' `limitPercent`. */
  limitSum: number;
  /** Open reservations of all its allocators. */
  reservations: number;
  /** Outdated items. */
  outdatedItems: number;
}

let shared: PartitionRegistry | undefined;

/**
 * Shared state per mount point: the allocators whose directories are on one
 * partition see one free-space count and one list of outdated items. A
 * partition lives while at least one allocator on it is open.
 *
 * Allocators use {@linkcode PartitionRegistry.default} unless given another
 * registry; tests create a fresh one each.
 *
 * @example
 * ```ts
 * import { PartitionRegistry } from "@aoscore/common/spaceallocator";
 * import assert from "node:assert/strict";
 *
 * const registry = new PartitionRegistry({ maxOutdatedItems: 128 });
 * assert.equal(registry.size, 0);
 * ```
 */
export class PartitionRegistry {
  readonly #state: RegistryState;

  /**
   * Creates an empty registry.
   *
   * @param options How many outdated items a partition keeps.
   * @throws {AosError} `invalidArgument` for a `maxOutdatedItems` below 1.
   */
  constructor(options: PartitionRegistryOptions = {}) {
    const max = options.maxOutdatedItems ?? 64;
    if (!Number.isSafeInteger(max) || max < 1) {
      throw new AosError(
        "invalidArgument",
        `Cannot create partition registry: maxOutdatedItems must be a positive integer, got ${max}`,
      );
    }
    this.#state = new RegistryState(max);
    bindRegistryState(this, this.#state);
  }

  /**
   * The registry of the process, used by allocators created without one.
   *
   * @returns The shared registry.
   */
  static get default(): PartitionRegistry {
    return shared ??= new PartitionRegistry();
  }

  /** Number of partitions with at least one open allocator. */
  get size(): number {
    return this.#state.partitions.size;
  }

  /**
   * Describes the partition of a mount point.
   *
   * @param mountPoint The mount point, as `getMountPoint` reports it.
   * @returns The snapshot, or `undefined` when no allocator uses it.
   */
  info(mountPoint: string): PartitionInfo | undefined {
    const p = this.#state.partitions.get(mountPoint);
    if (p === undefined) return undefined;
    return {
      mountPoint: p.mountPoint,
      totalSize: p.totalSize,
      allocatorCount: p.allocatorCount,
      limitSum: p.limitSum,
      reservations: p.pending,
      outdatedItems: p.items.size,
    };
  }

  /**
   * The mount points of the partitions in use.
   *
   * @returns Mount points, in the order they were first used.
   */
  mountPoints(): string[] {
    return [...this.#state.partitions.keys()];
  }
}
