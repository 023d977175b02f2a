// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Versioned SQLite schema migration, up and down, on `node:sqlite` (Deno 2.9
 * and Node 24), compatible with AosCore's databases and script directories.
 *
 * A database records its version in AosCore's `SchemaVersion` table (one row,
 * `version INTEGER`; 0 when never migrated). Step `N-1 → N` runs
 * `N_update.up.sql`, step `N → N-1` runs `N_update.down.sql`. The scripts
 * shipped with the software (`migrationDir`) are merged into a persistent
 * directory (`mergedMigrationDir`) that never loses or overwrites a file, so
 * the down scripts of a newer release stay there for an older release to
 * roll a newer database back. Scripts are opened by their computed name, and
 * only from the merged directory.
 *
 * Beyond AosCore:
 * - Atomic steps and a lock. Each step runs with its version update in a
 *   savepoint, inside one `BEGIN IMMEDIATE` transaction held for the whole
 *   migration: a failing script leaves the database exactly at the version
 *   before it (the steps already done stay), a crash or `SIGKILL` leaves it at
 *   the version it had before the call, and a second process migrating the
 *   same file waits for the first (up to `lockTimeout`) and then finds the
 *   work done. A script's own `BEGIN`/`COMMIT`/`ROLLBACK` become a savepoint
 *   of the same extent, so shipped scripts that wrap themselves in a
 *   transaction run unchanged. `transactional: false` restores AosCore's
 *   autocommit behaviour for scripts that cannot run in a transaction
 *   (`VACUUM`, `PRAGMA journal_mode = WAL`).
 * - Foreign keys off for the migration, as SQLite prescribes for schema
 *   changes. `node:sqlite` opens connections with foreign keys on, and inside
 *   a transaction SQLite ignores `PRAGMA foreign_keys`, so the migrator turns
 *   them off before its transaction and restores the caller's setting after
 *   it, whatever happens. SQLite's table-rebuild recipe (create, copy, drop,
 *   rename) then keeps the child rows that `ON DELETE CASCADE` would delete,
 *   and a script that turns foreign keys on or off itself is harmless. When
 *   the caller had them on, `PRAGMA foreign_key_check` runs after every step:
 *   a step that leaves a row referencing a missing parent is rolled back
 *   (`failed`, naming the table and the row); violations the database already
 *   had are let be.
 * - Checksums. The SHA-256 of every applied up script is stored in the
 *   `SchemaMigrations` table; a script changed after it was applied is
 *   refused with `invalidChecksum` (`verifyChecksums: false` turns this off).
 *   A merged script that differs from the shipped copy is kept and runs, as
 *   in AosCore (an upgrade may ship a new text for a script not yet
 *   applied); `onConflict` reports it, and `strict: true` refuses to run it.
 * - Checks up front. {@linkcode Migration.plan} lists the steps without
 *   running them (a dry run); `migrateToVersion` makes the same checks before
 *   its first step, so a gap, a missing or an empty script fails before any
 *   change, naming every script concerned.
 *
 * Deviations from AosCore, fixed here:
 * - A negative or non-integer target is refused (`invalidArgument`); AosCore
 *   would run `0_update.down.sql` and store version -1. A stored version that
 *   is not a non-negative integer is refused too (`wrongState`).
 * - A failing script never leaves its transaction open on the connection;
 *   AosCore leaves a script's `BEGIN` without its `COMMIT`.
 * - A gap or missing script fails before the first step; AosCore applies the
 *   steps before the gap, then fails.
 * - An empty directory option is refused rather than resolved to the working
 *   directory, and a malformed script name in `migrationDir` (`01_update.up.sql`,
 *   `1_update.UP.sql`) is refused rather than silently never run.
 * - Merged files are written to a temporary file, synced and linked into
 *   place: a crash mid-copy never leaves a torn script that later merges,
 *   which never overwrite, would keep.
 *
 * As in AosCore, a 0-byte script fails (`failed`) while a script holding only
 * comments succeeds, `0_update.*.sql` never runs, and the version table and
 * its statements are AosCore's, so either implementation can migrate a
 * database the other wrote.
 *
 * Errors are {@linkcode MigrationError}s: `invalidArgument`, `notFound` (a
 * missing script), `failed` (SQL error or empty script, naming the file and
 * the version step), `invalidChecksum`, `wrongState`, `timeout`, `canceled`,
 * and `runtime` (file system, with `errno`).
 *
 * @example Migrate a database file up, then back down
 * ```ts
 * import { Migration } from "@aoscore/common/migration";
 * import { DatabaseSync } from "node:sqlite";
 * import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import assert from "node:assert/strict";
 *
 * const root = await mkdtemp(join(tmpdir(), "migration-"));
 * const shipped = join(root, "shipped");
 * await mkdir(shipped);
 * await writeFile(join(shipped, "1_update.up.sql"), "CREATE TABLE images (digest TEXT);");
 * await writeFile(join(shipped, "1_update.down.sql"), "DROP TABLE images;");
 * await writeFile(
 *   join(shipped, "2_update.up.sql"),
 *   "BEGIN TRANSACTION; ALTER TABLE images ADD COLUMN size INTEGER; COMMIT;",
 * );
 * await writeFile(join(shipped, "2_update.down.sql"), "ALTER TABLE images DROP COLUMN size;");
 *
 * const db = new DatabaseSync(join(root, "images.db"));
 * const migration = await Migration.create(db, {
 *   migrationDir: shipped,
 *   mergedMigrationDir: join(root, "merged"),
 * });
 * const plan = await migration.plan(2);
 * assert.deepEqual(plan.steps.map((s) => s.script), ["1_update.up.sql", "2_update.up.sql"]);
 *
 * await migration.migrateToVersion(2);
 * assert.equal(await migration.getCurrentVersion(), 2);
 * await migration.migrateToVersion(0);
 * assert.equal(await migration.getCurrentVersion(), 0);
 *
 * db.close();
 * await rm(root, { recursive: true });
 * ```
 *
 * @module
 */
export * from "./migration.ts";
export * from "./migration_error.ts";
export * from "./scripts.ts";
export * from "./sqlite_executor.ts";
export * from "./types.ts";
