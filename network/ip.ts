// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * IP maths for IPv4 and IPv6: parsing and formatting, CIDR networks,
 * containment and overlap, splitting a pool into subnets, picking a free
 * subnet, host ranges and broadcast addresses. Pure functions: no system calls,
 * no privileges, and the same results on Deno and Node.
 *
 * IPv4 addresses are `number`s (unsigned 32 bits), IPv6 addresses `bigint`s;
 * the `family` field tells them apart.
 *
 * @example
 * ```ts
 * import { broadcastAddress, networkContainsIp, parseCidr } from "@aoscore/common/network";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(parseCidr("10.0.0.5/24"), { family: 4, addr: 0x0a000005, prefix: 24 });
 * assert.ok(networkContainsIp("172.17.0.0/16", "172.17.255.254"));
 * assert.equal(broadcastAddress("172.30.0.0/16"), "172.30.255.255");
 * ```
 *
 * @module
 */

import { AosError } from "../utils/errors.ts";
import { checkString } from "../utils/_argument_type.ts";

/** An IPv4 address: an unsigned 32-bit number. */
export interface Ipv4Address {
  /** Always 4. */
  family: 4;
  /** The address, most significant octet first (`10.0.0.1` is `0x0a000001`). */
  addr: number;
}

/** An IPv6 address: an unsigned 128-bit bigint. */
export interface Ipv6Address {
  /** Always 6. */
  family: 6;
  /** The address, most significant group first. */
  addr: bigint;
}

/** An IPv4 or IPv6 address. */
export type IpAddress = Ipv4Address | Ipv6Address;

/**
 * A network in CIDR form. `addr` keeps the host bits it was written with
 * (`10.0.0.5/24` is not normalised); {@linkcode networkAddress} clears them.
 */
export type Cidr = IpAddress & {
  /** The prefix length: 0..32 for IPv4, 0..128 for IPv6. */
  prefix: number;
};

/** A route as {@linkcode checkRouteOverlaps} sees it (`InterfaceManager.getRouteList` returns these). */
export interface RouteInfo {
  /** The destination network (`a.b.c.d/len`, a host without `/32`); absent for a default route. */
  destination?: string;
  /** The next hop's address, when there is one. */
  gateway?: string;
  /** The index of the outgoing interface. */
  linkIndex: number;
}

/**
 * The pools AosCore allocates instance networks from, in order. Split into /16
 * networks they give the 15 candidates 172.17.0.0/16 ... 172.31.0.0/16.
 */
export const DEFAULT_SUBNET_POOLS: readonly string[] = Object.freeze([
  "172.17.0.0/16",
  "172.18.0.0/16",
  "172.19.0.0/16",
  "172.20.0.0/14",
  "172.24.0.0/14",
  "172.28.0.0/14",
]);

const V4_BITS = 32;
const V6_BITS = 128;
const MAX_SPLIT = 1 << 16;

/**
 * Parses an IPv4 address (four decimal octets, no leading zeros) or an IPv6
 * address (RFC 4291 text, with `::` and an embedded dotted quad allowed).
 *
 * @example
 * ```ts
 * import { parseIp } from "@aoscore/common/network";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(parseIp("192.168.1.2"), { family: 4, addr: 0xc0a80102 });
 * assert.deepEqual(parseIp("::1"), { family: 6, addr: 1n });
 * ```
 *
 * @param text The address.
 * @returns The parsed address.
 * @throws {AosError} `invalidArgument` when `text` is not an address.
 */
export function parseIp(text: string): IpAddress {
  checkString(text, "text", "Cannot parse IP address");
  const v4 = parseV4(text);
  if (v4 !== undefined) return { family: 4, addr: v4 };
  const v6 = text.includes(":") ? parseV6(text) : undefined;
  if (v6 !== undefined) return { family: 6, addr: v6 };
  throw invalid(`Cannot parse IP address "${text}"`);
}

/**
 * Formats an address: dotted quad for IPv4, RFC 5952 text for IPv6 (lower
 * case, the longest run of zero groups as `::`, IPv4-mapped addresses as
 * `::ffff:a.b.c.d`).
 *
 * @example
 * ```ts
 * import { formatIp } from "@aoscore/common/network";
 * import assert from "node:assert/strict";
 *
 * assert.equal(formatIp({ family: 4, addr: 0x0a000001 }), "10.0.0.1");
 * assert.equal(formatIp({ family: 6, addr: 0x20010db8n << 96n | 1n }), "2001:db8::1");
 * ```
 *
 * @param ip The address.
 * @returns Its canonical text.
 */
