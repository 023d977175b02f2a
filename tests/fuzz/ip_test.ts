// Copyright 2026 the aos-common authors. Apache-2.0 license.
// IP addresses and CIDRs made of their own characters, and damaged valid
// ones: parseIp accepts exactly what node:net calls an address (zone ids
// aside), what parses formats back to itself, and the rest fails typed.
import assert from "node:assert/strict";
import { isIPv4, isIPv6 } from "node:net";
import fc from "fast-check";
import {
  broadcastAddress,
  formatCidr,
  formatIp,
  hostRange,
  networkAddress,
  parseCidr,
  parseIp,
} from "../../network/ip.ts";
import { damageText, edits, outcome, runs, tokens } from "./_fuzz.ts";

const PIECES = [
  ..."0123456789abcdefABCDEFg",
  ".",
  ":",
  "::",
  "/",
  "%",
  " ",
  "255",
  "256",
  "0000",
  "ffff",
  "00001",
];

const ADDRESS = fc.oneof(
  fc.ipV4(),
  fc.ipV6(),
  fc.ipV4Extended(),
  tokens(PIECES, 20),
  fc.tuple(fc.oneof(fc.ipV4(), fc.ipV6()), edits()).map(([ip, list]) =>
    damageText(ip, list, PIECES)
  ),
);

Deno.test("parseIp agrees with node:net, and what parses formats back to the same address", () => {
  fc.assert(
    fc.property(ADDRESS, (text) => {
      const parsed = outcome(() => parseIp(text), text);
      const node = isIPv4(text) || (isIPv6(text) && !text.includes("%"));
      assert.equal(parsed.error === undefined, node, `${JSON.stringify(text)}: ${parsed.error}`);
      if (parsed.error !== undefined) return;
      assert.equal(parsed.value.family, isIPv4(text) ? 4 : 6);
      assert.deepEqual(parseIp(formatIp(parsed.value)), parsed.value, text);
    }),
    runs(600),
  );
});

const CIDR = fc.oneof(
  fc.tuple(
    fc.oneof(fc.ipV4(), fc.ipV6()),
    fc.integer({ min: -1, max: 130 }),
    fc.constantFrom("", "/", "/0", "/00"),
  )
    .map(([ip, prefix, odd]) => prefix < 0 ? `${ip}${odd}` : `${ip}/${prefix}`),
  tokens(PIECES, 24),
  fc.constantFrom("default", "any", "Default", "/", "/24"),
);

Deno.test("parseCidr reads what formatCidr writes, and the CIDR helpers fail typed only", () => {
  fc.assert(
    fc.property(
      fc.oneof(CIDR, fc.tuple(CIDR, edits()).map(([c, list]) => damageText(c, list, PIECES))),
      (text) => {
        const parsed = outcome(() => parseCidr(text), text);
        const network = outcome(() => networkAddress(text), text);
        assert.equal(network.error === undefined, parsed.error === undefined, text);
        // IPv6 has no broadcast address; a network without host addresses has no host range.
        const broadcast = outcome(() => broadcastAddress(text), text);
        const v4 = parsed.error === undefined && parsed.value.family === 4;
        assert.equal(broadcast.error === undefined, v4, text);
        const hosts = outcome(() => hostRange(text), text);
        if (parsed.error !== undefined) assert.ok(hosts.error !== undefined, text);
        if (parsed.error !== undefined) return;
        const cidr = parsed.value;
        assert.ok(
          Number.isInteger(cidr.prefix) && cidr.prefix >= 0 &&
            cidr.prefix <= (cidr.family === 4 ? 32 : 128),
        );
        assert.deepEqual(parseCidr(formatCidr(cidr)), cidr, text);
      },
    ),
    runs(300),
  );
});
