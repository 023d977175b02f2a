// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The scenarios of the migration spec, on real SQLite files.
import assert from "node:assert/strict";
import { readdir, rm } from "node:fs/promises";
import { DatabaseSync } from "node:sqlite";
import { Migration, MigrationError, NodeSqliteExecutor } from "../../migration/mod.ts";
import { fixture } from "./_fixture.ts";

Deno.test("a fresh database gets SchemaVersion with one row 0, however often create runs", async () => {
  await using f = await fixture();
  const migration = await f.migration();
  assert.equal(await migration.getCurrentVersion(), 0);
  await f.migration();
  assert.deepEqual(f.rows("SELECT version FROM SchemaVersion"), [[0]]);
  assert.deepEqual(
    f.rows("SELECT sql FROM sqlite_schema WHERE name = 'SchemaVersion'"),
    [["CREATE TABLE SchemaVersion (version INTEGER)"]],
  );
});

Deno.test("upgrades one step, then only the new step", async () => {
  await using f = await fixture();
  f.db.exec("CREATE TABLE test (id INTEGER PRIMARY KEY);");
  await f.write(f.src, { "1_update.up.sql": "ALTER TABLE test ADD COLUMN name TEXT;" });
  let migration = await f.migration();
  const result = await migration.migrateToVersion(1);
  assert.deepEqual(result.steps.map((s) => s.script), ["1_update.up.sql"]);
  assert.deepEqual(f.rows("SELECT name FROM pragma_table_info('test') ORDER BY cid"), [
    ["id"],
    ["name"],
  ]);
  assert.equal(await migration.getCurrentVersion(), 1);

  // Running script 1 again would fail: the column exists.
  await f.write(f.src, { "2_update.up.sql": "CREATE TABLE test2 (id INTEGER);" });
  migration = await f.migration();
  await migration.migrateToVersion(2);
  assert.ok(f.tables().includes("test2"));
  assert.equal(await migration.getCurrentVersion(), 2);

  await f.write(f.src, { "2_update.down.sql": "DROP TABLE test2;" });
  migration = await f.migration();
  await migration.migrateToVersion(1);
  assert.ok(!f.tables().includes("test2"));
  assert.equal(await migration.getCurrentVersion(), 1);
});

Deno.test("runs several steps in order up, and down to 0 without running 0_update.down.sql", async () => {
  await using f = await fixture();
  f.db.exec("CREATE TABLE marks (n INTEGER);");
  for (const v of [1, 2, 3]) {
    await f.write(f.src, {
      [`${v}_update.up.sql`]: `INSERT INTO marks VALUES (${v});`,
      [`${v}_update.down.sql`]: `INSERT INTO marks VALUES (-${v});`,
    });
  }
  await f.write(f.src, { "0_update.down.sql": "this is not SQL;" });
  const migration = await f.migration();
  await migration.migrateToVersion(3);
  assert.deepEqual(f.rows("SELECT n FROM marks ORDER BY rowid"), [[1], [2], [3]]);
  const down = await migration.migrateToVersion(0);
  assert.deepEqual(down.steps.map((s) => [s.script, s.from, s.to]), [
    ["3_update.down.sql", 3, 2],
    ["2_update.down.sql", 2, 1],
    ["1_update.down.sql", 1, 0],
  ]);
  assert.deepEqual(f.rows("SELECT n FROM marks ORDER BY rowid"), [
    [1],
    [2],
    [3],
    [-3],
    [-2],
    [-1],
  ]);
  assert.equal(await migration.getCurrentVersion(), 0);
  assert.deepEqual(f.rows("SELECT count(*) FROM SchemaMigrations"), [[0]]);
});

Deno.test("migrating to the current version reads no script and writes nothing", async () => {
  await using f = await fixture();
  await f.write(f.src, { "1_update.up.sql": "CREATE TABLE a (x);" });
  const migration = await f.migration();
  await migration.migrateToVersion(1);
  await rm(f.merged, { recursive: true });
  const changes = f.rows("SELECT total_changes()")[0]![0];
  const result = await migration.migrateToVersion(1);
  assert.deepEqual(result, { from: 1, to: 1, steps: [] });
  assert.equal(f.rows("SELECT total_changes()")[0]![0], changes);
});

