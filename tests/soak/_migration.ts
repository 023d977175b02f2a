// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Soak: schema migrations killed with SIGKILL at random points, then run
 * again to completion.
 *
 * A database of `ROWS` rows with a known digest goes up and down five
 * versions whose scripts rebuild tables (copying every row), add and drop
 * columns, move a column to a child table with a foreign key, transform the
 * data (blobs to hex, a label prefix) and add a view; every version keeps
 * the rows, only their form changes. Each cycle picks a target version,
 * migrates to it in a child process (`tests/migration/_migrate_child.ts`)
 * and kills the child after a random delay, or a random delay after a
 * random step started, so kills land in process start-up, in the merge of
 * the scripts, inside the long steps and around the commit. Now and then
 * the merged script directory is removed, so the merge runs again, and the
 * database starts over from a seeded copy, in rollback journal or in WAL
 * mode.
 *
 * After every kill, in another child: the database opens, `PRAGMA
 * integrity_check` is ok, its version is the one before the migration or
 * its target (a migration is one transaction, so never a version in
 * between), its journal mode is the one it had, its tables, columns,
 * indexes and views are that version's, and the rows read back in that
 * version's form match the digest. Then the migration runs again,
 * uninterrupted, and the same holds at the target. The children run on
 * `Deno.execPath()` (`spawnScript` takes `process.execPath`, the same), so
 * no SQLite work ever blocks the soak's own event loop.
 *
 * @module
 */
