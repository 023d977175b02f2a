// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Real processes on a real database file: killed in the middle of a step,
// and two migrating the same file at once. Then the lock, in-process.
import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { childDone, spawnScript } from "../_helpers/child_runtime.ts";
import { fixture } from "./_fixture.ts";

const CHILD = join(import.meta.dirname!, "_migrate_child.ts");
const PERMISSIONS = ["--allow-read", "--allow-write", "--allow-env", "--allow-sys"];

function migrateInChild(job: Record<string, unknown>) {
  return spawnScript(CHILD, [JSON.stringify(job)], PERMISSIONS);
}

Deno.test("a process killed mid-migration leaves the old version and an intact database", async () => {
  await using f = await fixture();
  f.db.exec("CREATE TABLE keep (x); INSERT INTO keep VALUES (1), (2), (3);");
  await f.write(f.src, {
    "1_update.up.sql": "CREATE TABLE big (id INTEGER PRIMARY KEY, payload BLOB);\n" +
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 800000)\n" +
      "INSERT INTO big SELECT i, randomblob(100) FROM n;\n" +
      "CREATE INDEX big_payload ON big (payload);",
    "2_update.up.sql": "CREATE TABLE after_big (x);",
  });
  const child = migrateInChild({ db: f.dbPath, src: f.src, merged: f.merged, target: 2 });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const result = await childDone(child, (line) => {
    if (line.includes('"start"') && line.includes("1_update.up.sql")) {
      timer = setTimeout(() => child.kill("SIGKILL"), 300);
    }
  });
  clearTimeout(timer);
  assert.equal(
    result.signal,
    "SIGKILL",
    `the child ended on its own: ${result.stdout}${result.stderr}`,
  );

  // Opening again rolls the hot journal back.
  const db = new DatabaseSync(f.dbPath);
  try {
    assert.deepEqual({ ...db.prepare("PRAGMA integrity_check").get() }, { integrity_check: "ok" });
    const version = db.prepare("SELECT version FROM SchemaVersion").get()!.version;
    const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all()
      .map((r) => r.name);
    assert.equal(version, 0);
    assert.ok(!tables.includes("big") && !tables.includes("after_big"));
    assert.deepEqual({ ...db.prepare("SELECT count(*) AS n FROM keep").get() }, { n: 3 });
  } finally {
    db.close();
  }
  const migration = await f.migration();
  await migration.migrateToVersion(2);
  assert.equal(await migration.getCurrentVersion(), 2);
  assert.deepEqual(f.rows("PRAGMA integrity_check"), [["ok"]]);
});

Deno.test("two processes migrating the same file run every step exactly once", async () => {
  await using f = await fixture();
  const steps = 20;
  const slow = "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 100000) " +
    "SELECT count(*) FROM c;";
  await f.write(f.src, { "1_update.up.sql": "CREATE TABLE log (step INTEGER);" });
  for (let v = 2; v <= steps; v++) {
    await f.write(f.src, { [`${v}_update.up.sql`]: `INSERT INTO log VALUES (${v});\n${slow}` });
  }
  await f.migration(); // merge once, so both children see the same scripts
  const job = { db: f.dbPath, src: f.src, merged: f.merged, target: steps };
  const results = await Promise.all([
    childDone(migrateInChild(job)),
    childDone(migrateInChild(job)),
  ]);
  let ran = 0;
  for (const r of results) {
    assert.equal(r.code, 0, r.stderr);
    const last = JSON.parse(r.stdout.trim().split("\n").at(-1)!);
    assert.equal(typeof last.result, "number", r.stdout);
    ran += last.result;
  }
  assert.equal(ran, steps);
  assert.deepEqual(
    f.rows("SELECT step FROM log ORDER BY rowid"),
    Array.from({ length: steps - 1 }, (_, i) => [i + 2]),
  );
  assert.deepEqual(f.rows("SELECT version FROM SchemaVersion"), [[steps]]);
});

Deno.test("waits for another connection's write lock, then migrates", async () => {
  await using f = await fixture();
  await f.write(f.src, { "1_update.up.sql": "CREATE TABLE a (x);" });
  const migration = await f.migration();
  const other = new DatabaseSync(f.dbPath, { timeout: 0 });
  try {
    other.exec("BEGIN IMMEDIATE;");
    const timer = setTimeout(() => other.exec("COMMIT;"), 200);
    try {
      await migration.migrateToVersion(1);
    } finally {
      clearTimeout(timer);
    }
    assert.equal(other.isTransaction, false, "the migration ran after the lock was released");
    assert.equal(await migration.getCurrentVersion(), 1);
  } finally {
    other.close();
  }
});

Deno.test("gives up on a lock held past lockTimeout, or when aborted while waiting", async () => {
  await using f = await fixture();
  await f.write(f.src, { "1_update.up.sql": "CREATE TABLE a (x);" });
  const migration = await f.migration({ lockTimeout: 150 });
  const other = new DatabaseSync(f.dbPath, { timeout: 0 });
  try {
    other.exec("BEGIN IMMEDIATE;");
    await assert.rejects(migration.migrateToVersion(1), {
      kind: "timeout",
      message:
        /^Cannot lock the database for migration: another connection held it for more than 150 ms/,
    });
    await assert.rejects(
      f.migration({ lockTimeout: 150 }),
      { kind: "timeout" },
      "create waits too",
    );
  } finally {
    other.exec("ROLLBACK;");
  }
  try {
    const waiting = await f.migration({ lockTimeout: 60_000 });
    other.exec("BEGIN IMMEDIATE;");
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 100);
    await assert.rejects(waiting.migrateToVersion(1, { signal: controller.signal }), {
      kind: "canceled",
    });
    clearTimeout(timer);
    other.exec("ROLLBACK;");
    assert.equal(await waiting.getCurrentVersion(), 0);
  } finally {
    other.close();
  }
});
