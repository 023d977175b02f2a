// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Eight allocators on one partition run 1000 random operations each,
// interleaved, against a simulated disk; after every step no budget is
// over-committed and the reservation count matches the open handles.
import assert from "node:assert/strict";
import { join } from "node:path";
import { AosError } from "../../utils/errors.ts";
import type { FSPlatform } from "../../utils/fs_platform.ts";
import { PartitionRegistry, type Space, SpaceAllocator } from "../../spaceallocator/mod.ts";
import { withTempDir } from "./_fixtures.ts";

const MiB = 1024 * 1024;
const TOTAL = 64 * MiB;
const MOUNT = "/mnt/sim";
const LIMITS = [20, 15, 10, 10, 5, 0, 0, 0];
const OPS = 1000;

function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Chunk {
  id: string;
  owner: number;
  bytes: number;
  state: "kept" | "outdated" | "gone";
}

/** The disk as the platform sees it: bytes used per directory. */
class SimDisk implements FSPlatform {
  readonly used = new Map<string, number>();
  measures = 0;
  dirMeasures = 0;
  readonly pause: () => Promise<void>;
  constructor(pause: () => Promise<void>) {
    this.pause = pause;
  }
  usedTotal(): number {
    let sum = 0;
    for (const bytes of this.used.values()) sum += bytes;
    return sum;
  }
  add(dir: string, bytes: number): void {
    this.used.set(dir, (this.used.get(dir) ?? 0) + bytes);
  }
  async getMountPoint(): Promise<string> {
    await this.pause();
    return MOUNT;
  }
  async getTotalSize(): Promise<number> {
    await this.pause();
    return TOTAL;
  }
  async getDirSize(path: string): Promise<number> {
    this.dirMeasures++;
    await this.pause();
    return this.used.get(path) ?? 0;
  }
  async getAvailableSize(): Promise<number> {
    this.measures++;
    await this.pause();
    return TOTAL - this.usedTotal();
  }
  setUserQuota(): Promise<void> {
    return Promise.resolve();
  }
  changeOwner(): Promise<void> {
    return Promise.resolve();
  }
  getBlockDevice(): Promise<string> {
    return Promise.resolve("sim");
  }
}

