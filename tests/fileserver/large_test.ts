// Copyright 2026 the aos-common authors. Apache-2.0 license.
import assert from "node:assert/strict";
import { createHash, randomFillSync } from "node:crypto";
import { open } from "node:fs/promises";
import { join } from "node:path";
import { childDone, spawnScript } from "../_helpers/child_runtime.ts";
import { withServer } from "./_fixture.ts";

const MiB = 1024 * 1024;
const CHILD = join(import.meta.dirname!, "_child_server.ts");

interface Memory {
  rss: number;
  peak: number;
}

/** The server in a child process of the same runtime (Deno needs --allow-all for /proc). */
async function startChild(root: string) {
  const child = spawnScript(CHILD, [root], ["--allow-all"]);
  const lines: string[] = [];
  let onLine: () => void = () => {};
  const done = childDone(child, (line) => {
    lines.push(line);
    onLine();
  });
  const first = await new Promise<string>((resolve, reject) => {
    onLine = () => resolve(lines[0]!);
    done.then((r) => reject(new Error(`server child exited: ${r.stderr}`)));
  });
  const { url, ...baseline } = JSON.parse(first) as Memory & { url: string };
  return {
    url,
    baseline,
    /** Stops the server; resolves with its memory at the end. */
    async stop(): Promise<Memory> {
      child.kill("SIGTERM");
      const result = await done;
      // The exit status is not checked: Deno's child_process reports the
      // SIGTERM even when the child handled it and exited by itself.
      assert.ok(lines[1] !== undefined, `no final memory line; stderr: ${result.stderr}`);
      return JSON.parse(lines[1]) as Memory;
    },
  };
}

Deno.test("a 100 MiB file to 8 concurrent clients: exact bytes, server memory far below the file size", async () => {
  await withServer(async ({ root }) => {
    const size = 100 * MiB;
    const whole = createHash("sha256");
    const file = await open(join(root, "large.bin"), "w");
    const chunk = new Uint8Array(4 * MiB);
    for (let written = 0; written < size; written += chunk.byteLength) {
      randomFillSync(chunk);
      whole.update(chunk);
      await file.write(chunk);
    }
    await file.close();
    const expected = whole.digest("hex");

    const server = await startChild(root);
    try {
      const digests = await Promise.all(
        Array.from({ length: 8 }, async () => {
          const res = await fetch(`${server.url}large.bin`);
          assert.equal(res.headers.get("content-length"), String(size));
          const hash = createHash("sha256");
          let received = 0;
          for await (const part of res.body!) {
            hash.update(part);
            received += part.byteLength;
          }
          assert.equal(received, size);
          return hash.digest("hex");
        }),
      );
      assert.deepEqual(digests, Array(8).fill(expected));
    } finally {
      // 800 MiB went through the server; one that buffered files would have
      // grown by at least a file.
      const growth = (await server.stop()).peak - server.baseline.rss;
      assert.ok(growth < 32 * MiB, `server RSS grew by ${Math.round(growth / MiB)} MiB`);
    }
  }, { start: false });
});
