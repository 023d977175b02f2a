// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The workload of the migration benchmarks: a database holding about 100 MB
// of rows, 200 shipped up scripts, and the four ways of applying them that
// the benchmarks compare.
import { execFileSync, spawnSync } from "node:child_process";
import { copyFile, mkdir, mkdtemp, open, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { Migration } from "../migration/mod.ts";

export const STEPS = 200;
const ROWS = 400_000; // about 100 MB with the payload below

/** Whether the sqlite3 CLI is installed. */
export const hasCli: boolean = spawnSync("sqlite3", ["-version"]).status === 0;

// The body of step k, without the BEGIN/COMMIT the shipped file wraps it in:
// mostly schema changes, a data update every 20 steps, an index every 100.
function body(k: number): string {
  if (k % 100 === 0) return `CREATE INDEX records_created_${k} ON records (created, id);`;
  if (k % 20 === 10) {
    return `UPDATE records SET name = name || '+' WHERE id % 1000 = ${k % 1000};`;
  }
  if (k % 2 === 1) return `ALTER TABLE records ADD COLUMN c${k} INTEGER NOT NULL DEFAULT 0;`;
  return `CREATE TABLE aux${k} (id INTEGER PRIMARY KEY, note TEXT);\n` +
    `INSERT INTO aux${k} VALUES (1, 'step ${k}');`;
}

const steps = Array.from({ length: STEPS }, (_, i) => i + 1);

// The sqlite3 CLI applying the scripts as AosCore does: each script verbatim
// (its own transaction), then the version update: a commit per step.
const aosCoreSql = steps.map((k) =>
  `BEGIN TRANSACTION;\n${body(k)}\nCOMMIT;\nUPDATE SchemaVersion SET version = ${k};\n`
).join("");

// The statements the module runs: foreign keys off, one write transaction,
// a savepoint per step holding the script (its transaction as a savepoint),
// the foreign key check, the version update and the checksum row.
const sameSql = "PRAGMA foreign_keys = OFF;\nBEGIN IMMEDIATE;\nPRAGMA foreign_key_check;\n" +
  steps.map((k) =>
    `SAVEPOINT s;\nSAVEPOINT t;\n${body(k)}\nRELEASE t;\nPRAGMA foreign_key_check;\n` +
    `UPDATE SchemaVersion SET version = ${k};\n` +
    `INSERT OR REPLACE INTO SchemaMigrations VALUES (${k}, '${k}_update.up.sql', ` +
    `'${"0".repeat(64)}', '2026-01-01T00:00:00.000Z');\nRELEASE s;\n`
  ).join("") + "COMMIT;\nPRAGMA foreign_keys = ON;\n";

/** A workload on disk; `dispose` removes it. */
export interface Workload extends AsyncDisposable {
  /** The temporary directory holding everything. */
  root: string;
  /** Size of the database, in MiB. */
  megabytes: number;
  /** Copies the pristine database to the working file and syncs it (not timed). */
  reset(): Promise<void>;
  /** The runs, each from a reset database to version 200. */
  module(): Promise<void>;
  rawExec(): void;
  cliSame(): void;
  cliAosCore(): void;
}

/** Builds the database and the scripts in a temporary directory. */
export async function workload(): Promise<Workload> {
  const root = await mkdtemp(join(tmpdir(), "aos-migration-bench-"));
  const base = join(root, "base.db");
  const shipped = join(root, "shipped");
  const merged = join(root, "merged");
  const work = join(root, "work.db");
  await mkdir(shipped);
  for (const k of steps) {
    await writeFile(
      join(shipped, `${k}_update.up.sql`),
      `BEGIN TRANSACTION;\n${body(k)}\nCOMMIT;\n`,
    );
  }
  const db = new DatabaseSync(base);
  db.exec(
    "CREATE TABLE records (id INTEGER PRIMARY KEY, name TEXT, created INTEGER, payload BLOB);" +
      "BEGIN;" +
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${ROWS}) ` +
      "INSERT INTO records SELECT i, 'record-' || i, 1700000000 + i, randomblob(220) FROM n;" +
      "COMMIT;",
  );
  // The version tables and the merge are done once, as on a device at start-up.
  await Migration.create(db, { migrationDir: shipped, mergedMigrationDir: merged });
  db.close();

  const check = (version: unknown) => {
    if (Number(version) !== STEPS) throw new Error(`migration stopped at version ${version}`);
  };
  const cli = (sql: string) => {
    execFileSync("sqlite3", ["-bail", work], { input: sql, stdio: ["pipe", "ignore", "inherit"] });
    check(
      execFileSync("sqlite3", [work, "SELECT version FROM SchemaVersion;"], { encoding: "utf8" }),
    );
  };
  return {
    root,
    megabytes: Math.round((await stat(base)).size / 2 ** 20),
    async reset() {
      await copyFile(base, work);
      const handle = await open(work, "r+");
      await handle.sync();
      await handle.close();
    },
    async module() {
      const db = new DatabaseSync(work);
      try {
        const migration = await Migration.create(db, {
          migrationDir: shipped,
          mergedMigrationDir: merged,
        });
        await migration.migrateToVersion(STEPS);
        check(await migration.getCurrentVersion());
      } finally {
        db.close();
      }
    },
    rawExec() {
      const db = new DatabaseSync(work);
      try {
        db.exec(sameSql);
      } finally {
        db.close();
      }
    },
    cliSame: () => cli(sameSql),
    cliAosCore: () => cli(aosCoreSql),
    async [Symbol.asyncDispose]() {
      await rm(root, { recursive: true, force: true });
    },
  };
}
