// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * The ready {@linkcode SqlExecutor} for a `node:sqlite` database.
 *
 * @module
 */
import type { DatabaseSync, SQLInputValue, StatementSync } from "node:sqlite";
import type { SqlExecutor } from "./types.ts";

// Deno 2.9 and Node 24 both have it; Deno's bundled Node types predate it.
type ArrayStatement = StatementSync & { setReturnArrays(enabled: boolean): void };

/**
 * Adapts a `node:sqlite` `DatabaseSync` (Deno 2.9, Node 24) to
 * {@linkcode SqlExecutor}. Prepared statements are cached per SQL text. The
 * database stays the caller's: the executor never closes it.
 *
 * @example
 * ```ts
 * import { NodeSqliteExecutor } from "@aoscore/common/migration";
 * import { DatabaseSync } from "node:sqlite";
 * import assert from "node:assert/strict";
 *
 * const db = new DatabaseSync(":memory:");
 * const executor = new NodeSqliteExecutor(db);
 * executor.exec("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (7);");
 * assert.deepEqual(executor.query("SELECT x FROM t WHERE x > ?", [1]), [[7]]);
 * db.close();
 * ```
 */
export class NodeSqliteExecutor implements SqlExecutor {
  /** The adapted database. */
  readonly db: DatabaseSync;
  #statements = new Map<string, StatementSync>();

  /**
   * Wraps a database.
   *
   * @param db An open `node:sqlite` database.
   */
  constructor(db: DatabaseSync) {
    this.db = db;
  }

  /**
   * Executes a script of one or more statements.
   *
   * @param sql The script.
   */
  exec(sql: string): void {
    this.db.exec(sql);
  }

  /**
   * Executes one statement with positional parameters.
   *
   * @param sql The statement.
   * @param params The values of the `?` placeholders.
   * @returns The rows, as arrays of column values.
   */
  query(sql: string, params: readonly unknown[] = []): unknown[][] {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      (statement as ArrayStatement).setReturnArrays(true);
      this.#statements.set(sql, statement);
    }
    return statement.all(...(params as SQLInputValue[])) as unknown as unknown[][];
  }

  /**
   * Reports whether the connection is inside a transaction.
   *
   * @returns `true` when not in autocommit mode.
   */
  inTransaction(): boolean {
    return this.db.isTransaction;
  }
}