export function formatIp(ip: IpAddress): string {
  return ip.family === 4 ? formatV4(ip.addr) : formatV6(ip.addr);
}

/**
 * Parses a network in CIDR form. Without `/` the prefix is the full width
 * (`/32` or `/128`); host bits are kept. `default` and `any` mean `0.0.0.0/0`,
 * as in AosCore.
 *
 * @example
 * ```ts
 * import { parseCidr } from "@aoscore/common/network";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(parseCidr("10.0.0.5"), { family: 4, addr: 0x0a000005, prefix: 32 });
 * assert.equal(parseCidr("fd00::/8").prefix, 8);
 * ```
 *
 * @param text The network, such as `"172.17.0.0/16"`.
 * @returns The parsed network.
 * @throws {AosError} `invalidArgument` for a bad address or prefix.
 */
export function parseCidr(text: string): Cidr {
  checkString(text, "text", "Cannot parse CIDR");
  if (text === "default" || text === "any") return { family: 4, addr: 0, prefix: 0 };
  const slash = text.indexOf("/");
  const addrText = slash < 0 ? text : text.slice(0, slash);
  let ip: IpAddress;
  try {
    ip = parseIp(addrText);
  } catch (err) {
    throw invalid(`Cannot parse CIDR "${text}": bad address "${addrText}"`, err);
  }
  const width = bitsOf(ip.family);
  if (slash < 0) return { ...ip, prefix: width };
  const prefixText = text.slice(slash + 1);
  const prefix = /^(0|[1-9][0-9]{0,2})$/.test(prefixText) ? Number(prefixText) : NaN;
  if (!(prefix <= width)) {
    throw invalid(`Cannot parse CIDR "${text}": prefix must be 0..${width}`);
  }
  return { ...ip, prefix };
}

/**
 * Formats a network as `address/prefix`.
 *
 * @example
 * ```ts
 * import { formatCidr } from "@aoscore/common/network";
 * import assert from "node:assert/strict";
 *
 * assert.equal(formatCidr({ family: 4, addr: 0xac110000, prefix: 16 }), "172.17.0.0/16");
 * ```
 *
 * @param cidr The network.
 * @returns Its text.
 */
export function formatCidr(cidr: Cidr): string {
  return `${formatIp(cidr)}/${cidr.prefix}`;
}

/**
 * The network address of a CIDR (host bits cleared).
 *
 * @example
 * ```ts
 * import { networkAddress } from "@aoscore/common/network";
 * import assert from "node:assert/strict";
 *
 * assert.equal(networkAddress("10.0.0.5/24"), "10.0.0.0");
 * ```
 *
 * @param cidr The network.
 * @returns The first address of the network.
 * @throws {AosError} `invalidArgument` for a bad CIDR.
 */
export function networkAddress(cidr: string): string {
  const { family, first } = range(parseCidr(cidr));
  return formatBig(family, first);
}

/**
 * The IPv4 broadcast address of a network: `(ip & mask) | ~mask`.
 *
 * @example
 * ```ts
 * import { broadcastAddress } from "@aoscore/common/network";
 * import assert from "node:assert/strict";
 *
 * assert.equal(broadcastAddress("10.0.0.5/24"), "10.0.0.255");
 * ```
 *
 * @param cidr An IPv4 network.
 * @returns The last address of the network.
 * @throws {AosError} `invalidArgument` for a bad CIDR or an IPv6 network (IPv6 has no broadcast).
 */
export function broadcastAddress(cidr: string): string {
  const parsed = parseCidr(cidr);
  if (parsed.family !== 4) throw invalid(`IPv6 network "${cidr}" has no broadcast address`);
  return formatV4(Number(range(parsed).last));
}

/**
 * The IPv4 netmask of a prefix length (`24` → `"255.255.255.0"`).
 *
 * @example
 * ```ts
 * import { prefixToMask } from "@aoscore/common/network";
 * import assert from "node:assert/strict";
 *
 * assert.equal(prefixToMask(20), "255.255.240.0");
 * ```
 *
 * @param prefix 0..32.
 * @returns The dotted-quad mask.
 * @throws {AosError} `invalidArgument` for a prefix outside 0..32.
 */
