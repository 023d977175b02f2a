// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Address and route requests (ifaddrmsg, rtmsg) and their replies.

import { formatIp, type IpAddress } from "../ip.ts";
import { AosError } from "../../utils/errors.ts";
import { type NlMessage, parseAttrs, readString, readU32, within } from "./codec.ts";
import {
  AF_INET,
  AF_INET6,
  IFA_ADDRESS,
  IFA_BROADCAST,
  IFA_LABEL,
  IFA_LOCAL,
  IFADDRMSG_LEN,
  RTA_DST,
  RTA_GATEWAY,
  RTA_OIF,
  RTA_PRIORITY,
  RTA_TABLE,
  RTMSG_LEN,
} from "./constants.ts";

/** The network-order bytes of an address. */
export function ipBytes(ip: IpAddress): Uint8Array {
  if (ip.family === 4) {
    const a = ip.addr;
    return Uint8Array.of(a >>> 24, (a >>> 16) & 255, (a >>> 8) & 255, a & 255);
  }
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) out[i] = Number((ip.addr >> BigInt(120 - 8 * i)) & 0xffn);
  return out;
}

/** The text of network-order address bytes (4 or 16 of them). */
export function ipText(bytes: Uint8Array): string {
  if (bytes.length === 4) {
    return formatIp({
      family: 4,
      addr: ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0,
    });
  }
  let addr = 0n;
  for (const b of bytes) addr = (addr << 8n) | BigInt(b);
  return formatIp({ family: 6, addr });
}

/**
 * The text of an address attribute in a message of `family`: `""` when it is
 * absent or of a family other than IPv4 and IPv6.
 *
 * @throws {AosError} `failed` for an address of the wrong size.
 */
function addressText(family: number, bytes: Uint8Array | undefined): string {
  if (bytes === undefined || (family !== AF_INET && family !== AF_INET6)) return "";
  if (bytes.length !== (family === AF_INET ? 4 : 16)) {
    throw new AosError(
      "failed",
      `netlink: an address of family ${family} in ${bytes.length} bytes`,
    );
  }
  return ipText(bytes);
}

/** The kernel's address family of an address. */
export function familyOf(ip: IpAddress): number {
  return ip.family === 4 ? AF_INET : AF_INET6;
}

/** An address as the kernel reports it. */
export interface RawAddress {
  family: number;
  prefix: number;
  index: number;
  /** IFA_LOCAL when present (IPv4), else IFA_ADDRESS. */
  ip: string;
  broadcast: string;
  label: string;
}

/** Parses an RTM_NEWADDR reply. */
export function parseAddress(message: NlMessage): RawAddress {
  const p = message.payload;
  within(p, 0, IFADDRMSG_LEN);
  const attrs = parseAttrs(p, IFADDRMSG_LEN);
  const local = attrs.get(IFA_LOCAL) ?? attrs.get(IFA_ADDRESS);
  const broadcast = attrs.get(IFA_BROADCAST);
  const label = attrs.get(IFA_LABEL);
  return {
    family: p[0]!,
    prefix: p[1]!,
    index: readU32(p, 4),
    ip: addressText(p[0]!, local),
    broadcast: addressText(p[0]!, broadcast),
    label: label === undefined ? "" : readString(label),
  };
}

/** A route as the kernel reports it. */
export interface RawRoute {
  family: number;
  dstLength: number;
  table: number;
  protocol: number;
  scope: number;
  type: number;
  destination: string;
  gateway: string;
  oif: number;
  metric: number;
}

/** Parses an RTM_NEWROUTE reply. */
export function parseRoute(message: NlMessage): RawRoute {
  const p = message.payload;
  within(p, 0, RTMSG_LEN);
  const attrs = parseAttrs(p, RTMSG_LEN);
  const dst = attrs.get(RTA_DST);
  const gateway = attrs.get(RTA_GATEWAY);
  const table = attrs.get(RTA_TABLE);
  const oif = attrs.get(RTA_OIF);
  const metric = attrs.get(RTA_PRIORITY);
  return {
    family: p[0]!,
    dstLength: p[1]!,
    table: table === undefined ? p[4]! : readU32(table),
    protocol: p[5]!,
    scope: p[6]!,
    type: p[7]!,
    destination: addressText(p[0]!, dst),
    gateway: addressText(p[0]!, gateway),
    oif: oif === undefined ? 0 : readU32(oif),
    metric: metric === undefined ? 0 : readU32(metric),
  };
}
