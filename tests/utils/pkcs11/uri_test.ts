// Copyright 2026 the aos-common authors. Apache-2.0 license.
// PKCS#11 URIs: the examples of RFC 7512 section 3, malformed input, the
// formatter, and the AosCore helpers. Portable: also run under Node 24.
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import {
  createPkcs11ProviderUrl,
  DEFAULT_PKCS11_MODULE,
  encodePkcs11Id,
  formatPkcs11Uri,
  parsePkcs11Uri,
  pemEncodePkcs11Url,
  type Pkcs11Uri,
  redactPkcs11Uri,
  resolvePkcs11Url,
} from "../../../utils/pkcs11/uri.ts";
import { genPin } from "../../../utils/pkcs11/pin.ts";
import { AosError } from "../../../utils/errors.ts";

function kind(k: string, message?: RegExp): (e: unknown) => boolean {
  return (e) =>
    e instanceof AosError && e.kind === k && (message === undefined || message.test(e.message));
}

const bytes = (...b: number[]) => new Uint8Array(b);

// RFC 7512 section 3, one URI per example (the RFC wraps them over lines).
const RFC_EXAMPLES: [string, Pkcs11Uri][] = [
  ["pkcs11:", {}],
  ["pkcs11:object=my-pubkey;type=public", { object: "my-pubkey", type: "public" }],
  [
    "pkcs11:object=my-key;type=private?pin-source=file:/etc/token",
    { object: "my-key", type: "private", pinSource: "file:/etc/token" },
  ],
  [
    "pkcs11:token=The%20Software%20PKCS%2311%20Softtoken;manufacturer=Snake%20Oil,%20Inc.;" +
    "model=1.0;object=my-certificate;type=cert;id=%69%95%3E%5C%F4%BD%EC%91;serial=" +
    "?pin-source=file:/etc/token_pin",
    {
      token: "The Software PKCS#11 Softtoken",
      manufacturer: "Snake Oil, Inc.",
      model: "1.0",
      object: "my-certificate",
      type: "cert",
      id: bytes(0x69, 0x95, 0x3e, 0x5c, 0xf4, 0xbd, 0xec, 0x91),
      serial: "",
      pinSource: "file:/etc/token_pin",
    },
  ],
  [
    "pkcs11:object=my-sign-key;type=private?module-name=mypkcs11",
    { object: "my-sign-key", type: "private", moduleName: "mypkcs11" },
  ],
  [
    "pkcs11:object=my-sign-key;type=private?module-path=/mnt/libmypkcs11.so.1",
    { object: "my-sign-key", type: "private", modulePath: "/mnt/libmypkcs11.so.1" },
  ],
  [
    "pkcs11:token=Software%20PKCS%2311%20softtoken;manufacturer=Snake%20Oil,%20Inc.?pin-value=the-pin",
    { token: "Software PKCS#11 softtoken", manufacturer: "Snake Oil, Inc.", pinValue: "the-pin" },
  ],
  ["pkcs11:slot-description=Sun%20Metaslot", { slotDescription: "Sun Metaslot" }],
  [
    "pkcs11:library-manufacturer=Snake%20Oil,%20Inc.;library-description=Soft%20Token%20Library;" +
    "library-version=1.23",
    {
      libraryManufacturer: "Snake Oil, Inc.",
      libraryDescription: "Soft Token Library",
      libraryVersion: { major: 1, minor: 23 },
    },
  ],
  [
    "pkcs11:token=My%20token%25%20created%20by%20Joe;library-version=3;id=%01%02%03%Ba%dd%Ca%fe%04%05%06",
    {
      token: "My token% created by Joe",
      libraryVersion: { major: 3, minor: 0 },
      id: bytes(1, 2, 3, 0xba, 0xdd, 0xca, 0xfe, 4, 5, 6),
    },
  ],
  [
    "pkcs11:token=A%20name%20with%20a%20substring%20%25%3B;object=my-certificate;type=cert",
    { token: "A name with a substring %;", object: "my-certificate", type: "cert" },
  ],
  [
    "pkcs11:token=Name%20with%20a%20small%20A%20with%20acute:%20%C3%A1;object=my-certificate;type=cert",
    { token: "Name with a small A with acute: \u00e1", object: "my-certificate", type: "cert" },
  ],
  [
    "pkcs11:token=my-token;object=my-certificate;type=cert;vendor-aaa=value-a" +
    "?pin-source=file:/etc/token_pin&vendor-bbb=value-b",
    {
      token: "my-token",
      object: "my-certificate",
      type: "cert",
      vendorPath: [{ name: "vendor-aaa", value: "value-a" }],
      pinSource: "file:/etc/token_pin",
      vendorQuery: [{ name: "vendor-bbb", value: "value-b" }],
    },
  ],
];

