// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Reservation and eviction throughput with 10,000 outdated items registered.
// Run: deno task bench bench/spaceallocator_bench.ts
import { rmSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FSPlatform } from "../utils/fs_platform.ts";
import { PartitionRegistry, SpaceAllocator } from "../spaceallocator/mod.ts";

const ITEMS = 10_000;
const root = await mkdtemp(join(tmpdir(), "spacealloc-bench-"));
globalThis.addEventListener("unload", () => rmSync(root, { recursive: true, force: true }));
let dirs = 0;

/** A partition whose numbers are fixed: the cost measured is the allocator's own. */
function platform(available: () => number): FSPlatform {
  return {
    getMountPoint: () => Promise.resolve("/bench"),
    getTotalSize: () => Promise.resolve(1 << 30),
    getDirSize: () => Promise.resolve(0),
    getAvailableSize: () => Promise.resolve(available()),
    setUserQuota: () => Promise.resolve(),
    changeOwner: () => Promise.resolve(),
    getBlockDevice: () => Promise.resolve("bench"),
  };
}

async function setup(available: number, limitPercent: number): Promise<SpaceAllocator> {
  const allocator = await SpaceAllocator.create({
    path: join(root, `a${dirs++}`),
    platformFS: platform(() => available),
    registry: new PartitionRegistry({ maxOutdatedItems: 2 * ITEMS }),
    limitPercent,
    remover: { removeItem: () => Promise.resolve(1024) },
  });
  for (let i = 0; i < ITEMS; i++) {
    await allocator.addOutdatedItem(`item${i}`, "1", new Date(1_700_000_000_000 + i * 1000));
  }
  return allocator;
}

const fresh = await setup(1 << 30, 0);
const roomy = await setup(1 << 30, 0);
const budgeted = await setup(1 << 30, 50);
// Keeps roomy's session open, so its reservations use the cached numbers.
await roomy.allocateSpace(1);

Deno.bench("allocate + release, 10k outdated items, statfs each time", async () => {
  (await fresh.allocateSpace(4096)).release();
});

Deno.bench("allocate + release, 10k outdated items, session open", async () => {
  (await roomy.allocateSpace(4096)).release();
});

Deno.bench("allocate + accept + release cycle with a 50 % budget", async () => {
  const space = await budgeted.allocateSpace(4096);
  await space.resize(8192);
  space.accept();
  (await budgeted.allocateSpace(4096)).release();
});

const full = await setup(0, 0);
let next = ITEMS;
Deno.bench("evict the oldest of 10k items, release, add a new one", async () => {
  (await full.allocateSpace(1024)).release();
  await full.addOutdatedItem(`item${next}`, "1", new Date(1_700_000_000_000 + next++ * 1000));
});

Deno.bench("canAllocate, 10k outdated items", async () => {
  await full.canAllocate(1 << 20);
});
