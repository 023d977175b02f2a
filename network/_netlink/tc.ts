// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Traffic control requests (tcmsg): the TBF and ingress qdiscs, and the
// matchall or u32 filter with a mirred redirect (section 9.7 of the spec).

import type { NetworkErrorContext } from "../errors.ts";
import {
  HOST_LITTLE_ENDIAN,
  type NlMessage,
  type NlWriter,
  parseAttrs,
  readString,
  readU32,
  readU64,
  within,
} from "./codec.ts";
import {
  AF_UNSPEC,
  ETH_P_ALL,
  NLM_F_CREATE,
  NLM_F_EXCL,
  NLM_F_REPLACE,
  PSCHED_TICK_NS,
  RTM_DELQDISC,
  RTM_GETQDISC,
  RTM_NEWQDISC,
  RTM_NEWTFILTER,
  TBF_HANDLE,
  TC_ACT_STOLEN,
  TC_H_INGRESS,
  TC_H_ROOT,
  TCA_ACT_KIND,
  TCA_ACT_OPTIONS,
  TCA_EGRESS_REDIR,
  TCA_KIND,
  TCA_MATCHALL_ACT,
  TCA_MIRRED_PARMS,
  TCA_OPTIONS,
  TCA_TBF_BURST,
  TCA_TBF_PARMS,
  TCA_TBF_RATE64,
  TCA_U32_ACT,
  TCA_U32_SEL,
  TCMSG_LEN,
} from "./constants.ts";
import type { NetlinkFailure, RouteSocket } from "./socket.ts";

/** TBF parameters in bytes per second and bytes. */
export interface RawTbf {
  rate: bigint;
  burst: number;
  limit: number;
}

/** A qdisc as the kernel reports it. */
export interface RawQdisc {
  index: number;
  handle: number;
  parent: number;
  kind: string;
  tbf?: RawTbf;
}

/** Writes a tcmsg after the header begun on `w`. */
export function tcHeader(
  w: NlWriter,
  index: number,
  handle: number,
  parent: number,
  info = 0,
): NlWriter {
  return w.u8(AF_UNSPEC).u8(0).u16(0).u32(index).u32(handle).u32(parent).u32(info);
}

/** Adds (or replaces) the root TBF qdisc of a link. */
export function addRootTbf(
  s: RouteSocket,
  index: number,
  tbf: RawTbf,
): NetlinkFailure | undefined {
  const rate32 = tbf.rate >= 1n << 32n ? 0xffffffff : Number(tbf.rate);
  const ticks = Math.round((tbf.burst * 1e9) / Number(tbf.rate) / PSCHED_TICK_NS);
  const w = tcHeader(
    s.writer.begin(RTM_NEWQDISC, NLM_F_CREATE | NLM_F_REPLACE),
    index,
    TBF_HANDLE,
    TC_H_ROOT,
  )
    .attrString(TCA_KIND, "tbf")
    .nest(TCA_OPTIONS);
  // tc_tbf_qopt: rate and peak rate (tc_ratespec each), limit, buffer (ticks), mtu.
  const parms = new Uint8Array(36);
  const view = new DataView(parms.buffer);
  view.setUint8(1, 1); // linklayer: ethernet, so the kernel needs no rate table
  view.setUint32(8, rate32, HOST_LITTLE_ENDIAN);
  view.setUint32(24, tbf.limit, HOST_LITTLE_ENDIAN);
  view.setUint32(28, ticks, HOST_LITTLE_ENDIAN);
  w.attr(TCA_TBF_PARMS, parms).attrU32(TCA_TBF_BURST, tbf.burst);
  if (tbf.rate >= 1n << 32n) w.attrU64(TCA_TBF_RATE64, tbf.rate);
  w.end();
  return s.tryAck();
}

/** Adds the ingress qdisc of a link (EEXIST when it has one). */
export function addIngress(s: RouteSocket, index: number): NetlinkFailure | undefined {
  tcHeader(s.writer.begin(RTM_NEWQDISC, NLM_F_CREATE | NLM_F_EXCL), index, 0xffff0000, TC_H_INGRESS)
    .attrString(TCA_KIND, "ingress");
  return s.tryAck();
}