Deno.test("every example of RFC 7512 parses, and formats back to a URI that parses the same", () => {
  for (const [text, want] of RFC_EXAMPLES) {
    const uri = parsePkcs11Uri(text);
    assert.deepEqual(uri, want, text);
    assert.deepEqual(parsePkcs11Uri(formatPkcs11Uri(uri)), want, `round trip of ${text}`);
  }
});

Deno.test("the slot-id attribute and the scheme in any case", () => {
  assert.deepEqual(
    parsePkcs11Uri("PKCS11:slot-id=1739144369;slot-manufacturer=SoftHSM%20project"),
    {
      slotId: 1739144369n,
      slotManufacturer: "SoftHSM project",
    },
  );
});

Deno.test("reserved characters RFC 7512 allows raw stay raw in each component", () => {
  const text = "pkcs11:token=:[]@!$'()*+,=&?x-attr=:[]@!$'()*+,=/?|";
  const uri = parsePkcs11Uri(text);
  assert.equal(uri.token, ":[]@!$'()*+,=&");
  assert.deepEqual(uri.vendorQuery, [{ name: "x-attr", value: ":[]@!$'()*+,=/?|" }]);
  assert.equal(formatPkcs11Uri(uri), text);
});

Deno.test("the formatter percent-encodes what each component reserves", () => {
  const text = formatPkcs11Uri({
    token: "a;b/c?d%e f",
    object: "\u00e1",
    pinValue: "p&q;r/s",
    vendorPath: [{ name: "v", value: "x&y" }],
  });
  assert.equal(
    text,
    "pkcs11:token=a%3Bb%2Fc%3Fd%25e%20f;object=%C3%A1;v=x&y?pin-value=p%26q%3Br/s",
  );
  assert.equal(parsePkcs11Uri(text).pinValue, "p&q;r/s");
});

Deno.test("the formatter writes AosCore's attributes in AosCore's order", () => {
  assert.equal(
    formatPkcs11Uri({
      pinSource: "/var/aos/iam/pin",
      id: bytes(8, 8, 8, 8),
      modulePath: "/usr/lib/softhsm/libsofthsm2.so",
      object: "iam",
      token: "aos",
    }),
    "pkcs11:token=aos;object=iam;id=%08%08%08%08?module-path=/usr/lib/softhsm/libsofthsm2.so" +
      "&pin-source=/var/aos/iam/pin",
  );
  assert.equal(formatPkcs11Uri({}), "pkcs11:");
});

Deno.test("malformed URIs are invalidArgument, naming what is wrong", () => {
  const cases: [string, RegExp][] = [
    ["http:token=a", /scheme/],
    ["pkcs11", /scheme/],
    ["pkcs11:token=a b", /must be percent-encoded/],
    ["pkcs11:token=a/b", /must be percent-encoded/],
    ["pkcs11:token=%zz", /bad percent-escape/],
    ["pkcs11:token=%4", /bad percent-escape/],
    ["pkcs11:token=a;token=b", /appears twice/],
    ["pkcs11:?pin-source=a&pin-source=b", /appears twice/],
    ["pkcs11:token", /malformed path attribute/],
    ["pkcs11:=x", /malformed path attribute/],
    ["pkcs11:token=a;", /malformed path attribute/],
    ["pkcs11:to ken=a", /malformed path attribute/],
    ["pkcs11:?&pin-source=a", /malformed query attribute/],
    ["pkcs11:type=key", /type is one of/],
    ["pkcs11:library-version=1.", /library-version/],
    ["pkcs11:library-version=v1", /library-version/],
    ["pkcs11:slot-id=-1", /slot-id/],
    ["pkcs11:slot-id=", /slot-id/],
    ["pkcs11:pin-value=1234", /belongs in the query/],
    ["pkcs11:?token=a", /belongs in the path/],
    ["pkcs11:token=%FF", /not UTF-8/],
    ["pkcs11:?pin-source=/p&pin-value=1234", /both pin-source and pin-value/],
  ];
  for (const [text, message] of cases) {
    assert.throws(() => parsePkcs11Uri(text), kind("invalidArgument", message), text);
  }
});

