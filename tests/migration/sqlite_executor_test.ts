// Copyright 2026 the aos-common authors. Apache-2.0 license.
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { NodeSqliteExecutor } from "../../migration/mod.ts";

Deno.test("NodeSqliteExecutor runs scripts, binds parameters and returns rows as arrays", () => {
  const db = new DatabaseSync(":memory:");
  try {
    const executor = new NodeSqliteExecutor(db);
    executor.exec("CREATE TABLE t (a INTEGER, b TEXT); INSERT INTO t VALUES (1, 'x'), (2, NULL);");
    assert.deepEqual(executor.query("SELECT a, b FROM t ORDER BY a"), [[1, "x"], [2, null]]);
    assert.deepEqual(executor.query("SELECT b FROM t WHERE a = ?", [1]), [["x"]]);
    assert.deepEqual(executor.query("SELECT b FROM t WHERE a = ?", [2]), [[null]]);
    // Columns of the same name are all kept.
    assert.deepEqual(executor.query("SELECT 1 AS c, 2 AS c"), [[1, 2]]);
    assert.deepEqual(executor.query("UPDATE t SET a = a + ?", [10]), []);
    assert.deepEqual(executor.query("SELECT sum(a) FROM t"), [[23]]);
  } finally {
    db.close();
  }
});

Deno.test("NodeSqliteExecutor reports whether a transaction is open and surfaces SQL errors", () => {
  const db = new DatabaseSync(":memory:");
  try {
    const executor = new NodeSqliteExecutor(db);
    assert.equal(executor.inTransaction(), false);
    executor.exec("BEGIN;");
    assert.equal(executor.inTransaction(), true);
    executor.exec("ROLLBACK;");
    assert.throws(() => executor.exec("SELECT * FROM missing;"), /no such table: missing/);
    assert.throws(() => executor.query("SELEC 1"), /syntax error/);
  } finally {
    db.close();
  }
});
