// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Bandwidth limits with TBF qdiscs over NETLINK_ROUTE: AosCore's traffic control.
 *
 * @module
 */

import { NetworkError, type NetworkErrorContext } from "./errors.ts";
import { checkInterfaceName, ifbName } from "./names.ts";
import { NetlinkSession } from "./_netlink/session.ts";
import { errorOf, type NetlinkFailure, type RouteSocket } from "./_netlink/socket.ts";
import {
  createLinkOfKind,
  deleteLinkByName,
  findLink,
  type RawLink,
  setLinkUp,
} from "./_netlink/links.ts";
import {
  addIngress,
  addMirredRedirect,
  addRootTbf,
  deleteQdisc,
  dumpQdiscs,
  type RawQdisc,
} from "./_netlink/tc.ts";
import {
  EEXIST,
  EINVAL,
  ENODEV,
  ENOENT,
  INGRESS_HANDLE,
  TBF_HANDLE,
  TC_H_INGRESS,
  TC_H_ROOT,
} from "./_netlink/constants.ts";

/** Token bucket parameters of a TBF qdisc. */
export interface TBFParams {
  /** The rate in bytes per second. */
  rate: bigint | number;
  /** The bucket size in bytes (how much may pass at once above the rate). */
  burst: number;
  /** How many bytes may wait in the queue before packets are dropped. */
  limit: number;
}

/** A qdisc of a link, as {@linkcode TrafficControl.getQdiscs} reports it. */
export interface QdiscInfo {
  /** The qdisc kind (`"tbf"`, `"ingress"`, `"noqueue"`, ...). */
  kind: string;
  /** The handle, as `tc` prints it (`"1:"`, `"ffff:"`). */
  handle: string;
  /** `"root"`, `"ingress"` or the parent's handle (`"1:2"`). */
  parent: string;
  /** The TBF parameters, for a TBF qdisc. */
  tbf?: { rate: bigint; burst: number; limit: number };
}

/** Bandwidth limits of {@linkcode TrafficControl.setBandwidth}, in kbit/s (1 kbit = 1000 bits). */
export interface BandwidthLimits {
  /** The limit of what the interface sends (a root TBF on it); 0 or absent for none. */
  egressKbit?: number;
  /** The limit of what the interface receives (redirected through an IFB with a root TBF); 0 or absent for none. */
  ingressKbit?: number;
}

/** Options of {@linkcode TrafficControl}. */
export interface TrafficControlOptions {
  /** Work inside the network namespace of this file instead of the current one. */
  netnsPath?: string;
}

/** The bucket AosCore gives every limit, in bytes. */
export const BANDWIDTH_BURST_BYTES = 12800;
const TC_MAX = 2 ** 31 - 1;

/**
 * AosCore's traffic control: a root TBF qdisc limits what an interface sends;
 * an ingress qdisc with a mirred redirect to an IFB device, which has its own
 * root TBF, limits what it receives. The redirect uses the `matchall`
 * classifier, or a `u32` filter that matches everything on kernels without
 * `matchall` (the first ENOENT switches the process over).
 *
 * {@linkcode TrafficControl.setBandwidth} is AosCore's recipe in one call. For
 * an instance's host-side veth, what the instance downloads is the veth's
 * egress and what it uploads is the veth's ingress.
 *
 * Needs `--allow-ffi` and root or `CAP_NET_ADMIN`.
 *
 * @example Limit a veth both ways (needs root: covered by tests/network/traffic_control_test.ts)
 * ```ts ignore
 * import { TrafficControl } from "@aoscore/common/network";
 *
 * using tc = new TrafficControl({ netnsPath: "/run/netns/host-side" });
 * await tc.setBandwidth("vethfa923a94", { egressKbit: 8000, ingressKbit: 2000 });
 * console.log(await tc.getBandwidth("vethfa923a94"));
 * await tc.clearBandwidth("vethfa923a94");
 * ```
 */
export class TrafficControl implements Disposable {
  readonly #session: NetlinkSession;

  /**
   * Creates a traffic controller. Nothing is opened until the first call.
   *
   * @param options The namespace to work in.
   */
  constructor(options: TrafficControlOptions = {}) {
    this.#session = new NetlinkSession(options.netnsPath);
  }

