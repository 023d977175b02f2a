// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The internals of a PartitionRegistry, kept off its public surface.

import { AosError } from "../utils/errors.ts";
import type { FSPlatform } from "../utils/fs_platform.ts";
import { Mutex } from "./_mutex.ts";
import { Partition } from "./_partition.ts";

/** Partitions by mount point, and how allocators join and leave them. */
export class RegistryState {
  readonly partitions: Map<string, Partition> = new Map();
  readonly maxItems: number;
  // Serialises lookup and creation, so concurrent `create` calls for one
  // mount point make one partition and read its total size once.
  readonly #mutex = new Mutex();

  constructor(maxItems: number) {
    this.maxItems = maxItems;
  }

  /**
   * Registers an allocator with `limitPercent` on the partition of
   * `mountPoint`, creating the partition on first use. Nothing stays
   * registered when this fails.
   */
  async attach(mountPoint: string, fs: FSPlatform, limitPercent: number): Promise<Partition> {
    for (;;) {
      const partition = await this.#mutex.run(() => this.#lookup(mountPoint, fs));
      const joined = await partition.mutex.run(() => {
        // The last allocator closed while we waited: start over.
        if (partition.removed) return Promise.resolve(false);
        if (limitPercent > 0 && partition.limitSum + limitPercent > 100) {
          if (partition.allocatorCount === 0) this.#drop(partition);
          throw new AosError(
            "noMemory",
            `partition limit exceeded: ${limitPercent}% requested, ${
              100 - partition.limitSum
            }% left on "${mountPoint}"`,
          );
        }
        partition.limitSum += limitPercent;
        partition.allocatorCount++;
        return Promise.resolve(true);
      });
      if (joined) return partition;
    }
  }

  /** Unregisters an allocator; the caller holds the partition's mutex. */
  detach(partition: Partition, limitPercent: number): void {
    partition.limitSum -= limitPercent;
    partition.allocatorCount--;
    if (partition.allocatorCount === 0) this.#drop(partition);
  }

  async #lookup(mountPoint: string, fs: FSPlatform): Promise<Partition> {
    const found = this.partitions.get(mountPoint);
    if (found !== undefined) return found;
    const totalSize = await fs.getTotalSize(mountPoint);
    if (!Number.isFinite(totalSize) || totalSize < 0) {
      throw new AosError("failed", `invalid total size of "${mountPoint}": ${totalSize}`);
    }
    const partition = new Partition(mountPoint, totalSize, this.maxItems);
    this.partitions.set(mountPoint, partition);
    return partition;
  }

  #drop(partition: Partition): void {
    partition.removed = true;
    if (this.partitions.get(partition.mountPoint) === partition) {
      this.partitions.delete(partition.mountPoint);
    }
  }
}

const states = new WeakMap<object, RegistryState>();

/** Binds a registry object to its state. */
export function bindRegistryState(registry: object, state: RegistryState): void {
  states.set(registry, state);
}

/** The state of a registry. */
export function registryState(registry: object): RegistryState {
  const state = states.get(registry);
  if (state === undefined) {
    throw new AosError("invalidArgument", "registry is not a PartitionRegistry");
  }
  return state;
}
