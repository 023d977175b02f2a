// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The inotify (Deno FFI) path of the watchers. Deno-only: not listed in tests/node.
import assert from "node:assert/strict";
import { appendFile, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { FSBufferedWatcher, type FSEventSubscriber, FSWatcher } from "../../utils/fs_watcher.ts";
import { delay } from "../../utils/abort.ts";
import { AosError, errorIs, hasErrno } from "../../utils/errors.ts";
import { recorder, withDir } from "./_watch_helpers.ts";

const ffi = Deno.build.os === "linux" &&
  (await Deno.permissions.query({ name: "ffi" })).state === "granted";
if (!ffi) {
  // deno-lint-ignore no-console
  console.warn("fs_watcher_inotify_test: needs Linux and --allow-ffi; inotify cases ignored");
}
const opts = { ignore: !ffi };

Deno.test("the watcher state machine rejects double starts and stops", opts, async () => {
  const watcher = new FSWatcher({ events: ["modify"] });
  assert.equal(watcher.backend, "inotify");
  await assert.rejects(watcher.stop(), (e) => errorIs(e, "wrongState"));
  await watcher.start();
  await assert.rejects(watcher.start(), (e) => errorIs(e, "wrongState"));
  await watcher.stop();
  await assert.rejects(watcher.stop(), (e) => errorIs(e, "wrongState"));
  assert.throws(() => new FSWatcher({ events: [] }), /no valid fs event specified/);
  assert.throws(
    () => new FSWatcher({ events: ["bogus" as "modify"] }),
    (e) => errorIs(e, "invalidArgument"),
  );
  assert.throws(
    () => new FSBufferedWatcher({ events: ["modify"], notifyTimeoutMs: 0 }),
    (e) => errorIs(e, "invalidArgument"),
  );
});

Deno.test("three files with three subscribers each all receive modify", opts, async () => {
  await withDir(async (dir) => {
    await using watcher = new FSWatcher({ events: ["modify"] });
    await watcher.start();
    const files = ["a", "b", "c"].map((n) => join(dir, n));
    const subscribers = files.map(() => [recorder(), recorder(), recorder()]);
    for (const [i, file] of files.entries()) {
      await writeFile(file, "");
      for (const s of subscribers[i]!) watcher.subscribe(file, s);
    }
    for (const file of files) await appendFile(file, "data");
    for (const [i, file] of files.entries()) {
      for (const s of subscribers[i]!) {
        await s.waitFor((calls) => calls.length > 0, `modify of ${file}`);
        assert.deepEqual(s.calls[0], [file, ["modify"]], "called with the watched path");
      }
    }
  });
});

Deno.test("after one subscriber leaves, the others still receive", opts, async () => {
  await withDir(async (dir) => {
    const file = join(dir, "f");
    await writeFile(file, "");
    await using watcher = new FSWatcher({ events: ["modify"] });
    const [stays, leaves] = [recorder(), recorder()];
    const object: FSEventSubscriber = { onFSEvent: stays };
    watcher.subscribe(file, object);
    watcher.subscribe(file, leaves);
    await watcher.start();
    watcher.unsubscribe(file, leaves);
    await appendFile(file, "x");
    await stays.waitFor((c) => c.length > 0, "modify");
    assert.equal(
      leaves.calls.length,
      0,
      "delivery is synchronous, so the leaver would have been called by now",
    );
    assert.throws(() => watcher.unsubscribe(file, leaves), (e) => errorIs(e, "notFound"));
    assert.throws(
      () => watcher.unsubscribe(join(dir, "other"), stays),
      (e) => errorIs(e, "notFound"),
    );
    assert.throws(() => watcher.subscribe(file, object), (e) => errorIs(e, "alreadyExist"));
  });
});

Deno.test("subscriptions survive stop and start, and may come before start", opts, async () => {
  await withDir(async (dir) => {
    await using watcher = new FSWatcher({ events: ["create"] });
    const seen = recorder();
    watcher.subscribe(dir, seen);
    await watcher.start();
    await watcher.stop();
    await writeFile(join(dir, "while-stopped"), "");
    await watcher.start();
    await writeFile(join(dir, "after-restart"), "");
    await seen.waitFor((c) => c.length > 0, "create after restart");
    assert.deepEqual(seen.calls, [[dir, ["create"]]], "nothing was recorded while stopped");
  });
});

Deno.test(
  "inotify reports access, close, create and delete, in AosCore's order",
  opts,
  async () => {
    await withDir(async (dir) => {
      const file = join(dir, "f");
      await writeFile(file, "content");
      await using watcher = new FSWatcher({
        events: ["delete", "create", "close", "access", "modify"],
      });
      const onFile = recorder(), onDir = recorder();
      watcher.subscribe(file, onFile);
      watcher.subscribe(dir, onDir);
      await watcher.start();
      await readFile(file);
      await onFile.waitFor((c) => c.some(([, e]) => e.includes("close")), "access and close");
      assert.ok(onFile.events().includes("access"));
      await writeFile(join(dir, "new"), "x");
      await rename(join(dir, "new"), join(dir, "moved"));
      await rm(join(dir, "moved"));
      await onDir.waitFor(
        (c) => c.filter(([, e]) => e.includes("delete")).length >= 2,
        "create and delete",
      );
      const events = onDir.events();
      assert.ok(events.includes("create") && events.includes("modify") && events.includes("close"));
      const order = ["access", "modify", "close", "create", "delete"];
      for (const [, e] of [...onFile.calls, ...onDir.calls]) {
        assert.deepEqual(e, [...e].sort((a, b) => order.indexOf(a) - order.indexOf(b)));
      }
    });
  },
);

Deno.test(
  "a path that cannot be watched fails with its errno; start stays stopped",
  opts,
  async () => {
    await withDir(async (dir) => {
      await using watcher = new FSWatcher({ events: ["modify"] });
      await watcher.start();
      assert.throws(() => watcher.subscribe(join(dir, "missing"), recorder()), (e) => {
        assert.ok(e instanceof AosError && e.kind === "failed");
        assert.ok(hasErrno(e, "ENOENT"));
        return true;
      });
      await watcher.stop();
      const late = join(dir, "late");
      await writeFile(late, "");
      watcher.subscribe(late, recorder());
      await rm(late);
      await assert.rejects(watcher.start(), (e) => hasErrno(e, "ENOENT"));
      assert.equal(watcher.running, false);
    });
  },
);

Deno.test(
  "a throwing or rejecting subscriber does not stop the others and reaches onError",
  opts,
  async () => {
    await withDir(async (dir) => {
      const errors: unknown[] = [];
      await using watcher = new FSWatcher({ events: ["create"], onError: (e) => errors.push(e) });
      const good = recorder();
      watcher.subscribe(dir, () => {
        throw new Error("subscriber bug");
      });
      watcher.subscribe(dir, good);
      await watcher.start();
      watcher.subscribe(dir, () => Promise.reject(new Error("async subscriber bug")));
      await writeFile(join(dir, "x"), "");
      await good.waitFor((c) => c.length > 0, "create");
      await delay(0);
      assert.deepEqual(errors.map((e) => (e as Error).message), [
        "subscriber bug",
        "async subscriber bug",
      ]);
    });
  },
);

Deno.test("the buffered watcher sends one notification after quick writes", opts, async () => {
  await withDir(async (dir) => {
    const file = join(dir, "f");
    await writeFile(file, "");
    await using watcher = new FSBufferedWatcher({
      events: ["modify", "close"],
      notifyTimeoutMs: 300,
    });
    const seen = recorder();
    watcher.subscribe(file, seen);
    await watcher.start();
    for (let i = 0; i < 3; i++) await appendFile(file, "x");
    await seen.waitFor((c) => c.length > 0, "buffered notification");
    await delay(400);
    assert.equal(seen.calls.length, 1);
    const [path, events] = seen.calls[0]!;
    assert.equal(path, file);
    assert.ok(events.includes("modify") && events.includes("close"), JSON.stringify(events));
    assert.ok(events.filter((e) => e === "modify").length >= 3, "duplicates are kept");
  });
});

Deno.test(
  "the buffered watcher waits for quiet: writes closer than the timeout keep it waiting",
  opts,
  async () => {
    await withDir(async (dir) => {
      const file = join(dir, "f");
      await writeFile(file, "");
      await using watcher = new FSBufferedWatcher({ events: ["modify"], notifyTimeoutMs: 2000 });
      const seen = recorder();
      watcher.subscribe(file, seen);
      await watcher.start();
      for (let i = 0; i < 3; i++) {
        await appendFile(file, "x");
        await delay(100);
      }
      assert.equal(seen.calls.length, 0, "nothing before 2 s of quiet");
      await seen.waitFor((c) => c.length > 0, "notification after quiet");
      assert.deepEqual(seen.calls, [[file, ["modify", "modify", "modify"]]]);
    });
  },
);

Deno.test(
  "unsubscribing removes a subscriber from a pending notification; stop drops it",
  opts,
  async () => {
    await withDir(async (dir) => {
      const file = join(dir, "f");
      await writeFile(file, "");
      await using watcher = new FSBufferedWatcher({ events: ["modify"], notifyTimeoutMs: 200 });
      const stays = recorder(), leaves = recorder();
      watcher.subscribe(file, stays);
      watcher.subscribe(file, leaves);
      await watcher.start();
      await appendFile(file, "x");
      await delay(50);
      watcher.unsubscribe(file, leaves);
      await stays.waitFor((c) => c.length > 0, "notification");
      assert.equal(leaves.calls.length, 0);
      await appendFile(file, "y");
      await delay(50);
      await watcher.stop();
      await delay(300);
      assert.equal(stays.calls.length, 1, "pending events are dropped at stop");
    });
  },
);
