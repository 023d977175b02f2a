// Copyright 2026 the aos-common authors. Apache-2.0 license.
// deno-lint-ignore-file no-console
/**
 * Demo step: the demo's image-records database, created and migrated by the
 * migration module, then rolled back the way an older release would.
 *
 * @module
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { Migration } from "../../migration/mod.ts";

/** The schema version this demo software expects. */
export const IMAGE_RECORDS_VERSION = 3;

// The scripts this "release" ships: version 1..3, each with its way back.
const SCRIPTS: Record<string, string> = {
  "1_update.up.sql": "CREATE TABLE images (digest TEXT PRIMARY KEY, name TEXT NOT NULL, " +
    "size INTEGER NOT NULL);",
  "1_update.down.sql": "DROP TABLE images;",
  "2_update.up.sql": "BEGIN TRANSACTION;\n" +
    "ALTER TABLE images ADD COLUMN state TEXT NOT NULL DEFAULT 'installed';\n" +
    "CREATE INDEX images_state ON images (state);\nCOMMIT;\n",
  "2_update.down.sql": "DROP INDEX images_state;\nALTER TABLE images DROP COLUMN state;",
  "3_update.up.sql": "CREATE TABLE layers (digest TEXT PRIMARY KEY, image TEXT NOT NULL " +
    "REFERENCES images (digest), size INTEGER NOT NULL);",
  "3_update.down.sql": "DROP TABLE layers;",
};

/**
 * Opens (creating it when missing) the image-records database in `workDir`
 * and brings it to {@linkcode IMAGE_RECORDS_VERSION}.
 *
 * @param workDir The directory of the database and of its migration scripts.
 * @returns The open database and its migrator.
 */
export async function openImageRecords(
  workDir: string,
): Promise<{ db: DatabaseSync; migration: Migration }> {
  const shipped = join(workDir, "shipped-migration");
  await mkdir(shipped, { recursive: true });
  for (const [name, sql] of Object.entries(SCRIPTS)) await writeFile(join(shipped, name), sql);
  const db = new DatabaseSync(join(workDir, "image-records.db"));
  try {
    const migration = await Migration.create(db, {
      migrationDir: shipped,
      mergedMigrationDir: join(workDir, "migration"),
    });
    await migration.migrateToVersion(IMAGE_RECORDS_VERSION, {
      onProgress: (p) => {
        if (p.phase === "done") console.log(`  applied ${p.step.script} -> version ${p.step.to}`);
      },
    });
    return { db, migration };
  } catch (err) {
    db.close();
    throw err;
  }
}

/** Creates, fills, rolls back and re-upgrades the image-records database. */
export async function migrationDemo(): Promise<void> {
  const workDir = await mkdtemp(join(tmpdir(), "aos-demo-migration-"));
  try {
    const { db, migration } = await openImageRecords(workDir);
    try {
      console.log(`image-records.db at schema version ${await migration.getCurrentVersion()}`);
      const insert = db.prepare("INSERT INTO images (digest, name, size) VALUES (?, ?, ?)");
      insert.run("sha256:1f2e", "nginx:1.27", 71_000_000);
      insert.run("sha256:9ab0", "telemetry:2.4", 12_500_000);
      const rows = db.prepare("SELECT name, state FROM images ORDER BY name").all();
      console.log(`records: ${rows.map((r) => `${r.name} (${r.state})`).join(", ")}`);

      const plan = await migration.plan(1);
      console.log(
        `an older release wants version 1: ${plan.steps.map((s) => s.script).join(", ")}`,
      );
      await migration.migrateToVersion(1);
      const kept = db.prepare("SELECT count(*) AS n FROM images").get()!.n;
      console.log(
        `rolled back to version ${await migration.getCurrentVersion()}, ${kept} records kept`,
      );
      await migration.migrateToVersion(IMAGE_RECORDS_VERSION);
      console.log(`upgraded again to version ${await migration.getCurrentVersion()}`);
    } finally {
      db.close();
    }
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