export function prefixToMask(prefix: number): string {
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > V4_BITS) {
    throw invalid(`Prefix length must be 0..32, got ${prefix}`);
  }
  return formatV4(Number(maskOf(V4_BITS, prefix)));
}

/**
 * The prefix length of an IPv4 netmask (`"255.255.255.0"` → 24).
 *
 * @example
 * ```ts
 * import { maskToPrefix } from "@aoscore/common/network";
 * import assert from "node:assert/strict";
 *
 * assert.equal(maskToPrefix("255.255.240.0"), 20);
 * ```
 *
 * @param mask A dotted-quad netmask with contiguous ones.
 * @returns 0..32.
 * @throws {AosError} `invalidArgument` for a bad or non-contiguous mask.
 */
export function maskToPrefix(mask: string): number {
  const value = parseV4(mask);
  if (value === undefined) throw invalid(`Cannot parse netmask "${mask}"`);
  const inverted = ~value >>> 0;
  if ((inverted & (inverted + 1)) !== 0) throw invalid(`Netmask "${mask}" is not contiguous`);
  return Math.clz32(inverted);
}

/**
 * Reports whether a network contains an address: `(net & mask) == (ip & mask)`.
 * `/0` contains every address of its family; addresses of the other family are
 * never contained.
 *
 * @example
 * ```ts
 * import { networkContainsIp } from "@aoscore/common/network";
 * import assert from "node:assert/strict";
 *
 * assert.ok(networkContainsIp("0.0.0.0/0", "8.8.8.8"));
 * assert.ok(!networkContainsIp("172.17.0.0/16", "172.18.0.1"));
 * ```
 *
 * @param cidr The network.
 * @param ip The address (a CIDR's address part is used when it has one).
 * @returns `true` when the address is inside the network.
 * @throws {AosError} `invalidArgument` when either cannot be parsed.
 */
export function networkContainsIp(cidr: string, ip: string): boolean {
  const net = parseCidr(cidr);
  const addr = parseCidr(ip);
  return net.family === addr.family && containsBig(net, bigOf(addr));
}

/**
 * Reports whether two networks share any address (one contains the other).
 *
 * @example
 * ```ts
 * import { networksOverlap } from "@aoscore/common/network";
 * import assert from "node:assert/strict";
 *
 * assert.ok(networksOverlap("172.16.0.0/12", "172.17.0.0/16"));
 * assert.ok(!networksOverlap("10.0.0.0/24", "10.0.1.0/24"));
 * ```
 *
 * @param a A network.
 * @param b Another network.
 * @returns `true` when they overlap.
 * @throws {AosError} `invalidArgument` when either cannot be parsed.
 */
export function networksOverlap(a: string, b: string): boolean {
  const x = parseCidr(a);
  const y = parseCidr(b);
  if (x.family !== y.family) return false;
  const rx = range(x);
  const ry = range(y);
  return rx.first <= ry.last && ry.first <= rx.last;
}

/**
 * AosCore's overlap test of a candidate network against the host's routes:
 * `true` when, for any route, the candidate contains the route's gateway or
 * the address of its destination, or the destination contains the candidate's
 * address. A route without destination contributes only its gateway.
 *
 * @example
 * ```ts
 * import { checkRouteOverlaps } from "@aoscore/common/network";
 * import assert from "node:assert/strict";
 *
 * const routes = [{ gateway: "172.18.0.1", linkIndex: 2 }];
 * assert.ok(checkRouteOverlaps("172.18.0.0/16", routes));
 * assert.ok(!checkRouteOverlaps("172.19.0.0/16", routes));
 * ```
 *
 * @param cidr The candidate network.
 * @param routes The routes, as `InterfaceManager.getRouteList` returns them.
 * @returns `true` when the candidate collides with a route.
 * @throws {AosError} `invalidArgument` when the candidate or a route cannot be parsed.
 */
