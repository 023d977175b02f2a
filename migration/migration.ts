// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * {@linkcode Migration}: brings a database to the schema version the software
 * expects, up or down, one numbered script per step.
 *
 * @module
 */
import { join } from "node:path";
import type { DatabaseSync } from "node:sqlite";
import { canceledError, delay } from "../utils/abort.ts";
import { AosError } from "../utils/errors.ts";
import {
  checkForeignKeys,
  foreignKeysOff,
  restoreForeignKeys,
  violations,
} from "./_foreign_keys.ts";
import { mergeDirectories } from "./_merge.ts";
import { type AppliedScript, type LoadedPlan, loadPlan, verifyApplied } from "./_plan.ts";
import { nestScript } from "./_sql.ts";
import { checkDir, checkTarget, toExecutor, toVersion } from "./_validate.ts";
import { MigrationError } from "./migration_error.ts";
import { CHECKSUM_TABLE, VERSION_TABLE } from "./scripts.ts";
import type {
  MigrateOptions,
  MigrationOptions,
  MigrationPlan,
  MigrationStep,
  SqlExecutor,
} from "./types.ts";

// The version table statements are AosCore's, byte for byte.
const CREATE_VERSION_TABLE = `CREATE TABLE IF NOT EXISTS ${VERSION_TABLE} (version INTEGER);`;
const SEED_VERSION = `INSERT INTO ${VERSION_TABLE} (version) SELECT 0 ` +
  `WHERE NOT EXISTS (SELECT 1 FROM ${VERSION_TABLE});`;
const READ_VERSION = `SELECT version FROM ${VERSION_TABLE} LIMIT 1;`;
const WRITE_VERSION = `UPDATE ${VERSION_TABLE} SET version = ?;`;
const CREATE_CHECKSUM_TABLE = `CREATE TABLE IF NOT EXISTS ${CHECKSUM_TABLE} ` +
  `(version INTEGER PRIMARY KEY, script TEXT NOT NULL, sha256 TEXT NOT NULL, ` +
  `appliedAt TEXT NOT NULL);`;
const RECORD_STEP = `INSERT OR REPLACE INTO ${CHECKSUM_TABLE} ` +
  `(version, script, sha256, appliedAt) VALUES (?, ?, ?, ?);`;
const FORGET_STEPS = `DELETE FROM ${CHECKSUM_TABLE} WHERE version > ?;`;
const APPLIED_STEPS = `SELECT version, sha256 FROM ${CHECKSUM_TABLE} WHERE version <= ? ` +
  `ORDER BY version;`;
const STEP_SAVEPOINT = "aos_migration_step";
const LOCK_POLL_MS = 50;

/**
 * Brings a SQLite database to a schema version by running numbered scripts,
 * `<N>_update.up.sql` to go from `N-1` to `N` and `<N>_update.down.sql` to go
 * back, and records the version in AosCore's `SchemaVersion` table.
 *
 * The scripts shipped with the software are first merged into a persistent
 * directory that keeps the down scripts of newer releases, so an older
 * release can roll a newer database back.
 *
 * @example Create, migrate, read the version
 * ```ts
 * import { Migration } from "@aoscore/common/migration";
 * import { DatabaseSync } from "node:sqlite";
 * import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import assert from "node:assert/strict";
 *
 * const root = await mkdtemp(join(tmpdir(), "migration-doc-"));
 * await mkdir(join(root, "shipped"));
 * await writeFile(join(root, "shipped", "1_update.up.sql"), "CREATE TABLE t (x INTEGER);");
 * const db = new DatabaseSync(join(root, "app.db"));
 *
 * const migration = await Migration.create(db, {
 *   migrationDir: join(root, "shipped"),
 *   mergedMigrationDir: join(root, "merged"),
 * });
 * assert.equal(await migration.getCurrentVersion(), 0);
 * await migration.migrateToVersion(1);
 * assert.equal(await migration.getCurrentVersion(), 1);
 *
 * db.close();
 * await rm(root, { recursive: true });
 * ```
 */
