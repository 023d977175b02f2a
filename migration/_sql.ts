// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Finds the transaction statements of a script (BEGIN, COMMIT/END, ROLLBACK)
// so that a script which wraps itself in BEGIN ... COMMIT can run inside the
// migrator's own transaction: they become a savepoint of the same extent.

/** A transaction statement at the top level of a script. */
export interface TransactionStatement {
  /** Offset of the statement's first keyword. */
  start: number;
  /** Offset just past its terminating `;` (or its last token at the end). */
  end: number;
  verb: "begin" | "commit" | "rollback";
}

const SAVEPOINT = "aos_migration_script";

/**
 * Rewrites a script to run inside an open transaction: its own `BEGIN`
 * becomes a savepoint, its `COMMIT` the savepoint's release and its
 * `ROLLBACK` a rollback to it. Statements SQLite would reject (a second
 * `BEGIN`, a `COMMIT` with nothing begun) are turned into ones it rejects
 * just the same, so the script fails where it failed before.
 *
 * @returns The script unchanged when it has no transaction statements.
 */
export function nestScript(sql: string): string {
  const found = transactionStatements(sql);
  if (found.length === 0) return sql;
  let out = "";
  let at = 0;
  let open = false;
  for (const stmt of found) {
    let replacement: string;
    if (stmt.verb === "begin") {
      if (open) continue; // left as written: "cannot start a transaction within a transaction"
      replacement = `SAVEPOINT ${SAVEPOINT};`;
      open = true;
    } else if (stmt.verb === "commit") {
      replacement = `RELEASE ${SAVEPOINT};`; // fails with "no such savepoint" when none is open
      open = false;
    } else {
      replacement = open
        ? `ROLLBACK TO ${SAVEPOINT}; RELEASE ${SAVEPOINT};`
        : `ROLLBACK TO ${SAVEPOINT};`;
      open = false;
    }
    out += sql.slice(at, stmt.start) + replacement;
    at = stmt.end;
  }
  return out + sql.slice(at);
}

/**
 * Lists the transaction statements at the top level of a script. Strings,
 * quoted identifiers, comments and trigger bodies (`CREATE TRIGGER ... BEGIN
 * ... END;`, with `CASE ... END` inside) are skipped over.
 */
export function transactionStatements(sql: string): TransactionStatement[] {
  const found: TransactionStatement[] = [];
  let words: string[] = []; // the first keywords of the current statement
  let start = -1;
  let lastEnd = 0;
  let inTrigger = false;
  let caseDepth = 0;
  let triggerClosed = false;

  const finish = (end: number) => {
    const verb = classify(words);
    if (verb !== undefined) found.push({ start, end, verb });
    words = [];
    start = -1;
    inTrigger = false;
    caseDepth = 0;
    triggerClosed = false;
  };

  for (const token of tokens(sql)) {
    if (token.kind === "semicolon") {
      if (inTrigger && !triggerClosed) continue; // a statement inside the trigger body
      if (start >= 0) finish(token.end);
      continue;
    }
    if (start < 0) start = token.start;
    lastEnd = token.end;
    const word = token.kind === "word" ? sql.slice(token.start, token.end).toUpperCase() : "";
    if (words.length < 4) {
      words.push(word);
      if (isTriggerHead(words)) inTrigger = true;
    } else if (inTrigger) {
      if (word === "CASE") caseDepth++;
      else if (word === "END") {
        if (caseDepth > 0) caseDepth--;
        else triggerClosed = true;
      }
    }
  }
  if (start >= 0) finish(lastEnd);
  return found;
}

function isTriggerHead(words: string[]): boolean {
  if (words[0] !== "CREATE") return false;
  return words[1] === "TRIGGER" ||
    ((words[1] === "TEMP" || words[1] === "TEMPORARY") && words[2] === "TRIGGER");
}

function classify(words: string[]): TransactionStatement["verb"] | undefined {
  switch (words[0]) {
    case "BEGIN":
      return "begin";
    case "COMMIT":
    case "END":
      return "commit";
    case "ROLLBACK":
      // ROLLBACK [TRANSACTION] TO [SAVEPOINT] name only unwinds a savepoint.
      return words[1] === "TO" || words[2] === "TO" ? undefined : "rollback";
    default:
      return undefined;
  }
}

interface Token {
  kind: "word" | "semicolon" | "other";
  start: number;
  end: number;
}

function* tokens(sql: string): Generator<Token> {
  const n = sql.length;
  let i = 0;
  while (i < n) {
    const c = sql.charCodeAt(i);
    const start = i;
    if (c === 0x2d && sql.charCodeAt(i + 1) === 0x2d) { // -- comment
      const nl = sql.indexOf("\n", i + 2);
      i = nl < 0 ? n : nl + 1;
    } else if (c === 0x2f && sql.charCodeAt(i + 1) === 0x2a) { // /* comment */
      const close = sql.indexOf("*/", i + 2);
      i = close < 0 ? n : close + 2;
    } else if (c === 0x27 || c === 0x22 || c === 0x60) { // '...' "..." `...`
      i = skipQuoted(sql, i, sql[i]!);
      yield { kind: "other", start, end: i };
    } else if (c === 0x5b) { // [identifier]
      const close = sql.indexOf("]", i + 1);
      i = close < 0 ? n : close + 1;
      yield { kind: "other", start, end: i };
    } else if (c === 0x3b) {
      i++;
      yield { kind: "semicolon", start, end: i };
    } else if (isWordChar(c)) {
      while (i < n && isWordChar(sql.charCodeAt(i))) i++;
      yield { kind: "word", start, end: i };
    } else if (c <= 0x20) {
      i++;
    } else {
      i++;
      yield { kind: "other", start, end: i };
    }
  }
}

// A doubled quote inside the quotes stands for the quote itself.
function skipQuoted(sql: string, from: number, quote: string): number {
  let i = from + 1;
  for (;;) {
    const close = sql.indexOf(quote, i);
    if (close < 0) return sql.length;
    if (sql[close + 1] !== quote) return close + 1;
    i = close + 2;
  }
}

function isWordChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) ||
    c === 0x5f || c === 0x24 || c >= 0x80;
}