  /** Closes the netlink socket; a later call opens a new one. */
  close(): void {
    this.#session.close();
  }

  /** Same as {@linkcode close}. */
  [Symbol.dispose](): void {
    this.close();
  }

  /**
   * Sets the root qdisc of a link to TBF, replacing whatever root qdisc it had.
   *
   * @param ifname The link.
   * @param params Rate (bytes/s), burst and limit (bytes), each 1..2^31−1.
   * @throws {NetworkError} `invalidArgument` "TBF parameter exceeds tc range"; `notFound` "interface not found".
   */
  addRootTBFQdisc(ifname: string, params: TBFParams): Promise<void> {
    const context = { operation: "addRootTBFQdisc", interface: ifname };
    return this.#session.run(context, undefined, (s) => {
      const tbf = checkTbf(params, context);
      const link = requireLink(s, ifname, context);
      throwOn(addRootTbf(s, link.index, tbf), context);
    });
  }

  /**
   * Removes the root TBF qdisc of a link. A missing link, no root qdisc, or a
   * root qdisc of another kind (left as it is) are fine.
   *
   * @param ifname The link.
   */
  delRootTBFQdisc(ifname: string): Promise<void> {
    const context = { operation: "delRootTBFQdisc", interface: ifname };
    return this.#session.run(context, undefined, (s) => deleteRootTbf(s, ifname, context));
  }

  /**
   * Adds the ingress qdisc of a link.
   *
   * @param ifname The link.
   * @throws {NetworkError} `alreadyExist` when it has one; `notFound` for a missing link.
   */
  addIngressQdisc(ifname: string): Promise<void> {
    const context = { operation: "addIngressQdisc", interface: ifname };
    return this.#session.run(context, undefined, (s) => {
      const link = requireLink(s, ifname, context);
      throwOn(addIngress(s, link.index), context);
    });
  }

  /**
   * Removes the ingress qdisc of a link (and its filters). A missing link or
   * qdisc is fine.
   *
   * @param ifname The link.
   */
  delIngressQdisc(ifname: string): Promise<void> {
    const context = { operation: "delIngressQdisc", interface: ifname };
    return this.#session.run(context, undefined, (s) => deleteIngress(s, ifname, context));
  }

  /**
   * Redirects everything a link receives to the egress of another link (an
   * IFB), from the link's ingress qdisc.
   *
   * @param srcIf The link whose ingress qdisc gets the filter.
   * @param dstIf The link the packets go to.
   * @throws {NetworkError} `notFound` for a missing link or ingress qdisc.
   */
  addIngressMirredFilter(srcIf: string, dstIf: string): Promise<void> {
    const context = { operation: "addIngressMirredFilter", interface: srcIf };
    return this.#session.run(context, undefined, (s) => {
      const src = requireLink(s, srcIf, context);
      const dst = requireLink(s, dstIf, context);
      addRedirect(s, src.index, dst.index, context);
    });
  }

  /**
   * The qdiscs of a link.
   *
   * @param ifname The link.
   * @returns Each qdisc's kind, handle and parent, and TBF parameters for TBF.
   * @throws {NetworkError} `notFound` for a missing link.
   */
  getQdiscs(ifname: string): Promise<QdiscInfo[]> {
    const context = { operation: "getQdiscs", interface: ifname };
    return this.#session.run(context, undefined, (s) => {
      const link = requireLink(s, ifname, context);
      return dumpQdiscs(s, link.index, context).map(qdiscInfo);
    });
  }

  /**
   * Limits what a link sends and receives, with AosCore's parameters: rate =
   * kbit × 1000 / 8 bytes/s, burst 12,800 bytes, limit 4 × burst. Egress is a
   * root TBF on the link; ingress goes through the IFB `ifb-<hash>`
   * ({@linkcode ifbName}), brought up, fed by a mirred redirect from the
   * link's ingress qdisc and limited by its own root TBF. Each step is undone
   * when a later one fails. Calling it again replaces the rates.
   *
   * @param ifname The link.
   * @param limits The limits in kbit/s; 0 or absent means none.
   * @throws {NetworkError} `invalidArgument` for a bad rate; `notFound` for a missing link.
   */
  setBandwidth(ifname: string, limits: BandwidthLimits): Promise<void> {
    const context = { operation: "setBandwidth", interface: ifname };
    return this.#session.run(context, undefined, (s) => {
      const egress = tbfOfKbit(limits.egressKbit, context);
      const ingress = tbfOfKbit(limits.ingressKbit, context);
      if (egress === undefined && ingress === undefined) return;
      const link = requireLink(s, ifname, context);
      if (egress !== undefined) throwOn(addRootTbf(s, link.index, egress), context);
      if (ingress === undefined) return;
      try {
        limitIngress(s, link, ingress, context);
      } catch (err) {
        if (egress !== undefined) deleteRootTbf(s, ifname, context);
        throw err;
      }
    });
  }

  /**
   * The limits {@linkcode TrafficControl.setBandwidth} set on a link, read
   * back from the kernel.
   *
   * @param ifname The link.
   * @returns The TBF of each direction; a direction without a limit is absent.
   * @throws {NetworkError} `notFound` for a missing link.
   */
  getBandwidth(
    ifname: string,
  ): Promise<{ egress?: QdiscInfo["tbf"]; ingress?: QdiscInfo["tbf"] }> {
    const context = { operation: "getBandwidth", interface: ifname };
    return this.#session.run(context, undefined, (s) => {
      const link = requireLink(s, ifname, context);
      const out: { egress?: QdiscInfo["tbf"]; ingress?: QdiscInfo["tbf"] } = {};
      const egress = rootTbf(dumpQdiscs(s, link.index, context));
      if (egress !== undefined) out.egress = egress;
      const ifb = findLink(s, ifbName(ifname), context);
      const ingress = ifb === undefined ? undefined : rootTbf(dumpQdiscs(s, ifb.index, context));
      if (ingress !== undefined) out.ingress = ingress;
      return out;
    });
  }

  /**
   * Removes the limits of {@linkcode TrafficControl.setBandwidth}: the IFB
   * (with its qdiscs), the ingress qdisc and the root TBF. Whatever is already
   * gone is fine.
   *
   * @param ifname The link.
   */
  clearBandwidth(ifname: string): Promise<void> {
    const context = { operation: "clearBandwidth", interface: ifname };
    return this.#session.run(context, undefined, (s) => {
      checkInterfaceName(ifname, context);
      deleteLinkIfPresent(s, ifbName(ifname), context);
      deleteIngress(s, ifname, context);
      deleteRootTbf(s, ifname, context);
    });
  }
}

