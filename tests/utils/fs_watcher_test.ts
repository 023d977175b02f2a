// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Watcher behaviour every backend shares; runs on Deno (inotify, and the
// node:fs.watch backend) and on Node (node:fs.watch).
import assert from "node:assert/strict";
import { appendFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import process from "node:process";
import { FSBufferedWatcher, FSWatcher, type FSWatcherBackend } from "../../utils/fs_watcher.ts";
import { errorIs } from "../../utils/errors.ts";
import { recorder, withDir } from "./_watch_helpers.ts";

const onNode = process.versions.deno === undefined;
const backends: (FSWatcherBackend | undefined)[] = [undefined, "node"];

Deno.test("the default backend is inotify on Deno with FFI and node:fs.watch on Node", () => {
  const watcher = new FSWatcher({ events: ["modify"] });
  if (onNode) assert.equal(watcher.backend, "node");
  else assert.ok(watcher.backend === "inotify" || watcher.backend === "node");
});

Deno.test("the node backend refuses access and close with notSupported", () => {
  assert.throws(() => new FSWatcher({ events: ["modify", "close"], backend: "node" }), (e) => {
    assert.ok(errorIs(e, "notSupported"));
    assert.match(
      String(e),
      /Cannot watch for close: node:fs\.watch reports only modify, create, delete/,
    );
    return true;
  });
  assert.throws(
    () => new FSWatcher({ events: ["access"], backend: "node" }),
    (e) => errorIs(e, "notSupported"),
  );
  if (onNode) {
    assert.throws(
      () => new FSWatcher({ events: ["modify"], backend: "inotify" }),
      (e) => errorIs(e, "notSupported"),
    );
  }
});

for (const backend of backends) {
  const name = backend ?? "default";
  const options = backend === undefined ? {} : { backend };

  Deno.test(`${name} backend: directory entries report create, modify and delete`, async () => {
    await withDir(async (dir) => {
      await using watcher = new FSWatcher({ events: ["create", "modify", "delete"], ...options });
      const seen = recorder();
      watcher.subscribe(dir, seen);
      await watcher.start();
      const file = join(dir, "entry");
      await writeFile(file, "x");
      await seen.waitFor((c) => c.some(([, e]) => e.includes("create")), "create");
      await appendFile(file, "more");
      await seen.waitFor((c) => c.some(([, e]) => e.includes("modify")), "modify");
      await rm(file);
      await seen.waitFor((c) => c.some(([, e]) => e.includes("delete")), "delete");
      assert.ok(seen.calls.every(([path]) => path === dir), "called with the watched path");
    });
  });

  Deno.test(`${name} backend: a watched file reports modify; state errors and restart`, async () => {
    await withDir(async (dir) => {
      const file = join(dir, "f");
      await writeFile(file, "");
      const watcher = new FSWatcher({ events: ["modify"], ...options });
      const seen = recorder();
      watcher.subscribe(file, seen);
      await watcher.start();
      await assert.rejects(watcher.start(), (e) => errorIs(e, "wrongState"));
      await watcher.stop();
      await assert.rejects(watcher.stop(), (e) => errorIs(e, "wrongState"));
      await watcher.start();
      await appendFile(file, "x");
      await seen.waitFor((c) => c.length > 0, "modify after restart");
      assert.deepEqual(seen.calls[0], [file, ["modify"]]);
      await watcher.close();
      assert.equal(watcher.running, false);
      const other = recorder();
      {
        using _subscription = watcher.subscribe(file, other);
        assert.throws(() => watcher.subscribe(file, other), (e) => errorIs(e, "alreadyExist"));
      }
      watcher.subscribe(file, other)[Symbol.dispose]();
      assert.throws(
        () => watcher.unsubscribe(file, other),
        (e) => errorIs(e, "notFound"),
        "disposal unsubscribed",
      );
    });
  });

  Deno.test(`${name} backend: the buffered watcher gathers events into one notification`, async () => {
    await withDir(async (dir) => {
      await using watcher = new FSBufferedWatcher({
        events: ["create", "modify"],
        notifyTimeoutMs: 300,
        ...options,
      });
      const seen = recorder();
      watcher.subscribe(dir, seen);
      await watcher.start();
      await writeFile(join(dir, "a"), "1");
      await writeFile(join(dir, "b"), "2");
      await seen.waitFor((c) => c.length > 0, "buffered notification");
      assert.equal(seen.calls.length, 1);
      assert.ok(
        seen.calls[0]![1].filter((e) => e === "create").length >= 2,
        JSON.stringify(seen.calls),
      );
    });
  });
}
