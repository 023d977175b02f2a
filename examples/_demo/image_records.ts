// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * The unit's image-records database (SQLite, `node:sqlite`) and the
 * migration scripts each release of the unit ships: version 2 is what the
 * older release left on disk, version 3 (layers per image) is this one's.
 *
 * @module
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { Migration } from "../../migration/mod.ts";

/** The schema version of the older release. */
export const OLD_VERSION = 2;
/** The schema version this release expects. */
export const CURRENT_VERSION = 3;

// Each version with its way back, as AosCore's releases ship them.
const SCRIPTS: Record<string, string> = {
  "1_update.up.sql": "CREATE TABLE images (id TEXT NOT NULL, version TEXT NOT NULL, " +
    "size INTEGER NOT NULL, PRIMARY KEY (id, version));",
  "1_update.down.sql": "DROP TABLE images;",
  "2_update.up.sql": "ALTER TABLE images ADD COLUMN state TEXT NOT NULL DEFAULT 'installed';",
  "2_update.down.sql": "ALTER TABLE images DROP COLUMN state;",
  "3_update.up.sql": "CREATE TABLE layers (digest TEXT NOT NULL, image TEXT NOT NULL, " +
    "version TEXT NOT NULL, size INTEGER NOT NULL, PRIMARY KEY (digest, image, version));",
  "3_update.down.sql": "DROP TABLE layers;",
};

/** An open database with its migrator. */
export interface ImageRecords extends Disposable {
  /** The database. */
  db: DatabaseSync;
  /** Its migrator. */
  migration: Migration;
}

/**
 * Opens (creating it when missing) `image-records.db` in `dir` with the
 * scripts of a release whose schema is `upTo`, and migrates it there.
 *
 * @param dir The unit's state directory.
 * @param upTo The release's schema version.
 * @param onApplied Told about each script applied.
 * @returns The database; dispose of it to close it.
 */
export async function openImageRecords(
  dir: string,
  upTo: number,
  onApplied?: (script: string, version: number) => void,
): Promise<ImageRecords> {
  const shipped = join(dir, `migration-v${upTo}`);
  await mkdir(shipped, { recursive: true });
  for (const [name, sql] of Object.entries(SCRIPTS)) {
    if (Number(name.split("_")[0]) <= upTo) await writeFile(join(shipped, name), sql);
  }
  const db = new DatabaseSync(join(dir, "image-records.db"));
  try {
    const migration = await Migration.create(db, {
      migrationDir: shipped,
      mergedMigrationDir: join(dir, "migration"),
    });
    await migration.migrateToVersion(upTo, {
      onProgress: (p) => {
        if (p.phase === "done") onApplied?.(p.step.script, p.step.to);
      },
    });
    return { db, migration, [Symbol.dispose]: () => db.close() };
  } catch (err) {
    db.close();
    throw err;
  }
}
