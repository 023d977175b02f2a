// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The scanner that finds a script's own transaction statements.
import assert from "node:assert/strict";
import { nestScript, transactionStatements } from "../../migration/_sql.ts";

const verbs = (sql: string) => transactionStatements(sql).map((s) => s.verb);

Deno.test("finds BEGIN, COMMIT, END and ROLLBACK in any case and form", () => {
  assert.deepEqual(verbs("BEGIN; SELECT 1; COMMIT;"), ["begin", "commit"]);
  assert.deepEqual(verbs("begin immediate transaction t; end transaction"), ["begin", "commit"]);
  assert.deepEqual(verbs("Begin Exclusive;rollback transaction;"), ["begin", "rollback"]);
  assert.deepEqual(verbs("ROLLBACK TO sp; ROLLBACK TRANSACTION TO SAVEPOINT sp;"), []);
  assert.deepEqual(verbs("SAVEPOINT a; RELEASE a;"), []);
});

Deno.test("ignores keywords in strings, identifiers and comments", () => {
  const sql = `-- BEGIN;
/* COMMIT; */ INSERT INTO "BEGIN" VALUES ('; COMMIT; '' ;');
SELECT [end], \`rollback\` FROM t; -- END;`;
  assert.deepEqual(verbs(sql), []);
  assert.deepEqual(verbs("SELECT 'unterminated; BEGIN;"), []);
  assert.deepEqual(verbs("SELECT 1 /* unterminated COMMIT;"), []);
});

Deno.test("skips trigger bodies, CASE ... END included", () => {
  const sql = `BEGIN;
CREATE TEMP TRIGGER t AFTER INSERT ON x BEGIN
  UPDATE y SET a = CASE WHEN new.v THEN 1 ELSE CASE WHEN 1 THEN 2 END END;
  DELETE FROM z;
END;
END;`;
  const found = transactionStatements(sql);
  assert.deepEqual(found.map((s) => s.verb), ["begin", "commit"]);
  assert.equal(sql.slice(found[1]!.start, found[1]!.end), "END;");
});

Deno.test("reports the statement spans, the last one without a semicolon too", () => {
  const sql = "  BEGIN ;\nSELECT 1;\n  COMMIT";
  assert.deepEqual(
    transactionStatements(sql).map((s) => sql.slice(s.start, s.end)),
    ["BEGIN ;", "COMMIT"],
  );
});

Deno.test("nestScript turns the script's transaction into a savepoint and leaves the rest", () => {
  assert.equal(nestScript("CREATE TABLE a (x);"), "CREATE TABLE a (x);");
  assert.equal(
    nestScript("-- head\nBEGIN TRANSACTION;\nCREATE TABLE a (x);\nCOMMIT;\n"),
    "-- head\nSAVEPOINT aos_migration_script;\nCREATE TABLE a (x);\nRELEASE aos_migration_script;\n",
  );
  assert.equal(
    nestScript("BEGIN; X; ROLLBACK; BEGIN; Y; END"),
    "SAVEPOINT aos_migration_script; X; ROLLBACK TO aos_migration_script; " +
      "RELEASE aos_migration_script; SAVEPOINT aos_migration_script; Y; " +
      "RELEASE aos_migration_script;",
  );
  // A second BEGIN stays, so SQLite refuses it as it would have.
  assert.equal(nestScript("BEGIN; BEGIN;"), "SAVEPOINT aos_migration_script; BEGIN;");
});