export function checkRouteOverlaps(cidr: string, routes: readonly RouteInfo[]): boolean {
  const candidate = parseCidr(cidr);
  const candidateAddr = bigOf(candidate);
  for (const route of routes) {
    if (route.gateway !== undefined && route.gateway !== "") {
      const gw = parseCidr(route.gateway);
      if (gw.family === candidate.family && containsBig(candidate, bigOf(gw))) return true;
    }
    if (route.destination === undefined || route.destination === "") continue;
    const dst = parseCidr(route.destination);
    if (dst.family !== candidate.family) continue;
    if (containsBig(candidate, bigOf(dst)) || containsBig(dst, candidateAddr)) return true;
  }
  return false;
}

/**
 * Splits a network into subnets of a longer prefix, in address order.
 *
 * @example
 * ```ts
 * import { splitNetwork } from "@aoscore/common/network";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(splitNetwork("172.20.0.0/14", 16), [
 *   "172.20.0.0/16", "172.21.0.0/16", "172.22.0.0/16", "172.23.0.0/16",
 * ]);
 * ```
 *
 * @param cidr The network to split (host bits are ignored).
 * @param prefix The prefix length of each subnet, at least the network's.
 * @returns The subnets.
 * @throws {AosError} `invalidArgument` for a bad CIDR or prefix; `outOfRange` past 65,536 subnets.
 */
export function splitNetwork(cidr: string, prefix: number): string[] {
  const net = parseCidr(cidr);
  const width = bitsOf(net.family);
  if (!Number.isInteger(prefix) || prefix < net.prefix || prefix > width) {
    throw invalid(`Cannot split "${cidr}" into /${prefix}: prefix must be ${net.prefix}..${width}`);
  }
  if (prefix - net.prefix > 16) {
    throw new AosError(
      "outOfRange",
      `Cannot split "${cidr}" into /${prefix}: more than ${MAX_SPLIT} subnets`,
    );
  }
  const { first } = range(net);
  const step = 1n << BigInt(width - prefix);
  const count = 1 << (prefix - net.prefix);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    out.push(`${formatBig(net.family, first + BigInt(i) * step)}/${prefix}`);
  }
  return out;
}

/**
 * The candidate subnets of a list of pools: each pool split into networks of
 * `prefix`, pools in order.
 *
 * @example
 * ```ts
 * import { candidateSubnets } from "@aoscore/common/network";
 * import assert from "node:assert/strict";
 *
 * const all = candidateSubnets();
 * assert.equal(all.length, 15);
 * assert.equal(all[0], "172.17.0.0/16");
 * assert.equal(all[14], "172.31.0.0/16");
 * ```
 *
 * @param pools The pools; {@linkcode DEFAULT_SUBNET_POOLS} when omitted.
 * @param prefix The prefix length of each candidate; 16 when omitted.
 * @returns The candidates.
 * @throws {AosError} `invalidArgument` when a pool cannot be split.
 */
export function candidateSubnets(
  pools: readonly string[] = DEFAULT_SUBNET_POOLS,
  prefix = 16,
): string[] {
  return pools.flatMap((pool) => splitNetwork(pool, prefix));
}

/**
 * The first candidate that overlaps none of the routes, as AosCore picks a
 * network for a new instance.
 *
 * @example
 * ```ts
 * import { candidateSubnets, pickFreeSubnet } from "@aoscore/common/network";
 * import assert from "node:assert/strict";
 *
 * const routes = [{ destination: "172.17.0.0/16", linkIndex: 3 }];
 * assert.equal(pickFreeSubnet(candidateSubnets(), routes), "172.18.0.0/16");
 * ```
 *
 * @param candidates The networks to try, in order.
 * @param routes The host's routes.
 * @returns The free network, or `undefined` when every candidate is taken.
 * @throws {AosError} `invalidArgument` when a candidate or route cannot be parsed.
 */
export function pickFreeSubnet(
  candidates: readonly string[],
  routes: readonly RouteInfo[],
): string | undefined {
  return candidates.find((candidate) => !checkRouteOverlaps(candidate, routes));
}

/**
 * The addresses AosCore hands to instances: from the network address + 2 to the
 * broadcast address − 1 (the network address + 1 is the bridge), in order. For
 * IPv6 the last address of the network stands in for the broadcast address.
 *
 * @example
 * ```ts
 * import { hostAddresses } from "@aoscore/common/network";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual([...hostAddresses("10.1.0.0/30")], ["10.1.0.2"]);
 * ```
 *
 * @param cidr The network.
 * @returns The addresses, lazily (a /8 holds millions).
 * @throws {AosError} `invalidArgument` for a bad CIDR or a network without host addresses (/31, /32).
 */
