// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Eviction of outdated items: order, refusal, remover failures and removers
// that call back into the allocator.
import assert from "node:assert/strict";
import { join } from "node:path";
import { PartitionRegistry, type Space } from "../../spaceallocator/mod.ts";
import { FakeFSPlatform, KiB, MiB } from "../_helpers/fake_fs_platform.ts";
import {
  create,
  hoursAgo,
  RecordingRemover,
  rejectsWith,
  throwsWith,
  withTempDir,
} from "./_fixtures.ts";

Deno.test("evicts own items oldest first, then any item, and stays destructive on refusal", async () => {
  await withTempDir(async (dir) => {
    const fs = new FakeFSPlatform({ totalSize: 997376, dirSize: 825753, availableSize: 171623 });
    const sizes = { f1: 128 * KiB, f2: 32 * KiB, f3: 64 * KiB, f4: 256 * KiB, f5: 32 * KiB };
    const remover = new RecordingRemover({ ...sizes, f6: 256 * KiB });
    const allocator = await create(fs, new PartitionRegistry(), dir, {
      limitPercent: 100,
      remover,
    });
    const ages = { f1: 1, f2: 6, f3: 5, f4: 4, f5: 2, f6: 3 };
    for (const [id, age] of Object.entries(ages)) {
      await allocator.addOutdatedItem(id, "", hoursAgo(age));
    }
    const space = await allocator.allocateSpace(256 * KiB);
    assert.deepEqual(remover.removed, ["f2", "f3", "f4"]);
    space.release();

    fs.dirSize = 488570;
    await rejectsWith(allocator.allocateSpace(MiB), "noMemory", "allocator limit exceeded");
    assert.deepEqual(remover.removed, ["f2", "f3", "f4", "f6", "f5", "f1"]);
    for (const id of ["f1", "f5", "f6"]) allocator.restoreOutdatedItem(id, "");
    await rejectsWith(allocator.allocateSpace(512 * KiB), "noMemory", "allocator limit exceeded");
    assert.equal(remover.calls.length, 6);
    await allocator.close();
  });
});

Deno.test("resize evicts an outdated item when the partition is short", async () => {
  await withTempDir(async (dir) => {
    const fs = new FakeFSPlatform();
    const remover = new RecordingRemover({ file1: 256 * KiB });
    const allocator = await create(fs, new PartitionRegistry(), dir, { remover });
    const space = await allocator.allocateSpace(946176);
    await allocator.addOutdatedItem("file1", "", new Date());
    await space.resize(1150976);
    assert.deepEqual(remover.calls, [["file1", ""]]);
    assert.equal(space.size, 1150976);
    space.accept();
    await allocator.close();
  });
});

Deno.test("items of one partition are never evicted for another", async () => {
  await withTempDir(async (dir) => {
    const fs = new FakeFSPlatform({ availableSize: 0 });
    fs.mounts.set(join(dir, "a"), "/mnt/a");
    fs.mounts.set(join(dir, "b"), "/mnt/b");
    const registry = new PartitionRegistry();
    const remover = new RecordingRemover({ item: MiB });
    const a = await create(fs, registry, join(dir, "a"), { remover });
    const b = await create(fs, registry, join(dir, "b"), { remover });
    assert.equal(fs.calls.getTotalSize, 2);
    await a.addOutdatedItem("item", "1", new Date());
    await rejectsWith(b.allocateSpace(KiB), "noMemory", "not enough space");
    assert.equal(remover.calls.length, 0);
    (await a.allocateSpace(KiB)).accept();
    assert.deepEqual(remover.removed, ["item"]);
    await Promise.all([a.close(), b.close()]);
  });
});

Deno.test("an item id is outdated once; restore needs id and version", async () => {
  await withTempDir(async (dir) => {
    const fs = new FakeFSPlatform({ availableSize: 0 });
    const registry = new PartitionRegistry();
    const remover = new RecordingRemover({ a: MiB });
    const allocator = await create(fs, registry, dir, { remover });
    await allocator.addOutdatedItem("a", "1", hoursAgo(2));
    await allocator.addOutdatedItem("a", "2", hoursAgo(1));
    assert.equal(registry.info("/mnt/test")?.outdatedItems, 1);
    allocator.restoreOutdatedItem("a", "1");
    assert.equal(registry.info("/mnt/test")?.outdatedItems, 1);
    (await allocator.allocateSpace(KiB)).release();
    assert.deepEqual(remover.calls, [["a", "2"]]);
    await allocator.addOutdatedItem("a", "2", hoursAgo(1));
    allocator.restoreOutdatedItem("a", "2");
    assert.equal(registry.info("/mnt/test")?.outdatedItems, 0);
    await allocator.close();
  });
});

