// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * The interfaces other code plugs into: the database handle the migrator
 * drives, and the shapes of plans and progress events.
 *
 * @module
 */

/**
 * A minimal, driver-agnostic database handle. Each method may answer
 * synchronously or with a promise, so both synchronous drivers (`node:sqlite`)
 * and asynchronous ones can be adapted. {@linkcode NodeSqliteExecutor} adapts
 * a `node:sqlite` `DatabaseSync`.
 */
export interface SqlExecutor {
  /**
   * Executes a script of one or more `;`-separated statements, stopping at
   * the first that fails.
   *
   * @param sql The script, passed to SQLite unchanged.
   */
  exec(sql: string): void | Promise<void>;
  /**
   * Executes one statement with positional `?` parameters.
   *
   * @param sql The statement.
   * @param params The values bound to the `?` placeholders, in order.
   * @returns The result rows, each an array of column values.
   */
  query(sql: string, params?: readonly unknown[]): unknown[][] | Promise<unknown[][]>;
  /**
   * Reports whether the connection is inside a transaction (not in autocommit
   * mode). Optional: without it, the migrator issues a `ROLLBACK` after a
   * failed script and ignores the error SQLite gives when none was open.
   *
   * @returns `true` inside a transaction.
   */
  inTransaction?(): boolean | Promise<boolean>;
}

/** Direction of a migration step. */
export type MigrationDirection = "up" | "down";

/** One step of a migration: one script and the version change it makes. */
export interface MigrationStep {
  /** `up` runs `<to>_update.up.sql`; `down` runs `<from>_update.down.sql`. */
  readonly direction: MigrationDirection;
  /** The schema version before the step. */
  readonly from: number;
  /** The schema version after the step (`from + 1` up, `from - 1` down). */
  readonly to: number;
  /** The script file name, such as `3_update.up.sql`. */
  readonly script: string;
  /** Absolute path of the script in the merged directory. */
  readonly path: string;
  /** Lower-case hex SHA-256 of the script's bytes. */
  readonly sha256: string;
}

/** The steps that take the database from one version to another. */
export interface MigrationPlan {
  /** The version the database is at. */
  readonly from: number;
  /** The version asked for. */
  readonly to: number;
  /** The steps in execution order; empty when `from === to`. */
  readonly steps: readonly MigrationStep[];
}

/** A progress report of {@linkcode MigrateOptions.onProgress}. */
export interface MigrationProgress {
  /**
   * `start` just before a step's script runs, `done` once the step and its
   * version update are applied (durable when the migration commits, right
   * after its last step).
   */
  readonly phase: "start" | "done";
  /** The step. */
  readonly step: MigrationStep;
  /** Zero-based position of the step in the plan. */
  readonly index: number;
  /** Number of steps in the plan. */
  readonly total: number;
}

/** Options of {@linkcode Migration.migrateToVersion}. */
export interface MigrateOptions {
  /**
   * Stops the migration before the next step; the running script is not
   * interrupted, and the steps already applied stay. Rejects with `canceled`.
   */
  signal?: AbortSignal;
  /** Called before and after every step. Exceptions it throws are not caught. */
  onProgress?: (progress: MigrationProgress) => void;
}

/** Options of {@linkcode Migration.create}. */
export interface MigrationOptions {
  /**
   * Directory of the scripts shipped with this software version. It must
   * exist. A relative path is resolved against the working directory once.
   */
  migrationDir: string;
  /**
   * Persistent directory the scripts are merged into and executed from,
   * created when missing. Files in it are never overwritten or removed.
   */
  mergedMigrationDir: string;
  /**
   * Run each step, with its version update, in a transaction, and hold a
   * write lock on the database for the whole migration. `false` runs scripts
   * as AosCore does: in autocommit mode, verbatim, without a lock; use it
   * only for scripts that must run outside a transaction (`VACUUM`,
   * `PRAGMA journal_mode = WAL`, which SQLite refuses inside one). With
   * `true`, foreign keys are off during the migration and checked after each
   * step; with `false`, scripts see the connection's setting, as in AosCore.
   *
   * @default {true}
   */
  transactional?: boolean;
  /**
   * Refuse to migrate when an applied up script no longer matches the
   * checksum recorded when it ran.
   *
   * @default {true}
   */
  verifyChecksums?: boolean;
  /**
   * Also refuse to run a merged script that differs from the copy shipped in
   * `migrationDir`. By default the merged copy runs, as in AosCore (an
   * upgrade may ship a new text for a script not yet applied, and the merge
   * never overwrites), and the difference goes to `onConflict`.
   *
   * @default {false}
   */
  strict?: boolean;
  /**
   * Called during {@linkcode Migration.create} for every file that the
   * shipped and the merged directory both hold with different content; the
   * merged copy is kept. Exceptions it throws are not caught.
   */
  onConflict?: (conflict: MigrationConflict) => void;
  /**
   * How long to wait, in milliseconds, for another connection that holds
   * the database's write lock (another process migrating, for instance).
   *
   * @default {60000}
   */
  lockTimeout?: number;
  /** Cancels waiting for the lock during `create`. */
  signal?: AbortSignal;
}

/** A file both directories hold with different content; see {@linkcode MigrationOptions.onConflict}. */
export interface MigrationConflict {
  /** Path relative to the directories, such as `3_update.up.sql`. */
  readonly file: string;
  /** Absolute path of the shipped copy, the one that is not used. */
  readonly shipped: string;
  /** Absolute path of the merged copy, the one kept and run. */
  readonly merged: string;
}
