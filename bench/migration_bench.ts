// Copyright 2026 the aos-common authors. Apache-2.0 license.
// 200 migration steps on a database holding 100 MB of rows, by this module
// and by the sqlite3 CLI (Debian package `sqlite3`) on the same scripts, in
// the same run. Each iteration starts from a fresh copy of the database; the
// copy is not timed.
//
//   deno task bench bench/migration_bench.ts
import { execFileSync, spawnSync } from "node:child_process";
import { copyFile, mkdir, mkdtemp, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { Migration } from "../migration/mod.ts";

const STEPS = 200;
const ITERATIONS = 8;
const ROWS = 400_000; // about 100 MB with the payload below
const hasCli = spawnSync("sqlite3", ["-version"]).status === 0;

const root = await mkdtemp(join(tmpdir(), "aos-migration-bench-"));
const base = join(root, "base.db");
const shipped = join(root, "shipped");
const merged = join(root, "merged");
const work = join(root, "work.db");

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

async function setUp(): Promise<void> {
  await mkdir(shipped);
  for (let k = 1; k <= STEPS; k++) {
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
  // Tables and merge done once: the bench times the migration proper.
  await Migration.create(db, { migrationDir: shipped, mergedMigrationDir: merged });
  db.close();
}

await setUp();
const megabytes = Math.round((await stat(base)).size / 2 ** 20);

// The sqlite3 CLI applying the same scripts as AosCore does: each script
// verbatim (its own transaction), then the version update, a commit per step.
const cliAosCore = Array.from(
  { length: STEPS },
  (_, i) =>
    `BEGIN TRANSACTION;\n${body(i + 1)}\nCOMMIT;\nUPDATE SchemaVersion SET version = ${i + 1};\n`,
).join("");

// The sqlite3 CLI running the statements this module runs: one write
// transaction, a savepoint per step with its version update and checksum row.
const cliSame = "BEGIN IMMEDIATE;\n" + Array.from({ length: STEPS }, (_, i) => {
  const k = i + 1;
  return `SAVEPOINT s;\nSAVEPOINT t;\n${body(k)}\nRELEASE t;\n` +
    `UPDATE SchemaVersion SET version = ${k};\n` +
    `INSERT OR REPLACE INTO SchemaMigrations VALUES (${k}, '${k}_update.up.sql', ` +
    `'${"0".repeat(64)}', '2026-01-01T00:00:00.000Z');\nRELEASE s;\n`;
}).join("") + "COMMIT;\n";

function runCli(sql: string): void {
  execFileSync("sqlite3", ["-bail", work], { input: sql, stdio: ["pipe", "ignore", "inherit"] });
}

function checkCli(): void {
  const version = execFileSync("sqlite3", [work, "SELECT version FROM SchemaVersion;"], {
    encoding: "utf8",
  });
  if (Number(version) !== STEPS) throw new Error(`sqlite3 stopped at version ${version}`);
}

const group = `${STEPS} steps on ${megabytes} MB`;

Deno.bench({
  name: "Migration.migrateToVersion (node:sqlite)",
  group,
  n: ITERATIONS,
  warmup: 1,
  async fn(b) {
    await copyFile(base, work);
    const db = new DatabaseSync(work);
    b.start();
    const migration = await Migration.create(db, {
      migrationDir: shipped,
      mergedMigrationDir: merged,
    });
    await migration.migrateToVersion(STEPS);
    b.end();
    if (await migration.getCurrentVersion() !== STEPS) throw new Error("migration incomplete");
    db.close();
  },
});

// The same statements as one exec on the same node:sqlite build: the engine's
// share of the time, without the module (the CLI is another SQLite version).
Deno.bench({
  name: "node:sqlite exec of the same statements, no module",
  group,
  n: ITERATIONS,
  warmup: 1,
  async fn(b) {
    await copyFile(base, work);
    const db = new DatabaseSync(work);
    b.start();
    db.exec(cliSame);
    b.end();
    db.close();
  },
});

function cliBench(name: string, sql: string, baseline: boolean): void {
  Deno.bench({
    name,
    group,
    baseline,
    ignore: !hasCli,
    n: ITERATIONS,
    warmup: 1,
    async fn(b) {
      await copyFile(base, work);
      b.start();
      runCli(sql);
      b.end();
      checkCli();
    },
  });
}

cliBench("sqlite3 CLI, the same statements in one transaction", cliSame, true);
cliBench("sqlite3 CLI, as AosCore applies them (a commit per step)", cliAosCore, false);

// deno bench has no after-all hook; an unload listener removes the 100 MB.
globalThis.addEventListener("unload", () => {
  try {
    Deno.removeSync(root, { recursive: true });
  } catch {
    // already gone
  }
});
