// Copyright 2026 the aos-common authors. Apache-2.0 license.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createHash, randomFillSync } from "node:crypto";
import { open } from "node:fs/promises";
import { join } from "node:path";
import process from "node:process";
import { createInterface } from "node:readline";
import { withServer } from "./_fixture.ts";

const MiB = 1024 * 1024;
const CHILD = join(import.meta.dirname!, "_child_server.ts");

/**
 * Starts the server in a child process of the same runtime (on Deno with
 * --allow-all, which reading /proc/self/status needs).
 */
async function startChild(root: string) {
  const args = process.versions.deno === undefined
    ? [CHILD, root]
    : ["run", "--allow-all", CHILD, root];
  const child = spawn(process.execPath, args, { stdio: ["pipe", "pipe", "inherit"] });
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  const lines = createInterface({ input: child.stdout });
  const next = () =>
    new Promise<string>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`server child exited with ${code}`));
      child.once("exit", onExit);
      lines.once("line", (line) => {
        child.off("exit", onExit);
        resolve(line);
      });
    });
  const url = await next();
  return {
    url,
    /** The server's resident and peak memory, in bytes. */
    async memory(): Promise<{ rss: number; peak: number }> {
      const answer = next();
      child.stdin.write("memory\n");
      return JSON.parse(await answer);
    },
    async stop() {
      child.stdin.end();
      await exited;
      lines.close();
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
      // Warm up, so the baseline includes the server's own start-up.
      await (await fetch(`${server.url}large.bin`, { headers: { range: "bytes=0-0" } })).text();
      const baseline = (await server.memory()).rss;
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
      // 800 MiB went through the server; one that buffered files would have
      // grown by at least a file.
      const growth = (await server.memory()).peak - baseline;
      assert.ok(growth < 32 * MiB, `server RSS grew by ${Math.round(growth / MiB)} MiB`);
    } finally {
      await server.stop();
    }
  }, { start: false });
});
