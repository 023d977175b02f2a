// Copyright 2026 the aos-common authors. Apache-2.0 license.
// IP maths. Portable: also run under Node 24 by tests/node/network_test.ts.
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  broadcastAddress,
  candidateSubnets,
  checkRouteOverlaps,
  DEFAULT_SUBNET_POOLS,
  formatCidr,
  formatIp,
  hostAddresses,
  hostRange,
  maskToPrefix,
  networkAddress,
  networkContainsIp,
  networksOverlap,
  parseCidr,
  parseIp,
  pickFreeSubnet,
  prefixToMask,
  splitNetwork,
} from "../../network/ip.ts";
import { errorIs } from "../../utils/errors.ts";

const invalidArgument = (e: unknown) => errorIs(e, "invalidArgument");

Deno.test("parseIp reads dotted quads and refuses anything else", () => {
  assert.deepEqual(parseIp("0.0.0.0"), { family: 4, addr: 0 });
  assert.deepEqual(parseIp("255.255.255.255"), { family: 4, addr: 0xffffffff });
  assert.deepEqual(parseIp("10.0.0.1"), { family: 4, addr: 0x0a000001 });
  for (
    const bad of [
      "",
      "1.2.3",
      "1.2.3.4.5",
      "256.0.0.1",
      "300.1.1.1",
      "01.2.3.4",
      "1.2.3.-1",
      "1.2.3.4 ",
      " 1.2.3.4",
      "1..3.4",
      "a.b.c.d",
      "1.2.3.0x4",
      "1e2.0.0.1",
    ]
  ) {
    assert.throws(() => parseIp(bad), invalidArgument, bad);
  }
});

Deno.test("parseIp reads RFC 4291 IPv6 text", () => {
  const cases: [string, bigint][] = [
    ["::", 0n],
    ["::1", 1n],
    ["1::", 1n << 112n],
    ["2001:db8::1", 0x20010db8n << 96n | 1n],
    ["2001:DB8:0:0:0:0:0:1", 0x20010db8n << 96n | 1n],
    ["ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", (1n << 128n) - 1n],
    ["::ffff:10.0.0.1", 0xffffn << 32n | 0x0a000001n],
    ["64:ff9b::192.0.2.33", 0x64ff9bn << 96n | 0xc0000221n],
    ["1:2:3:4:5:6:7::", 0x0001000200030004000500060007_0000n],
    ["::2:3:4:5:6:7:8", 0x0000000200030004000500060007_0008n],
  ];
  for (const [text, addr] of cases) assert.deepEqual(parseIp(text), { family: 6, addr }, text);
  for (
    const bad of [
      ":",
      ":::",
      "1:2:3:4:5:6:7:8:9",
      "1:2:3:4:5:6:7",
      "1::2::3",
      "12345::",
      "g::",
      "1:2:3:4:5:6:7::8",
      "::1.2.3.4:5",
      "fe80::1%eth0",
      "1.2.3.4::",
      "::256.0.0.1",
      "1:",
      ":1",
    ]
  ) {
    assert.throws(() => parseIp(bad), invalidArgument, bad);
  }
});

Deno.test("formatIp writes RFC 5952 text", () => {
  const cases: [string, string][] = [
    ["2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1"],
    ["2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"], // first run wins a tie
    ["2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"], // a single zero group stays
    ["2001:0:0:1:0:0:0:1", "2001:0:0:1::1"], // the longest run wins
    ["0:0:0:0:0:0:0:0", "::"],
    ["0:0:0:0:0:0:0:1", "::1"],
    ["1:0:0:0:0:0:0:0", "1::"],
    ["::ffff:0a00:0001", "::ffff:10.0.0.1"],
    ["fe80::0001:0002", "fe80::1:2"],
  ];
  for (const [input, output] of cases) assert.equal(formatIp(parseIp(input)), output, input);
  assert.equal(formatIp({ family: 4, addr: 0xc0a80001 }), "192.168.0.1");
});

Deno.test("formatIp and parseIp round-trip every address", () => {
  fc.assert(fc.property(fc.ipV4(), (text) => formatIp(parseIp(text)) === text));
  fc.assert(
    fc.property(fc.bigUintN(128), (addr) => {
      const text = formatIp({ family: 6, addr });
      const back = parseIp(text);
      return back.family === 6 && back.addr === addr && formatIp(back) === text;
    }),
  );
  fc.assert(fc.property(fc.ipV6(), (text) => {
    const parsed = parseIp(text);
    return parsed.family === 6 && formatIp(parseIp(formatIp(parsed))) === formatIp(parsed);
  }));
});