Deno.test("8 allocators x 1000 interleaved random operations never over-commit and leak no count", async () => {
  await withTempDir(async (dir) => {
    const random = prng(20260101);
    const pick = <T>(items: T[]): T | undefined =>
      items.length === 0 ? undefined : items[Math.floor(random() * items.length)];
    const pause = async () => {
      const hops = Math.floor(random() * 4);
      for (let i = 0; i < hops; i++) await null;
      if (random() < 0.01) await new Promise((resolve) => setTimeout(resolve, 0));
    };
    const disk = new SimDisk(pause);
    const registry = new PartitionRegistry();
    const paths = LIMITS.map((_, i) => join(dir, `a${i}`));
    const chunks = new Map<string, Chunk>();
    const open: Set<Space>[] = LIMITS.map(() => new Set());
    const stats = { evictions: 0, refusals: 0, removerErrors: 0, steps: 0 };
    let inFlight = 0;
    let nextChunk = 0;

    const allocators = await Promise.all(LIMITS.map((limitPercent, i) =>
      SpaceAllocator.create({
        path: paths[i]!,
        platformFS: disk,
        registry,
        limitPercent,
        remover: {
          async removeItem(id) {
            const chunk = chunks.get(id)!;
            assert.equal(chunk.owner, i, "a remover only deletes its own items");
            assert.notEqual(chunk.state, "gone", "an item is removed once");
            chunk.state = "gone";
            await pause();
            if (random() < 0.03) {
              chunk.state = "outdated";
              throw new Error("remover failed");
            }
            disk.add(paths[i]!, -chunk.bytes);
            stats.evictions++;
            return chunk.bytes;
          },
        },
      })
    ));

    const check = () => {
      stats.steps++;
      let reserved = 0;
      let handles = 0;
      for (const [i, spaces] of open.entries()) {
        let own = 0;
        for (const space of spaces) own += space.size;
        reserved += own;
        handles += spaces.size;
        const limit = allocators[i]!.sizeLimit;
        if (limit > 0) {
          assert.ok(
            (disk.used.get(paths[i]!) ?? 0) + own <= limit,
            `budget of a${i} over-committed`,
          );
        }
      }
      assert.ok(reserved <= TOTAL - disk.usedTotal(), "partition over-committed");
      const counted = registry.info(MOUNT)!.reservations;
      assert.ok(counted >= handles && counted <= handles + inFlight, "reservation count drifted");
    };

    const expected = (err: unknown) => {
      if (err instanceof AosError && err.kind === "noMemory") return stats.refusals++;
      if (err instanceof Error && /remover failed/.test(err.message)) return stats.removerErrors++;
      throw err;
    };

    const run = async (i: number) => {
      const allocator = allocators[i]!;
      const spaces = open[i]!;
      for (let op = 0; op < OPS; op++) {
        const roll = random();
        const space = pick([...spaces]);
        try {
          if (roll < 0.3) {
            inFlight++;
            try {
              spaces.add(await allocator.allocateSpace(Math.ceil(random() * 4 * MiB)));
            } finally {
              inFlight--;
            }
          } else if (roll < 0.45 && space !== undefined) {
            const chunk: Chunk = {
              id: `c${nextChunk++}`,
              owner: i,
              bytes: space.size,
              state: "kept",
            };
            chunks.set(chunk.id, chunk);
            disk.add(paths[i]!, space.size);
            space.accept();
            spaces.delete(space);
          } else if (roll < 0.55 && space !== undefined) {
            space.release();
            spaces.delete(space);
          } else if (roll < 0.65 && space !== undefined) {
            await space.resize(Math.ceil(random() * 4 * MiB));
          } else if (roll < 0.85) {
            const chunk = pick(
              [...chunks.values()].filter((c) => c.owner === i && c.state === "kept"),
            );
            if (chunk !== undefined) {
              chunk.state = "outdated";
              const age = Math.floor(random() * 1000);
              const hint = random() < 0.5 ? chunk.bytes : undefined;
              await allocator.addOutdatedItem(
                chunk.id,
                "1",
                new Date(Date.UTC(2026, 0, 1, 0, age)),
                hint,
              );
            }
          } else if (roll < 0.9) {
            const chunk = pick(
              [...chunks.values()].filter((c) => c.owner === i && c.state === "outdated"),
            );
            if (chunk !== undefined) {
              chunk.state = "kept";
              allocator.restoreOutdatedItem(chunk.id, "1");
            }
          } else if (roll < 0.95) {
            // Someone else deletes a file of the directory.
            const chunk = pick(
              [...chunks.values()].filter((c) => c.owner === i && c.state === "kept"),
            );
            if (chunk !== undefined) {
              chunk.state = "gone";
              disk.add(paths[i]!, -chunk.bytes);
              allocator.freeSpace(chunk.bytes);
            }
          } else {
            const check = await allocator.canAllocate(Math.ceil(random() * 8 * MiB));
            assert.ok(["fits", "afterEviction", "maybe", "no"].includes(check.verdict));
          }
        } catch (err) {
          expected(err);
        }
        check();
        await pause();
      }
    };

    await Promise.all(LIMITS.map((_, i) => run(i)));

    for (const spaces of open) {
      for (const space of spaces) space.release();
      spaces.clear();
    }
    check();
    assert.equal(registry.info(MOUNT)!.reservations, 0);
    for (const allocator of allocators) {
      assert.equal((await allocator.status()).openReservations, 0);
      assert.throws(() => allocator.allocateDone(), /no allocation/);
    }
    // Every counter is back to zero: a new reservation measures the disk.
    for (const allocator of allocators) {
      const { measures, dirMeasures } = disk;
      (await allocator.allocateSpace(0)).release();
      assert.equal(disk.measures, measures + 1);
      assert.equal(disk.dirMeasures, dirMeasures + (allocator.sizeLimit > 0 ? 1 : 0));
    }
    assert.ok(stats.evictions > 50, `only ${stats.evictions} evictions`);
    assert.ok(stats.refusals > 50, `only ${stats.refusals} refusals`);
    assert.ok(stats.removerErrors > 0);
    assert.equal(stats.steps, LIMITS.length * OPS + 1);
    await Promise.all(allocators.map((allocator) => allocator.close()));
    assert.equal(registry.size, 0);
  });
});