// ---- steps -------------------------------------------------------------------

/** Which classifier works on this kernel, learned from the first redirect. */
const TrafficControlState: { classifier: "matchall" | "u32" } = { classifier: "matchall" };

function limitIngress(
  s: RouteSocket,
  link: RawLink,
  tbf: { rate: bigint; burst: number; limit: number },
  context: NetworkErrorContext,
): void {
  const ifb = ifbName(link.name);
  const existing = findLink(s, ifb, context);
  if (existing !== undefined) {
    // Already redirected: only the rate changes.
    throwOn(addRootTbf(s, existing.index, tbf), context);
    return;
  }
  createLinkOfKind(s, ifb, "ifb", context);
  try {
    setLinkUp(s, ifb, true, context);
    const ifbLink = requireLink(s, ifb, context);
    throwOn(addRootTbf(s, ifbLink.index, tbf), context);
    const failure = addIngress(s, link.index);
    if (failure !== undefined && failure.errno !== EEXIST) throw errorOf(failure, context);
    try {
      addRedirect(s, link.index, ifbLink.index, context);
    } catch (err) {
      deleteIngress(s, link.name, context);
      throw err;
    }
  } catch (err) {
    deleteLinkIfPresent(s, ifb, context);
    throw err;
  }
}

function addRedirect(
  s: RouteSocket,
  src: number,
  dst: number,
  context: NetworkErrorContext,
): void {
  let failure = addMirredRedirect(s, src, dst, TrafficControlState.classifier);
  if (failure?.errno === ENOENT && TrafficControlState.classifier === "matchall") {
    // ENOENT here means the kernel has no matchall classifier ("TC classifier not found").
    const fallback = addMirredRedirect(s, src, dst, "u32");
    if (fallback === undefined) TrafficControlState.classifier = "u32";
    failure = fallback;
  }
  throwOn(failure, context);
}

