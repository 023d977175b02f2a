// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The decoding toolkit: a message family describes each structure as a table
// of fields (wire key, model property, type, presence rule) and this file
// turns the table into a decoder and an encoder.
//
// Decoding reads only the members a table names, so unknown members, however
// large or deep, are never walked. Each table is compiled into functions of
// its own on its first use, not at import (_compile.ts); `decodeRows` and
// `encodeRows` interpret a table where the runtime cannot compile, and define
// what the compiled code does.

import { getMember, isJsonObject, type JsonObject } from "../utils/json.ts";
import { compileReader, compileWriter } from "./_compile.ts";
import type { CloudProtocolErrorKind } from "./error.ts";
import { at, Fault, missingMember, missingProperty, wrongType } from "./_fault.ts";
import type { MessageOf } from "./message.ts";
import type { MessageType } from "./types.ts";

export { at, describe, Fault, preview, wrongType } from "./_fault.ts";

/** How one kind of value is read from and written to JSON. */
export interface Type<T> {
  /** Name in messages (`"string"`, `"ItemState"`). */
  readonly name: string;
  /**
   * Reads a present, non-`null` value. A result of `undefined` means the
   * value counts as absent (an `errorInfo` without error, an unknown item type).
   */
  decode(value: unknown): T | undefined;
  /** Writes a value, checking it; `undefined` means nothing to write. */
  encode(value: T): unknown;
  /** The value of an absent member that has a default. */
  empty(): T;
  /** Whether a value is empty (not written under the `N` rule). */
  isEmpty(value: T): boolean;
  /** The kind of a missing required member; enums say `invalidEnum`. */
  readonly missing?: CloudProtocolErrorKind;
}

/** The codecs of a message family, by message type. */
export type Codecs<K extends MessageType> = { readonly [T in K]: Type<MessageOf<T>> };

/**
 * A row of a structure table with its own logic (flattened identities,
 * fixed members). Plain rows are data, interpreted by {@linkcode struct}.
 */
export interface Field {
  /** Reads the row's members of `src` into the model `out`. */
  decode(src: JsonObject, out: Record<string, unknown>): void;
  /** Writes the row's members of `model` into the JSON object `out`. */
  encode(model: Record<string, unknown>, out: Record<string, unknown>): void;
}

type Rule = "required" | "default" | "nonEmpty" | "optional" | "omitEmpty";

/** A plain row: one wire member, one model property. */
export interface Row {
  readonly key: string;
  readonly prop: string;
  // deno-lint-ignore no-explicit-any
  readonly type: Type<any>;
  readonly rule: Rule;
  readonly empty: () => unknown;
}

/** One row of a structure table. */
export type Entry = Row | Field;

function row<T>(key: string, prop: string, type: Type<T>, rule: Rule, fallback?: T): Row {
  return { key, prop, type, rule, empty: fallback === undefined ? type.empty : () => fallback };
}

/** `R`/`A`: required on decode, always written. */
export function required<T>(key: string, prop: string, type: Type<T>): Entry {
  return row(key, prop, type, "required");
}

/** `D(x)`/`A`: `fallback` (or the type's empty value) when absent, always written. */
export function withDefault<T>(key: string, prop: string, type: Type<T>, fallback?: T): Entry {
  return row(key, prop, type, "default", fallback);
}

/** `D(empty)`/`N`: the type's empty value when absent, written only when non-empty. */
export function nonEmpty<T>(key: string, prop: string, type: Type<T>): Entry {
  return row(key, prop, type, "nonEmpty");
}

/** `O`/`S`: an optional property, written whenever it is set. */
export function optional<T>(key: string, prop: string, type: Type<T>): Entry {
  return row(key, prop, type, "optional");
}

/** `D(empty)`/`N` kept as an optional property that is left out when empty (`correlationId`). */
export function omitEmpty<T>(key: string, prop: string, type: Type<T>): Entry {
  return row(key, prop, type, "omitEmpty");
}

/**
 * A member by its exact name, else {@linkcode getMember}'s case-insensitive
 * search. No member name of the protocol is a property of `Object.prototype`,
 * so a plain read finds only own members; this saves the helper's call on
 * the common path (the sender used the canonical spelling).
 */
function lookup(src: JsonObject, key: string): unknown {
  const value = src[key];
  return value === undefined || value === null ? getMember(src, key) : value;
}

/** Reads the rows of a table from a JSON object into a model object. */
export type RowReader = (src: JsonObject, out: Record<string, unknown>) => void;

/** Writes the rows of a table from a model object into a JSON object. */
export type RowWriter = (model: Record<string, unknown>, out: Record<string, unknown>) => void;

/** The reader and the writer of a table. */
export interface RowCodec {
  /** Reads the table's members of a JSON object into a model object. */
  read: RowReader;
  /** Writes the table's properties of a model object into a JSON object. */
  write: RowWriter;
}

/**
 * The reader and the writer of a table. Each is compiled for the table on its
 * first call, where the runtime allows (else it interprets the table), and
 * then replaces itself, so later calls go straight to the compiled function.
 */
export function rowCodec(rows: readonly Entry[]): RowCodec {
  const codec: RowCodec = {
    read(src, out) {
      codec.read = compileReader(rows) ?? ((src, out) => decodeRows(rows, src, out));
      codec.read(src, out);
    },
    write(model, out) {
      codec.write = compileWriter(rows) ?? ((model, out) => encodeRows(rows, model, out));
      codec.write(model, out);
    },
  };
  return codec;
}

