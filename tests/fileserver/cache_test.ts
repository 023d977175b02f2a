// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The small-file cache: every hit is checked against the file on disk, and
// what it sends is the same on every request.
import assert from "node:assert/strict";
import { chmod, rename, rm, stat, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import process from "node:process";
import { bytesOf, type Fixture, withServer } from "./_fixture.ts";

async function get(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { headers });
  return { res, bytes: new Uint8Array(await res.arrayBuffer()) };
}

/** Each change to a cached file is seen by the very next request. */
async function changesAreSeenAtOnce({ put, url, root }: Fixture): Promise<void> {
  const file = await put("f.bin", bytesOf(4096, 1));
  const first = await get(url("/f.bin"));
  assert.deepEqual(first.bytes, bytesOf(4096, 1));
  const etag1 = first.res.headers.get("etag")!;
  assert.equal((await get(url("/f.bin"))).res.headers.get("etag"), etag1, "a hit");

  // Rewritten in place, same size; a distinct mtime stands for "later".
  await writeFile(file, bytesOf(4096, 2));
  await utimes(file, new Date(Date.now() + 5000), new Date(Date.now() + 5000));
  const rewritten = await get(url("/f.bin"), { "if-none-match": etag1 });
  assert.equal(rewritten.res.status, 200);
  assert.deepEqual(rewritten.bytes, bytesOf(4096, 2));
  const etag2 = rewritten.res.headers.get("etag")!;
  assert.notEqual(etag2, etag1);

  // Only touched: same bytes, new validators.
  await utimes(file, new Date(Date.now() + 9000), new Date(Date.now() + 9000));
  const touched = await get(url("/f.bin"), { "if-none-match": etag2 });
  assert.equal(touched.res.status, 200);
  assert.notEqual(touched.res.headers.get("etag"), etag2);

  // Replaced by rename, then removed, then created again.
  await writeFile(join(root, ".tmp"), "version three");
  await rename(join(root, ".tmp"), file);
  assert.equal(new TextDecoder().decode((await get(url("/f.bin"))).bytes), "version three");
  await rm(file);
  const removed = await get(url("/f.bin"));
  assert.equal(removed.res.status, 404);
  await put("f.bin", "back");
  assert.equal(new TextDecoder().decode((await get(url("/f.bin"))).bytes), "back");

  // A cached file made unreadable is no longer served from memory.
  if (process.getuid?.() !== 0) {
    await get(url("/f.bin"));
    await chmod(file, 0o000);
    await utimes(file, new Date(Date.now() + 12000), new Date(Date.now() + 12000));
    const locked = await get(url("/f.bin"));
    assert.equal(locked.res.status, 500);
    assert.equal(locked.bytes.byteLength, 0);
  }
}

Deno.test("a cached small file is checked on every request: rewritten, touched, replaced, removed", async () => {
  await withServer(changesAreSeenAtOnce);
});

Deno.test("a cached small file sends the same bytes and headers every time", async () => {
  await withServer(async ({ put, url }) => {
    const data = bytesOf(3000, 7);
    await put("same.bin", data);
    const first = await get(url("/same.bin"));
    const headers = [...first.res.headers].filter(([name]) => name !== "date");
    for (let i = 0; i < 20; i++) {
      const again = await get(url("/same.bin"));
      assert.deepEqual(again.bytes, data);
      assert.deepEqual([...again.res.headers].filter(([name]) => name !== "date"), headers);
      // Other answers from the same cached copy in between leave it intact.
      const part = await get(url("/same.bin"), { range: `bytes=${i}-${i + 9}` });
      assert.equal(part.res.status, 206);
      assert.deepEqual(part.bytes, data.subarray(i, i + 10));
      const head = await fetch(url("/same.bin"), { method: "HEAD" });
      assert.equal(head.headers.get("content-length"), "3000");
      await head.body?.cancel();
    }
    const together = await Promise.all(Array.from({ length: 16 }, () => get(url("/same.bin"))));
    for (const { bytes } of together) assert.deepEqual(bytes, data);
  });
});

/**
 * Replaces `file` by rename with files of the same size and modification
 * time until one lands on the inode `ino` again (file systems such as ext4
 * hand a freed inode to the next file), as unpacking a reproducibly built
 * archive over the file would. Returns the content put in place.
 */
async function replaceOntoInode(root: string, file: string, ino: number, size: number) {
  const mtime = new Date("2024-01-01T00:00:00Z");
  let content = bytesOf(size, 2);
  for (let seed = 2; seed < 200; seed++) {
    content = bytesOf(size, seed);
    const temp = join(root, ".tmp");
    await writeFile(temp, content);
    await utimes(temp, mtime, mtime);
    await rename(temp, file);
    if ((await stat(file)).ino === ino) break;
  }
  return content;
}

for (const size of [4096, 100_000]) {
  Deno.test(`a ${size}-byte file replaced by another of the same size and mtime is never taken for it (found by soak)`, async () => {
    await withServer(async ({ put, url, root }) => {
      const file = await put("f.bin", bytesOf(size, 1));
      const mtime = new Date("2024-01-01T00:00:00Z");
      await utimes(file, mtime, mtime);
      const first = await get(url("/f.bin"));
      assert.deepEqual(first.bytes, bytesOf(size, 1));
      const etag = first.res.headers.get("etag")!;

      const now = await replaceOntoInode(root, file, (await stat(file)).ino, size);
      const again = await get(url("/f.bin"));
      assert.deepEqual(again.bytes, now, "the cached copy of the old file is not served");
      assert.notEqual(again.res.headers.get("etag"), etag, "another file, another ETag");
      const revalidated = await get(url("/f.bin"), { "if-none-match": etag });
      assert.equal(revalidated.res.status, 200);
      assert.deepEqual(revalidated.bytes, now);
      // A client resuming the old file must get the new one whole, not a slice of it.
      const resumed = await get(url("/f.bin"), { range: "bytes=100-", "if-range": etag });
      assert.equal(resumed.res.status, 200);
      assert.deepEqual(resumed.bytes, now);
    });
  });
}
