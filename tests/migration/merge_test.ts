// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Merging the shipped scripts into the merged directory: copy what is
// missing, never overwrite, never delete.
import assert from "node:assert/strict";
import { readdir, readFile, stat, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fixture } from "./_fixture.ts";

Deno.test("merge copies the files the merged directory lacks", async () => {
  await using f = await fixture();
  await f.write(f.src, {
    "1_update.up.sql": "CREATE TABLE a (x);",
    "2_update.up.sql": "CREATE TABLE b (x);",
    "2_update.down.sql": "DROP TABLE b;",
  });
  await f.write(f.merged, { "1_update.up.sql": "CREATE TABLE a (x);" });
  const migration = await f.migration();
  assert.deepEqual(migration.copied, ["2_update.down.sql", "2_update.up.sql"]);
  assert.deepEqual(migration.conflicts, []);
  assert.deepEqual((await readdir(f.merged)).sort(), [
    "1_update.up.sql",
    "2_update.down.sql",
    "2_update.up.sql",
  ]);
});

Deno.test("merge never overwrites, and the merged copy is the one that runs", async () => {
  await using f = await fixture();
  await f.write(f.merged, { "1_update.up.sql": "CREATE TABLE from_merged (x);" });
  await f.write(f.src, { "1_update.up.sql": "CREATE TABLE from_shipped (x);" });
  const migration = await f.migration();
  assert.deepEqual(migration.conflicts, ["1_update.up.sql"]);
  assert.equal(
    await readFile(join(f.merged, "1_update.up.sql"), "utf8"),
    "CREATE TABLE from_merged (x);",
  );
  await migration.migrateToVersion(1);
  assert.ok(f.tables().includes("from_merged"));
  assert.ok(!f.tables().includes("from_shipped"));
});

Deno.test("merge never deletes, and copies sub-directories", async () => {
  await using f = await fixture();
  await f.write(f.merged, { "9_update.down.sql": "DROP TABLE nine;" });
  await f.write(f.src, { "sub/x.sql": "SELECT 1;", "sub/deeper/y.txt": "y", "dummy.txt": "d" });
  const migration = await f.migration();
  assert.deepEqual(migration.copied, [
    "dummy.txt",
    join("sub", "deeper", "y.txt"),
    join("sub", "x.sql"),
  ]);
  assert.equal(await readFile(join(f.merged, "9_update.down.sql"), "utf8"), "DROP TABLE nine;");
  assert.equal(await readFile(join(f.merged, "sub", "x.sql"), "utf8"), "SELECT 1;");
  assert.equal(await readFile(join(f.merged, "sub", "deeper", "y.txt"), "utf8"), "y");
  // Only the top level holds scripts, and the merge leaves no temporary files behind.
  assert.deepEqual((await readdir(f.merged)).sort(), ["9_update.down.sql", "dummy.txt", "sub"]);
});

Deno.test("merge follows symbolic links and copies their targets as regular files", async () => {
  await using f = await fixture();
  await f.write(f.root, { "elsewhere/1.sql": "CREATE TABLE linked (x);" });
  await symlink(join(f.root, "elsewhere", "1.sql"), join(f.src, "1_update.up.sql"));
  await symlink(join(f.root, "elsewhere"), join(f.src, "dir"));
  await symlink(f.src, join(f.src, "loop"));
  const migration = await f.migration();
  assert.ok((await stat(join(f.merged, "1_update.up.sql"))).isFile());
  assert.equal(await readFile(join(f.merged, "dir", "1.sql"), "utf8"), "CREATE TABLE linked (x);");
  await migration.migrateToVersion(1);
  assert.ok(f.tables().includes("linked"));
});

Deno.test("a missing migration directory is invalidArgument and creates nothing", async () => {
  await using f = await fixture();
  const missing = join(f.root, "no-such-dir");
  await assert.rejects(f.migration({ migrationDir: missing }), {
    name: "MigrationError",
    kind: "invalidArgument",
    message: `Migration path ${missing} doesn't exist`,
  });
  await assert.rejects(stat(f.merged), { code: "ENOENT" });
  assert.deepEqual(f.tables(), []);
});

Deno.test("refuses a file as the migration directory and empty directory options", async () => {
  await using f = await fixture();
  await writeFile(join(f.root, "file"), "");
  await assert.rejects(f.migration({ migrationDir: join(f.root, "file") }), {
    kind: "invalidArgument",
    message: /is not a directory/,
  });
  await assert.rejects(f.migration({ migrationDir: "" }), {
    kind: "invalidArgument",
    message: 'Invalid migrationDir "": expected a directory path',
  });
  await assert.rejects(f.migration({ mergedMigrationDir: "" }), {
    kind: "invalidArgument",
    message: /Invalid mergedMigrationDir ""/,
  });
  await assert.rejects(f.migration({ mergedMigrationDir: join(f.src, "merged") }), {
    kind: "invalidArgument",
    message: /must not be inside migration path/,
  });
});

Deno.test("a malformed script name is refused before anything is copied", async () => {
  for (
    const bad of [
      "01_update.up.sql",
      "1_update.UP.sql",
      "1-update.up.sql",
      "1_update.up.SQL",
      "v1_update.down.sql",
      "1.up.sql",
    ]
  ) {
    await using f = await fixture();
    await f.write(f.src, { "1_update.up.sql": "SELECT 1;", [bad]: "SELECT 1;" });
    await assert.rejects(f.migration(), {
      kind: "invalidArgument",
      script: bad,
      message: new RegExp(`^Malformed migration script name "${bad.replaceAll(".", "\\.")}" in `),
    }, bad);
    assert.deepEqual(await readdir(f.merged).catch(() => []), [], bad);
  }
});

Deno.test("names that do not look like scripts are copied and ignored", async () => {
  await using f = await fixture();
  await f.write(f.src, {
    "schema.sql": "not sql at all",
    "README": "x",
    "1_update.up.sql": "CREATE TABLE a (x);",
  });
  const migration = await f.migration();
  await migration.migrateToVersion(1);
  assert.deepEqual((await readdir(f.merged)).sort(), ["1_update.up.sql", "README", "schema.sql"]);
});

Deno.test("relative directories resolve against the working directory once", async () => {
  await using f = await fixture();
  const migration = await f.migration({ migrationDir: join(f.src, "..", "shipped") });
  assert.equal(migration.migrationDir, f.src);
  assert.equal(migration.mergedMigrationDir, f.merged);
});

Deno.test("the same directory as source and merged directory is a merge with nothing to do", async () => {
  await using f = await fixture();
  await f.write(f.src, { "1_update.up.sql": "CREATE TABLE a (x);" });
  const migration = await f.migration({ mergedMigrationDir: f.src });
  assert.deepEqual([migration.copied, migration.conflicts], [[], []]);
  await migration.migrateToVersion(1);
  assert.equal(await migration.getCurrentVersion(), 1);
});
