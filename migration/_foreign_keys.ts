// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Foreign keys during a migration, as SQLite prescribes for schema changes:
// off for the migration's transaction (inside a transaction SQLite ignores
// `PRAGMA foreign_keys`, so a script cannot turn them off itself), then
// `PRAGMA foreign_key_check` before each step is released.
import { MigrationError } from "./migration_error.ts";
import type { MigrationStep, SqlExecutor } from "./types.ts";

/** One row of `PRAGMA foreign_key_check`, keyed for comparison. */
export interface Violation {
  key: string;
  table: string;
  rowid: unknown;
  parent: string;
}

/**
 * Turns foreign key enforcement off on the connection.
 *
 * @returns Whether it was on, to hand back to {@linkcode restoreForeignKeys}.
 */
export async function foreignKeysOff(db: SqlExecutor): Promise<boolean> {
  const rows = await db.query("PRAGMA foreign_keys;");
  const on = Number(rows[0]?.[0] ?? 0) === 1;
  if (on) await db.exec("PRAGMA foreign_keys = OFF;");
  return on;
}

/** Turns enforcement back on when it was on; never throws. */
export async function restoreForeignKeys(db: SqlExecutor, wasOn: boolean): Promise<void> {
  if (!wasOn) return;
  try {
    await db.exec("PRAGMA foreign_keys = ON;");
  } catch {
    // The connection is gone; there is no setting left to restore.
  }
}

/** Every row that references a missing parent row. */
export async function violations(db: SqlExecutor): Promise<Violation[]> {
  const rows = await db.query("PRAGMA foreign_key_check;");
  return rows.map(([table, rowid, parent]) => ({
    key: `${String(table)}\0${String(rowid)}\0${String(parent)}`,
    table: String(table),
    rowid,
    parent: String(parent),
  }));
}

/**
 * Fails a step that left rows referencing missing parents, other than those
 * in `before` (the violations the database already had).
 *
 * @throws {MigrationError} `failed`, naming the first new row.
 */
export async function checkForeignKeys(
  db: SqlExecutor,
  step: MigrationStep,
  before: ReadonlySet<string>,
): Promise<void> {
  const added = (await violations(db)).filter((v) => !before.has(v.key));
  if (added.length === 0) return;
  const first = added[0]!;
  const row = first.rowid === null ? "a row" : `row ${String(first.rowid)}`;
  throw new MigrationError(
    "failed",
    `Cannot apply ${step.path} (version ${step.from} to ${step.to}): ${row} of table ` +
      `${first.table} references a missing row of ${first.parent}` +
      (added.length === 1 ? "" : ` (${added.length} rows violate foreign keys)`),
    { version: step.to, script: step.script },
  );
}