Deno.test("rolls a newer database back with the down scripts a newer release merged", async () => {
  await using f = await fixture();
  const newer = `${f.root}/newer`;
  for (const v of [1, 2, 3]) {
    await f.write(newer, {
      [`${v}_update.up.sql`]: `CREATE TABLE t${v} (x);`,
      [`${v}_update.down.sql`]: `DROP TABLE t${v};`,
    });
  }
  await (await f.migration({ migrationDir: newer })).migrateToVersion(3);
  // The older release ships only 1..2.
  await f.write(f.src, {
    "1_update.up.sql": "CREATE TABLE t1 (x);",
    "2_update.up.sql": "CREATE TABLE t2 (x);",
    "1_update.down.sql": "DROP TABLE t1;",
    "2_update.down.sql": "DROP TABLE t2;",
  });
  const older = await f.migration();
  await older.migrateToVersion(2);
  assert.equal(await older.getCurrentVersion(), 2);
  assert.ok(!f.tables().includes("t3"));
});

Deno.test("a database newer than the code, without down scripts, fails naming both versions", async () => {
  await using f = await fixture();
  for (const v of [1, 2, 3]) {
    await f.write(f.src, { [`${v}_update.up.sql`]: `CREATE TABLE t${v} (x);` });
  }
  const migration = await f.migration();
  await migration.migrateToVersion(3);
  await assert.rejects(migration.migrateToVersion(1), (err) => {
    assert.ok(err instanceof MigrationError);
    assert.equal(err.kind, "notFound");
    assert.equal(err.script, "3_update.down.sql");
    assert.equal(err.version, 2);
    assert.match(err.message, /from version 3 to 1/);
    assert.match(err.message, /3_update\.down\.sql, 2_update\.down\.sql are missing from /);
    assert.match(err.message, /newer than this software/);
    return true;
  });
  assert.equal(await migration.getCurrentVersion(), 3);
});

Deno.test("a gap in the scripts fails before the first step runs", async () => {
  await using f = await fixture();
  await f.write(f.src, {
    "1_update.up.sql": "CREATE TABLE t1 (x);",
    "3_update.up.sql": "CREATE TABLE t3 (x);",
    "5_update.up.sql": "CREATE TABLE t5 (x);",
  });
  const migration = await f.migration();
  await assert.rejects(migration.migrateToVersion(5), {
    name: "MigrationError",
    kind: "notFound",
    script: "2_update.up.sql",
    message: new RegExp(
      `Cannot migrate from version 0 to 5: 2_update.up.sql, 4_update.up.sql are missing from ${f.merged}`,
    ),
  });
  assert.equal(await migration.getCurrentVersion(), 0);
  assert.ok(!f.tables().includes("t1"));
});

Deno.test("a failing statement names the file and the step, and leaves the version", async () => {
  await using f = await fixture();
  await f.write(f.src, {
    "1_update.up.sql": "CREATE TABLE t1 (x);",
    "2_update.up.sql": "CREATE TABLE a (x);\nCREATE TABLE a (x);",
  });
  const migration = await f.migration();
  await assert.rejects(migration.migrateToVersion(2), (err) => {
    assert.ok(err instanceof MigrationError);
    assert.equal(err.kind, "failed");
    assert.equal(err.script, "2_update.up.sql");
    assert.equal(err.version, 2);
    assert.match(err.message, /^Cannot apply .*merged\/2_update\.up\.sql \(version 1 to 2\): /);
    assert.match(err.message, /table a already exists/);
    return true;
  });
  assert.equal(await migration.getCurrentVersion(), 1);
  assert.ok(f.tables().includes("t1"));
  assert.ok(!f.tables().includes("a"), "the failing step is rolled back entirely");
  assert.equal(f.db.isTransaction, false);
});

Deno.test("an empty script fails and a comment-only script succeeds", async () => {
  await using f = await fixture();
  await f.write(f.src, { "1_update.up.sql": "" });
  let migration = await f.migration();
  await assert.rejects(migration.migrateToVersion(1), {
    kind: "failed",
    script: "1_update.up.sql",
    message: /1_update\.up\.sql in .* is empty/,
  });
  assert.equal(await migration.getCurrentVersion(), 0);

  await rm(`${f.merged}/1_update.up.sql`);
  await f.write(f.src, { "1_update.up.sql": "-- nothing to change\n" });
  migration = await f.migration();
  await migration.migrateToVersion(1);
  assert.equal(await migration.getCurrentVersion(), 1);
});

Deno.test("aborting stops before the next step and keeps the completed ones", async () => {
  await using f = await fixture();
  for (const v of [1, 2, 3]) {
    await f.write(f.src, { [`${v}_update.up.sql`]: `CREATE TABLE t${v} (x); -- step ${v}` });
  }
  const controller = new AbortController();
  const inner = new NodeSqliteExecutor(f.db);
  // Aborts from inside step 2, while its script runs.
  const executor = {
    exec(sql: string) {
      if (sql.includes("-- step 2")) controller.abort();
      inner.exec(sql);
    },
    query: (sql: string, params?: readonly unknown[]) => inner.query(sql, params),
  };
  const migration = await Migration.create(executor, {
    migrationDir: f.src,
    mergedMigrationDir: f.merged,
  });
  await assert.rejects(migration.migrateToVersion(3, { signal: controller.signal }), {
    kind: "canceled",
  });
  assert.equal(await migration.getCurrentVersion(), 2);
  assert.deepEqual(f.tables().filter((t) => t.startsWith("t")), ["t1", "t2"]);
  assert.equal(f.db.isTransaction, false);
});

