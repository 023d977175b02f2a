// Copyright 2026 the aos-common authors. Apache-2.0 license.
// What goes beyond AosCore: dry runs, status, disposable reservations, the
// safety margin, events and block accounting.
import assert from "node:assert/strict";
import {
  type AllocationFailedEvent,
  type ItemEvictedEvent,
  type LowSpaceEvent,
  PartitionRegistry,
  SpaceAllocator,
} from "../../spaceallocator/mod.ts";
import { FakeFSPlatform, KiB, MiB } from "../_helpers/fake_fs_platform.ts";
import { create, hoursAgo, RecordingRemover, rejectsWith, withTempDir } from "./_fixtures.ts";

Deno.test("canAllocate tells fits, afterEviction, maybe and no without evicting", async () => {
  await withTempDir(async (dir) => {
    const fs = new FakeFSPlatform({ availableSize: 100 });
    const remover = new RecordingRemover({ a: 300, b: 300 });
    const allocator = await create(fs, new PartitionRegistry(), dir, { remover });
    assert.deepEqual(await allocator.canAllocate(100), {
      verdict: "fits",
      allocatorShortfall: 0,
      partitionShortfall: 0,
    });
    assert.equal((await allocator.canAllocate(101)).verdict, "no", "nothing to evict");
    await allocator.addOutdatedItem("a", "1", hoursAgo(2), 300);
    assert.deepEqual(await allocator.canAllocate(350), {
      verdict: "afterEviction",
      allocatorShortfall: 0,
      partitionShortfall: 250,
    });
    assert.equal((await allocator.canAllocate(1000)).verdict, "no");
    await allocator.addOutdatedItem("b", "1", hoursAgo(1));
    assert.equal((await allocator.canAllocate(1000)).verdict, "maybe");
    assert.equal(remover.calls.length, 0);
    await allocator.close();
  });
});

Deno.test("canAllocate checks the allocator budget against own items only", async () => {
  await withTempDir(async (dir) => {
    const fs = new FakeFSPlatform({ totalSize: 1000, availableSize: 1000, dirSize: 400 });
    const allocator = await create(fs, new PartitionRegistry(), dir, {
      limitPercent: 50,
      remover: new RecordingRemover(),
    });
    assert.deepEqual(await allocator.canAllocate(200), {
      verdict: "no",
      allocatorShortfall: 100,
      partitionShortfall: 0,
    });
    await allocator.addOutdatedItem("own", "1", new Date(), 150);
    assert.equal((await allocator.canAllocate(200)).verdict, "afterEviction");
    await allocator.close();
  });
});

Deno.test("status reports the budgets, reservations and outdated items", async () => {
  await withTempDir(async (dir) => {
    const fs = new FakeFSPlatform({ totalSize: 1000, availableSize: 900, dirSize: 100 });
    const allocator = await create(fs, new PartitionRegistry(), dir, {
      limitPercent: 50,
      safetyMargin: { percent: 10 },
      remover: new RecordingRemover(),
    });
    await allocator.addOutdatedItem("img", "2", hoursAgo(1), 42);
    const space = await allocator.allocateSpace(50);
    assert.deepEqual(await allocator.status(), {
      path: dir,
      mountPoint: "/mnt/test",
      totalSize: 1000,
      available: 850,
      sizeLimit: 500,
      allocated: 150,
      safetyMargin: 100,
      openReservations: 1,
      partitionReservations: 1,
      outdatedItems: [
        { id: "img", version: "2", timestamp: hoursAgo(1), expectedSize: 42, own: true },
      ],
    });
    space.accept();
    await allocator.close();
  });
});

Deno.test("using releases an unaccepted reservation when the scope ends", async () => {
  await withTempDir(async (dir) => {
    const fs = new FakeFSPlatform();
    const registry = new PartitionRegistry();
    const allocator = await create(fs, registry, dir);
    await assert.rejects(async () => {
      using _space = await allocator.allocateSpace(MiB);
      assert.equal(registry.info("/mnt/test")?.reservations, 1);
      throw new Error("download failed");
    }, /download failed/);
    assert.equal(registry.info("/mnt/test")?.reservations, 0);
    {
      using accepted = await allocator.allocateSpace(KiB);
      accepted.accept();
    }
    assert.equal(registry.info("/mnt/test")?.reservations, 0);
    await allocator.close();
  });
});

Deno.test("await using closes the allocator", async () => {
  await withTempDir(async (dir) => {
    const registry = new PartitionRegistry();
    {
      await using _allocator = await create(new FakeFSPlatform(), registry, dir);
      assert.equal(registry.size, 1);
    }
    assert.equal(registry.size, 0);
  });
});

