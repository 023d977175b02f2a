// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Property-based tests: random valid messages round-trip, and random
// mutations of valid frames only ever fail with CloudProtocolError.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import fc from "fast-check";
import {
  type CloudMessage,
  CloudProtocolError,
  decodeFrame,
  decodeMessage,
  encodeFrame,
  encodeMessage,
  MESSAGE_TYPES,
} from "../../cloudprotocol/mod.ts";
import { MESSAGES } from "./_arbitraries.ts";

const HEADER = { version: 7, systemId: "unit", txn: "t" } as const;

Deno.test("random valid messages of every type round-trip through encode and decode", () => {
  for (const type of MESSAGE_TYPES) {
    fc.assert(
      fc.property(MESSAGES[type], (model) => {
        const msg = model as unknown as CloudMessage;
        assert.deepEqual(decodeMessage(encodeMessage(msg)), msg);
        assert.deepEqual(decodeFrame(encodeFrame({ header: HEADER, data: msg })).data, msg);
      }),
      { numRuns: 100 },
    );
  }
});

const FRAMES = ["frames", "edges"].flatMap((dir) => {
  const url = new URL(`./testdata/${dir}/`, import.meta.url);
  return readdirSync(url).map((name) => readFileSync(new URL(name, url), "utf8"));
});

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every path to a value inside `value`. */
function paths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const out = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  }
  return out;
}

const JUNK: fc.Arbitrary<Json> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>,
  fc.constantFrom<Json>(null, "", -1, 2 ** 64, 1.5, "x".repeat(5000), [], {}, "\ud800"),
  fc.integer({ min: 1, max: 2000 }).map((n) => {
    let v: Json = [];
    for (let i = 0; i < n; i++) v = [v];
    return v;
  }),
);

type Mutation = (root: Json, path: (string | number)[]) => void;

function parentOf(
  root: Json,
  path: (string | number)[],
): [Record<string | number, Json>, string | number] | undefined {
  if (path.length === 0) return undefined;
  let node: Json = root;
  for (const key of path.slice(0, -1)) node = (node as Record<string | number, Json>)[key]!;
  return [node as Record<string | number, Json>, path.at(-1)!];
}

function mutations(junk: Json, flip: number): Mutation[] {
  return [
    (root, path) => {
      const at = parentOf(root, path);
      if (at === undefined) return;
      if (Array.isArray(at[0])) at[0].splice(Number(at[1]), 1);
      else delete at[0][at[1]];
    },
    (root, path) => {
      const at = parentOf(root, path);
      if (at !== undefined) at[0][at[1]] = junk;
    },
    (root, path) => {
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
}

Deno.test("random mutations of valid frames decode, or fail with CloudProtocolError only", () => {
  fc.assert(
    fc.property(
      fc.constantFrom(...FRAMES),
      fc.nat(),
      fc.nat(3),
      JUNK,
      fc.nat(),
      (text, pick, kind, junk, flip) => {
        const root = JSON.parse(text) as Json;
        const all = paths(root);
        mutations(junk, flip)[kind]!(root, all[pick % all.length]!);
        let frame;
        try {
          frame = decodeFrame(JSON.stringify(root));
        } catch (err) {
          assert.ok(err instanceof CloudProtocolError, String(err));
          return;
        }
        // Whatever decodes also encodes.
        assert.ok(encodeFrame(frame).length > 0);
      },
    ),
    { numRuns: 1500 },
  );
});

Deno.test("random byte damage to valid frames fails with CloudProtocolError only", () => {
  fc.assert(
    fc.property(
      fc.constantFrom(...FRAMES),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.nat(2)), {
        minLength: 1,
        maxLength: 4,
      }),
      (text, edits) => {
        const bytes = [...new TextEncoder().encode(text)];
        for (const [pos, byte, op] of edits) {
          const at = pos % (bytes.length + 1);
          if (op === 0) bytes.splice(at, 1);
          else if (op === 1) bytes.splice(at, 0, byte);
          else bytes[at] = byte;
        }
        try {
          encodeFrame(decodeFrame(new Uint8Array(bytes)));
        } catch (err) {
          assert.ok(err instanceof CloudProtocolError, String(err));
        }
      },
    ),
    { numRuns: 1500 },
  );
});