import type { ChildProcess } from "node:child_process";
import { copyFile, mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { childDone, spawnScript } from "../_helpers/child_runtime.ts";
import type { VersionQueries } from "./_migration_child.ts";
import {
  count,
  emptyTally,
  lost,
  type Scenario,
  type SoakContext,
  type Tally,
} from "./_scenario.ts";

const ROWS = 100_000;
const FINAL = 5;
const MIGRATE_CHILD = join(import.meta.dirname!, "..", "migration", "_migrate_child.ts");
const DB_CHILD = join(import.meta.dirname!, "_migration_child.ts");
const PERMISSIONS = ["--allow-read", "--allow-write", "--allow-env", "--allow-sys"];

/** Up and down scripts by version. Every version holds the same rows in its own form. */
const SCRIPTS: Record<number, { up: string; down: string }> = {
  1: {
    // A column add and a data fill.
    up: "ALTER TABLE items ADD COLUMN size INTEGER NOT NULL DEFAULT 0;\n" +
      "UPDATE items SET size = length(payload);",
    down: "ALTER TABLE items DROP COLUMN size;",
  },
  2: {
    // A table rebuild copying every row (a column renamed), then an index.
    up: "CREATE TABLE items_next (id INTEGER PRIMARY KEY, label TEXT NOT NULL, " +
      "payload BLOB NOT NULL, size INTEGER NOT NULL);\n" +
      "INSERT INTO items_next (id, label, payload, size) SELECT id, name, payload, size FROM items;\n" +
      "DROP TABLE items;\n" +
      "ALTER TABLE items_next RENAME TO items;\n" +
      "CREATE INDEX items_label ON items (label);",
    down: "CREATE TABLE items_prev (id INTEGER PRIMARY KEY, name TEXT NOT NULL, " +
      "payload BLOB NOT NULL, size INTEGER NOT NULL DEFAULT 0);\n" +
      "INSERT INTO items_prev (id, name, payload, size) SELECT id, label, payload, size FROM items;\n" +
      "DROP TABLE items;\n" +
      "ALTER TABLE items_prev RENAME TO items;",
  },
  3: {
    // A column moved to a child table with a foreign key (SQLite rewrites
    // the table to drop the column).
    up: "CREATE TABLE blobs (itemId INTEGER PRIMARY KEY REFERENCES items (id) ON DELETE CASCADE, " +
      "data BLOB NOT NULL);\n" +
      "INSERT INTO blobs (itemId, data) SELECT id, payload FROM items;\n" +
      "ALTER TABLE items DROP COLUMN payload;",
    down: "ALTER TABLE items ADD COLUMN payload BLOB NOT NULL DEFAULT x'';\n" +
      "UPDATE items SET payload = (SELECT data FROM blobs WHERE blobs.itemId = items.id);\n" +
      "DROP TABLE blobs;",
  },
  4: {
    // Data transforms: blobs become hex text, labels get a prefix; in a
    // transaction of its own, as some shipped scripts are.
    up: "BEGIN TRANSACTION;\n" +
      "CREATE TABLE blobs_next (itemId INTEGER PRIMARY KEY REFERENCES items (id) " +
      "ON DELETE CASCADE, hex TEXT NOT NULL);\n" +
      "INSERT INTO blobs_next (itemId, hex) SELECT itemId, hex(data) FROM blobs;\n" +
      "DROP TABLE blobs;\n" +
      "ALTER TABLE blobs_next RENAME TO blobs;\n" +
      "UPDATE items SET label = 'item:' || label;\n" +
      "COMMIT;",
    down: "CREATE TABLE blobs_prev (itemId INTEGER PRIMARY KEY REFERENCES items (id) " +
      "ON DELETE CASCADE, data BLOB NOT NULL);\n" +
      "INSERT INTO blobs_prev (itemId, data) SELECT itemId, unhex(hex) FROM blobs;\n" +
      "DROP TABLE blobs;\n" +
      "ALTER TABLE blobs_prev RENAME TO blobs;\n" +
      "UPDATE items SET label = substr(label, 6);",
  },
  5: {
    // A computed column and a view over both tables.
    up: "ALTER TABLE items ADD COLUMN parity INTEGER;\n" +
      "UPDATE items SET parity = id % 7;\n" +
      "CREATE VIEW catalog AS SELECT items.id, items.label, blobs.hex " +
      "FROM items JOIN blobs ON blobs.itemId = items.id;",
    down: "DROP VIEW catalog;\nALTER TABLE items DROP COLUMN parity;",
  },
};

const SIZE_OK = "SELECT count(*) FROM items WHERE size != length(payload)";
const BLOBS_OK = "SELECT count(*) FROM blobs LEFT JOIN items ON items.id = blobs.itemId " +
  "WHERE items.id IS NULL OR items.size != length(blobs.data)";
const HEX_OK = "(SELECT count(*) FROM items WHERE substr(label, 1, 5) != 'item:') + " +
  "(SELECT count(*) FROM blobs LEFT JOIN items ON items.id = blobs.itemId " +
  "WHERE items.id IS NULL OR items.size * 2 != length(blobs.hex))";

/** How each version's rows read back in the canonical form, and what must hold in it. */
const QUERIES: Record<number, VersionQueries> = {
  0: { rows: "SELECT id, name, hex(payload) FROM items ORDER BY id", bad: "SELECT 0" },
  1: { rows: "SELECT id, name, hex(payload) FROM items ORDER BY id", bad: SIZE_OK },
  2: { rows: "SELECT id, label, hex(payload) FROM items ORDER BY id", bad: SIZE_OK },
  3: {
    rows: "SELECT items.id, label, hex(data) FROM items " +
      "LEFT JOIN blobs ON blobs.itemId = items.id ORDER BY items.id",
    bad: BLOBS_OK,
  },
  4: {
    rows: "SELECT items.id, substr(label, 6), hex FROM items " +
      "LEFT JOIN blobs ON blobs.itemId = items.id ORDER BY items.id",
    bad: `SELECT ${HEX_OK}`,
  },
  5: {
    // Through the view, which must hold every row.
    rows: "SELECT id, substr(label, 6), hex FROM catalog ORDER BY id",
    bad: `SELECT ${HEX_OK} + (SELECT count(*) FROM items WHERE parity IS NOT id % 7)`,
  },
};

/** Tables, views and indexes of each version, as the verifier lists them. */
const SHAPES: Record<number, string[]> = {
  0: ["table items(id,name,payload)"],
  1: ["table items(id,name,payload,size)"],
  2: ["index items_label", "table items(id,label,payload,size)"],
  3: ["index items_label", "table blobs(data,itemId)", "table items(id,label,size)"],
  4: ["index items_label", "table blobs(hex,itemId)", "table items(id,label,size)"],
  5: [
    "index items_label",
    "table blobs(hex,itemId)",
    "table items(id,label,parity,size)",
    "view catalog(hex,id,label)",
  ],
};

interface Verified {
  version?: number;
  integrity?: string;
  journal?: string;
  shape?: string[];
  rows?: number;
  digest?: string;
  bad?: number;
  error?: string;
}

/** Runs the database child and returns the JSON it printed. */
async function dbChild(job: unknown): Promise<Verified> {
  const result = await childDone(spawnScript(DB_CHILD, [JSON.stringify(job)], PERMISSIONS));
  const last = result.stdout.trim().split("\n").at(-1) ?? "";
  try {
    return JSON.parse(last);
  } catch {
    return { error: `exit ${result.code}: ${result.stdout}${result.stderr}`.slice(0, 500) };
  }
}

async function run(context: SoakContext): Promise<Tally> {
  const tally = emptyTally();
  const { random, signal } = context;
  const shipped = join(context.dir, "shipped");
  const merged = join(context.dir, "merged");
  const template = join(context.dir, "template.db");
  const walTemplate = join(context.dir, "template-wal.db");
  const db = join(context.dir, "work.db");
  await mkdir(shipped);
  for (const [version, { up, down }] of Object.entries(SCRIPTS)) {
    await writeFile(join(shipped, `${version}_update.up.sql`), up);
    await writeFile(join(shipped, `${version}_update.down.sql`), down);
  }
  const seeded = await dbChild({
    seed: { db: template, wal: walTemplate, rows: ROWS, seed: random.int(0, 2 ** 31) },
  });
  if (seeded.digest === undefined) throw new Error(`cannot seed the database: ${seeded.error}`);
  const expected = { rows: ROWS, digest: seeded.digest };

  // Removes the database with its journal: a hot journal left beside a new
  // file would be rolled back into it. Half the databases are in WAL mode,
  // where a kill leaves a write-ahead log instead.
  let journal = "delete";
  const freshDatabase = async () => {
    for (const suffix of ["", "-journal", "-wal", "-shm"]) await rm(db + suffix, { force: true });
    journal = random.pick(["delete", "wal"]);
    await copyFile(journal === "wal" ? walTemplate : template, db);
    count(tally, `fresh databases (${journal})`);
  };

  /** Checks the database after a run; returns the version found. */
  const check = async (when: string, allowed: number[]): Promise<number | undefined> => {
    const found = await dbChild({ verify: { db, versions: QUERIES } });
    const problems: string[] = [];
    if (found.error !== undefined) problems.push(`cannot open: ${found.error}`);
    else {
      const { version } = found;
      if (found.integrity !== "ok") problems.push(`integrity_check says ${found.integrity}`);
      if (found.journal !== journal) problems.push(`journal mode ${found.journal}, not ${journal}`);
      if (version === undefined || !allowed.includes(version)) {
        problems.push(`version ${version}, expected one of ${allowed.join(", ")}`);
      } else {
        if (JSON.stringify(found.shape) !== JSON.stringify(SHAPES[version])) {
          problems.push(`schema ${JSON.stringify(found.shape)} is not version ${version}'s`);
        }
        if (found.rows !== expected.rows || found.digest !== expected.digest) {
          problems.push(
            `${found.rows} rows with digest ${found.digest?.slice(0, 12)}, ` +
              `expected ${expected.rows} with ${expected.digest.slice(0, 12)}`,
          );
        }
        if (found.bad !== 0) problems.push(`${found.bad} rows break version ${version}'s rules`);
      }
    }
    for (const problem of problems) lost(tally, `${when}: ${problem}`);
    return problems.length === 0 ? found.version : undefined;
  };

  const spawnMigration = (target: number) =>
    spawnScript(MIGRATE_CHILD, [JSON.stringify({ db, src: shipped, merged, target })], PERMISSIONS);

  /** Waits for a migration child, killing it if the run is interrupted. */
  const finish = async (child: ChildProcess, onLine?: (line: string) => void) => {
    const onAbort = () => child.kill("SIGKILL");
    signal.addEventListener("abort", onAbort);
    try {
      const result = await childDone(child, onLine);
      tally.operations++;
      return result;
    } finally {
      signal.removeEventListener("abort", onAbort);
    }
  };

  await freshDatabase();
  let current = await check("the seeded database", [0]);
  if (current === undefined) return tally;
  /** Typical time of an uninterrupted run, ms, start-up included; kills land within it. */
  let typical = 1_500;
  let cycles = 0;
  while (performance.now() < context.until && !signal.aborted) {
    cycles++;
    if (random.chance(0.15)) {
      await rm(merged, { recursive: true, force: true });
      count(tally, "merged directory removed");
    }
    if (random.chance(0.1)) {
      await freshDatabase();
      current = 0;
    }
    let target = random.int(0, FINAL - 1);
    if (target >= current) target++;
    const steps = Math.abs(target - current);
    const from: number = current;

    // Half the kills after a random delay from the start, half a random
    // delay after a random step started (the long ones copy every row).
    let timer: ReturnType<typeof setTimeout> | undefined;
    const killAtStep = random.chance(0.5) ? random.int(1, steps) : 0;
    const after = killAtStep === 0 ? random.int(0, Math.round(typical * 1.2)) : random.int(0, 300);
    let started = 0;
    let killedAt = "start-up";
    const child = spawnMigration(target);
    const kill = () => child.kill("SIGKILL");
    if (killAtStep === 0) timer = setTimeout(kill, after);
    const result = await finish(child, (line) => {
      if (!line.includes('"start"')) return;
      started++;
      killedAt = JSON.parse(line).script;
      if (started === killAtStep) timer = setTimeout(kill, after);
    });
    clearTimeout(timer);
    if (signal.aborted) break;
    const where = `cycle ${cycles} (${from} to ${target})`;
    if (result.signal === "SIGKILL") {
      tally.faultsInjected++;
      count(tally, `killed during ${killedAt}`);
      const found = await check(`after a kill in ${where}`, [from, target]);
      if (found !== undefined) tally.faultsSurvived++;
      if (found === target) count(tally, "killed after the commit");
    } else {
      count(tally, "finished before the kill");
      if (!result.stdout.includes('"result"')) {
        lost(
          tally,
          `${where}: the migration failed: ${result.stdout}${result.stderr}`.slice(0, 500),
        );
      }
    }
    // Then again, to completion.
    const t0 = performance.now();
    const rerun = await finish(spawnMigration(target));
    if (signal.aborted) break;
    const ran = rerun.stdout.match(/"result":(\d+)/);
    if (rerun.code !== 0 || ran === null) {
      lost(tally, `${where}: the rerun failed: ${rerun.stdout}${rerun.stderr}`.slice(0, 500));
    } else if (Number(ran[1]) > 0) {
      typical = 0.8 * typical + 0.2 * (performance.now() - t0);
    }
    current = await check(`after the rerun of ${where}`, [target]) ?? target;
  }
  if (!signal.aborted) {
    const last = await finish(spawnMigration(FINAL));
    if (last.code !== 0 || !last.stdout.includes('"result"')) {
      lost(tally, `the last migration failed: ${last.stdout}${last.stderr}`.slice(0, 500));
    }
    await check("at the end", [FINAL]);
  }
  count(tally, "cycles", cycles);
  context.log(`${cycles} cycles, ${tally.faultsInjected} kills`);
  return tally;
}

/** The migration scenario. */
export const migrationScenario: Scenario = { name: "migration", run };
