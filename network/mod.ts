// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * AosCore's network layer: links, namespaces, traffic control, the firewall
 * and traffic accounting, and IP maths.
 *
 * - {@linkcode InterfaceManager}: bridges, veth pairs (also straight into a
 *   namespace), VLANs, addresses, routes, hairpin mode.
 * - {@linkcode NamespaceManager}: named network namespaces in iproute2's
 *   `/run/netns` layout, so `ip netns` and this module see each other's.
 * - {@linkcode TrafficControl}: TBF bandwidth limits both ways (ingress
 *   through an IFB and a mirred redirect), read back and removed.
 * - {@linkcode Firewall} and {@linkcode TrafficAccounting} over a
 *   transactional {@linkcode FirewallBackend}: {@linkcode NftablesBackend}
 *   (libnftables, AosCore's ruleset) or {@linkcode IptablesBackend}
 *   (`iptables-restore --noflush`).
 * - IP maths (`parseCidr`, `networkContainsIp`, `checkRouteOverlaps`,
 *   `pickFreeSubnet`, `hostAddresses`, ...), IPv4 and IPv6; `ip.ts` is
 *   portable and runs on Node too.
 *
 * Links, addresses, routes and qdiscs go over a NETLINK_ROUTE socket of our
 * own through Deno FFI and the shared libc loader, not through `ip` or `tc`
 * processes and not through libnl: the codec is small (framing, nested
 * attributes, acks with errno and the kernel's extended-ack text, dumps,
 * sequence checks), libnl's caches would dump whole tables per call, and its
 * NLE codes would hide the errno. Work inside a namespace uses a socket opened
 * there (the thread enters the namespace only to open it, synchronously), so
 * the process never runs in the wrong namespace. Nothing is opened at import
 * time.
 *
 * Everything but `ip.ts` needs Deno with `--allow-ffi` (and `--allow-run`
 * for the iptables backend), and root or `CAP_NET_ADMIN`. Every failure is a
 * {@linkcode NetworkError}: an `AosError` with the operation, the interface and
 * the errno (`EEXIST` is `alreadyExist`, `ENODEV` and `ENOENT` are
 * `notFound`); bad names and CIDRs are refused before any system call.
 *
 * @example IP maths (runs anywhere)
 * ```ts
 * import {
 *   candidateSubnets,
 *   hostAddresses,
 *   hostVethName,
 *   pickFreeSubnet,
 * } from "@aoscore/common/network";
 * import assert from "node:assert/strict";
 *
 * const routes = [{ destination: "172.17.0.0/16", linkIndex: 2 }];
 * const subnet = pickFreeSubnet(candidateSubnets(), routes)!;
 * assert.equal(subnet, "172.18.0.0/16");
 * assert.equal(hostAddresses(subnet).next().value, "172.18.0.2");
 * assert.equal(hostVethName("instance-1"), "vethfa923a94");
 * ```
 *
 * @example A bridge with a namespaced instance (needs root: covered by tests/network/firewall_test.ts)
 * ```ts ignore
 * import {
 *   Firewall,
 *   InterfaceManager,
 *   NamespaceManager,
 *   NftablesBackend,
 *   TrafficControl,
 * } from "@aoscore/common/network";
 *
 * const namespaces = new NamespaceManager();
 * await namespaces.createNetworkNamespace("instance-1");
 * const netns = namespaces.getNetworkNamespacePath("instance-1");
 *
 * using links = new InterfaceManager();
 * await links.createBridge("br-aos", "172.18.0.1", "172.18.0.0/16");
 * await links.createVethToNamespace("vethfa923a94", "eth0", netns, "br-aos");
 * await links.configureInstanceInterface("eth0", "172.18.0.2/16", "172.18.0.1", netns);
 *
 * using tc = new TrafficControl();
 * await tc.setBandwidth("vethfa923a94", { egressKbit: 10_000, ingressKbit: 2_000 });
 *
 * await using nft = new NftablesBackend();
 * const firewall = new Firewall(nft);
 * await firewall.start();
 * await firewall.addMasquerade({ subnet: "172.18.0.0/16", bridge: "br-aos" });
 * await firewall.addInstance({ instanceId: "instance-1", ip: "172.18.0.2", allowPublicEgress: true });
 * ```
 *
 * @module
 */
export { NetworkError, type NetworkErrorContext } from "./errors.ts";
export * from "./firewall.ts";
export * from "./firewall_types.ts";
export * from "./interface_manager.ts";
export * from "./ip.ts";
export * from "./iptables_backend.ts";
export { hostVethName, ifbName, interfaceNameProblem, MAX_INTERFACE_NAME_BYTES } from "./names.ts";
export * from "./namespace_manager.ts";
export * from "./nftables_backend.ts";
export * from "./probe.ts";
export * from "./traffic_accounting.ts";
export * from "./traffic_control.ts";
export * from "./types.ts";
