// Copyright 2026 the aos-common authors. Apache-2.0 license.
// A temporary directory per test: shipped and merged script directories and
// a SQLite database file, all removed on dispose.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { Migration, type MigrationOptions } from "../../migration/mod.ts";

export interface Fixture extends AsyncDisposable {
  root: string;
  /** The shipped directory (`migrationDir`). */
  src: string;
  /** The merged directory (`mergedMigrationDir`); not created until a merge. */
  merged: string;
  dbPath: string;
  db: DatabaseSync;
  /** Writes `files` (name → content) below `dir`. */
  write(dir: string, files: Record<string, string>): Promise<void>;
  /** `Migration.create` on the fixture's database and directories. */
  migration(options?: Partial<MigrationOptions>): Promise<Migration>;
  /** Runs a query and returns the rows as arrays. */
  rows(sql: string): unknown[][];
  /** Names of the tables in the database. */
  tables(): string[];
}

export async function fixture(): Promise<Fixture> {
  const root = await mkdtemp(join(tmpdir(), "aos-migration-test-"));
  const src = join(root, "shipped");
  await mkdir(src);
  const dbPath = join(root, "test.db");
  const db = new DatabaseSync(dbPath, { timeout: 0 });
  const f: Fixture = {
    root,
    src,
    merged: join(root, "merged"),
    dbPath,
    db,
    async write(dir, files) {
      for (const [name, content] of Object.entries(files)) {
        await mkdir(dirname(join(dir, name)), { recursive: true });
        await writeFile(join(dir, name), content);
      }
    },
    migration(options = {}) {
      return Migration.create(db, { migrationDir: src, mergedMigrationDir: f.merged, ...options });
    },
    rows(sql) {
      const statement = db.prepare(sql);
      (statement as unknown as { setReturnArrays(on: boolean): void }).setReturnArrays(true);
      return statement.all() as unknown as unknown[][];
    },
    tables() {
      return f.rows("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
        .map((r) => String(r[0]));
    },
    async [Symbol.asyncDispose]() {
      if (db.isOpen) db.close();
      await rm(root, { recursive: true, force: true });
    },
  };
  return f;
}
