// Copyright 2026 the aos-common authors. Apache-2.0 license.
import assert from "node:assert/strict";
import { rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { bytesOf, withServer } from "./_fixture.ts";

const SIZES = [1000, 300 * 1024]; // served from memory, streamed from the file

async function validators(url: string) {
  const res = await fetch(url);
  await res.body?.cancel();
  return { etag: res.headers.get("etag")!, lastModified: res.headers.get("last-modified")! };
}

function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}

Deno.test("If-None-Match with a current tag is 304 with the validators and no body", async () => {
  await withServer(async ({ put, url }) => {
    for (const size of SIZES) {
      await put(`f${size}`, bytesOf(size));
      const { etag, lastModified } = await validators(url(`/f${size}`));
      for (const inm of [etag, `W/${etag}`, `"other", ${etag}`, "*"]) {
        const res = await fetch(url(`/f${size}`), { headers: { "if-none-match": inm } });
        assert.equal(res.status, 304, inm);
        assert.equal(res.headers.get("etag"), etag);
        assert.equal(res.headers.get("last-modified"), lastModified);
        assert.equal((await res.arrayBuffer()).byteLength, 0);
      }
      const other = await fetch(url(`/f${size}`), { headers: { "if-none-match": '"nope"' } });
      assert.equal(other.status, 200);
      assert.equal((await other.arrayBuffer()).byteLength, size);
    }
  });
});

Deno.test("If-Modified-Since is 304 unless the file is newer; If-None-Match wins", async () => {
  await withServer(async ({ put, url }) => {
    await put("f", "content");
    const { lastModified } = await validators(url("/f"));
    const at = Date.parse(lastModified);
    const status = async (headers: Record<string, string>) => {
      const res = await fetch(url("/f"), { headers });
      await res.body?.cancel();
      return res.status;
    };
    assert.equal(await status({ "if-modified-since": lastModified }), 304);
    assert.equal(await status({ "if-modified-since": httpDate(at + 60_000) }), 304);
    assert.equal(await status({ "if-modified-since": httpDate(at - 1000) }), 200);
    assert.equal(await status({ "if-modified-since": "not a date" }), 200);
    assert.equal(
      await status({ "if-modified-since": lastModified, "if-none-match": '"nope"' }),
      200,
    );
    // HEAD follows the same rules.
    const head = await fetch(url("/f"), {
      method: "HEAD",
      headers: { "if-modified-since": lastModified },
    });
    assert.equal(head.status, 304);
  });
});

Deno.test("If-Match and If-Unmodified-Since that fail are 412", async () => {
  await withServer(async ({ put, url }) => {
    await put("f", "content");
    const { etag, lastModified } = await validators(url("/f"));
    const at = Date.parse(lastModified);
    const status = async (headers: Record<string, string>) => {
      const res = await fetch(url("/f"), { headers });
      await res.body?.cancel();
      return res.status;
    };
    assert.equal(await status({ "if-match": etag }), 200);
    assert.equal(await status({ "if-match": "*" }), 200);
    assert.equal(await status({ "if-match": '"nope"' }), 412);
    // If-Match uses the strong comparison: a weak tag never matches.
    assert.equal(await status({ "if-match": `W/${etag}` }), 412);
    assert.equal(await status({ "if-unmodified-since": lastModified }), 200);
    assert.equal(await status({ "if-unmodified-since": httpDate(at - 1000) }), 412);
  });
});

Deno.test("a file replaced during a conditional request: each response is one version", async () => {
  await withServer(async ({ put, url, root }) => {
    const size = 8 * 1024 * 1024;
    const v1 = bytesOf(size, 1);
    const v2 = bytesOf(size, 2);
    await put("blob", v1);
    const { etag: etag1 } = await validators(url("/blob"));

    // A resume of version 1 (If-Range with its tag) is under way when the
    // file is atomically replaced by version 2.
    const res = await fetch(url("/blob"), {
      headers: { range: "bytes=1000-", "if-range": etag1 },
    });
    assert.equal(res.status, 206);
    assert.equal(res.headers.get("etag"), etag1);
    const reader = res.body!.getReader();
    const chunks: Uint8Array<ArrayBuffer>[] = [];
    const first = await reader.read();
    chunks.push(first.value! as Uint8Array<ArrayBuffer>);
    const temp = join(root, ".blob.tmp");
    await writeFile(temp, v2);
    await rename(temp, join(root, "blob"));
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      chunks.push(r.value as Uint8Array<ArrayBuffer>);
    }
    const body = new Uint8Array(await new Blob(chunks).arrayBuffer());
    assert.deepEqual(body, v1.subarray(1000), "the running response stays version 1");

    // Later requests with version 1's tag see version 2 and never mix the two.
    const resumed = await fetch(url("/blob"), {
      headers: { range: "bytes=1000-", "if-range": etag1 },
    });
    assert.equal(resumed.status, 200);
    const etag2 = resumed.headers.get("etag");
    assert.notEqual(etag2, etag1);
    assert.deepEqual(new Uint8Array(await resumed.arrayBuffer()), v2);
    const revalidated = await fetch(url("/blob"), { headers: { "if-none-match": etag1 } });
    assert.equal(revalidated.status, 200);
    assert.equal(revalidated.headers.get("etag"), etag2);
    await revalidated.body?.cancel();
    const guarded = await fetch(url("/blob"), { headers: { "if-match": etag1 } });
    assert.equal(guarded.status, 412);
    await guarded.body?.cancel();
  });
});

Deno.test("a small cached file replaced by rename is revalidated at once", async () => {
  await withServer(async ({ put, url, root }) => {
    await put("small", "version one");
    const { etag } = await validators(url("/small"));
    const again = await fetch(url("/small"), { headers: { "if-none-match": etag } });
    assert.equal(again.status, 304);
    await writeFile(join(root, ".tmp"), "version two");
    await rename(join(root, ".tmp"), join(root, "small"));
    const res = await fetch(url("/small"), { headers: { "if-none-match": etag } });
    assert.equal(res.status, 200);
    assert.equal(await res.text(), "version two");
  });
});
