// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The migration soak's database work, in a child process so that the soak's
// own event loop never waits on SQLite. argv[2] is a JSON job:
// - {"seed": {db, wal, rows, seed}}: creates the version 0 table `items`
//   with `rows` rows drawn from `seed`, copies it to `wal` in WAL mode, and
//   prints {"rows", "digest"} of the rows as drawn (before they were
//   written);
// - {"verify": {db, versions}}: opens the database (rolling a hot journal
//   back), and prints {"version", "integrity", "journal", "shape", "rows",
//   "digest", "bad"} using the `rows` and `bad` queries of the version it found.
// Either prints {"error": message} instead when something fails.
// deno-lint-ignore-file no-console
import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import { copyFileSync } from "node:fs";
import process from "node:process";
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { seededRandom } from "./_scenario.ts";

/** The queries that read one version's rows in the canonical form. */
export interface VersionQueries {
  /** `id, name, payload as upper-case hex`, ordered by id. */
  rows: string;
  /** One number: rows breaking the version's own invariants. */
  bad: string;
}

/** Tables the migrator owns, left out of the shape. */
const OWN_TABLES = ["SchemaVersion", "SchemaMigrations"];

/** The line of one row that goes into the digest. */
function line(id: number, name: string, hex: string): string {
  return `${id}\t${name}\t${hex}\n`;
}

function arrays(statement: StatementSync): StatementSync {
  (statement as unknown as { setReturnArrays(on: boolean): void }).setReturnArrays(true);
  return statement;
}

function seed(job: { db: string; wal: string; rows: number; seed: number }): unknown {
  const random = seededRandom(job.seed);
  const hash = createHash("sha256");
  const db = new DatabaseSync(job.db);
  try {
    db.exec(
      "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, payload BLOB NOT NULL);",
    );
    const insert = db.prepare("INSERT INTO items (id, name, payload) VALUES (?, ?, ?)");
    db.exec("BEGIN;");
    for (let id = 1; id <= job.rows; id++) {
      const name = Array.from(
        { length: random.int(4, 24) },
        () => String.fromCharCode(97 + random.int(0, 25)),
      ).join("");
      const payload = random.bytes(random.int(16, 200));
      insert.run(id, name, payload);
      hash.update(line(id, name, Buffer.from(payload).toString("hex").toUpperCase()));
    }
    db.exec("COMMIT;");
  } finally {
    db.close();
  }
  copyFileSync(job.db, job.wal);
  const wal = new DatabaseSync(job.wal);
  try {
    wal.exec("PRAGMA journal_mode = WAL;");
  } finally {
    wal.close();
  }
  return { rows: job.rows, digest: hash.digest("hex") };
}

function verify(job: { db: string; versions: Record<string, VersionQueries> }): unknown {
  const db = new DatabaseSync(job.db);
  try {
    const integrity = arrays(db.prepare("PRAGMA integrity_check")).all()
      .map((row) => String((row as unknown as unknown[])[0])).join("; ");
    const hasVersion = db.prepare(
      "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'SchemaVersion'",
    ).get() !== undefined;
    // A database never migrated is at version 0, as the migrator reads it.
    const version = hasVersion
      ? (db.prepare("SELECT version FROM SchemaVersion LIMIT 1").get()?.version ?? 0)
      : 0;
    const shape: string[] = [];
    for (const object of db.prepare("SELECT type, name FROM sqlite_schema").all()) {
      const name = String(object.name);
      if (name.startsWith("sqlite_") || OWN_TABLES.includes(name)) continue;
      if (object.type === "table" || object.type === "view") {
        const columns = db.prepare(`SELECT name FROM pragma_table_info(?) ORDER BY name`)
          .all(name).map((c) => String(c.name));
        shape.push(`${object.type} ${name}(${columns.join(",")})`);
      } else {
        shape.push(`${object.type} ${name}`);
      }
    }
    shape.sort();
    const journal = db.prepare("PRAGMA journal_mode").get()?.journal_mode;
    const queries = job.versions[String(version)];
    if (queries === undefined) return { version, integrity, journal, shape };
    const hash = createHash("sha256");
    let rows = 0;
    for (const row of arrays(db.prepare(queries.rows)).iterate()) {
      const [id, name, hex] = row as unknown as [number, string, string | null];
      hash.update(line(id, name, hex ?? "NULL"));
      rows++;
    }
    const bad = Number((arrays(db.prepare(queries.bad)).get() as unknown as unknown[])[0]);
    return { version, integrity, journal, shape, rows, digest: hash.digest("hex"), bad };
  } finally {
    db.close();
  }
}

if (import.meta.main) {
  const job = JSON.parse(process.argv[2]!);
  try {
    console.log(JSON.stringify(job.seed !== undefined ? seed(job.seed) : verify(job.verify)));
  } catch (err) {
    console.log(JSON.stringify({ error: err instanceof Error ? err.message : String(err) }));
  }
}
