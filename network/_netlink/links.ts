// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Link requests (ifinfomsg) and their replies.

import type { NetworkErrorContext } from "../errors.ts";
import {
  type NlMessage,
  type NlWriter,
  parseAttrs,
  readString,
  readU16,
  readU32,
  within,
} from "./codec.ts";
import {
  AF_UNSPEC,
  ENODEV,
  IFF_UP,
  IFINFOMSG_LEN,
  IFLA_ADDRESS,
  IFLA_IFNAME,
  IFLA_INFO_DATA,
  IFLA_INFO_KIND,
  IFLA_LINK,
  IFLA_LINKINFO,
  IFLA_MASTER,
  IFLA_MTU,
  IFLA_NET_NS_FD,
  IFLA_OPERSTATE,
  IFLA_TXQLEN,
  IFLA_VLAN_ID,
  NLM_F_CREATE,
  NLM_F_EXCL,
  RTM_DELLINK,
  RTM_GETLINK,
  RTM_NEWLINK,
  RTM_SETLINK,
  VETH_INFO_PEER,
} from "./constants.ts";
import { checkInterfaceName } from "../names.ts";
import { errorOf, isFailure, type RouteSocket } from "./socket.ts";

const IFLA_EXT_MASK = 29;
const RTEXT_FILTER_SKIP_STATS = 1 << 3;
const OPERSTATES = ["unknown", "notpresent", "down", "lowerlayerdown", "testing", "dormant", "up"];

/** A link as the kernel reports it. */
export interface RawLink {
  index: number;
  name: string;
  flags: number;
  kind: string;
  masterIndex: number;
  parentIndex: number;
  vlanId: number;
  mtu: number;
  mac: string;
  operState: string;
}

/** Writes an ifinfomsg after the header begun on `w`. */
export function linkHeader(
  w: NlWriter,
  options: { family?: number; index?: number; flags?: number; change?: number } = {},
): NlWriter {
  return w.u8(options.family ?? AF_UNSPEC).u8(0).u16(0).u32(options.index ?? 0)
    .u32(options.flags ?? 0).u32(options.change ?? 0);
}

/** Up: flags and change IFF_UP; down: flags 0, change IFF_UP. */
export function upFlags(up: boolean): { flags: number; change: number } {
  return { flags: up ? IFF_UP : 0, change: IFF_UP };
}

/** Parses an RTM_NEWLINK reply. */
export function parseLink(message: NlMessage): RawLink {
  const p = message.payload;
  within(p, 0, IFINFOMSG_LEN);
  const attrs = parseAttrs(p, IFINFOMSG_LEN);
  let kind = "unknown";
  let vlanId = 0;
  const linkInfo = attrs.get(IFLA_LINKINFO);
  if (linkInfo !== undefined) {
    const info = parseAttrs(linkInfo);
    const kindAttr = info.get(IFLA_INFO_KIND);
    if (kindAttr !== undefined) kind = readString(kindAttr);
    const data = info.get(IFLA_INFO_DATA);
    if (kind === "vlan" && data !== undefined) {
      const id = parseAttrs(data).get(IFLA_VLAN_ID);
      if (id !== undefined) vlanId = readU16(id);
    }
  }
  const u32 = (type: number) => {
    const value = attrs.get(type);
    return value === undefined ? 0 : readU32(value);
  };
  const mac = attrs.get(IFLA_ADDRESS);
  const oper = attrs.get(IFLA_OPERSTATE);
  return {
    index: readU32(p, 4),
    name: readString(attrs.get(IFLA_IFNAME) ?? new Uint8Array()),
    flags: readU32(p, 8),
    kind,
    masterIndex: u32(IFLA_MASTER),
    parentIndex: u32(IFLA_LINK),
    vlanId,
    mtu: u32(IFLA_MTU),
    mac: mac === undefined ? "" : [...mac].map((b) => b.toString(16).padStart(2, "0")).join(":"),
    operState: oper === undefined ? "unknown" : OPERSTATES[oper[0]!] ?? "unknown",
  };
}

/** The link named `name`, or `undefined` when there is none. */
export function findLink(
  socket: RouteSocket,
  name: string,
  context: NetworkErrorContext,
): RawLink | undefined {
  writeGetLink(socket, name);
  return lookup(socket, context);
}

