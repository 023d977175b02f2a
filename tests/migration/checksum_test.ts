// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Drift detection through the checksums recorded in SchemaMigrations, and
// the dry run.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { MigrationConflict } from "../../migration/mod.ts";
import { fixture } from "./_fixture.ts";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

Deno.test("records the SHA-256 of every applied up script and forgets it on the way down", async () => {
  await using f = await fixture();
  await f.write(f.src, {
    "1_update.up.sql": "CREATE TABLE a (x);",
    "2_update.up.sql": "CREATE TABLE b (x);",
    "2_update.down.sql": "DROP TABLE b;",
  });
  const migration = await f.migration();
  await migration.migrateToVersion(2);
  assert.deepEqual(
    f.rows("SELECT version, script, sha256 FROM SchemaMigrations ORDER BY version"),
    [
      [1, "1_update.up.sql", sha256("CREATE TABLE a (x);")],
      [2, "2_update.up.sql", sha256("CREATE TABLE b (x);")],
    ],
  );
  const appliedAt = String(f.rows("SELECT appliedAt FROM SchemaMigrations")[0]![0]);
  assert.ok(!Number.isNaN(Date.parse(appliedAt)), appliedAt);
  await migration.migrateToVersion(1);
  assert.deepEqual(f.rows("SELECT version FROM SchemaMigrations"), [[1]]);
});

Deno.test("an applied script changed afterwards is refused as drift", async () => {
  await using f = await fixture();
  await f.write(f.src, {
    "1_update.up.sql": "CREATE TABLE a (x);",
    "2_update.up.sql": "CREATE TABLE b (x);",
  });
  const migration = await f.migration();
  await migration.migrateToVersion(1);
  await writeFile(join(f.merged, "1_update.up.sql"), "CREATE TABLE a (x, y);");
  await assert.rejects(migration.migrateToVersion(2), {
    name: "MigrationError",
    kind: "invalidChecksum",
    script: "1_update.up.sql",
    version: 1,
    message: `Migration script 1_update.up.sql in ${f.merged} changed after being applied: ` +
      `1_update.up.sql was sha256 ${sha256("CREATE TABLE a (x);")}, is now ` +
      sha256("CREATE TABLE a (x, y);"),
  });
  // Also when nothing is to run, and in the dry run.
  await assert.rejects(migration.migrateToVersion(1), { kind: "invalidChecksum" });
  await assert.rejects(migration.plan(2), { kind: "invalidChecksum" });
  assert.equal(await migration.getCurrentVersion(), 1);
  assert.ok(!f.tables().includes("b"));

  const lenient = await f.migration({ verifyChecksums: false });
  await lenient.migrateToVersion(2);
  assert.equal(await lenient.getCurrentVersion(), 2);
});

Deno.test("a pending script whose shipped copy differs runs the merged copy and is reported (spec scenario 9)", async () => {
  await using f = await fixture();
  await f.write(f.merged, { "1_update.up.sql": "CREATE TABLE stale (x);" });
  await f.write(f.src, { "1_update.up.sql": "CREATE TABLE fixed (x);", "same.txt": "s" });
  await f.write(f.merged, { "same.txt": "s" });
  const reported: MigrationConflict[] = [];
  const migration = await f.migration({ onConflict: (c) => reported.push(c) });
  assert.deepEqual(migration.conflicts, ["1_update.up.sql"]);
  assert.deepEqual(reported, [{
    file: "1_update.up.sql",
    shipped: join(f.src, "1_update.up.sql"),
    merged: join(f.merged, "1_update.up.sql"),
  }]);
  await migration.migrateToVersion(1);
  assert.equal(await migration.getCurrentVersion(), 1);
  assert.deepEqual(f.tables().filter((t) => !t.startsWith("Schema")), ["stale"]);
  // The copy that ran is the one recorded, so it is no drift later.
  await migration.migrateToVersion(1);
});

Deno.test("strict refuses a pending script whose shipped copy differs", async () => {
  await using f = await fixture();
  await f.write(f.merged, { "1_update.up.sql": "CREATE TABLE stale (x);" });
  await f.write(f.src, { "1_update.up.sql": "CREATE TABLE fixed (x);" });
  const migration = await f.migration({ strict: true });
  await assert.rejects(migration.migrateToVersion(1), {
    kind: "invalidChecksum",
    script: "1_update.up.sql",
    message: new RegExp(`1_update.up.sql in ${f.merged} differs from the shipped copy`),
  });
  await assert.rejects(migration.plan(1), { kind: "invalidChecksum" });
  assert.equal(await migration.getCurrentVersion(), 0);
  assert.deepEqual(f.tables().filter((t) => !t.startsWith("Schema")), []);
});

Deno.test("a conflict in a script already applied passes while its text is what ran", async () => {
  await using f = await fixture();
  await f.write(f.src, { "1_update.up.sql": "CREATE TABLE a (x);" });
  await (await f.migration()).migrateToVersion(1);
  // The next release ships another text under the same name; the merged copy stays.
  await writeFile(join(f.src, "1_update.up.sql"), "CREATE TABLE a (x, y);");
  await f.write(f.src, { "2_update.up.sql": "CREATE TABLE b (x);" });
  const migration = await f.migration();
  assert.deepEqual(migration.conflicts, ["1_update.up.sql"]);
  await migration.migrateToVersion(2);
  assert.equal(await migration.getCurrentVersion(), 2);
});

Deno.test("a script applied before checksums were kept, or no longer present, passes", async () => {
  await using f = await fixture();
  f.db.exec("CREATE TABLE SchemaVersion (version INTEGER); INSERT INTO SchemaVersion VALUES (1);");
  await f.write(f.src, { "1_update.up.sql": "anything", "2_update.up.sql": "CREATE TABLE b (x);" });
  const migration = await f.migration();
  await migration.migrateToVersion(2);
  assert.deepEqual(f.rows("SELECT version FROM SchemaMigrations"), [[2]]);
  await rm(join(f.merged, "2_update.up.sql"));
  await migration.migrateToVersion(2);
});

Deno.test("plan lists the steps without running them", async () => {
  await using f = await fixture();
  for (const v of [1, 2, 3]) {
    await f.write(f.src, {
      [`${v}_update.up.sql`]: `CREATE TABLE t${v} (x);`,
      [`${v}_update.down.sql`]: `DROP TABLE t${v};`,
    });
  }
  const migration = await f.migration();
  const plan = await migration.plan(3);
  assert.deepEqual(
    plan.steps.map((s) => ({ ...s })),
    [1, 2, 3].map((v) => ({
      direction: "up",
      from: v - 1,
      to: v,
      script: `${v}_update.up.sql`,
      path: join(f.merged, `${v}_update.up.sql`),
      sha256: sha256(`CREATE TABLE t${v} (x);`),
    })),
  );
  assert.equal(await migration.getCurrentVersion(), 0);
  assert.deepEqual(f.tables(), ["SchemaMigrations", "SchemaVersion"]);
  assert.deepEqual(await migration.plan(0), { from: 0, to: 0, steps: [] });
  await migration.migrateToVersion(3);
  assert.deepEqual((await migration.plan(1)).steps.map((s) => s.script), [
    "3_update.down.sql",
    "2_update.down.sql",
  ]);
  await assert.rejects(migration.plan(5), { kind: "notFound", script: "4_update.up.sql" });
  await assert.rejects(migration.plan(-1), { kind: "invalidArgument" });
});
