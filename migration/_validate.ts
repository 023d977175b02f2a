// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Checks of what callers and databases hand the migrator.
import { resolve } from "node:path";
import type { DatabaseSync } from "node:sqlite";
import { MigrationError } from "./migration_error.ts";
import { VERSION_TABLE } from "./scripts.ts";
import { NodeSqliteExecutor } from "./sqlite_executor.ts";
import type { SqlExecutor } from "./types.ts";

export function toExecutor(db: SqlExecutor | DatabaseSync): SqlExecutor {
  const candidate = db as Partial<SqlExecutor & DatabaseSync> | null;
  if (typeof candidate?.exec === "function") {
    if (typeof candidate.query === "function") return db as SqlExecutor;
    if (typeof candidate.prepare === "function") return new NodeSqliteExecutor(db as DatabaseSync);
  }
  throw new MigrationError(
    "invalidArgument",
    "Invalid database: expected a node:sqlite DatabaseSync or an object with exec() and query()",
  );
}

export function checkDir(value: unknown, name: string): string {
  if (typeof value !== "string" || value === "") {
    throw new MigrationError(
      "invalidArgument",
      `Invalid ${name} ${JSON.stringify(value)}: expected a directory path`,
    );
  }
  return resolve(value);
}

export function checkTarget(target: unknown): void {
  if (typeof target !== "number" || !Number.isSafeInteger(target) || target < 0) {
    throw new MigrationError(
      "invalidArgument",
      `Cannot migrate to version ${String(target)}: expected a non-negative integer`,
    );
  }
}

export function toVersion(value: unknown): number {
  if (value === undefined || value === null) return 0;
  const version = typeof value === "bigint" ? Number(value) : value;
  if (typeof version !== "number" || !Number.isSafeInteger(version) || version < 0) {
    throw new MigrationError(
      "wrongState",
      `Invalid schema version ${JSON.stringify(String(value))} in ${VERSION_TABLE}: ` +
        `expected a non-negative integer`,
    );
  }
  return version;
}