function writeGetLink(socket: RouteSocket, name: string): void {
  linkHeader(socket.writer.begin(RTM_GETLINK, 0))
    .attrString(IFLA_IFNAME, name)
    .attrU32(IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
}

/** The link with index `index`, or `undefined` when there is none. */
export function findLinkByIndex(
  socket: RouteSocket,
  index: number,
  context: NetworkErrorContext,
): RawLink | undefined {
  linkHeader(socket.writer.begin(RTM_GETLINK, 0), { index })
    .attrU32(IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
  return lookup(socket, context);
}

/** The index of the link named `name`, or 0 when there is none; reads nothing else of the reply. */
export function findLinkIndex(
  socket: RouteSocket,
  name: string,
  context: NetworkErrorContext,
): number {
  writeGetLink(socket, name);
  const reply = socket.tryGet();
  if (!isFailure(reply)) return readU32(reply.payload, 4);
  if (reply.errno === ENODEV) return 0;
  throw errorOf(reply, context);
}

function lookup(socket: RouteSocket, context: NetworkErrorContext): RawLink | undefined {
  const reply = socket.tryGet();
  if (!isFailure(reply)) return parseLink(reply);
  if (reply.errno === ENODEV) return undefined;
  throw errorOf(reply, context);
}

/** Brings a link up or down by name. */
export function setLinkUp(
  socket: RouteSocket,
  name: string,
  up: boolean,
  context: NetworkErrorContext,
): void {
  checkInterfaceName(name, context);
  linkHeader(socket.writer.begin(RTM_SETLINK, 0), upFlags(up)).attrString(IFLA_IFNAME, name);
  socket.ack(context);
}

/** Creates a link of a kind that needs no parameters, down. */
export function createLinkOfKind(
  socket: RouteSocket,
  name: string,
  kind: string,
  context: NetworkErrorContext,
): void {
  linkHeader(socket.writer.begin(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL))
    .attrString(IFLA_IFNAME, name)
    .nest(IFLA_LINKINFO).attrString(IFLA_INFO_KIND, kind).end();
  socket.ack(context);
}

/** Deletes a link by name. */
export function deleteLinkByName(
  socket: RouteSocket,
  name: string,
  context: NetworkErrorContext,
): void {
  linkHeader(socket.writer.begin(RTM_DELLINK, 0)).attrString(IFLA_IFNAME, name);
  socket.ack(context);
}

/** Writes the request for a veth pair (both ends down, unless `up`: the first end up). */
export function writeVeth(
  socket: RouteSocket,
  name: string,
  peer: string,
  options: { up?: boolean; masterIndex?: number; peerNetnsFd?: number } = {},
): void {
  const w = linkHeader(
    socket.writer.begin(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL),
    options.up ? upFlags(true) : {},
  ).attrString(IFLA_IFNAME, name);
  if (options.masterIndex) w.attrU32(IFLA_MASTER, options.masterIndex);
  w.nest(IFLA_LINKINFO).attrString(IFLA_INFO_KIND, "veth").nest(IFLA_INFO_DATA)
    .nest(VETH_INFO_PEER);
  linkHeader(w).attrString(IFLA_IFNAME, peer);
  if (options.peerNetnsFd !== undefined) w.attrU32(IFLA_NET_NS_FD, options.peerNetnsFd);
  w.end().end().end();
}

/** Writes the request for a VLAN link on `parentIndex`. */
export function writeVlan(
  socket: RouteSocket,
  name: string,
  parentIndex: number,
  vlanId: number,
  options: { up?: boolean; mac?: Uint8Array; masterIndex?: number } = {},
): void {
  const w = linkHeader(
    socket.writer.begin(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL),
    options.up ? upFlags(true) : {},
  ).attrString(IFLA_IFNAME, name).attrU32(IFLA_LINK, parentIndex);
  if (options.mac !== undefined) w.attr(IFLA_ADDRESS, options.mac).attrU32(IFLA_TXQLEN, 0);
  if (options.masterIndex) w.attrU32(IFLA_MASTER, options.masterIndex);
  w.nest(IFLA_LINKINFO).attrString(IFLA_INFO_KIND, "vlan")
    .nest(IFLA_INFO_DATA).attrU16(IFLA_VLAN_ID, vlanId).end().end();
}

/** Every link of the socket's namespace. */
export function dumpLinks(socket: RouteSocket, context: NetworkErrorContext): RawLink[] {
  linkHeader(socket.writer.begin(RTM_GETLINK, 0))
    .attrU32(IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
  return socket.dump(context).map(parseLink);
}
