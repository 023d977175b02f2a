// Copyright 2026 the aos-common authors. Apache-2.0 license.
// PKCS#11 URIs: any attributes format and parse back; damaged URIs parse to
// attributes that format and parse the same, or fail with a typed error; and
// no error, nor the redacted text, ever holds the PIN.
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  formatPkcs11Uri,
  parsePkcs11Uri,
  type Pkcs11Uri,
  redactPkcs11Uri,
} from "../../utils/pkcs11/uri.ts";
import { damageText, edits, outcome, runs, tokens } from "./_fuzz.ts";

const TEXT = fc.string({ unit: "binary", maxLength: 12 });
const VENDOR = fc.array(
  fc.record({
    name: fc.stringMatching(/^x-[A-Za-z0-9_-]{1,6}$/),
    value: TEXT,
  }),
  { maxLength: 2 },
).map((list) => list.filter((a, i) => list.findIndex((b) => b.name === a.name) === i));

const URI: fc.Arbitrary<Pkcs11Uri> = fc.record({
  token: TEXT,
  manufacturer: TEXT,
  serial: TEXT,
  model: TEXT,
  libraryManufacturer: TEXT,
  libraryDescription: TEXT,
  libraryVersion: fc.record({ major: fc.nat(), minor: fc.nat() }),
  object: TEXT,
  type: fc.constantFrom("public", "private", "cert", "secret-key", "data"),
  id: fc.uint8Array({ maxLength: 8 }),
  slotDescription: TEXT,
  slotManufacturer: TEXT,
  slotId: fc.bigInt({ min: 0n, max: 2n ** 64n }),
  vendorPath: VENDOR,
  pinSource: TEXT,
  moduleName: TEXT,
  modulePath: TEXT,
  vendorQuery: VENDOR,
}, { requiredKeys: [] }).map((uri) => {
  for (const key of ["vendorPath", "vendorQuery"] as const) {
    if (uri[key]?.length === 0) delete uri[key];
  }
  return uri as Pkcs11Uri;
});

Deno.test("any PKCS#11 attributes format to a URI that parses to the same attributes", () => {
  fc.assert(
    fc.property(URI, (uri) => {
      assert.deepEqual(parsePkcs11Uri(formatPkcs11Uri(uri)), uri);
    }),
    runs(100),
  );
});

const PIECES = [
  "pkcs11:",
  "PKCS11:",
  "token=",
  "object=",
  "id=",
  "type=",
  "slot-id=",
  "library-version=",
  "pin-source=",
  "module-path=",
  "x-v=",
  ";",
  "?",
  "&",
  "=",
  "%",
  "%4",
  "%41",
  "%FF",
  "%C3%A9",
  "a",
  "1",
  ".",
  " ",
  "/",
  "é",
  "\ud800",
];

Deno.test("damaged PKCS#11 URIs parse to attributes that format back, or fail typed", () => {
  fc.assert(
    fc.property(
      fc.oneof(
        fc.tuple(URI, edits()).map(([uri, list]) => damageText(formatPkcs11Uri(uri), list, PIECES)),
        tokens(PIECES),
      ),
      fc.boolean(),
      (text, lenient) => {
        const parsed = outcome(() => parsePkcs11Uri(text, { lenient }), text);
        if (parsed.error !== undefined) return;
        assert.deepEqual(parsePkcs11Uri(formatPkcs11Uri(parsed.value)), parsed.value, text);
      },
    ),
    runs(300),
  );
});

// A PIN of its own alphabet, so that no other part of a URI can spell it.
const PIN = fc.stringMatching(/^[QZ]{8,12}$/);
// How a user may write the attribute, typos included.
const PIN_ATTRIBUTE = fc.constantFrom(
  "pin-value=",
  "PIN-VALUE=",
  "pin-value",
  "pin-value:",
  "pin-value =",
  "pin-value%3D",
);

Deno.test("no parse error and no redacted URI holds the PIN, however the URI is damaged", () => {
  fc.assert(
    fc.property(
      URI,
      PIN,
      PIN_ATTRIBUTE,
      fc.constantFrom("?", "&", ";"),
      edits(3),
      fc.boolean(),
      (uri, pin, attribute, separator, list, lenient) => {
        // Damage the URI around the PIN, not the PIN itself.
        const { pinSource: _, ...withoutPin } = uri;
        const base = damageText(formatPkcs11Uri(withoutPin), list, PIECES);
        const text = `${base}${separator}${attribute}${pin}`;
        const parsed = outcome(() => parsePkcs11Uri(text, { lenient }), text);
        if (parsed.error !== undefined) {
          assert.ok(!parsed.error.message.includes(pin), parsed.error.message);
        }
        assert.ok(!redactPkcs11Uri(text).includes(pin), redactPkcs11Uri(text));
      },
    ),
    runs(300),
  );
});