export class Migration {
  /** Absolute path of the shipped scripts. */
  readonly migrationDir: string;
  /** Absolute path of the merged scripts, the ones that run. */
  readonly mergedMigrationDir: string;
  /** Files the merge copied, relative to the directories. */
  readonly copied: readonly string[];
  /**
   * Files present in both directories with different content; the merged
   * copy was kept, and is the one that runs (a script among them is refused
   * instead with `strict: true`).
   */
  readonly conflicts: readonly string[];
  #db: SqlExecutor;
  #transactional: boolean;
  #verify: boolean;
  #strict: boolean;
  #lockTimeout: number;
  #conflicts: ReadonlySet<string>;
  // Foreign key violations present before the running migration, when the
  // caller enforces foreign keys; `undefined` when nothing is to be checked.
  #keysBefore: ReadonlySet<string> | undefined;

  private constructor(
    db: SqlExecutor,
    dirs: { migrationDir: string; mergedMigrationDir: string },
    merge: { copied: string[]; conflicts: string[] },
    options: MigrationOptions,
  ) {
    this.#db = db;
    this.migrationDir = dirs.migrationDir;
    this.mergedMigrationDir = dirs.mergedMigrationDir;
    this.copied = merge.copied;
    this.conflicts = merge.conflicts;
    this.#conflicts = new Set(merge.conflicts);
    this.#transactional = options.transactional ?? true;
    this.#verify = options.verifyChecksums ?? true;
    this.#strict = options.strict ?? false;
    this.#lockTimeout = options.lockTimeout ?? 60_000;
  }