/** Reads the rows of a table from `src` into `out`. */
function decodeRows(
  rows: readonly Entry[],
  src: JsonObject,
  out: Record<string, unknown>,
): void {
  let i = 0;
  try {
    for (; i < rows.length; i++) {
      const entry = rows[i]!;
      if (!("rule" in entry)) {
        entry.decode(src, out);
        continue;
      }
      const raw = lookup(src, entry.key);
      const value = raw === undefined ? undefined : entry.type.decode(raw);
      if (value !== undefined) {
        if (entry.rule !== "omitEmpty" || !entry.type.isEmpty(value)) out[entry.prop] = value;
      } else if (entry.rule === "default" || entry.rule === "nonEmpty") {
        out[entry.prop] = entry.empty();
      } else if (entry.rule === "required") {
        throw missingMember(entry.type);
      }
    }
  } catch (err) {
    const entry = rows[i];
    throw entry !== undefined && "rule" in entry ? at(err, entry.key) : err;
  }
}

/** Writes the rows of a table from `model` into `out`. */
function encodeRows(
  rows: readonly Entry[],
  model: Record<string, unknown>,
  out: Record<string, unknown>,
): void {
  let i = 0;
  try {
    for (; i < rows.length; i++) {
      const entry = rows[i]!;
      if (!("rule" in entry)) {
        entry.encode(model, out);
        continue;
      }
      const value = model[entry.prop];
      if (value === undefined) {
        if (entry.rule === "required") throw missingProperty(entry.prop);
        if (entry.rule === "default") out[entry.key] = entry.type.encode(entry.empty());
      } else if (
        (entry.rule !== "nonEmpty" && entry.rule !== "omitEmpty") || !entry.type.isEmpty(value)
      ) {
        const json = entry.type.encode(value);
        if (json !== undefined) out[entry.key] = json;
      }
    }
  } catch (err) {
    const entry = rows[i];
    throw entry !== undefined && "rule" in entry ? at(err, entry.key) : err;
  }
}

/** A fixed member: written as `value`, not read (the caller dispatched on it). */
export function constant(key: string, prop: string, value: string): Field {
  return {
    decode(_src, out) {
      out[prop] = value;
    },
    encode(_model, out) {
      out[key] = value;
    },
  };
}

/**
 * A JSON object described by a table. The model is a plain object with the
 * table's properties; members the table does not name are ignored.
 */
export function struct<T>(name: string, rows: readonly Entry[]): Type<T> {
  const table = rowCodec(rows);
  const expected = `an object (${name})`;
  return {
    name,
    decode(value) {
      if (!isJsonObject(value)) throw wrongType(expected, value);
      const out: Record<string, unknown> = {};
      table.read(value, out);
      return out as T;
    },
    encode(model) {
      if (typeof model !== "object" || model === null || Array.isArray(model)) {
        throw wrongType(expected, model);
      }
      const out: Record<string, unknown> = {};
      table.write(model as Record<string, unknown>, out);
      return out;
    },
    empty: () => ({}) as T,
    isEmpty: () => false,
  };
}

/**
 * A JSON object whose members live flattened in the parent model: `key` is
 * required on decode and always written, and `fields` read and write the
 * parent's properties (`{"identity": {"codename", "title"}}` → `nodeId`, `title`).
 */
export function embed(key: string, rows: readonly Entry[]): Field {
  const table = rowCodec(rows);
  return {
    decode(src, out) {
      const value = getMember(src, key);
      if (value === undefined) throw at(new Fault("missingField", "missing"), key);
      if (!isJsonObject(value)) throw at(wrongType("an object", value), key);
      try {
        table.read(value, out);
      } catch (err) {
        throw at(err, key);
      }
    },
    encode(model, out) {
      const json: Record<string, unknown> = {};
      try {
        table.write(model, json);
      } catch (err) {
        throw at(err, key);
      }
      out[key] = json;
    },
  };
}

/** A JSON array of at most `limit` elements of `type`. */
export function arrayOf<T>(type: Type<T>, limit: number): Type<T[]> {
  const name = `${type.name}[]`;
  return {
    name,
    decode(value) {
      if (!Array.isArray(value)) throw wrongType(`an array (${name})`, value);
      checkCount(value.length, limit);
      const out: T[] = new Array(value.length);
      for (let i = 0; i < value.length; i++) {
        try {
          const element: unknown = value[i];
          if (element === null || element === undefined) throw wrongType(type.name, element);
          const decoded = type.decode(element);
          if (decoded === undefined) throw wrongType(type.name, element);
          out[i] = decoded;
        } catch (err) {
          throw at(err, i);
        }
      }
      return out;
    },
    encode(list) {
      if (!Array.isArray(list)) throw wrongType(`an array (${name})`, list);
      checkCount(list.length, limit);
      const out: unknown[] = new Array(list.length);
      for (let i = 0; i < list.length; i++) {
        try {
          out[i] = type.encode(list[i] as T);
        } catch (err) {
          throw at(err, i);
        }
      }
      return out;
    },
    empty: () => [],
    isEmpty: (list) => list.length === 0,
  };
}

function checkCount(count: number, limit: number): void {
  if (count > limit) {
    throw new Fault("limitExceeded", `${count} elements, limit ${limit}`);
  }
}
