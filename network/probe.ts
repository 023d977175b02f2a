// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * What this kernel can do, tried out in a throw-away namespace.
 *
 * @module
 */

import { NetworkError } from "./errors.ts";
import { createLinkOfKind, findLink, setLinkUp, writeVeth, writeVlan } from "./_netlink/links.ts";
import { RouteSocket } from "./_netlink/socket.ts";
import { addIngress, addMirredRedirect, addRootTbf } from "./_netlink/tc.ts";
import { nftablesAvailable } from "./_nftables/library.ts";

/** The outcome of one probe. */
export interface FeatureProbe {
  /** Whether the feature works. */
  available: boolean;
  /** Why not, with the errno, when it does not. */
  reason?: string;
}

/** The features {@linkcode probeNetworkFeatures} tries. */
export interface NetworkFeatures {
  /** veth pairs. */
  veth: FeatureProbe;
  /** `vlan` links (8021q). */
  vlan: FeatureProbe;
  /** `dummy` links. */
  dummy: FeatureProbe;
  /** `ifb` links (ingress shaping). */
  ifb: FeatureProbe;
  /** The `tbf` qdisc. */
  tbf: FeatureProbe;
  /** The `matchall` classifier with a `mirred` action. */
  matchall: FeatureProbe;
  /** The `u32` classifier with a `mirred` action. */
  u32: FeatureProbe;
  /** `libnftables.so.1` (the nftables firewall backend). */
  nftables: FeatureProbe;
}

let cached: NetworkFeatures | undefined;

/**
 * Tries each feature in a new, unnamed network namespace that disappears
 * afterwards: nothing on the host changes. The result is kept for the life of
 * the process.
 *
 * Needs `--allow-ffi` and root (`CAP_SYS_ADMIN` for the namespace).
 *
 * @example Skip what the kernel lacks
 * ```ts ignore
 * import { probeNetworkFeatures } from "@aoscore/common/network";
 *
 * const features = await probeNetworkFeatures();
 * if (!features.vlan.available) console.log(`no VLANs: ${features.vlan.reason}`);
 * ```
 *
 * @returns What works and, for what does not, why.
 * @throws {NetworkError} When no namespace can be made (not root).
 */
export function probeNetworkFeatures(): Promise<NetworkFeatures> {
  if (cached !== undefined) return Promise.resolve(cached);
  try {
    cached = probe();
    return Promise.resolve(cached);
  } catch (err) {
    return Promise.reject(err);
  }
}

function probe(): NetworkFeatures {
  const context = { operation: "probeNetworkFeatures" };
  const s = RouteSocket.openInNewNamespace(context);
  try {
    const attempt = (what: string, write: () => ReturnType<RouteSocket["tryAck"]>) => {
      const failure = write();
      if (failure === undefined) return { available: true };
      const err = NetworkError.forErrno(failure.errno, { operation: what }, {
        kernelText: failure.kernelText,
      });
      return { available: false, reason: err.message };
    };
    const veth = attempt("veth", () => {
      writeVeth(s, "probe0", "probe1");
      return s.tryAck();
    });
    const veth0 = veth.available ? findLink(s, "probe0", context) : undefined;
    const vlan = veth0 === undefined
      ? { available: false, reason: "no veth to stack it on" }
      : attempt("vlan", () => {
        writeVlan(s, "probe0.5", veth0.index, 5);
        return s.tryAck();
      });
    const kindProbe = (kind: string, name: string) => {
      try {
        createLinkOfKind(s, name, kind, { operation: kind });
        return { available: true };
      } catch (err) {
        return { available: false, reason: (err as Error).message };
      }
    };
    const dummy = kindProbe("dummy", "probe-dummy");
    const ifb = kindProbe("ifb", "probe-ifb");
    let tbf: FeatureProbe = { available: false, reason: "no veth to put it on" };
    let matchall: FeatureProbe = {
      available: false,
      reason: "no veth and ifb to redirect between",
    };
    let u32 = matchall;
    const ifbLink = ifb.available ? findLink(s, "probe-ifb", context) : undefined;
    if (veth0 !== undefined) {
      setLinkUp(s, "probe0", true, context);
      tbf = attempt(
        "tbf",
        () => addRootTbf(s, veth0.index, { rate: 125000n, burst: 12800, limit: 51200 }),
      );
      if (ifbLink !== undefined) {
        const ingress = attempt("ingress", () => addIngress(s, veth0.index));
        if (ingress.available) {
          matchall = attempt(
            "matchall",
            () => addMirredRedirect(s, veth0.index, ifbLink.index, "matchall"),
          );
          // A second filter of the same priority and protocol is refused; probe u32 on the other end.
          const veth1 = findLink(s, "probe1", context)!;
          attempt("ingress", () => addIngress(s, veth1.index));
          u32 = attempt("u32", () => addMirredRedirect(s, veth1.index, ifbLink.index, "u32"));
        } else {
          matchall = u32 = { available: false, reason: `no ingress qdisc: ${ingress.reason}` };
        }
      }
    }
    const nftables = nftablesAvailable();
    return { veth, vlan, dummy, ifb, tbf, matchall, u32, nftables };
  } finally {
    s.close();
  }
}