  /**
   * Merges the shipped scripts into the merged directory, then creates the
   * version table (at version 0) and the checksum table when missing. No
   * script runs.
   *
   * @param db The database: a `node:sqlite` `DatabaseSync`, or any
   * {@linkcode SqlExecutor}.
   * @param options The directories and the behaviour.
   * @returns The migrator.
   * @throws {MigrationError} `invalidArgument` for a missing `migrationDir`
   * or a malformed script name in it (the merged directory is then left
   * untouched), `runtime` for a file system error, `timeout` when the
   * database stayed locked.
   */
  static async create(
    db: SqlExecutor | DatabaseSync,
    options: MigrationOptions,
  ): Promise<Migration> {
    const executor = toExecutor(db);
    const migrationDir = checkDir(options.migrationDir, "migrationDir");
    const mergedMigrationDir = checkDir(options.mergedMigrationDir, "mergedMigrationDir");
    const lockTimeout = options.lockTimeout ?? 60_000;
    if (typeof lockTimeout !== "number" || !(lockTimeout >= 0) || lockTimeout === Infinity) {
      throw new MigrationError(
        "invalidArgument",
        `Invalid lockTimeout ${String(lockTimeout)}: expected a finite number of milliseconds`,
      );
    }
    const merge = await mergeDirectories(migrationDir, mergedMigrationDir);
    for (const file of merge.conflicts) {
      options.onConflict?.({
        file,
        shipped: join(migrationDir, file),
        merged: join(mergedMigrationDir, file),
      });
    }
    const migration = new Migration(
      executor,
      { migrationDir, mergedMigrationDir },
      merge,
      options,
    );
    await migration.#begin(options.signal);
    await migration.#finish(async () => {
      await executor.exec(CREATE_VERSION_TABLE);
      await executor.exec(SEED_VERSION);
      await executor.exec(CREATE_CHECKSUM_TABLE);
    }, "Cannot create the migration tables");
    return migration;
  }

  /**
   * Reads the schema version stored in the database.
   *
   * @returns The version; 0 for a database never migrated.
   * @throws {MigrationError} `wrongState` when the version table cannot be
   * read or holds something other than a non-negative integer.
   */
  async getCurrentVersion(): Promise<number> {
    let rows: unknown[][];
    try {
      rows = await this.#db.query(READ_VERSION);
    } catch (err) {
      throw new MigrationError("wrongState", `Cannot read the schema version`, { cause: err });
    }
    return toVersion(rows[0]?.[0]);
  }

  /**
   * Lists the steps {@linkcode Migration.migrateToVersion} would run, and
   * makes every check it makes first, without changing anything: a dry run.
   *
   * @param target The version to reach.
   * @returns The plan from the current version.
   * @throws {MigrationError} As `migrateToVersion` does before its first step.
   */
  async plan(target: number): Promise<MigrationPlan> {
    checkTarget(target);
    const { from, to, steps } = await this.#load(await this.getCurrentVersion(), target);
    return { from, to, steps };
  }

  /**
   * Upgrades or downgrades the database to `target`, one step per version.
   * Each step runs in a savepoint together with its version update, inside
   * one write transaction that holds the database for the whole migration:
   * a failing script is rolled back entirely and the steps before it stay;
   * a crash leaves the database at the version it had before the call.
   * All scripts are read and checked before the first step runs.
   *
   * @param target The version to reach; nothing runs when already there.
   * @param options Cancellation and progress.
   * @returns The steps that ran.
   * @throws {MigrationError} `invalidArgument` for a target that is not a
   * non-negative integer, `notFound` for missing scripts, `failed` for a
   * script that fails or is empty, `invalidChecksum` for drift, `timeout`
   * when the database stayed locked, `canceled` when aborted between steps.
   */
  async migrateToVersion(target: number, options: MigrateOptions = {}): Promise<MigrationPlan> {
    checkTarget(target);
    const { signal } = options;
    if (signal?.aborted) throw canceledError(signal, "Migration canceled");
    const current = await this.getCurrentVersion();
    if (current === target) {
      if (this.#verify) await verifyApplied(this.mergedMigrationDir, await this.#applied(current));
      return { from: current, to: target, steps: [] };
    }
    if (!this.#transactional) return await this.#run(await this.#load(current, target), options);
    // SQLite ignores PRAGMA foreign_keys inside a transaction, so they go off
    // before it: a table rebuild must not cascade deletes into child rows.
    const checkKeys = await foreignKeysOff(this.#db);
    try {
      await this.#begin(signal);
      return await this.#finish(async () => {
        // Only the violations a step adds fail it, not those the database had.
        this.#keysBefore = checkKeys
          ? new Set((await violations(this.#db)).map((v) => v.key))
          : undefined;
        // Another process may have migrated while this one waited for the lock.
        return await this.#run(await this.#load(await this.getCurrentVersion(), target), options);
      }, "Cannot commit the migration");
    } finally {
      this.#keysBefore = undefined;
      await restoreForeignKeys(this.#db, checkKeys);
    }
  }

  async #load(from: number, to: number): Promise<LoadedPlan> {
    const dir = this.mergedMigrationDir;
    if (this.#verify) await verifyApplied(dir, await this.#applied(from));
    return await loadPlan(dir, from, to, this.#strict ? this.#conflicts : undefined);
  }

  async #applied(current: number): Promise<AppliedScript[]> {
    const rows = await this.#db.query(APPLIED_STEPS, [current]);
    return rows.map((row) => ({ version: Number(row[0]), sha256: String(row[1]) }));
  }

  async #run(plan: LoadedPlan, options: MigrateOptions): Promise<MigrationPlan> {
    const { signal, onProgress } = options;
    const total = plan.steps.length;
    for (let index = 0; index < total; index++) {
      const step = plan.steps[index]!;
      if (signal?.aborted) {
        throw canceledError(
          signal,
          `Migration to version ${plan.to} canceled at version ${step.from}`,
        );
      }
      onProgress?.({ phase: "start", step, index, total });
      if (this.#transactional) await this.#nestedStep(step, plan.texts[index]!);
      else await this.#autocommitStep(step, plan.texts[index]!);
      onProgress?.({ phase: "done", step, index, total });
    }
    return { from: plan.from, to: plan.to, steps: plan.steps };
  }

  async #nestedStep(step: MigrationStep, text: string): Promise<void> {
    const db = this.#db;
    await db.exec(`SAVEPOINT ${STEP_SAVEPOINT};`);
    try {
      await db.exec(nestScript(text));
      if (this.#keysBefore !== undefined) await checkForeignKeys(db, step, this.#keysBefore);
      await this.#record(step);
      await db.exec(`RELEASE ${STEP_SAVEPOINT};`);
    } catch (err) {
      // Some errors (a full disk, for one) make SQLite roll back the whole
      // transaction, savepoint included; then there is nothing left to undo.
      await attempt(db, `ROLLBACK TO ${STEP_SAVEPOINT}; RELEASE ${STEP_SAVEPOINT};`);
      throw stepError(step, err);
    }
  }

  async #autocommitStep(step: MigrationStep, text: string): Promise<void> {
    const db = this.#db;
    try {
      await db.exec(text);
      await db.exec("BEGIN;");
      await this.#record(step);
      await db.exec("COMMIT;");
    } catch (err) {
      // A script that began its own transaction and failed leaves it open.
      if ((await db.inTransaction?.()) ?? true) await attempt(db, "ROLLBACK;");
      throw stepError(step, err);
    }
  }

  async #record(step: MigrationStep): Promise<void> {
    await this.#db.query(WRITE_VERSION, [step.to]);
    if (step.direction === "up") {
      const at = new Date().toISOString();
      await this.#db.query(RECORD_STEP, [step.to, step.script, step.sha256, at]);
    } else {
      await this.#db.query(FORGET_STEPS, [step.to]);
    }
  }

  // BEGIN IMMEDIATE takes the write lock now rather than at the first write,
  // so two migrators never both read the old version. The driver's busy
  // timeout waits synchronously; this loop waits on, without blocking.
  async #begin(signal: AbortSignal | undefined): Promise<void> {
    const deadline = Date.now() + this.#lockTimeout;
    for (;;) {
      try {
        await this.#db.exec("BEGIN IMMEDIATE;");
        return;
      } catch (err) {
        if (!isBusy(err)) {
          throw new MigrationError("failed", "Cannot start the migration transaction", {
            cause: err,
          });
        }
        const left = deadline - Date.now();
        if (left <= 0) {
          throw new MigrationError(
            "timeout",
            `Cannot lock the database for migration: another connection held it for more ` +
              `than ${this.#lockTimeout} ms`,
            { cause: err },
          );
        }
        await delay(Math.min(LOCK_POLL_MS, left), signal === undefined ? {} : { signal });
      }
    }
  }

  // Runs `work` in the transaction #begin opened, then commits whatever it
  // completed, also when it threw; then its error is the one that counts.
  async #finish<T>(work: () => Promise<T>, commitFailure: string): Promise<T> {
    let result: T;
    try {
      result = await work();
    } catch (err) {
      await this.#commit(commitFailure).catch(() => {});
      throw err;
    }
    await this.#commit(commitFailure);
    return result;
  }

  async #commit(failure: string): Promise<void> {
    if ((await this.#db.inTransaction?.()) === false) return;
    try {
      await this.#db.exec("COMMIT;");
    } catch (err) {
      await attempt(this.#db, "ROLLBACK;");
      throw new MigrationError("failed", failure, { cause: err });
    }
  }
}

function stepError(step: MigrationStep, err: unknown): MigrationError {
  if (err instanceof MigrationError) return err;
  return new MigrationError(
    AosError.from(err).kind === "canceled" ? "canceled" : "failed",
    `Cannot apply ${step.path} (version ${step.from} to ${step.to})`,
    { cause: err, version: step.to, script: step.script },
  );
}

function isBusy(err: unknown): boolean {
  const { errcode, message } = err as { errcode?: unknown; message?: unknown };
  if (typeof errcode === "number") return (errcode & 0xff) === 5;
  return typeof message === "string" && message.includes("database is locked");
}

// Runs a clean-up statement whose failure must not hide the error at hand.
async function attempt(db: SqlExecutor, sql: string): Promise<void> {
  try {
    await db.exec(sql);
  } catch {
    // Nothing to undo, or the connection is gone; the original error says why.
  }
}