export function hostAddresses(cidr: string): Generator<string, void, undefined> {
  const { family, first, last } = hostRange(cidr);
  return (function* () {
    for (let addr = first; addr <= last; addr++) yield formatBig(family, addr);
  })();
}

/**
 * The bounds of {@linkcode hostAddresses} without listing them.
 *
 * @example
 * ```ts
 * import { hostRange } from "@aoscore/common/network";
 * import assert from "node:assert/strict";
 *
 * const r = hostRange("172.17.0.0/16");
 * assert.equal(r.count, 65533n);
 * ```
 *
 * @param cidr The network.
 * @returns The family, the first and last host addresses as numbers, and how many there are.
 * @throws {AosError} `invalidArgument` for a bad CIDR or a network without host addresses.
 */
export function hostRange(
  cidr: string,
): { family: 4 | 6; first: bigint; last: bigint; count: bigint } {
  const parsed = parseCidr(cidr);
  const { first, last } = range(parsed);
  if (last - first <= 2n) throw invalid(`Invalid subnet CIDR "${cidr}": no host addresses`);
  return { family: parsed.family, first: first + 2n, last: last - 1n, count: last - first - 2n };
}

// ---- internals -------------------------------------------------------------

function invalid(message: string, cause?: unknown): AosError {
  return new AosError("invalidArgument", message, cause === undefined ? {} : { cause });
}

function bitsOf(family: 4 | 6): number {
  return family === 4 ? V4_BITS : V6_BITS;
}

function bigOf(ip: IpAddress): bigint {
  return ip.family === 4 ? BigInt(ip.addr) : ip.addr;
}

function maskOf(width: number, prefix: number): bigint {
  const all = (1n << BigInt(width)) - 1n;
  return all ^ ((1n << BigInt(width - prefix)) - 1n);
}

function range(cidr: Cidr): { family: 4 | 6; first: bigint; last: bigint } {
  const width = bitsOf(cidr.family);
  const mask = maskOf(width, cidr.prefix);
  const first = bigOf(cidr) & mask;
  return { family: cidr.family, first, last: first | (((1n << BigInt(width)) - 1n) ^ mask) };
}

function containsBig(net: Cidr, addr: bigint): boolean {
  const mask = maskOf(bitsOf(net.family), net.prefix);
  return (bigOf(net) & mask) === (addr & mask);
}

function formatBig(family: 4 | 6, addr: bigint): string {
  return family === 4 ? formatV4(Number(addr)) : formatV6(addr);
}

function parseV4(text: string): number | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

function formatV4(addr: number): string {
  return `${addr >>> 24}.${(addr >>> 16) & 255}.${(addr >>> 8) & 255}.${addr & 255}`;
}

function parseV6(text: string): bigint | undefined {
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const groupsOf = (part: string): number[] | undefined => {
    if (part === "") return [];
    const out: number[] = [];
    const pieces = part.split(":");
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i]!;
      if (i === pieces.length - 1 && piece.includes(".")) {
        const v4 = parseV4(piece);
        if (v4 === undefined) return undefined;
        out.push(v4 >>> 16, v4 & 0xffff);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(piece)) {
        out.push(parseInt(piece, 16));
      } else {
        return undefined;
      }
    }
    return out;
  };
  const head = groupsOf(halves[0]!);
  const tail = halves.length === 2 ? groupsOf(halves[1]!) : [];
  if (head === undefined || tail === undefined) return undefined;
  // A dotted quad may only end the address.
  if (halves.length === 2 && halves[0]!.includes(".")) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  let value = 0n;
  for (const group of [...head, ...new Array<number>(missing).fill(0), ...tail]) {
    value = (value << 16n) | BigInt(group);
  }
  return value;
}

function formatV6(addr: bigint): string {
  const groups: number[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(Number((addr >> shift) & 0xffffn));
  if (addr >> 32n === 0xffffn) return `::ffff:${formatV4(Number(addr & 0xffffffffn))}`;
  // RFC 5952: compress the longest run of two or more zero groups, the first on a tie.
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) [bestStart, bestLength] = [i, j - i];
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(":");
  const left = hex.slice(0, bestStart).join(":");
  const right = hex.slice(bestStart + bestLength).join(":");
  return `${left}::${right}`;
}
