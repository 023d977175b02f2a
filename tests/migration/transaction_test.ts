// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Every step is atomic with its version update; scripts that bring their own
// BEGIN/COMMIT still run; `transactional: false` behaves as AosCore.
import assert from "node:assert/strict";
import { fixture } from "./_fixture.ts";

Deno.test("a script failing midway in a chain leaves schema and version of the step before", async () => {
  await using f = await fixture();
  f.db.exec(
    "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO items VALUES (1, 'a');",
  );
  await f.write(f.src, {
    "1_update.up.sql": "ALTER TABLE items ADD COLUMN size INTEGER;",
    "2_update.up.sql": "ALTER TABLE items ADD COLUMN owner TEXT;\n" +
      "UPDATE items SET owner = 'root';\n" +
      "CREATE TABLE extra (x);\n" +
      "INSERT INTO no_such_table VALUES (1);\n",
    "3_update.up.sql": "CREATE TABLE three (x);",
  });
  const migration = await f.migration();
  const before = f.rows("SELECT sql FROM sqlite_schema ORDER BY name");
  await assert.rejects(migration.migrateToVersion(3), {
    kind: "failed",
    script: "2_update.up.sql",
    message: /no such table: no_such_table/,
  });
  assert.equal(await migration.getCurrentVersion(), 1);
  assert.deepEqual(f.rows("SELECT name FROM pragma_table_info('items') ORDER BY cid"), [
    ["id"],
    ["name"],
    ["size"],
  ]);
  assert.ok(!f.tables().includes("extra") && !f.tables().includes("three"));
  assert.notDeepEqual(f.rows("SELECT sql FROM sqlite_schema ORDER BY name"), before);
  assert.deepEqual(f.rows("SELECT version FROM SchemaMigrations"), [[1]]);
  assert.equal(f.db.isTransaction, false);
  // The connection is usable, and a fixed script finishes the job.
  f.db.exec("CREATE TABLE no_such_table (x);");
  await migration.migrateToVersion(3);
  assert.equal(await migration.getCurrentVersion(), 3);
});

Deno.test("a script wrapped in BEGIN ... COMMIT runs inside the step's transaction", async () => {
  await using f = await fixture();
  f.db.exec("CREATE TABLE t (id INTEGER);");
  await f.write(f.src, {
    "1_update.up.sql": "BEGIN TRANSACTION;\nALTER TABLE t ADD COLUMN name TEXT;\nCOMMIT;\n",
    "2_update.up.sql": "begin immediate transaction; create table u (x); end transaction;",
  });
  const migration = await f.migration();
  await migration.migrateToVersion(2);
  assert.equal(await migration.getCurrentVersion(), 2);
  assert.ok(f.tables().includes("u"));
});

Deno.test("a failing script inside its own transaction is rolled back, no transaction stays open", async () => {
  await using f = await fixture();
  await f.write(f.src, {
    "1_update.up.sql":
      "BEGIN TRANSACTION; CREATE TABLE b (x); INSERT INTO nosuch VALUES (1); COMMIT;",
  });
  const migration = await f.migration();
  await assert.rejects(migration.migrateToVersion(1), {
    kind: "failed",
    message: /no such table: nosuch/,
  });
  assert.equal(await migration.getCurrentVersion(), 0);
  assert.ok(!f.tables().includes("b"));
  assert.equal(f.db.isTransaction, false);
});

Deno.test("a script's own ROLLBACK undoes its transaction and the step still counts", async () => {
  await using f = await fixture();
  await f.write(f.src, {
    "1_update.up.sql": "BEGIN; CREATE TABLE undone (x); ROLLBACK; CREATE TABLE kept (x);",
  });
  const migration = await f.migration();
  await migration.migrateToVersion(1);
  assert.ok(f.tables().includes("kept"));
  assert.ok(!f.tables().includes("undone"));
});