function deleteRootTbf(s: RouteSocket, ifname: string, context: NetworkErrorContext): void {
  checkInterfaceName(ifname, context);
  const link = findLink(s, ifname, context);
  if (link === undefined) return;
  const root = dumpQdiscs(s, link.index, context).find((q) => q.parent === TC_H_ROOT);
  if (root === undefined || root.kind !== "tbf") return;
  const failure = deleteQdisc(s, link.index, TBF_HANDLE, TC_H_ROOT);
  if (failure !== undefined && failure.errno !== ENOENT && failure.errno !== ENODEV) {
    throw errorOf(failure, context);
  }
}

function deleteIngress(s: RouteSocket, ifname: string, context: NetworkErrorContext): void {
  checkInterfaceName(ifname, context);
  const link = findLink(s, ifname, context);
  if (link === undefined) return;
  const failure = deleteQdisc(s, link.index, INGRESS_HANDLE, TC_H_INGRESS);
  if (failure === undefined || failure.errno === ENOENT || failure.errno === ENODEV) return;
  // Some paths answer EINVAL ("Invalid handle") for a missing ingress qdisc.
  const present = dumpQdiscs(s, link.index, context).some((q) => q.parent === TC_H_INGRESS);
  if (failure.errno === EINVAL && !present) return;
  throw errorOf(failure, context);
}

function deleteLinkIfPresent(s: RouteSocket, name: string, context: NetworkErrorContext): void {
  try {
    deleteLinkByName(s, name, context);
  } catch (err) {
    if (!(err instanceof NetworkError && err.errno === ENODEV)) throw err;
  }
}

function requireLink(s: RouteSocket, ifname: string, context: NetworkErrorContext): RawLink {
  checkInterfaceName(ifname, context);
  const link = findLink(s, ifname, context);
  if (link === undefined) {
    throw new NetworkError("notFound", context, `interface not found ${ifname}`);
  }
  return link;
}

function throwOn(failure: NetlinkFailure | undefined, context: NetworkErrorContext): void {
  if (failure !== undefined) throw errorOf(failure, context);
}

function checkTbf(
  params: TBFParams,
  context: NetworkErrorContext,
): { rate: bigint; burst: number; limit: number } {
  const rate = typeof params.rate === "bigint" ? params.rate : BigInt(
    Number.isSafeInteger(params.rate) ? params.rate : -1,
  );
  const fine = (n: number) => Number.isSafeInteger(n) && n > 0 && n <= TC_MAX;
  if (rate <= 0n || rate > BigInt(TC_MAX) || !fine(params.burst) || !fine(params.limit)) {
    throw new NetworkError(
      "invalidArgument",
      context,
      `TBF parameter exceeds tc range: rate, burst and limit must be 1..${TC_MAX}`,
    );
  }
  return { rate, burst: params.burst, limit: params.limit };
}

function tbfOfKbit(
  kbit: number | undefined,
  context: NetworkErrorContext,
): { rate: bigint; burst: number; limit: number } | undefined {
  if (kbit === undefined || kbit === 0) return undefined;
  if (!Number.isSafeInteger(kbit) || kbit < 0) {
    throw new NetworkError("invalidArgument", context, `bad rate ${kbit} kbit/s`);
  }
  return checkTbf({
    rate: BigInt(Math.floor((kbit * 1000) / 8)),
    burst: BANDWIDTH_BURST_BYTES,
    limit: 4 * BANDWIDTH_BURST_BYTES,
  }, context);
}

function rootTbf(qdiscs: RawQdisc[]): QdiscInfo["tbf"] | undefined {
  return qdiscs.find((q) => q.parent === TC_H_ROOT && q.kind === "tbf")?.tbf;
}

function qdiscInfo(q: RawQdisc): QdiscInfo {
  const handle = (h: number) => {
    const major = (h >>> 16).toString(16);
    const minor = h & 0xffff;
    return minor === 0 ? `${major}:` : `${major}:${minor.toString(16)}`;
  };
  const info: QdiscInfo = {
    kind: q.kind,
    handle: handle(q.handle),
    parent: q.parent === TC_H_ROOT
      ? "root"
      : q.parent === TC_H_INGRESS
      ? "ingress"
      : handle(q.parent),
  };
  if (q.tbf !== undefined) info.tbf = q.tbf;
  return info;
}
