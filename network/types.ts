// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The data types of links, addresses and routes, shared by the interface
// manager and its callers.

/** A link as {@linkcode InterfaceManager.getLink} reports it. */
export interface LinkInfo {
  /** The interface name. */
  name: string;
  /** The interface index in its namespace. */
  index: number;
  /** The kernel's link kind (`"bridge"`, `"veth"`, `"ifb"`, ...), or `"unknown"` when it has none (`lo`, physical NICs). */
  kind: string;
  /** The name of the bridge (or bond) the link is enslaved to; `""` when none. */
  master: string;
  /** The VLAN ID; 0 unless `kind` is `"vlan"`. */
  vlanId: number;
  /** Whether the link is administratively up (IFF_UP). */
  up: boolean;
  /** The operational state as the kernel reports it (`"up"`, `"down"`, `"lowerlayerdown"`, `"unknown"`, ...). */
  operState: string;
  /** The MTU in bytes. */
  mtu: number;
  /** The hardware address, lower-case and colon-separated; `""` when the link has none. */
  mac: string;
}

/** An interface address, as {@linkcode InterfaceManager.addAddr} takes it and {@linkcode InterfaceManager.getAddrList} returns it. */
export interface IPAddr {
  /** The address, such as `"172.17.0.2"` or `"fd00::2"`. */
  ip: string;
  /**
   * The network the address lives in, in CIDR form. Only its prefix length is
   * used on the way in, so host bits are fine (`"172.17.0.2/16"`). Listing
   * returns the address with its prefix length.
   */
  subnet?: string;
  /** The address family; IPv4 when omitted. */
  family?: "inet" | "inet6";
  /** The IPv4 address label (`"eth0:1"`); listing returns the kernel's, usually the interface name. */
  label?: string;
  /** The broadcast address (IPv4), as listing returns it. */
  broadcast?: string;
}

/** A route with its attributes, as {@linkcode InterfaceManager.listRoutes} returns it. */
export interface RouteEntry {
  /** `"inet"` or `"inet6"`. */
  family: "inet" | "inet6";
  /** The destination in CIDR form; `"0.0.0.0/0"` or `"::/0"` for a default route. */
  destination: string;
  /** The next hop; absent for a directly connected route. */
  gateway?: string;
  /** The outgoing interface's name (`""` when the route has none). */
  ifname: string;
  /** The outgoing interface's index (0 when the route has none). */
  linkIndex: number;
  /** The routing table (254 is main, 255 local). */
  table: number;
  /** The route's protocol (2 kernel, 3 boot, 4 static). */
  protocol: number;
  /** The route's scope (0 universe, 253 link, 254 host). */
  scope: number;
  /** The route's metric (priority). */
  metric: number;
}
