// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The shared state of one mount point and the eviction walk.

import { AosError } from "../utils/errors.ts";
import { type LockToken, Mutex, runAsHolder } from "./_mutex.ts";
import { type OutdatedItem, OutdatedItems } from "./_outdated_items.ts";
import type { ItemRemover } from "./types.ts";

/** What the partition needs from an allocator that owns outdated items. */
export interface Owner {
  readonly remover: ItemRemover | undefined;
  /** Allocator-level `free`: the owner's directory shrank by `bytes`. */
  free(bytes: number): void;
}

/** An outdated item of a partition. */
export type Item = OutdatedItem<Owner>;

/** How one eviction walks and credits. */
export interface EvictionPlan {
  /** Only items of this owner are candidates; all items when absent. */
  owner?: Owner;
  /** Whether more space is still needed; read live after every removal. */
  short(): boolean;
  /** Books the freed bytes. */
  credit(item: Item, bytes: number): void;
  /** Reports one eviction. */
  evicted(item: Item, bytes: number): void;
}

/** Shared state of the allocators on one mount point. */
export class Partition {
  readonly mountPoint: string;
  readonly totalSize: number;
  readonly maxItems: number;
  readonly mutex: Mutex = new Mutex();
  readonly items: OutdatedItems<Owner> = new OutdatedItems();
  /** Sum of the `limitPercent` of its allocators. */
  limitSum = 0;
  allocatorCount = 0;
  /** Open reservations. */
  pending = 0;
  /**
   * Operations between measuring `available` and committing; a nested one
   * (called by a remover) must not measure again, as the disk may already
   * show bytes the outer one is about to credit.
   */
  busy = 0;
  /** Free bytes minus open reservations, valid while `inSession`. */
  available = 0;
  /** Set when the last allocator closed and the registry dropped it. */
  removed = false;

  constructor(mountPoint: string, totalSize: number, maxItems: number) {
    this.mountPoint = mountPoint;
    this.totalSize = totalSize;
    this.maxItems = maxItems;
  }

  /** Whether `available` is trusted; otherwise the next reservation measures the disk. */
  get inSession(): boolean {
    return this.pending > 0 || this.busy > 0;
  }

  /** Partition-level `free`: bytes deleted while reservations are open. */
  free(bytes: number): void {
    if (this.inSession) this.available += bytes;
  }

  /**
   * Evicts candidates oldest first until `plan.short()` turns false or none
   * is left. Items are taken one at a time from the live list, so an item a
   * remover restored is never removed, and one removed is dropped exactly
   * once. A remover error stops the walk and propagates; what was removed
   * before stays removed and credited.
   */
  async evict(token: LockToken, plan: EvictionPlan): Promise<void> {
    const beforeSeq = this.items.nextSeq;
    let cursor: Item | undefined;
    while (plan.short()) {
      const item = this.items.next(cursor, beforeSeq, plan.owner);
      if (item === undefined) return;
      cursor = item;
      const bytes = await this.remove(token, item);
      plan.credit(item, bytes);
      plan.evicted(item, bytes);
    }
  }

  /** The oldest item not being removed. */
  oldest(): Item | undefined {
    return this.items.next(undefined, Infinity);
  }

  /** Calls the item's remover and drops the item once it is removed. */
  async remove(token: LockToken, item: Item): Promise<number> {
    const remover = item.owner.remover!;
    item.removing = true;
    let bytes: unknown;
    try {
      bytes = await runAsHolder(token, () => remover.removeItem(item.id, item.version));
    } finally {
      item.removing = false;
    }
    this.items.delete(item);
    if (typeof bytes !== "number" || !Number.isFinite(bytes) || bytes < 0) {
      throw new AosError(
        "failed",
        `item remover returned an invalid size for "${item.id}" version "${item.version}": ${
          String(bytes)
        }`,
      );
    }
    return bytes;
  }
}
