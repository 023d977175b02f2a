// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Structural mutations of JSON documents, for the parsers of JSON formats
 * (cloud frames, OCI documents): remove a member, put junk in its place,
 * change the case of its name, or wrap it in an array.
 *
 * @module
 */
import fc from "fast-check";

/** A JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

type Path = (string | number)[];

/** Every path to a value inside `value` (down to 64 levels), the root's (`[]`) first. */
function paths(value: Json, prefix: Path = []): Path[] {
  const out = [prefix];
  if (prefix.length >= 64) return out;
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  }
  return out;
}

/** Values that break parsers: wrong types, limits, lone surrogates, deep nesting. */
export const JUNK: fc.Arbitrary<Json> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>,
  fc.constantFrom<Json>(null, "", -1, 2 ** 64, 1.5, "x".repeat(5000), [], {}, "\ud800"),
  fc.integer({ min: 1, max: 2000 }).map((n) => {
    let v: Json = [];
    for (let i = 0; i < n; i++) v = [v];
    return v;
  }),
);

type Mutation = (root: Json, path: Path, junk: Json, flip: number) => void;

function parentOf(
  root: Json,
  path: Path,
): [Record<string | number, Json>, string | number] | undefined {
  if (path.length === 0) return undefined;
  let node: Json = root;
  for (const key of path.slice(0, -1)) node = (node as Record<string | number, Json>)[key]!;
  return [node as Record<string | number, Json>, path.at(-1)!];
}

const MUTATIONS: readonly Mutation[] = [
  (root, path) => {
    const at = parentOf(root, path);
    if (at === undefined) return;
    if (Array.isArray(at[0])) at[0].splice(Number(at[1]), 1);
    else delete at[0][at[1]];
  },
  (root, path, junk) => {
    const at = parentOf(root, path);
    if (at !== undefined) at[0][at[1]] = structuredClone(junk);
  },
  (root, path, _junk, flip) => {
    const at = parentOf(root, path);
    if (at === undefined || Array.isArray(at[0])) return;
    const key = String(at[1]);
    const value = at[0][key]!;
    delete at[0][key];
    at[0][flip % 2 ? key.toUpperCase() : key.toLowerCase()] = value;
  },
  (root, path) => {
    const at = parentOf(root, path);
    if (at !== undefined) at[0][at[1]] = [at[0][at[1]]!];
  },
];

/**
 * One to three structural mutations of one of `documents`.
 *
 * @param documents JSON texts to start from.
 * @returns The mutated document, as a value.
 */
export function mutatedJson(documents: readonly string[]): fc.Arbitrary<Json> {
  const step = fc.tuple(fc.nat(), fc.nat(MUTATIONS.length - 1), JUNK, fc.nat());
  return fc.tuple(fc.constantFrom(...documents), fc.array(step, { minLength: 1, maxLength: 3 }))
    .map(([text, steps]) => {
      const root = JSON.parse(text) as Json;
      for (const [pick, kind, junk, flip] of steps) {
        const all = paths(root);
        MUTATIONS[kind]!(root, all[pick % all.length]!, junk, flip);
      }
      return root;
    });
}
