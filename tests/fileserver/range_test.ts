// Copyright 2026 the aos-common authors. Apache-2.0 license.
import assert from "node:assert/strict";
import { createHash, randomFillSync } from "node:crypto";
import { bytesOf, withServer } from "./_fixture.ts";

const SMALL = 1000; // served from memory
const LARGE = 200 * 1024; // streamed from the file

async function get(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { headers });
  return { res, body: new Uint8Array(await res.arrayBuffer()) };
}

Deno.test("a single range is 206 with Content-Range, in memory and streamed", async () => {
  await withServer(async ({ put, url }) => {
    for (const size of [SMALL, LARGE]) {
      const data = bytesOf(size, size);
      await put(`f${size}`, data);
      const cases: [string, number, number][] = [
        ["bytes=0-9", 0, 9],
        ["bytes=10-", 10, size - 1],
        ["bytes=-5", size - 5, size - 1],
        ["bytes=-100000000", 0, size - 1],
        ["bytes=5-100000000", 5, size - 1],
        ["bytes=7-7", 7, 7],
        [`bytes=${size - 1}-`, size - 1, size - 1],
        ["BYTES = 3 - 4", 3, 4],
        [`bytes=100-${size - 100}`, 100, size - 100],
      ];
      for (const [range, start, end] of cases) {
        const { res, body } = await get(url(`/f${size}`), { range });
        assert.equal(res.status, 206, `${size} ${range}`);
        assert.equal(res.headers.get("content-range"), `bytes ${start}-${end}/${size}`, range);
        assert.equal(res.headers.get("content-length"), String(end - start + 1), range);
        assert.deepEqual(body, data.subarray(start, end + 1), `${size} ${range}`);
      }
    }
  });
});

Deno.test("an unsatisfiable range is 416 with Content-Range: bytes */size", async () => {
  await withServer(async ({ put, url }) => {
    for (const size of [SMALL, LARGE]) {
      await put(`f${size}`, bytesOf(size));
      for (const range of [`bytes=${size}-`, `bytes=${size + 10}-${size + 20}`, "bytes=-0"]) {
        const { res, body } = await get(url(`/f${size}`), { range });
        assert.equal(res.status, 416, range);
        assert.equal(res.headers.get("content-range"), `bytes */${size}`);
        assert.equal(body.byteLength, 0);
      }
    }
  });
});

Deno.test("ranges that cannot be honoured fall back to the whole file", async () => {
  await withServer(async ({ put, url }) => {
    const data = bytesOf(SMALL);
    await put("f", data);
    for (
      const range of ["bytes=0-1,5-6", "bytes=abc", "items=0-1", "bytes=9-3", "bytes=-", "bytes="]
    ) {
      const { res, body } = await get(url("/f"), { range });
      assert.equal(res.status, 200, range);
      assert.equal(res.headers.get("content-range"), null);
      assert.deepEqual(body, data, range);
    }
    // An empty file has no byte to select: it is sent (empty) instead of refused.
    await put("empty", "");
    const empty = await get(url("/empty"), { range: "bytes=0-" });
    assert.equal(empty.res.status, 200);
    assert.equal(empty.body.byteLength, 0);
  });
});

// Found by tests/fuzz: both ends were compared as doubles, so a range whose
// last byte is one before its first, past 2^53, was taken as valid (416).
Deno.test("a range ending before it starts is ignored however large its numbers", async () => {
  await withServer(async ({ put, url }) => {
    const data = bytesOf(SMALL);
    await put("f", data);
    for (const range of ["bytes=99999999999999991809-99999999999999991808", "bytes=010-9"]) {
      const { res, body } = await get(url("/f"), { range });
      assert.equal(res.status, 200, range);
      assert.deepEqual(body, data, range);
    }
    const { res } = await get(url("/f"), {
      range: "bytes=99999999999999991808-99999999999999991809",
    });
    assert.equal(res.status, 416);
  });
});

Deno.test("HEAD ignores Range", async () => {
  await withServer(async ({ put, url }) => {
    await put("f", bytesOf(SMALL));
    const res = await fetch(url("/f"), { method: "HEAD", headers: { range: "bytes=0-9" } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-length"), String(SMALL));
    await res.body?.cancel();
  });
});

Deno.test("without acceptRanges, Range is ignored and not advertised, as in AosCore", async () => {
  await withServer(async ({ put, url }) => {
    const data = bytesOf(LARGE);
    await put("f", data);
    const { res, body } = await get(url("/f"), { range: "bytes=0-9" });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("accept-ranges"), null);
    assert.deepEqual(body, data);
  }, { acceptRanges: false });
});

Deno.test("If-Range with the current validator honours the range, a stale one sends all", async () => {
  await withServer(async ({ put, url }) => {
    const data = bytesOf(LARGE);
    await put("f", data);
    const first = await get(url("/f"));
    const etag = first.res.headers.get("etag")!;
    const lastModified = first.res.headers.get("last-modified")!;
    for (const ifRange of [etag, lastModified]) {
      const { res, body } = await get(url("/f"), { range: "bytes=10-19", "if-range": ifRange });
      assert.equal(res.status, 206, ifRange);
      assert.deepEqual(body, data.subarray(10, 20));
    }
    const stale = ['"0-0-0"', `W/${etag}`, "Thu, 01 Jan 1970 00:00:00 GMT", "garbage"];
    for (const ifRange of stale) {
      const { res, body } = await get(url("/f"), { range: "bytes=10-19", "if-range": ifRange });
      assert.equal(res.status, 200, ifRange);
      assert.deepEqual(body, data, ifRange);
    }
  });
});

Deno.test("concurrent range requests reassemble the exact file", async () => {
  await withServer(async ({ put, url }) => {
    const size = 24 * 1024 * 1024 + 12345;
    const data = randomFillSync(new Uint8Array(size));
    await put("blob", data);
    const parts = 16;
    const step = Math.ceil(size / parts);
    const pieces = await Promise.all(
      Array.from({ length: parts }, async (_, i) => {
        const start = i * step;
        const end = Math.min(size, start + step) - 1;
        const { res, body } = await get(url("/blob"), { range: `bytes=${start}-${end}` });
        assert.equal(res.status, 206);
        assert.equal(res.headers.get("content-range"), `bytes ${start}-${end}/${size}`);
        return body;
      }),
    );
    const whole = createHash("sha256");
    for (const piece of pieces) whole.update(piece);
    assert.equal(whole.digest("hex"), createHash("sha256").update(data).digest("hex"));
  });
});
