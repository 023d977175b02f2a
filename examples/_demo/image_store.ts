// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * The unit's image store: a directory of image layouts whose disk budget a
 * `SpaceAllocator` keeps, on a partition simulated over the demo's real
 * directory (real files and sizes, a made-up total), and the remover that
 * deletes an evicted image's files and its database rows.
 *
 * @module
 */
import { rm } from "node:fs/promises";
import { join } from "node:path";
import type { DatabaseSync } from "node:sqlite";
import { PartitionRegistry, SpaceAllocator } from "../../spaceallocator/mod.ts";
import { calculateSize, LinuxFSPlatform } from "../../utils/mod.ts";

/** A partition of `totalSize` bytes simulated over a real directory. */
class SimulatedPartition extends LinuxFSPlatform {
  readonly #root: string;
  readonly #totalSize: number;

  constructor(root: string, totalSize: number) {
    super();
    this.#root = root;
    this.#totalSize = totalSize;
  }

  override getMountPoint(): Promise<string> {
    return Promise.resolve(this.#root);
  }

  override getTotalSize(): Promise<number> {
    return Promise.resolve(this.#totalSize);
  }

  override async getAvailableSize(): Promise<number> {
    return this.#totalSize - await calculateSize(this.#root);
  }
}

/** The directory of one image version in the store. */
export function imageDir(store: string, id: string, version: string): string {
  return join(store, `${id}-${version}`);
}

/**
 * Opens the store at `dir` with a budget of `limitPercent` of a simulated
 * partition of `partitionSize` bytes.
 *
 * @param dir The store's directory.
 * @param partitionSize The simulated partition's size.
 * @param limitPercent The store's share of it.
 * @param db The image records, whose rows the remover deletes.
 * @returns The allocator; close it when done.
 */
export function openImageStore(
  dir: string,
  partitionSize: number,
  limitPercent: number,
  db: DatabaseSync,
): Promise<SpaceAllocator> {
  return SpaceAllocator.create({
    path: dir,
    platformFS: new SimulatedPartition(dir, partitionSize),
    registry: new PartitionRegistry(),
    limitPercent,
    remover: {
      async removeItem(id, version) {
        const path = imageDir(dir, id, version);
        const size = await calculateSize(path);
        await rm(path, { recursive: true });
        db.prepare("DELETE FROM layers WHERE image = ? AND version = ?").run(id, version);
        db.prepare("DELETE FROM images WHERE id = ? AND version = ?").run(id, version);
        return size;
      },
    },
  });
}
