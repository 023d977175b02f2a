// Copyright 2026 the aos-common authors. Apache-2.0 license.
// A database migrated alternately by AosCore's way of doing it (the sqlite3
// CLI, on the system's SQLite library, running AosCore's exact statements)
// and by this module.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { Migration } from "../../migration/mod.ts";
import { fixture } from "./_fixture.ts";

const available = spawnSync("sqlite3", ["-version"]).status === 0;
// The brief asks for the reason of an ignored test to be printed.
// deno-lint-ignore no-console
if (!available) console.warn("interop_test: the sqlite3 CLI is missing (apt-get install sqlite3)");

function cli(db: string, sql: string): string {
  return execFileSync("sqlite3", ["-bail", db], { input: sql, encoding: "utf8" }).trim();
}

Deno.test({
  name: "a database migrated by AosCore's statements and by this module, in turns, stays coherent",
  ignore: !available,
  async fn() {
    await using f = await fixture();
    f.db.close();
    for (const v of [1, 2, 3]) {
      await f.write(f.src, {
        [`${v}_update.up.sql`]: `BEGIN TRANSACTION;\nCREATE TABLE t${v} (x);\nCOMMIT;\n`,
        [`${v}_update.down.sql`]: `DROP TABLE t${v};`,
      });
    }
    // AosCore: create the table, seed it, run script 1, then bump the version.
    cli(
      f.dbPath,
      "CREATE TABLE IF NOT EXISTS SchemaVersion (version INTEGER);\n" +
        "INSERT INTO SchemaVersion (version) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM SchemaVersion);\n" +
        (await readFile(join(f.src, "1_update.up.sql"), "utf8")) +
        "UPDATE SchemaVersion SET version = 1;",
    );
    const db = new DatabaseSync(f.dbPath);
    try {
      const opts = { migrationDir: f.src, mergedMigrationDir: f.merged };
      let migration = await Migration.create(db, opts);
      assert.equal(await migration.getCurrentVersion(), 1);
      await migration.migrateToVersion(3);
      assert.equal(cli(f.dbPath, "SELECT version FROM SchemaVersion LIMIT 1;"), "3");

      // AosCore rolls back to 2 from the merged directory, unaware of SchemaMigrations.
      cli(
        f.dbPath,
        (await readFile(join(f.merged, "3_update.down.sql"), "utf8")) +
          "\nUPDATE SchemaVersion SET version = 2;",
      );
      migration = await Migration.create(db, opts);
      assert.equal(await migration.getCurrentVersion(), 2);
      await migration.migrateToVersion(3);
      assert.equal(cli(f.dbPath, "SELECT version FROM SchemaVersion LIMIT 1;"), "3");
      assert.equal(cli(f.dbPath, "SELECT count(*) FROM SchemaVersion;"), "1");
      assert.equal(cli(f.dbPath, "PRAGMA integrity_check;"), "ok");
      assert.equal(
        cli(
          f.dbPath,
          "SELECT group_concat(name) FROM (SELECT name FROM sqlite_schema WHERE name LIKE 't_' ORDER BY name);",
        ),
        "t1,t2,t3",
      );
    } finally {
      db.close();
    }
  },
});