Deno.test("a parse error never quotes the PIN", () => {
  for (
    const text of [
      "pkcs11:?pin-value=se cret",
      "pkcs11:?pin-value=se%zzcret",
      "pkcs11:pin-value=secret",
    ]
  ) {
    assert.throws(
      () => parsePkcs11Uri(text),
      (e) => e instanceof AosError && !/se ?cret|secret/.test(e.message),
    );
  }
  assert.equal(
    redactPkcs11Uri("pkcs11:token=a;pin-value=x?pin-value=1234&pin-source=/p"),
    "pkcs11:token=a;pin-value=***?pin-value=***&pin-source=/p",
  );
});

Deno.test("a token named like an attribute is not mistaken for one (AosCore's substring search)", () => {
  const uri = parsePkcs11Uri(
    "pkcs11:token=valid;object=identity;id=%01?module-path=/x/id=3/lib.so",
  );
  assert.equal(uri.token, "valid");
  assert.equal(uri.object, "identity");
  assert.deepEqual(uri.id, bytes(1));
  assert.equal(uri.modulePath, "/x/id=3/lib.so");
});

Deno.test("lenient parsing reads AosCore's raw labels and its cut-short id escapes", () => {
  const uri = parsePkcs11Uri("pkcs11:token=iam pkcs11 test slot;object=my key;;id=%01%0", {
    lenient: true,
  });
  assert.equal(uri.token, "iam pkcs11 test slot");
  assert.equal(uri.object, "my key");
  assert.deepEqual(uri.id, bytes(1), "the incomplete %0 at the end is dropped, as AosCore does");
  assert.throws(
    () => parsePkcs11Uri("pkcs11:id=%0%01", { lenient: true }),
    kind("invalidArgument"),
  );
  assert.throws(() => parsePkcs11Uri("pkcs11:token=a b"), kind("invalidArgument"));
});

Deno.test("formatting rejects what no URI can carry", () => {
  assert.throws(() => formatPkcs11Uri({ type: "key" as "data" }), kind("invalidArgument", /type/));
  assert.throws(() => formatPkcs11Uri({ slotId: -1n }), kind("invalidArgument", /slot-id/));
  assert.throws(
    () => formatPkcs11Uri({ libraryVersion: { major: 1.5, minor: 0 } }),
    kind("invalidArgument", /library-version/),
  );
  assert.throws(
    () => formatPkcs11Uri({ vendorPath: [{ name: "token", value: "x" }] }),
    kind("invalidArgument", /vendor/),
  );
  assert.throws(
    () => formatPkcs11Uri({ vendorQuery: [{ name: "a b", value: "x" }] }),
    kind("invalidArgument", /vendor/),
  );
  assert.throws(
    () => formatPkcs11Uri({ pinSource: "/p", pinValue: "1" }),
    kind("invalidArgument", /both/),
  );
});

Deno.test("encodePkcs11Id writes every byte as upper-case %XX", () => {
  assert.equal(encodePkcs11Id(bytes(0, 1, 0xab, 0xff)), "%00%01%AB%FF");
  assert.equal(encodePkcs11Id(bytes()), "");
});