Deno.test("addOutdatedItem needs a remover", async () => {
  await withTempDir(async (dir) => {
    const allocator = await create(new FakeFSPlatform(), new PartitionRegistry(), dir);
    await rejectsWith(
      allocator.addOutdatedItem("a", "1", new Date()),
      "notFound",
      "no item remover",
    );
    await allocator.close();
  });
});

Deno.test("a full item list evicts its oldest item to take a new one", async () => {
  await withTempDir(async (dir) => {
    const registry = new PartitionRegistry();
    const remover = new RecordingRemover();
    const allocator = await create(new FakeFSPlatform(), registry, dir, { remover });
    for (let i = 0; i < 64; i++) await allocator.addOutdatedItem(`item${i}`, "", hoursAgo(100 - i));
    await allocator.addOutdatedItem("new", "", new Date());
    assert.deepEqual(remover.removed, ["item0"]);
    let status = await allocator.status();
    assert.equal(status.outdatedItems.length, 64);
    assert.equal(status.outdatedItems.at(-1)?.id, "new");
    assert.equal(status.outdatedItems[0]?.id, "item1");

    remover.failOn.add("item1");
    await assert.rejects(allocator.addOutdatedItem("newer", "", new Date()), /cannot remove item1/);
    status = await allocator.status();
    assert.equal(status.outdatedItems.length, 64);
    assert.ok(status.outdatedItems.some((item) => item.id === "item1"));
    assert.ok(!status.outdatedItems.some((item) => item.id === "newer"));
    await allocator.close();
  });
});

Deno.test("a remover failure stops the eviction, keeps the rest listed and rolls back", async () => {
  await withTempDir(async (dir) => {
    const fs = new FakeFSPlatform({ availableSize: 0 });
    const registry = new PartitionRegistry();
    const remover = new RecordingRemover({ x: 10, y: 10, z: 10 });
    remover.failOn.add("y");
    const allocator = await create(fs, registry, dir, { remover });
    await allocator.addOutdatedItem("x", "", hoursAgo(3));
    await allocator.addOutdatedItem("y", "", hoursAgo(2));
    await allocator.addOutdatedItem("z", "", hoursAgo(1));
    await assert.rejects(allocator.allocateSpace(100), /cannot remove y/);
    const status = await allocator.status();
    assert.deepEqual(status.outdatedItems.map((item) => item.id), ["y", "z"]);
    throwsWith(() => allocator.allocateDone(), "notFound", "no allocation");
    await allocator.close();
  });
});

Deno.test("a remover may call back into the allocator without a deadlock", async () => {
  await withTempDir(async (dir) => {
    const fs = new FakeFSPlatform({ availableSize: 0 });
    const registry = new PartitionRegistry();
    const remover = new RecordingRemover({ img: 2 * KiB, other: KiB });
    const allocator = await create(fs, registry, dir, { remover });
    remover.during = async (id, version) => {
      allocator.restoreOutdatedItem(id, version);
      allocator.freeSpace(0);
      // Awaited async members run inside the eviction instead of waiting for it.
      await allocator.addOutdatedItem("added-by-remover", "1", hoursAgo(10));
      assert.equal((await allocator.status()).outdatedItems.length, 2);
    };
    await allocator.addOutdatedItem("img", "1", hoursAgo(5));
    await allocator.addOutdatedItem("other", "1", hoursAgo(1));
    const space = await allocator.allocateSpace(KiB);
    assert.deepEqual(remover.removed, ["img"], "removed exactly once, restored item kept");
    assert.deepEqual(
      (await allocator.status()).outdatedItems.map((item) => item.id),
      ["added-by-remover", "other"],
    );
    space.accept();
    await allocator.close();
  });
});

Deno.test("a remover may reserve space itself during an eviction without double counting", async () => {
  await withTempDir(async (dir) => {
    // The disk as the fake reports it: what removers delete shows at once.
    const fs = new FakeFSPlatform({ availableSize: 0 });
    const registry = new PartitionRegistry();
    const remover = new RecordingRemover({ big: 10 * KiB, small: 2 * KiB });
    const allocator = await create(fs, registry, dir, { remover });
    let nested: Promise<unknown> | undefined;
    remover.during = async (id) => {
      fs.availableSize += remover.sizes.get(id)!;
      if (id !== "big") return;
      // Runs inside the outer eviction: evicts "small", never "big" again.
      nested = allocator.allocateSpace(KiB);
      await nested;
    };
    await allocator.addOutdatedItem("big", "1", hoursAgo(2));
    await allocator.addOutdatedItem("small", "1", hoursAgo(1));
    const outer = await allocator.allocateSpace(4 * KiB);
    assert.deepEqual(remover.removed, ["big", "small"]);
    // 12 KiB were freed and 5 KiB are reserved: 7 KiB left, not 17.
    assert.equal((await allocator.status()).available, 7 * KiB);
    await rejectsWith(allocator.allocateSpace(7 * KiB + 1), "noMemory", "not enough space");
    outer.release();
    ((await nested) as Space).release();
    assert.equal(registry.info("/mnt/test")?.reservations, 0);
    await allocator.close();
  });
});

