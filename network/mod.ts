// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Links, namespaces, traffic control, firewall and IP maths for AosCore's
 * instance networks.
 *
 * @module
 */
export { NetworkError, type NetworkErrorContext } from "./errors.ts";
export * from "./interface_manager.ts";
export * from "./firewall.ts";
export * from "./firewall_types.ts";
export * from "./iptables_backend.ts";
export * from "./ip.ts";
export { hostVethName, ifbName, interfaceNameProblem, MAX_INTERFACE_NAME_BYTES } from "./names.ts";
export * from "./namespace_manager.ts";
export * from "./nftables_backend.ts";
export * from "./probe.ts";
export * from "./traffic_accounting.ts";
export * from "./traffic_control.ts";
export * from "./types.ts";
