// Copyright 2026 the aos-common authors. Apache-2.0 license.
// OCI documents, mutated as JSON and as bytes: each parses (and what parses
// is written, and that text parses and is written again unchanged), or fails
// with an OciError. Written text is the comparison, not the parsed value: the
// writers leave out empty lists as AosCore does.
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  OciError,
  parseImageConfig,
  parseImageIndex,
  parseImageManifest,
  parseItemConfig,
  parseRuntimeConfig,
  stringifyImageConfig,
  stringifyImageIndex,
  stringifyImageManifest,
  stringifyItemConfig,
  stringifyRuntimeConfig,
} from "../../ocispec/mod.ts";
import * as fixtures from "../ocispec/testdata/aoscore_fixtures.ts";
import { damageBytes, edits, runs } from "./_fuzz.ts";
import { mutatedJson } from "./_json.ts";

interface Doc {
  name: string;
  samples: string[];
  parse(input: unknown): unknown;
  stringify(value: never): string;
}

const DOCS: Doc[] = [
  {
    name: "image index",
    samples: [fixtures.INDEX],
    parse: parseImageIndex,
    stringify: stringifyImageIndex,
  },
  {
    name: "image manifest",
    samples: [fixtures.MANIFEST],
    parse: parseImageManifest,
    stringify: stringifyImageManifest,
  },
  {
    name: "image config",
    samples: [fixtures.IMAGE_CONFIG],
    parse: parseImageConfig,
    stringify: stringifyImageConfig,
  },
  {
    name: "item config",
    samples: [fixtures.ITEM_CONFIG],
    parse: parseItemConfig,
    stringify: stringifyItemConfig,
  },
  {
    name: "runtime config",
    samples: [fixtures.EXAMPLE_RUNTIME_CONFIG, fixtures.VM_RUNTIME_CONFIG],
    parse: parseRuntimeConfig,
    stringify: stringifyRuntimeConfig,
  },
];

/** Parses; a value is written as text that parses and writes to itself; a failure is an OciError. */
function check(doc: Doc, input: unknown): void {
  let value;
  try {
    value = doc.parse(input);
  } catch (err) {
    assert.ok(err instanceof OciError, `${doc.name}: ${String(err)}`);
    return;
  }
  const text = doc.stringify(value as never);
  assert.equal(doc.stringify(doc.parse(text) as never), text, `${doc.name} does not round-trip`);
}

for (const doc of DOCS) {
  Deno.test(`mutated ${doc.name} documents parse and write back stably, or fail with OciError`, () => {
    fc.assert(
      fc.property(mutatedJson(doc.samples), fc.boolean(), (root, asText) => {
        check(doc, asText ? JSON.stringify(root) : root);
      }),
      runs(100),
    );
  });
}

Deno.test("byte damage to OCI documents fails with OciError only", () => {
  const encoder = new TextEncoder();
  const cases = DOCS.flatMap((doc) =>
    doc.samples.map((text) => ({ doc, bytes: encoder.encode(text) }))
  );
  fc.assert(
    fc.property(fc.constantFrom(...cases), edits(), ({ doc, bytes }, list) => {
      check(doc, damageBytes(bytes, list));
    }),
    runs(200),
  );
});
