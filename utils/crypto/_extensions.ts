// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The X.509 extensions the collection writes into CSRs and certificates.

import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { isIP } from "node:net";
import { AosError } from "../errors.ts";
import { KEY_USAGES, type KeyUsage, type RawExtension } from "./certificate.ts";
import { arrayBuffer } from "./_asn1.ts";

function extension(oid: string, critical: boolean, value: ArrayBuffer): pkijs.Extension {
  return new pkijs.Extension({ extnID: oid, critical, extnValue: value });
}

/** Subject alternative names; `undefined` when there are none. */
export function subjectAltName(
  dnsNames: readonly string[] = [],
  ipAddresses: readonly string[] = [],
  uris: readonly string[] = [],
): pkijs.Extension | undefined {
  const altNames = [
    ...dnsNames.map((value) => new pkijs.GeneralName({ type: 2, value })),
    ...ipAddresses.map((ip) =>
      new pkijs.GeneralName({
        type: 7,
        value: new asn1js.OctetString({ valueHex: arrayBuffer(ipBytes(ip)) }),
      })
    ),
    ...uris.map((value) => new pkijs.GeneralName({ type: 6, value })),
  ];
  if (altNames.length === 0) return undefined;
  return extension("2.5.29.17", false, new pkijs.AltName({ altNames }).toSchema().toBER(false));
}

/** Issuer alternative names holding URIs (AosCore's service discovery URLs). */
export function issuerAltName(uris: readonly string[]): pkijs.Extension {
  const altNames = uris.map((value) => new pkijs.GeneralName({ type: 6, value }));
  return extension("2.5.29.18", false, new pkijs.AltName({ altNames }).toSchema().toBER(false));
}

/** Extended key usage with the given purpose OIDs. */
export function extKeyUsage(oids: readonly string[]): pkijs.Extension {
  return extension(
    "2.5.29.37",
    false,
    new pkijs.ExtKeyUsage({ keyPurposes: [...oids] }).toSchema().toBER(false),
  );
}

/** Basic constraints, critical as RFC 5280 asks of CA certificates. */
export function basicConstraints(isCa: boolean, pathLength?: number): pkijs.Extension {
  const value = pathLength === undefined
    ? new pkijs.BasicConstraints({ cA: isCa })
    : new pkijs.BasicConstraints({ cA: isCa, pathLenConstraint: pathLength });
  return extension("2.5.29.19", true, value.toSchema().toBER(false));
}

/** Key usage bits, critical. */
export function keyUsage(usages: readonly KeyUsage[]): pkijs.Extension {
  let last = -1;
  const bytes = new Uint8Array(2);
  for (const usage of usages) {
    const bit = KEY_USAGES.indexOf(usage);
    if (bit < 0) throw new AosError("invalidArgument", `Unknown key usage "${usage}"`);
    bytes[bit >> 3]! |= 0x80 >> (bit & 7);
    last = Math.max(last, bit);
  }
  const length = last < 8 ? 1 : 2;
  const unused = length * 8 - 1 - last;
  const bits = new asn1js.BitString({
    valueHex: arrayBuffer(bytes.subarray(0, length)),
    unusedBits: unused,
  });
  return extension("2.5.29.15", true, bits.toBER(false));
}

/** Subject key identifier. */
export function subjectKeyId(id: Uint8Array): pkijs.Extension {
  return extension(
    "2.5.29.14",
    false,
    new asn1js.OctetString({ valueHex: arrayBuffer(id) }).toBER(false),
  );
}

/** Authority key identifier with a key identifier only. */
export function authorityKeyId(id: Uint8Array): pkijs.Extension {
  const value = new pkijs.AuthorityKeyIdentifier({
    keyIdentifier: new asn1js.OctetString({ valueHex: arrayBuffer(id) }),
  });
  return extension("2.5.29.35", false, value.toSchema().toBER(false));
}

/** A caller-made extension. */
export function rawExtension(ext: RawExtension): pkijs.Extension {
  return extension(ext.oid, ext.critical ?? false, arrayBuffer(ext.value));
}

/** The 4 or 16 bytes of an IPv4 or IPv6 address. */
export function ipBytes(ip: string): Uint8Array {
  const family = isIP(ip);
  if (family === 4) return new Uint8Array(ip.split(".").map(Number));
  if (family !== 6) throw new AosError("invalidArgument", `"${ip}" is not an IP address`);
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two hex groups first.
  const v4 = /^(.*:)(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip);
  const text = v4 === null
    ? ip
    : `${v4[1]}${((Number(v4[2]) << 8) | Number(v4[3])).toString(16)}:${
      ((Number(v4[4]) << 8) | Number(v4[5])).toString(16)
    }`;
  const [head = "", rest] = text.split("::");
  const parse = (s: string) => (s === "" ? [] : s.split(":").map((g) => parseInt(g, 16)));
  const left = parse(head);
  const right = rest === undefined ? [] : parse(rest);
  const zeros = new Array<number>(8 - left.length - right.length).fill(0);
  const groups = rest === undefined ? left : [...left, ...zeros, ...right];
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[2 * i] = g >> 8;
    out[2 * i + 1] = g & 0xff;
  });
  return out;
}