Deno.test("reports progress before and after every step", async () => {
  await using f = await fixture();
  for (const v of [1, 2]) {
    await f.write(f.src, { [`${v}_update.up.sql`]: `CREATE TABLE t${v} (x);` });
  }
  const migration = await f.migration();
  const seen: string[] = [];
  await migration.migrateToVersion(2, {
    onProgress: (p) => seen.push(`${p.phase} ${p.step.script} ${p.index + 1}/${p.total}`),
  });
  assert.deepEqual(seen, [
    "start 1_update.up.sql 1/2",
    "done 1_update.up.sql 1/2",
    "start 2_update.up.sql 2/2",
    "done 2_update.up.sql 2/2",
  ]);
});

Deno.test("reads a SchemaVersion written by AosCore, and writes every row as AosCore does", async () => {
  await using f = await fixture();
  f.db.exec("CREATE TABLE SchemaVersion (version INTEGER); INSERT INTO SchemaVersion VALUES (2);");
  f.db.exec("INSERT INTO SchemaVersion VALUES (7);"); // tampered: the first row counts
  await f.write(f.src, { "3_update.up.sql": "CREATE TABLE t3 (x);" });
  const migration = await f.migration();
  assert.equal(await migration.getCurrentVersion(), 2);
  await migration.migrateToVersion(3);
  assert.deepEqual(f.rows("SELECT version FROM SchemaVersion"), [[3], [3]]);
});

Deno.test("rejects targets and stored versions that are not non-negative integers", async () => {
  await using f = await fixture();
  const migration = await f.migration();
  for (const target of [-1, 1.5, NaN, Infinity, 2 ** 53, "2" as unknown as number]) {
    await assert.rejects(migration.migrateToVersion(target), {
      kind: "invalidArgument",
      message: new RegExp(`^Cannot migrate to version ${String(target)}: expected`),
    });
  }
  f.db.exec("UPDATE SchemaVersion SET version = -1;");
  await assert.rejects(migration.getCurrentVersion(), {
    kind: "wrongState",
    message: /Invalid schema version "-1" in SchemaVersion/,
  });
  f.db.exec("UPDATE SchemaVersion SET version = 'two';");
  await assert.rejects(migration.migrateToVersion(1), { kind: "wrongState" });
});

Deno.test("rejects a database handle that is neither DatabaseSync nor an executor", async () => {
  await using f = await fixture();
  await assert.rejects(
    Migration.create({} as DatabaseSync, { migrationDir: f.src, mergedMigrationDir: f.merged }),
    { kind: "invalidArgument", message: /expected a node:sqlite DatabaseSync/ },
  );
  await assert.rejects(f.migration({ lockTimeout: -1 }), {
    kind: "invalidArgument",
    message: /Invalid lockTimeout -1/,
  });
});

Deno.test("works through an asynchronous executor", async () => {
  await using f = await fixture();
  await f.write(f.src, { "1_update.up.sql": "CREATE TABLE t1 (x);" });
  const inner = new NodeSqliteExecutor(f.db);
  const executor = {
    exec: async (sql: string) => {
      await Promise.resolve();
      inner.exec(sql);
    },
    query: async (sql: string, params?: readonly unknown[]) => {
      await Promise.resolve();
      return inner.query(sql, params);
    },
  };
  const migration = await Migration.create(executor, {
    migrationDir: f.src,
    mergedMigrationDir: f.merged,
  });
  await migration.migrateToVersion(1);
  assert.equal(await migration.getCurrentVersion(), 1);
  assert.deepEqual(await readdir(f.merged), ["1_update.up.sql"]);
});

Deno.test("a fresh database on disk migrates from a second connection's point of view", async () => {
  await using f = await fixture();
  await f.write(f.src, { "1_update.up.sql": "CREATE TABLE t1 (x); INSERT INTO t1 VALUES (42);" });
  await (await f.migration()).migrateToVersion(1);
  const other = new DatabaseSync(f.dbPath);
  try {
    assert.deepEqual({ ...other.prepare("SELECT version FROM SchemaVersion").get() }, {
      version: 1,
    });
    assert.deepEqual({ ...other.prepare("SELECT x FROM t1").get() }, { x: 42 });
  } finally {
    other.close();
  }
});