Deno.test("a remover returning a bad size fails the allocation and drops the item", async () => {
  await withTempDir(async (dir) => {
    const fs = new FakeFSPlatform({ availableSize: 0 });
    const registry = new PartitionRegistry();
    const allocator = await create(fs, registry, dir, {
      remover: { removeItem: () => Promise.resolve(Number.NaN) },
    });
    await allocator.addOutdatedItem("a", "1", new Date());
    await rejectsWith(
      allocator.allocateSpace(1),
      "failed",
      "item remover returned an invalid size",
    );
    assert.equal(registry.info("/mnt/test")?.outdatedItems, 0);
    assert.equal(registry.info("/mnt/test")?.reservations, 0);
    await allocator.close();
  });
});

Deno.test("expected sizes refuse an allocation that eviction cannot satisfy without deleting", async () => {
  await withTempDir(async (dir) => {
    const fs = new FakeFSPlatform({ availableSize: 100 });
    const remover = new RecordingRemover({ a: 300, b: 300 });
    const allocator = await create(fs, new PartitionRegistry(), dir, { remover });
    await allocator.addOutdatedItem("a", "1", hoursAgo(2), 300);
    await allocator.addOutdatedItem("b", "1", hoursAgo(1), 300);
    await rejectsWith(allocator.allocateSpace(1000), "noMemory", "not enough space");
    assert.equal(remover.calls.length, 0, "nothing deleted in vain");
    const space = await allocator.allocateSpace(350);
    assert.deepEqual(remover.removed, ["a"]);
    space.accept();
    await allocator.close();
  });
});

Deno.test("an allocator budget evicts only its own items", async () => {
  await withTempDir(async (dir) => {
    const fs = new FakeFSPlatform({ totalSize: 1000, availableSize: 1000 });
    const registry = new PartitionRegistry();
    const removerA = new RecordingRemover({ a1: 100 });
    const removerB = new RecordingRemover({ b1: 500 });
    fs.dirSizes.set(join(dir, "a"), 400);
    const a = await create(fs, registry, join(dir, "a"), { limitPercent: 50, remover: removerA });
    const b = await create(fs, registry, join(dir, "b"), { limitPercent: 50, remover: removerB });
    await b.addOutdatedItem("b1", "", hoursAgo(9));
    await a.addOutdatedItem("a1", "", hoursAgo(1));
    const space = await a.allocateSpace(200);
    assert.deepEqual(removerA.removed, ["a1"]);
    assert.deepEqual(removerB.removed, []);
    space.release();
    await Promise.all([a.close(), b.close()]);
  });
});

Deno.test("closing an allocator drops its outdated items", async () => {
  await withTempDir(async (dir) => {
    const fs = new FakeFSPlatform({ availableSize: 0 });
    const registry = new PartitionRegistry();
    const remover = new RecordingRemover({ gone: MiB });
    const a = await create(fs, registry, join(dir, "a"), { remover });
    const b = await create(fs, registry, join(dir, "b"));
    await a.addOutdatedItem("gone", "1", new Date());
    await a.close();
    await rejectsWith(b.allocateSpace(1), "noMemory", "not enough space");
    assert.equal(remover.calls.length, 0);
    await b.close();
  });
});

Deno.test("eviction picks the oldest of many items without disturbing ties", async () => {
  await withTempDir(async (dir) => {
    const fs = new FakeFSPlatform({ availableSize: 0 });
    const registry = new PartitionRegistry({ maxOutdatedItems: 2000 });
    const remover = new RecordingRemover();
    const allocator = await create(fs, registry, dir, { remover });
    const same = hoursAgo(1);
    for (let i = 0; i < 1000; i++) {
      remover.sizes.set(`i${i}`, 1);
      await allocator.addOutdatedItem(`i${i}`, "", i % 2 === 0 ? same : hoursAgo(1000 - i));
    }
    (await allocator.allocateSpace(3)).release();
    // Odd items are older (1000 - i hours), the oldest being i1, i3, i5.
    assert.deepEqual(remover.removed, ["i1", "i3", "i5"]);
    remover.calls.length = 0;
    (await allocator.allocateSpace(501)).release();
    assert.equal(remover.removed.length, 501);
    // i999 ties with the even items and was added last, so it comes after them.
    assert.deepEqual(remover.removed.slice(-6), ["i997", "i0", "i2", "i4", "i6", "i8"]);
    await allocator.close();
  });
});
