// Copyright 2026 the aos-common authors. Apache-2.0 license.
import assert from "node:assert/strict";
import { formatUuid, nameUuid, NIL_UUID, parseUuid, uuidV4, uuidV5 } from "../../utils/uuid.ts";
import { AosError } from "../../utils/errors.ts";

const VECTOR_BYTES = [
  0x01,
  0x12,
  0x23,
  0x34,
  0x45,
  0x56,
  0x67,
  0x78,
  0x89,
  0x9a,
  0xab,
  0xbc,
  0xcd,
  0xde,
  0xef,
  0xff,
];

function invalid(message: RegExp): (e: unknown) => boolean {
  return (e) => e instanceof AosError && e.kind === "invalidArgument" && message.test(e.message);
}

Deno.test("UUID text converts to bytes and back, either case", () => {
  const text = "01122334-4556-6778-899a-abbccddeefff";
  assert.deepEqual([...parseUuid(text)], VECTOR_BYTES);
  assert.deepEqual([...parseUuid("01122334-4556-6778-899A-ABBCCDDEEFFF")], VECTOR_BYTES);
  assert.equal(formatUuid(new Uint8Array(VECTOR_BYTES)), text);
  assert.equal(formatUuid(new Uint8Array(16)), NIL_UUID);
  assert.deepEqual(parseUuid(""), new Uint8Array(16), "AosCore reads the empty string as nil");
});

Deno.test("UUID parsing is strict about length, dashes and hex digits", () => {
  assert.throws(
    () => parseUuid("0112233-44556-6778-899a-abbccddeefff"),
    invalid(/expected "-" at position 8/),
  );
  assert.throws(
    () => parseUuid("01122334-4556-6778-899a-abbccddeeff"),
    invalid(/expected 36 characters, got 35/),
  );
  assert.throws(
    () => parseUuid("0112233g-4556-6778-899a-abbccddeefff"),
    invalid(/invalid hex digit at position 7/),
  );
  assert.throws(
    () => parseUuid("01122334x4556-6778-899a-abbccddeefff"),
    invalid(/expected "-" at position 8/),
  );
  assert.throws(() => formatUuid(new Uint8Array(15)), invalid(/15 bytes/));
});

Deno.test("uuidV4 sets the version and variant bits and does not repeat", () => {
  const seen = new Set<string>();
  for (let i = 0; i < 1000; i++) {
    const id = uuidV4();
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    seen.add(id);
  }
  assert.equal(seen.size, 1000);
  // Every random digit varies (1000 ids span several batches of random bytes).
  for (let pos = 0; pos < 36; pos++) {
    if ([8, 13, 14, 18, 23].includes(pos)) continue;
    const digits = new Set([...seen].map((id) => id[pos]));
    assert.ok(digits.size >= (pos === 19 ? 4 : 12), `position ${pos}: ${[...digits]}`);
  }
});

Deno.test("uuidV5 matches the reference vector and takes long names", () => {
  assert.equal(
    uuidV5("58ac9ca0-2086-4683-a1b8-ec4bc08e01b6", "uid=42"),
    "31d10f2b-ae42-531d-a158-d9359245d171",
  );
  assert.equal(
    uuidV5(parseUuid("58ac9ca0-2086-4683-a1b8-ec4bc08e01b6"), new TextEncoder().encode("uid=42")),
    "31d10f2b-ae42-531d-a158-d9359245d171",
  );
  // RFC 4122 appendix: the DNS namespace and "www.example.com".
  assert.equal(
    uuidV5("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "www.example.com"),
    "2ed6657d-e927-568b-95e1-2665a8aea6a2",
  );
  assert.match(uuidV5(NIL_UUID, "x".repeat(1000)), /^[0-9a-f]{8}-[0-9a-f]{4}-5/);
  assert.throws(() => uuidV5("not-a-uuid", "x"), invalid(/Cannot parse UUID/));
});

Deno.test("nameUuid is AosCore's v3 UUID in the OID namespace", () => {
  assert.equal(nameUuid("runtimeType-nodeID"), "a7b266a6-30ee-325a-8e7f-58a93b19c963");
  assert.equal(nameUuid(""), "596b79dc-00dd-3991-a72f-d3696c38c64f");
});
