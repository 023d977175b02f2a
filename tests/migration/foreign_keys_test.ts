// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Foreign keys during a migration: SQLite's table-rebuild recipe keeps the
// child rows, a step that leaves a dangling reference is rolled back, and the
// caller's foreign key setting is restored whatever happens.
import assert from "node:assert/strict";
import { fixture } from "./_fixture.ts";

const SCHEMA = `
CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE child (id INTEGER PRIMARY KEY,
  parent_id INTEGER NOT NULL REFERENCES parent (id) ON DELETE CASCADE);
INSERT INTO parent VALUES (1, 'a'), (2, 'b');
INSERT INTO child VALUES (10, 1), (11, 1), (12, 2);
`;

// SQLite's own recipe for a schema change SQLite's ALTER TABLE cannot make.
const REBUILD = `PRAGMA foreign_keys=OFF;
BEGIN;
CREATE TABLE parent_new (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT '');
INSERT INTO parent_new SELECT id, name FROM parent;
DROP TABLE parent;
ALTER TABLE parent_new RENAME TO parent;
COMMIT;
PRAGMA foreign_keys=ON;
`;

function foreignKeys(f: { rows(sql: string): unknown[][] }): unknown {
  return f.rows("PRAGMA foreign_keys")[0]![0];
}

Deno.test("the table-rebuild recipe keeps every child row (ON DELETE CASCADE)", async () => {
  await using f = await fixture();
  f.db.exec(SCHEMA);
  assert.equal(foreignKeys(f), 1, "node:sqlite opens with foreign keys on");
  await f.write(f.src, { "1_update.up.sql": REBUILD });
  const migration = await f.migration();
  await migration.migrateToVersion(1);
  assert.equal(await migration.getCurrentVersion(), 1);
  assert.deepEqual(f.rows("SELECT id, parent_id FROM child ORDER BY id"), [
    [10, 1],
    [11, 1],
    [12, 2],
  ]);
  assert.deepEqual(f.rows(`SELECT name FROM pragma_table_info('parent') WHERE "notnull" = 1`), [
    ["name"],
  ]);
  assert.equal(foreignKeys(f), 1, "the caller's setting is back");
  // The rebuilt parent still cascades.
  f.db.exec("DELETE FROM parent WHERE id = 1;");
  assert.deepEqual(f.rows("SELECT id FROM child ORDER BY id"), [[12]]);
});

Deno.test("a step that leaves a dangling reference is rolled back, naming table and row", async () => {
  await using f = await fixture();
  f.db.exec(SCHEMA);
  await f.write(f.src, {
    "1_update.up.sql": "CREATE TABLE one (x);",
    "2_update.up.sql": "CREATE TABLE two (x); DELETE FROM parent WHERE id = 2;",
  });
  const migration = await f.migration();
  await assert.rejects(migration.migrateToVersion(2), {
    name: "MigrationError",
    kind: "failed",
    script: "2_update.up.sql",
    version: 2,
    message: /row 12 of table child references a missing row of parent/,
  });
  assert.equal(await migration.getCurrentVersion(), 1);
  assert.ok(f.tables().includes("one"));
  assert.ok(!f.tables().includes("two"));
  assert.deepEqual(f.rows("SELECT id FROM parent ORDER BY id"), [[1], [2]]);
  assert.equal(f.db.isTransaction, false);
  assert.equal(foreignKeys(f), 1);
});

Deno.test("a caller's foreign keys off stay off, and are not checked", async () => {
  await using f = await fixture();
  f.db.exec("PRAGMA foreign_keys = OFF;" + SCHEMA);
  await f.write(f.src, { "1_update.up.sql": "DELETE FROM parent WHERE id = 2;" + REBUILD });
  const migration = await f.migration();
  await migration.migrateToVersion(1);
  assert.equal(await migration.getCurrentVersion(), 1);
  assert.equal(foreignKeys(f), 0, "the script's PRAGMA foreign_keys=ON did not stick");
  assert.deepEqual(f.rows("SELECT id FROM child ORDER BY id"), [[10], [11], [12]]);
});

Deno.test("foreign keys come back on after a failing step", async () => {
  await using f = await fixture();
  f.db.exec(SCHEMA);
  await f.write(f.src, { "1_update.up.sql": "DROP TABLE parent; INSERT INTO nosuch VALUES (1);" });
  const migration = await f.migration();
  await assert.rejects(migration.migrateToVersion(1), { kind: "failed", message: /nosuch/ });
  assert.equal(foreignKeys(f), 1);
  assert.deepEqual(f.rows("SELECT count(*) FROM child"), [[3]]);
});

Deno.test("a dangling reference the database already had does not fail the migration", async () => {
  await using f = await fixture();
  f.db.exec(SCHEMA);
  f.db.exec(
    "PRAGMA foreign_keys = OFF; INSERT INTO child VALUES (13, 99); PRAGMA foreign_keys = ON;",
  );
  await f.write(f.src, { "1_update.up.sql": REBUILD });
  const migration = await f.migration();
  await migration.migrateToVersion(1);
  assert.deepEqual(f.rows("SELECT id FROM child ORDER BY id"), [[10], [11], [12], [13]]);
  assert.equal(foreignKeys(f), 1);
});