/** Deletes a qdisc by handle and parent. */
export function deleteQdisc(
  s: RouteSocket,
  index: number,
  handle: number,
  parent: number,
): NetlinkFailure | undefined {
  tcHeader(s.writer.begin(RTM_DELQDISC, 0), index, handle, parent);
  return s.tryAck();
}

/**
 * Adds a filter on the ingress qdisc of `index` that redirects every packet
 * to the egress of `target`: `matchall`, or `u32` matching everything.
 */
export function addMirredRedirect(
  s: RouteSocket,
  index: number,
  target: number,
  classifier: "matchall" | "u32",
): NetlinkFailure | undefined {
  const prio = 1;
  // The protocol half of tcm_info is in network order.
  const info = ((prio << 16) | ((ETH_P_ALL & 0xff) << 8) | (ETH_P_ALL >> 8)) >>> 0;
  const w = tcHeader(
    s.writer.begin(RTM_NEWTFILTER, NLM_F_CREATE | NLM_F_EXCL),
    index,
    0,
    TC_H_INGRESS,
    info,
  )
    .attrString(TCA_KIND, classifier)
    .nest(TCA_OPTIONS);
  if (classifier === "u32") {
    // tc_u32_sel (flags TERMINAL, one key) then one key that matches everything.
    const sel = new Uint8Array(32);
    sel[0] = 1;
    sel[2] = 1;
    w.attr(TCA_U32_SEL, sel).nest(TCA_U32_ACT);
  } else {
    w.nest(TCA_MATCHALL_ACT);
  }
  // tc_mirred: index, capab, action, refcnt, bindcnt, eaction, ifindex.
  const mirred = new Uint8Array(28);
  const view = new DataView(mirred.buffer);
  view.setInt32(8, TC_ACT_STOLEN, HOST_LITTLE_ENDIAN);
  view.setInt32(20, TCA_EGRESS_REDIR, HOST_LITTLE_ENDIAN);
  view.setUint32(24, target, HOST_LITTLE_ENDIAN);
  w.nest(1).attrString(TCA_ACT_KIND, "mirred").nest(TCA_ACT_OPTIONS)
    .attr(TCA_MIRRED_PARMS, mirred).end().end();
  w.end().end();
  return s.tryAck();
}

/** The qdiscs of a link. */
export function dumpQdiscs(
  s: RouteSocket,
  index: number,
  context: NetworkErrorContext,
): RawQdisc[] {
  tcHeader(s.writer.begin(RTM_GETQDISC, 0), index, 0, 0);
  return s.dump(context).map(parseQdisc).filter((q) => q.index === index);
}

/** Parses an RTM_NEWQDISC reply. */
export function parseQdisc(message: NlMessage): RawQdisc {
  const p = message.payload;
  within(p, 0, TCMSG_LEN);
  const attrs = parseAttrs(p, TCMSG_LEN);
  const kind = readString(attrs.get(TCA_KIND) ?? new Uint8Array());
  const qdisc: RawQdisc = {
    index: readU32(p, 4),
    handle: readU32(p, 8),
    parent: readU32(p, 12),
    kind,
  };
  const options = attrs.get(TCA_OPTIONS);
  if (kind === "tbf" && options !== undefined) {
    const tbf = parseAttrs(options);
    const parms = tbf.get(TCA_TBF_PARMS);
    const rate64 = tbf.get(TCA_TBF_RATE64);
    if (parms !== undefined && parms.length >= 36) {
      const rate = rate64 !== undefined ? readU64(rate64) : BigInt(readU32(parms, 8));
      const ticks = readU32(parms, 28);
      // The kernel reports the bucket in ticks; turn it back into bytes.
      const burst = Math.round((ticks * PSCHED_TICK_NS * Number(rate)) / 1e9);
      qdisc.tbf = { rate, burst, limit: readU32(parms, 24) };
    }
  }
  return qdisc;
}
