// Copyright 2026 the aos-common authors. Apache-2.0 license.
// deno-lint-ignore-file no-console -- ignored tests print why
// The allocator on a real 1 MiB tmpfs with the Linux platform: exact numbers,
// real files written and evicted.
import assert from "node:assert/strict";
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { calculateSize, LinuxFSPlatform } from "../../utils/mod.ts";
import { type ItemRemover, PartitionRegistry, SpaceAllocator } from "../../spaceallocator/mod.ts";
import { mountTmpfs, tmpfsUnavailable } from "../_helpers/tmpfs.ts";
import { rejectsWith } from "./_fixtures.ts";

const MiB = 1024 * 1024;
const noTmpfs = await tmpfsUnavailable();
if (noTmpfs !== undefined) console.warn(`real file system tests ignored: ${noTmpfs}`);

/** Deletes `<dir>/<id>` and reports the blocks it occupied. */
function fileRemover(dir: () => string, removed: string[]): ItemRemover {
  return {
    async removeItem(id) {
      const path = join(dir(), id);
      const size = await calculateSize(path, { allocated: true });
      await rm(path);
      removed.push(id);
      return size;
    },
  };
}

Deno.test("on a 1 MiB tmpfs a block-accounted budget evicts real files to the byte", {
  ignore: noTmpfs !== undefined,
}, async () => {
  await using fs = await mountTmpfs(MiB);
  const registry = new PartitionRegistry();
  const removed: string[] = [];
  const images = await SpaceAllocator.create({
    path: join(fs.path, "images"),
    platformFS: new LinuxFSPlatform(),
    registry,
    limitPercent: 50,
    accounting: "blocks",
    remover: fileRemover(() => join(fs.path, "images"), removed),
  });
  const downloads = await SpaceAllocator.create({
    path: join(fs.path, "downloads"),
    registry,
  });
  assert.equal(images.mountPoint, fs.path);
  assert.equal(images.sizeLimit, 512 * 1024);

  const first = await images.allocateSpace(200_000);
  await writeFile(join(fs.path, "images", "img1"), new Uint8Array(200_000));
  first.accept();
  await images.addOutdatedItem("img1", "1", new Date("2026-01-01"));

  // 200704 bytes on disk + 401408 would pass the 524288 budget: img1 goes.
  const second = await images.allocateSpace(400_000);
  assert.deepEqual(removed, ["img1"]);
  const status = await images.status();
  assert.equal(status.allocated, 401_408);
  assert.equal(status.available, MiB - 401_408);

  await rejectsWith(downloads.allocateSpace(MiB - 401_408 + 1), "noMemory", "not enough space");
  const third = await downloads.allocateSpace(MiB - 401_408);
  assert.equal((await downloads.canAllocate(1)).verdict, "no");
  third.release();
  second.release();

  assert.equal((await downloads.canAllocate(MiB)).verdict, "fits");
  assert.equal((await downloads.canAllocate(MiB + 1)).verdict, "no");
  await Promise.all([images.close(), downloads.close()]);
  assert.equal(registry.size, 0);
});

Deno.test("a new session measures what was written on a tmpfs", {
  ignore: noTmpfs !== undefined,
}, async () => {
  await using fs = await mountTmpfs(MiB);
  const allocator = await SpaceAllocator.create({
    path: fs.path,
    registry: new PartitionRegistry(),
    safetyMargin: { percent: 25 },
  });
  const space = await allocator.allocateSpace(10_000);
  await writeFile(join(fs.path, "data"), new Uint8Array(10_000));
  space.accept();
  // tmpfs stores the 10000 bytes in three 4 KiB pages; 25 % stays free.
  assert.equal((await allocator.status()).available, MiB - 12_288);
  await rejectsWith(allocator.allocateSpace(MiB * 0.75 - 12_288 + 1), "noMemory", "not enough");
  (await allocator.allocateSpace(MiB * 0.75 - 12_288)).release();
  await allocator.close();
});