Deno.test("scripts SQLite would reject stay rejected: nested BEGIN, COMMIT without BEGIN", async () => {
  const cases = [
    ["BEGIN; BEGIN; CREATE TABLE y (a); COMMIT; COMMIT;", /within a transaction/],
    ["CREATE TABLE y (a); COMMIT;", /no such savepoint/],
    ["CREATE TABLE y (a); ROLLBACK;", /no such savepoint/],
  ] as const;
  for (const [script, message] of cases) {
    await using f = await fixture();
    await f.write(f.src, { "1_update.up.sql": script });
    const migration = await f.migration();
    await assert.rejects(migration.migrateToVersion(1), { kind: "failed", message }, script);
    assert.ok(!f.tables().includes("y"), script);
    assert.equal(await migration.getCurrentVersion(), 0);
    assert.equal(f.db.isTransaction, false);
  }
});

Deno.test("triggers with BEGIN ... END bodies and CASE ... END are not mistaken for transactions", async () => {
  await using f = await fixture();
  await f.write(f.src, {
    "1_update.up.sql": `BEGIN;
CREATE TABLE src (v INTEGER);
CREATE TABLE log (kind TEXT);
CREATE TRIGGER classify AFTER INSERT ON src BEGIN
  INSERT INTO log VALUES (CASE WHEN new.v > 0 THEN 'pos' ELSE 'neg' END);
END;
COMMIT;`,
  });
  const migration = await f.migration();
  await migration.migrateToVersion(1);
  f.db.exec("INSERT INTO src VALUES (1), (-1);");
  assert.deepEqual(f.rows("SELECT kind FROM log ORDER BY rowid"), [["pos"], ["neg"]]);
});

Deno.test("transactional: false leaves a failing plain script's earlier statements, as AosCore", async () => {
  await using f = await fixture();
  await f.write(f.src, {
    "1_update.up.sql": "CREATE TABLE one (x);",
    "2_update.up.sql": "CREATE TABLE a (x); CREATE TABLE a (x);",
  });
  const migration = await f.migration({ transactional: false });
  await assert.rejects(migration.migrateToVersion(2), {
    kind: "failed",
    script: "2_update.up.sql",
  });
  assert.equal(await migration.getCurrentVersion(), 1);
  assert.ok(f.tables().includes("a"), "statements before the failing one stay applied");
});

Deno.test("transactional: false rolls back the transaction a failing script left open", async () => {
  await using f = await fixture();
  await f.write(f.src, {
    "1_update.up.sql":
      "BEGIN TRANSACTION; CREATE TABLE b (x); INSERT INTO nosuch VALUES (1); COMMIT;",
  });
  const migration = await f.migration({ transactional: false });
  await assert.rejects(migration.migrateToVersion(1), { kind: "failed" });
  assert.equal(f.db.isTransaction, false);
  assert.ok(!f.tables().includes("b"));
  assert.equal(await migration.getCurrentVersion(), 0);
});

Deno.test("transactional: false runs what a transaction forbids, such as a journal mode change", async () => {
  await using f = await fixture();
  await f.write(f.src, { "1_update.up.sql": "PRAGMA journal_mode = WAL;" });
  await assert.rejects((await f.migration()).migrateToVersion(1), {
    kind: "failed",
    message: /cannot change into wal mode from within a transaction/,
  });
  const migration = await f.migration({ transactional: false });
  await migration.migrateToVersion(1);
  assert.equal(await migration.getCurrentVersion(), 1);
  assert.deepEqual(f.rows("PRAGMA journal_mode"), [["wal"]]);
});

Deno.test("transactional: false refuses a script that leaves its transaction open", async () => {
  await using f = await fixture();
  await f.write(f.src, { "1_update.up.sql": "BEGIN; CREATE TABLE t (x);" });
  const migration = await f.migration({ transactional: false });
  await assert.rejects(migration.migrateToVersion(1), {
    kind: "failed",
    message: /cannot start a transaction within a transaction/,
  });
  assert.equal(f.db.isTransaction, false);
  assert.ok(!f.tables().includes("t"));
});
