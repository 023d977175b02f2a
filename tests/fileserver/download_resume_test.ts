// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Our downloader against our file server, through a proxy that drops the
// first connection part-way: the download resumes with a byte range.
import assert from "node:assert/strict";
import { createHash, randomFillSync } from "node:crypto";
import { mkdir, open, readFile, rename } from "node:fs/promises";
import { join } from "node:path";
import { HttpDownloader } from "../../downloader/mod.ts";
import { startDropProxy } from "../_helpers/drop_proxy.ts";
import { withServer } from "./_fixture.ts";

const MiB = 1024 * 1024;

Deno.test("a large download through HttpDownloader resumes against the file server after a drop", async () => {
  await withServer(async ({ server, root, dir, port }) => {
    const size = 64 * MiB + 4321;
    const hash = createHash("sha256");
    const chunk = new Uint8Array(4 * MiB);
    const temp = join(root, "blob.tmp");
    const blob = await open(temp, "w");
    for (let left = size; left > 0; left -= chunk.byteLength) {
      const part = chunk.subarray(0, Math.min(left, chunk.byteLength));
      randomFillSync(part);
      hash.update(part);
      await blob.write(part);
    }
    await blob.close();
    const hex = hash.digest("hex");
    const file = join(root, "blobs", "sha256", hex);
    await mkdir(join(root, "blobs", "sha256"), { recursive: true });
    await rename(temp, file);

    const dropAfter = 7 * MiB + 123;
    const proxy = await startDropProxy(port, [dropAfter]);
    try {
      const url = new URL(server.translateFilePathURL(file));
      url.port = String(proxy.port);
      const out = join(dir, "downloaded.bin");
      const attempts = new Set<number>();
      await using downloader = new HttpDownloader({ initialRetryDelayMs: 10 });
      await downloader.download(`sha256:${hex}`, url.href, out, {
        onProgress: (p) => attempts.add(p.attempt),
      });

      const got = createHash("sha256").update(await readFile(out)).digest("hex");
      assert.equal(got, hex);
      assert.equal(proxy.requests.length, 2, "one dropped attempt, one resume");
      assert.ok(attempts.has(2));
      const resume = proxy.requests[1]!.toLowerCase();
      const from = Number(/\r\nrange: bytes=(\d+)-\r\n/.exec(resume)?.[1]);
      assert.ok(from > 0 && from < dropAfter, `resumed from ${from}`);
      assert.match(resume, /\r\nif-range: "[0-9a-f-]+"\r\n/);
      // The server sent only the rest (206), not the whole blob again.
      assert.ok(proxy.responseBytes[1]! < size - from + 1024);
      assert.ok(proxy.responseBytes[1]! >= size - from);
    } finally {
      await proxy.close();
    }
  });
});