Deno.test("parseCidr keeps host bits, defaults to the full width and accepts default/any", () => {
  assert.deepEqual(parseCidr("10.0.0.5/24"), { family: 4, addr: 0x0a000005, prefix: 24 });
  assert.deepEqual(parseCidr("10.0.0.5"), { family: 4, addr: 0x0a000005, prefix: 32 });
  assert.deepEqual(parseCidr("0.0.0.0/0"), { family: 4, addr: 0, prefix: 0 });
  assert.deepEqual(parseCidr("default"), { family: 4, addr: 0, prefix: 0 });
  assert.deepEqual(parseCidr("any"), { family: 4, addr: 0, prefix: 0 });
  assert.deepEqual(parseCidr("fd00::1/8"), { family: 6, addr: 0xfd00n << 112n | 1n, prefix: 8 });
  assert.equal(parseCidr("::1").prefix, 128);
  for (
    const bad of [
      "300.1.1.1",
      "10.0.0/8",
      "1.2.3.4/33",
      "1.2.3.4/",
      "1.2.3.4/-1",
      "1.2.3.4/08",
      "1.2.3.4/8/8",
      "1.2.3.4/ 8",
      "::/129",
      "",
      "/8",
    ]
  ) {
    assert.throws(() => parseCidr(bad), invalidArgument, bad);
  }
  assert.equal(formatCidr(parseCidr("2001:DB8::/32")), "2001:db8::/32");
});

Deno.test("networkContainsIp: /16, /0, /32 and the other family", () => {
  assert.ok(networkContainsIp("172.17.0.0/16", "172.17.255.254"));
  assert.ok(networkContainsIp("172.17.0.0/16", "172.17.0.0"));
  assert.ok(!networkContainsIp("172.17.0.0/16", "172.18.0.1"));
  assert.ok(networkContainsIp("0.0.0.0/0", "255.255.255.255"));
  assert.ok(networkContainsIp("0.0.0.0/0", "0.0.0.0"));
  assert.ok(networkContainsIp("10.1.2.3/32", "10.1.2.3"));
  assert.ok(!networkContainsIp("10.1.2.3/32", "10.1.2.4"));
  assert.ok(networkContainsIp("10.0.0.5/24", "10.0.0.200"), "host bits of the network are ignored");
  assert.ok(networkContainsIp("2001:db8::/32", "2001:db8:ffff::1"));
  assert.ok(!networkContainsIp("2001:db8::/32", "2001:db9::1"));
  assert.ok(networkContainsIp("::/0", "::1"));
  assert.ok(!networkContainsIp("0.0.0.0/0", "::1"), "families never mix");
  assert.throws(() => networkContainsIp("10.0.0.0/8", "10.0.0"), invalidArgument);
});

Deno.test("networkContainsIp agrees with a per-octet model", () => {
  fc.assert(
    fc.property(fc.ipV4(), fc.ipV4(), fc.integer({ min: 0, max: 32 }), (net, ip, prefix) => {
      const bits = (text: string) =>
        text.split(".").map((o) => Number(o).toString(2).padStart(8, "0")).join("");
      const expected = bits(net).slice(0, prefix) === bits(ip).slice(0, prefix);
      return networkContainsIp(`${net}/${prefix}`, ip) === expected;
    }),
  );
});

Deno.test("networksOverlap is true exactly when one network contains the other", () => {
  assert.ok(networksOverlap("172.16.0.0/12", "172.17.0.0/16"));
  assert.ok(networksOverlap("172.17.0.0/16", "172.16.0.0/12"));
  assert.ok(networksOverlap("10.0.0.0/24", "10.0.0.128/25"));
  assert.ok(!networksOverlap("10.0.0.0/24", "10.0.1.0/24"));
  assert.ok(networksOverlap("0.0.0.0/0", "192.168.0.0/16"));
  assert.ok(!networksOverlap("10.0.0.0/8", "::/0"));
  fc.assert(
    fc.property(
      fc.ipV4(),
      fc.integer({ min: 0, max: 32 }),
      fc.ipV4(),
      fc.integer({ min: 0, max: 32 }),
      (a, pa, b, pb) => {
        const x = `${a}/${pa}`;
        const y = `${b}/${pb}`;
        const either = networkContainsIp(x, networkAddress(y)) ||
          networkContainsIp(y, networkAddress(x));
        return networksOverlap(x, y) === either;
      },
    ),
  );
});

Deno.test("checkRouteOverlaps: destinations, gateways, default routes and /32 hosts", () => {
  const routes = [{ destination: "172.17.0.0/16", linkIndex: 3 }];
  assert.ok(checkRouteOverlaps("172.17.0.0/16", routes));
  assert.ok(checkRouteOverlaps("172.16.0.0/12", routes), "the candidate contains the route");
  assert.ok(checkRouteOverlaps("172.17.5.0/24", routes), "the route contains the candidate");
  assert.ok(!checkRouteOverlaps("172.18.0.0/16", routes));
  const viaGateway = [{ gateway: "172.18.0.1", linkIndex: 2 }];
  assert.ok(checkRouteOverlaps("172.18.0.0/16", viaGateway));
  assert.ok(!checkRouteOverlaps("172.19.0.0/16", viaGateway));
  const host = [{ destination: "172.19.4.4", linkIndex: 2 }];
  assert.ok(checkRouteOverlaps("172.19.0.0/16", host), "a /32 destination printed without suffix");
  assert.ok(!checkRouteOverlaps("172.20.0.0/16", host));
  assert.ok(!checkRouteOverlaps("10.0.0.0/8", []));
  assert.throws(
    () => checkRouteOverlaps("10.0.0.0/8", [{ destination: "bad", linkIndex: 1 }]),
    invalidArgument,
  );
});