Deno.test("resolvePkcs11Url: the AosCore vectors", async () => {
  const dir = await mkdtemp(join(tmpdir(), "aos-uri-"));
  try {
    const pinFile = join(dir, "pin.txt");
    await writeFile(pinFile, "the pin\n");
    const full = await resolvePkcs11Url(
      "pkcs11:token=aoscore;object=diskencryption;id=%00%01%02%03%04%05%06%07" +
        `?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-source=${pinFile}`,
    );
    assert.deepEqual(full, {
      modulePath: "/usr/lib/softhsm/libsofthsm2.so",
      token: "aoscore",
      label: "diskencryption",
      id: bytes(0, 1, 2, 3, 4, 5, 6, 7),
      pin: "the pin\n",
    });
    assert.equal(
      (await resolvePkcs11Url(`pkcs11:object=a;id=%01?pin-source=${pathToFileURL(pinFile).href}`))
        .pin,
      "the pin\n",
      "a file: URI as pin-source",
    );
    assert.deepEqual(await resolvePkcs11Url("pkcs11:object=diskencryption;id=%AA%BB%CC"), {
      modulePath: DEFAULT_PKCS11_MODULE,
      token: "",
      label: "diskencryption",
      id: bytes(0xaa, 0xbb, 0xcc),
      pin: "",
    });
    assert.equal((await resolvePkcs11Url("pkcs11:object=a;id=%01?pin-value=1234")).pin, "1234");
    await assert.rejects(resolvePkcs11Url("pkcs11:token=a;id=%01"), kind("notFound", /object/));
    await assert.rejects(resolvePkcs11Url("pkcs11:token=a;object=b"), kind("notFound", /id/));
    await assert.rejects(
      resolvePkcs11Url("pkcs11:object=a;id=%01?pin-value=1&pin-source=/p"),
      kind("invalidArgument"),
    );
    await assert.rejects(resolvePkcs11Url("file:/etc/key.pem"), kind("failed"));
    await assert.rejects(
      resolvePkcs11Url(`pkcs11:object=a;id=%01?pin-source=${join(dir, "missing")}`),
      (e) => e instanceof AosError && /PIN file/.test(e.message),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

Deno.test("createPkcs11ProviderUrl drops object and module-path and puts the type first", () => {
  assert.equal(
    createPkcs11ProviderUrl(
      "pkcs11:token=aos;object=key;id=%01%02?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-source=/p",
    ),
    "pkcs11:type=private;token=aos;id=%01%02?pin-source=/p",
  );
  // AosCore's text edit loses the "?" when object is the last path attribute.
  assert.equal(
    createPkcs11ProviderUrl("pkcs11:token=aos;id=%01;object=key?pin-source=/p"),
    "pkcs11:type=private;token=aos;id=%01?pin-source=/p",
  );
  assert.equal(
    createPkcs11ProviderUrl("pkcs11:object=c;id=%01", "cert"),
    "pkcs11:type=cert;id=%01",
  );
  assert.equal(
    createPkcs11ProviderUrl("pkcs11:object=c?pin-value=1"),
    "pkcs11:type=private?pin-value=1",
  );
});

Deno.test("pemEncodePkcs11Url matches AosCore's vector and carries long URLs", () => {
  assert.equal(
    pemEncodePkcs11Url("pkcs11:type=private;token=aos;id=%01%02"),
    "-----BEGIN PKCS#11 PROVIDER URI-----\n" +
      "MEQaGVBLQ1MjMTEgUHJvdmlkZXIgVVJJIHYxLjAMJ3BrY3MxMTp0eXBlPXByaXZh\n" +
      "dGU7dG9rZW49YW9zO2lkPSUwMSUwMg==\n" +
      "-----END PKCS#11 PROVIDER URI-----\n",
  );
  // A 326-byte URL needs the two-byte DER length form: 27 + 4 + 326 = 0x165.
  const long = `pkcs11:type=private;token=${"t".repeat(300)}`;
  const body = pemEncodePkcs11Url(long).split("\n").slice(1, -2).join("");
  const der = Uint8Array.from(atob(body), (c) => c.charCodeAt(0));
  assert.deepEqual([...der.subarray(0, 4)], [0x30, 0x82, 0x01, 0x65]);
  assert.equal(new TextDecoder().decode(der.subarray(der.length - long.length)), long);
});

Deno.test("genPin makes 30 lower-case hex digits, all different", () => {
  const pins = new Set<string>();
  for (let i = 0; i < 1000; i++) {
    const pin = genPin();
    assert.match(pin, /^[0-9a-f]{30}$/);
    pins.add(pin);
  }
  assert.equal(pins.size, 1000);
  assert.match(genPin(7), /^[0-9a-f]{7}$/);
  assert.throws(() => genPin(0), kind("invalidArgument"));
});
