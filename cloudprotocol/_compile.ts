// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Writes, for a table of rows, the JavaScript function that reads it and the
// one that writes it.
//
// A loop over the rows reads every member at one property access, stores
// every model property at one, and calls every value's codec at one call
// site. V8 sees dozens of shapes and functions at each, stops specialising
// (megamorphic sites) and calls through generic lookups. A function written
// for one table has sites of its own, each seeing one shape and one codec, so
// V8 inlines them: a frame decodes and encodes in about a sixth less time
// (see BENCHMARKS.md). The source holds only the table's own names, each written
// as a JSON string literal; decoded data never reaches it.
//
// Nothing is compiled at import: a table is compiled on its first use
// (`rowCodec` in _codec.ts). Where the runtime forbids code from strings
// (Node's `--disallow-code-generation-from-strings`, some sandboxes), both
// functions return `undefined` and the caller interprets the table instead.

import { getMember } from "../utils/json.ts";
import type { Entry, Row, RowReader, RowWriter } from "./_codec.ts";
import { at, missingMember, missingProperty } from "./_fault.ts";

let enabled: boolean | undefined;

/** Whether the runtime compiles code from strings, probed once, when the first table is. */
function canCompile(): boolean {
  if (enabled === undefined) {
    try {
      enabled = new Function("return true")() === true;
    } catch {
      enabled = false;
    }
  }
  return enabled;
}

const literal = (text: string): string => JSON.stringify(text);

/** The reader of `rows`, or `undefined` where code generation is disallowed. */
export function compileReader(rows: readonly Entry[]): RowReader | undefined {
  const body = rows.map((entry, i) =>
    isRow(entry) ? readRow(entry, i) : ["key = null;", `f${i}.decode(src, out);`]
  );
  return compile(rows, "src", body) as RowReader | undefined;
}

/** The writer of `rows`, or `undefined` where code generation is disallowed. */
export function compileWriter(rows: readonly Entry[]): RowWriter | undefined {
  const body = rows.map((entry, i) =>
    isRow(entry) ? writeRow(entry, i) : ["key = null;", `f${i}.encode(model, out);`]
  );
  return compile(rows, "model", body) as RowWriter | undefined;
}

function isRow(entry: Entry): entry is Row {
  return "rule" in entry;
}

// The statements of one row, in the semantics of `decodeRows` (_codec.ts):
// the exact name first, then the case-insensitive search; `null` is absent.
function readRow(row: Row, i: number): string[] {
  const key = literal(row.key);
  const prop = `out[${literal(row.prop)}]`;
  const read = [
    `key = ${key};`,
    `v = src[${key}];`,
    `if (v === undefined || v === null) v = getMember(src, ${key});`,
    `if (v !== undefined) v = t${i}.decode(v);`,
  ];
  switch (row.rule) {
    case "required":
      return [...read, `if (v === undefined) throw missingMember(t${i});`, `${prop} = v;`];
    case "default":
    case "nonEmpty":
      return [...read, `${prop} = v === undefined ? e${i}() : v;`];
    case "optional":
      return [...read, `if (v !== undefined) ${prop} = v;`];
    case "omitEmpty":
      return [...read, `if (v !== undefined && !t${i}.isEmpty(v)) ${prop} = v;`];
  }
}

// The statements of one row, in the semantics of `encodeRows` (_codec.ts).
function writeRow(row: Row, i: number): string[] {
  const key = literal(row.key);
  const read = [`key = ${key};`, `v = model[${literal(row.prop)}];`];
  const write = [`v = t${i}.encode(v);`, `if (v !== undefined) out[${key}] = v;`];
  const writeIf = (test: string) => [`if (${test}) {`, ...write.map((line) => `  ${line}`), "}"];
  switch (row.rule) {
    case "required":
      return [
        ...read,
        `if (v === undefined) throw missingProperty(${literal(row.prop)});`,
        ...write,
      ];
    case "default":
      return [...read, `if (v === undefined) v = e${i}();`, ...write];
    case "optional":
      return [...read, ...writeIf("v !== undefined")];
    case "nonEmpty":
    case "omitEmpty":
      return [...read, ...writeIf(`v !== undefined && !t${i}.isEmpty(v)`)];
  }
}

/**
 * The function `(input, out) => void` running the statements of each row in
 * order. A fault thrown by a plain row gets the row's key on its path
 * (`key`); a custom row (`f`) adds its own.
 */
function compile(rows: readonly Entry[], input: string, body: string[][]): unknown {
  if (!canCompile()) return undefined;
  const bindings = rows.map((entry, i) =>
    isRow(entry)
      ? `const t${i} = rows[${i}].type, e${i} = rows[${i}].empty;`
      : `const f${i} = rows[${i}];`
  );
  const source = `"use strict";
${bindings.join("\n")}
return function (${input}, out) {
  let key = null;
  let v;
  try {
    ${body.flat().join("\n    ")}
  } catch (err) {
    throw key === null ? err : at(err, key);
  }
};`;
  const helpers = { getMember, at, missingMember, missingProperty };
  const factory = new Function("rows", ...Object.keys(helpers), source);
  return factory(rows, ...Object.values(helpers));
}