Deno.test("splitNetwork and candidateSubnets give AosCore's 15 candidates in order", () => {
  assert.deepEqual(splitNetwork("172.17.0.0/16", 16), ["172.17.0.0/16"]);
  assert.deepEqual(splitNetwork("10.0.0.7/30", 31), ["10.0.0.4/31", "10.0.0.6/31"]);
  assert.deepEqual(splitNetwork("2001:db8::/32", 34), [
    "2001:db8::/34",
    "2001:db8:4000::/34",
    "2001:db8:8000::/34",
    "2001:db8:c000::/34",
  ]);
  const all = candidateSubnets();
  assert.deepEqual(all, Array.from({ length: 15 }, (_, i) => `172.${17 + i}.0.0/16`));
  assert.equal(DEFAULT_SUBNET_POOLS.length, 6);
  assert.deepEqual(candidateSubnets(["10.0.0.0/23"], 24), ["10.0.0.0/24", "10.0.1.0/24"]);
  assert.throws(() => splitNetwork("10.0.0.0/16", 8), invalidArgument);
  assert.throws(() => splitNetwork("10.0.0.0/16", 33), invalidArgument);
  assert.throws(() => splitNetwork("10.0.0.0/8", 32), (e) => errorIs(e, "outOfRange"));
  assert.equal(splitNetwork("10.0.0.0/8", 24).length, 65536);
});

Deno.test("pickFreeSubnet skips the candidates hit by host routes", () => {
  const routes = [
    { destination: "172.17.0.0/16", linkIndex: 3 },
    { gateway: "172.18.0.1", linkIndex: 2 },
    { destination: "172.19.3.0/24", linkIndex: 4 },
  ];
  assert.equal(pickFreeSubnet(candidateSubnets(), routes), "172.20.0.0/16");
  assert.equal(pickFreeSubnet(candidateSubnets(), []), "172.17.0.0/16");
  assert.equal(
    pickFreeSubnet(candidateSubnets(), [{ destination: "172.16.0.0/12", linkIndex: 1 }]),
    undefined,
  );
});

Deno.test("hostAddresses run from network+2 to broadcast-1; /31 and /32 have none", () => {
  assert.deepEqual([...hostAddresses("10.1.0.0/30")], ["10.1.0.2"]);
  assert.deepEqual([...hostAddresses("10.1.0.9/29")], [
    "10.1.0.10",
    "10.1.0.11",
    "10.1.0.12",
    "10.1.0.13",
    "10.1.0.14",
  ]);
  assert.throws(() => hostAddresses("10.1.0.0/31"), invalidArgument);
  assert.throws(() => hostAddresses("10.1.0.0/32"), invalidArgument);
  const big = hostRange("172.17.0.0/16");
  assert.equal(big.count, 65533n);
  const gen = hostAddresses("10.0.0.0/8");
  assert.equal(gen.next().value, "10.0.0.2");
  assert.deepEqual([...hostAddresses("fd00::/126")], ["fd00::2"]);
  const v6 = hostRange("fd00::/64");
  assert.equal(v6.count, (1n << 64n) - 3n);
});

Deno.test("broadcast, network address and masks", () => {
  assert.equal(broadcastAddress("172.30.0.0/16"), "172.30.255.255");
  assert.equal(broadcastAddress("10.0.0.5/24"), "10.0.0.255");
  assert.equal(broadcastAddress("10.0.0.5/32"), "10.0.0.5");
  assert.equal(broadcastAddress("0.0.0.0/0"), "255.255.255.255");
  assert.throws(() => broadcastAddress("fd00::/8"), invalidArgument);
  assert.equal(networkAddress("10.0.0.5/24"), "10.0.0.0");
  assert.equal(networkAddress("2001:db8::ffff/112"), "2001:db8::");
  for (let prefix = 0; prefix <= 32; prefix++) {
    assert.equal(maskToPrefix(prefixToMask(prefix)), prefix);
  }
  assert.equal(prefixToMask(0), "0.0.0.0");
  assert.equal(prefixToMask(32), "255.255.255.255");
  assert.equal(prefixToMask(23), "255.255.254.0");
  assert.throws(() => prefixToMask(33), invalidArgument);
  assert.throws(() => prefixToMask(1.5), invalidArgument);
  assert.throws(() => maskToPrefix("255.0.255.0"), invalidArgument);
  assert.throws(() => maskToPrefix("255.255.255"), invalidArgument);
});