Deno.test("reservations never consume the safety margin", async () => {
  await withTempDir(async (dir) => {
    const fs = new FakeFSPlatform({ availableSize: 10 * KiB });
    const allocator = await create(fs, new PartitionRegistry(), dir, { safetyMargin: 2 * KiB });
    await rejectsWith(
      allocator.allocateSpace(8 * KiB + 1),
      "noMemory",
      "not enough space: 8193 bytes requested, 8192 available beyond a safety margin of 2048",
    );
    const space = await allocator.allocateSpace(8 * KiB);
    await rejectsWith(space.resize(8 * KiB + 1), "noMemory", "not enough space");
    space.accept();
    await allocator.close();
  });
});

Deno.test("evicted, allocationFailed and lowSpace events report what happened", async () => {
  await withTempDir(async (dir) => {
    const fs = new FakeFSPlatform({ availableSize: 10 * KiB });
    const remover = new RecordingRemover({ old: 4 * KiB });
    const allocator = await create(fs, new PartitionRegistry(), dir, {
      remover,
      lowSpaceThreshold: 4 * KiB,
    });
    const evicted: ItemEvictedEvent[] = [];
    const failed: AllocationFailedEvent[] = [];
    const low: LowSpaceEvent[] = [];
    allocator.addEventListener("evicted", (event) => evicted.push(event));
    allocator.addEventListener("allocationFailed", (event) => failed.push(event));
    allocator.addEventListener("lowSpace", (event) => low.push(event));

    const first = await allocator.allocateSpace(7 * KiB);
    assert.equal(low.length, 1);
    assert.equal(low[0]!.available, 3 * KiB);
    assert.equal(low[0]!.threshold, 4 * KiB);
    const second = await allocator.allocateSpace(KiB);
    assert.equal(low.length, 1, "dispatched once until space is back");

    await allocator.addOutdatedItem("old", "1", hoursAgo(1));
    const third = await allocator.allocateSpace(3 * KiB);
    assert.deepEqual(
      evicted.map((e) => [e.type, e.id, e.version, e.size, e.reason]),
      [["evicted", "old", "1", 4 * KiB, "partition"]],
    );
    await rejectsWith(allocator.allocateSpace(MiB), "noMemory");
    assert.equal(failed.length, 1);
    assert.equal(failed[0]!.size, MiB);
    assert.equal(failed[0]!.error.kind, "noMemory");

    for (const space of [first, second, third]) space.release();
    (await allocator.allocateSpace(KiB)).release();
    (await allocator.allocateSpace(10 * KiB)).release();
    assert.equal(low.length, 2, "dispatched again after space came back");
    await allocator.close();
  });
});

Deno.test("block accounting rounds reservations up and measures allocated blocks", async () => {
  await withTempDir(async (dir) => {
    const fs = new FakeFSPlatform({ totalSize: 100 * KiB, availableSize: 100 * KiB });
    const registry = new PartitionRegistry();
    const allocator = await create(fs, registry, dir, { limitPercent: 50, accounting: "blocks" });
    assert.equal(fs.calls.getBlockSize, 1);
    const spaces = [];
    for (let i = 0; i < 12; i++) spaces.push(await allocator.allocateSpace(1));
    assert.deepEqual(fs.lastDirSizeOptions, { allocated: true });
    assert.equal(spaces[0]!.size, 1);
    await rejectsWith(allocator.allocateSpace(1), "noMemory", "allocator limit exceeded: 4096");
    assert.equal((await allocator.status()).available, 100 * KiB - 12 * 4 * KiB);
    for (const space of spaces) space.release();
    await allocator.close();
  });
});

Deno.test("block accounting needs a platform that reports the block size", async () => {
  await withTempDir(async (dir) => {
    const fs = new FakeFSPlatform();
    await rejectsWith(
      SpaceAllocator.create({
        path: dir,
        platformFS: {
          getMountPoint: (d) => fs.getMountPoint(d),
          getTotalSize: (d) => fs.getTotalSize(d),
          getDirSize: (d) => fs.getDirSize(d),
          getAvailableSize: (d) => fs.getAvailableSize(d),
          setUserQuota: (p, u, q) => fs.setUserQuota(p, u, q),
          changeOwner: (p, u, g) => fs.changeOwner(p, u, g),
          getBlockDevice: (p) => fs.getBlockDevice(p),
        },
        registry: new PartitionRegistry(),
        accounting: "blocks",
      }),
      "invalidArgument",
      'Cannot create space allocator: accounting "blocks" needs platformFS.getBlockSize',
    );
  });
});
