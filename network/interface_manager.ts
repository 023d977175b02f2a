// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Links, addresses and routes over NETLINK_ROUTE: AosCore's interface manager.
 *
 * @module
 */

import { type Cidr, formatIp, type IpAddress, parseCidr, parseIp } from "./ip.ts";
import { invalidArgument, NetworkError, type NetworkErrorContext } from "./errors.ts";
import { checkInterfaceName } from "./names.ts";
import type { IPAddr, LinkInfo, RouteEntry } from "./types.ts";
import type { RouteInfo } from "./ip.ts";
import type { RouteSocket } from "./_netlink/socket.ts";
import { NetlinkSession } from "./_netlink/session.ts";
import { openNetns } from "./_netlink/netns.ts";
import { libc } from "../utils/_libc.ts";
import {
  createLinkOfKind,
  deleteLinkByName,
  dumpLinks,
  findLink,
  findLinkByIndex,
  findLinkIndex,
  linkHeader,
  type RawLink,
  setLinkUp,
  upFlags,
  writeVeth,
  writeVlan,
} from "./_netlink/links.ts";
import {
  familyOf,
  ipBytes,
  parseAddress as parseAddressMessage,
  parseRoute,
} from "./_netlink/addresses.ts";
import {
  AF_BRIDGE,
  AF_INET,
  AF_INET6,
  AF_UNSPEC,
  EEXIST,
  IFA_ADDRESS,
  IFA_BROADCAST,
  IFA_LABEL,
  IFA_LOCAL,
  IFF_UP,
  IFLA_BRPORT_MODE,
  IFLA_IFNAME,
  IFLA_INFO_KIND,
  IFLA_LINKINFO,
  IFLA_MASTER,
  IFLA_NET_NS_FD,
  IFLA_PROTINFO,
  NLM_F_CREATE,
  NLM_F_EXCL,
  RT_SCOPE_UNIVERSE,
  RT_TABLE_MAIN,
  RTA_DST,
  RTA_GATEWAY,
  RTM_DELADDR,
  RTM_GETADDR,
  RTM_GETROUTE,
  RTM_NEWADDR,
  RTM_NEWLINK,
  RTM_NEWROUTE,
  RTM_SETLINK,
  RTN_UNICAST,
  RTPROT_STATIC,
} from "./_netlink/constants.ts";

/** Options of {@linkcode InterfaceManager}. */
export interface InterfaceManagerOptions {
  /**
   * Work inside the network namespace of this file (`/run/netns/<name>`)
   * instead of the current one. The manager opens its netlink socket there at
   * its first call and keeps it until `close()` (the socket keeps that
   * namespace alive; a namespace made again under the same path needs a new
   * manager). The process itself never moves.
   */
  netnsPath?: string;
  /**
   * The random source for VLAN MAC addresses.
   *
   * @default {crypto.getRandomValues}
   */
  random?: (length: number) => Uint8Array;
}

/**
 * AosCore's interface manager: bridges, veth pairs, VLANs, addresses, routes
 * and namespaced links over NETLINK_ROUTE, through Deno FFI (no `ip`
 * processes). Methods that take a `netnsPath` run inside that namespace with
 * a netlink socket opened there; the process never leaves its own namespace.
 *
 * Needs `--allow-ffi` and root or `CAP_NET_ADMIN` (namespaces also need
 * `CAP_SYS_ADMIN`). Every failure is a {@linkcode NetworkError} with the
 * operation, the interface and the errno; bad names and CIDRs are refused with
 * `invalidArgument` before any system call.
 *
 * Fixed AosCore defects: `deleteAddr` and `getAddrList` resolve the interface;
 * `configureInstanceInterface` with an empty path works in the current
 * namespace and tolerates its identical default route (re-runnable); a VLAN's
 * parent is the interface of the main table's default route with the lowest
 * metric. Beyond AosCore: `setLinkDown`, `listLinks`, `listRoutes`, IPv6
 * addresses and routes, and the kernel's own error text in messages.
 *
 * @example A bridge with a namespaced instance (needs root: covered by tests/network/interface_manager_test.ts)
 * ```ts ignore
 * import { InterfaceManager, NamespaceManager } from "@aoscore/common/network";
 *
 * const namespaces = new NamespaceManager();
 * await namespaces.createNetworkNamespace("instance-1");
 * const netns = namespaces.getNetworkNamespacePath("instance-1");
 * using links = new InterfaceManager();
 * await links.createBridge("br-aos", "172.30.0.1", "172.30.0.0/16");
 * await links.createVethToNamespace("vh-inst1", "eth0", netns, "br-aos");
 * await links.configureInstanceInterface("eth0", "172.30.0.2/16", "172.30.0.1", netns);
 * ```
 */
export class InterfaceManager implements Disposable {
  readonly #session: NetlinkSession;
  readonly #random: (length: number) => Uint8Array;

  /**
   * Creates a manager. Nothing is opened until the first call.
   *
   * @param options The namespace to work in and the random source.
   */
  constructor(options: InterfaceManagerOptions = {}) {
    this.#session = new NetlinkSession(options.netnsPath);
    this.#random = options.random ?? ((n) => crypto.getRandomValues(new Uint8Array(n)));
  }

  /** Closes the manager's netlink socket; a later call opens a new one. */
  close(): void {
    this.#session.close();
  }

  /** Same as {@linkcode close}. */
  [Symbol.dispose](): void {
    this.close();
  }

  /**
   * The link named `ifname`.
   *
   * @param ifname The interface name.
   * @param netnsPath The namespace to look in; the manager's when omitted.
   * @returns The link's kind, master, VLAN ID, state, MTU and MAC.
   * @throws {NetworkError} `notFound` when there is no such link.
   */
  getLink(ifname: string, netnsPath?: string): Promise<LinkInfo> {
    const context = { operation: "getLink", interface: ifname };
    return this.#run(context, netnsPath, (s) => {
      checkInterfaceName(ifname, context);
      const link = requireLink(s, ifname, context);
      const master = link.masterIndex === 0
        ? undefined
        : findLinkByIndex(s, link.masterIndex, context);
      return linkInfo(link, master?.name ?? "");
    });
  }

  /**
   * Every link of the namespace.
   *
   * @param netnsPath The namespace; the manager's when omitted.
   * @returns The links in index order.
   */
  listLinks(netnsPath?: string): Promise<LinkInfo[]> {
    const context = { operation: "listLinks" };
    return this.#run(context, netnsPath, (s) => {
      const links = dumpLinks(s, context);
      const names = new Map(links.map((l) => [l.index, l.name]));
      return links.map((l) => linkInfo(l, names.get(l.masterIndex) ?? ""));
    });
  }

  /**
   * Deletes a link. Deleting one end of a veth pair deletes both; deleting an
   * IFB removes its qdiscs.
   *
   * @param ifname The interface name.
   * @param netnsPath The namespace; the manager's when omitted.
   * @throws {NetworkError} `notFound` when there is no such link.
   */
  deleteLink(ifname: string, netnsPath?: string): Promise<void> {
    const context = { operation: "deleteLink", interface: ifname };
    return this.#run(context, netnsPath, (s) => {
      checkInterfaceName(ifname, context);
      deleteLinkByName(s, ifname, context);
    });
  }

  /**
   * Brings a link up (sets IFF_UP).
   *
   * @param ifname The interface name.
   * @param netnsPath The namespace; the manager's when omitted.
   * @throws {NetworkError} `notFound` when there is no such link.
   */
  setupLink(ifname: string, netnsPath?: string): Promise<void> {
    const context = { operation: "setupLink", interface: ifname };
    return this.#run(context, netnsPath, (s) => setLinkUp(s, ifname, true, context));
  }

  /**
   * Brings a link down (clears IFF_UP).
   *
   * @param ifname The interface name.
   * @param netnsPath The namespace; the manager's when omitted.
   * @throws {NetworkError} `notFound` when there is no such link.
   */
  setLinkDown(ifname: string, netnsPath?: string): Promise<void> {
    const context = { operation: "setLinkDown", interface: ifname };
    return this.#run(context, netnsPath, (s) => setLinkUp(s, ifname, false, context));
  }

  /**
   * Enslaves a link to a bridge (or bond).
   *
   * @param ifname The link to enslave.
   * @param master The bridge.
   * @throws {NetworkError} `notFound` "master interface not found" or "slave interface not found".
   */
  setMasterLink(ifname: string, master: string): Promise<void> {
    const context = { operation: "setMasterLink", interface: ifname };
    return this.#run(context, undefined, (s) => {
      checkInterfaceName(ifname, context);
      checkInterfaceName(master, context);
      const masterLink = findLink(s, master, context);
      if (masterLink === undefined) {
        throw new NetworkError("notFound", context, `master interface not found ${master}`);
      }
      const link = findLink(s, ifname, context);
      if (link === undefined) {
        throw new NetworkError("notFound", context, `slave interface not found ${ifname}`);
      }
      linkHeader(s.writer.begin(RTM_SETLINK, 0), { index: link.index })
        .attrU32(IFLA_MASTER, masterLink.index);
      s.ack(context);
    });
  }

  /**
   * Creates a bridge (or accepts an existing one), brings it up and gives it
   * an address. Idempotent: an existing bridge and address are fine.
   *
   * @param name The bridge name.
   * @param ip The bridge's address (the instances' gateway), such as `"172.17.0.1"`.
   * @param subnetCidr The network, such as `"172.17.0.0/16"`; its prefix length is used.
   * @throws {NetworkError} `invalidArgument` for a bad name, address or CIDR.
   */
  createBridge(name: string, ip: string, subnetCidr: string): Promise<void> {
    const context = { operation: "createBridge", interface: name };
    return this.#run(context, undefined, (s) => {
      checkInterfaceName(name, context);
      const address = parseAddress(ip, subnetCidr, context);
      // Without NLM_F_EXCL the kernel takes an existing bridge as a change.
      linkHeader(s.writer.begin(RTM_NEWLINK, NLM_F_CREATE), upFlags(true))
        .attrString(IFLA_IFNAME, name)
        .nest(IFLA_LINKINFO).attrString(IFLA_INFO_KIND, "bridge").end();
      s.ack(context);
      addAddress(s, name, address, undefined, context);
    });
  }

  /**
   * Creates a VLAN link on the interface of the default route, with a random
   * locally administered MAC, brought up and optionally enslaved.
   *
   * @param name The VLAN link's name.
   * @param vlanId The VLAN ID, 1..4094.
   * @param master The bridge to enslave it to.
   * @throws {NetworkError} `invalidArgument` for a bad name or ID; `failed` "no master
   * interface found" without a default route; `notFound` for a missing master;
   * `notSupported` on a kernel without 8021q.
   */
  createVlan(name: string, vlanId: number, master?: string): Promise<void> {
    const context = { operation: "createVlan", interface: name };
    return this.#run(context, undefined, (s) => {
      checkInterfaceName(name, context);
      if (!Number.isInteger(vlanId) || vlanId < 1 || vlanId > 4094) {
        throw invalidArgument(context, `VLAN ID must be 1..4094, got ${vlanId}`);
      }
      if (master !== undefined) checkInterfaceName(master, context);
      const parent = defaultRouteLink(s, context);
      if (parent === undefined) {
        throw new NetworkError("failed", context, "no master interface found");
      }
      let masterIndex = 0;
      if (master !== undefined) {
        const found = findLink(s, master, context);
        if (found === undefined) {
          throw new NetworkError("notFound", context, `master interface not found ${master}`);
        }
        masterIndex = found.index;
      }
      const mac = this.#random(6).slice(0, 6);
      if (mac.length !== 6) throw new NetworkError("failed", context, "the random source failed");
      mac[0] = (mac[0]! & 0xfe) | 0x02;
      writeVlan(s, name, parent, vlanId, { up: true, mac, masterIndex });
      s.ack(context);
    });
  }

  /**
   * Creates a link of a kind that needs no parameters (`"ifb"`, `"bridge"`,
   * `"dummy"`), down.
   *
   * @param name The link name.
   * @param kind The kernel's link kind.
   * @param netnsPath The namespace; the manager's when omitted.
   * @throws {NetworkError} `alreadyExist`; `notSupported` for a kind the kernel lacks.
   */
  createLink(name: string, kind: string, netnsPath?: string): Promise<void> {
    const context = { operation: "createLink", interface: name };
    return this.#run(context, netnsPath, (s) => {
      checkInterfaceName(name, context);
      if (!/^[a-z0-9_]{1,15}$/.test(kind)) {
        throw invalidArgument(context, `bad link kind "${kind}"`);
      }
      createLinkOfKind(s, name, kind, context);
    });
  }

  /**
   * Creates a veth pair, both ends down in the same namespace.
   *
   * @param hostIf One end.
   * @param peerIf The other end.
   * @param netnsPath The namespace; the manager's when omitted.
   * @throws {NetworkError} `alreadyExist` when either name is taken.
   */
  createVeth(hostIf: string, peerIf: string, netnsPath?: string): Promise<void> {
    const context = { operation: "createVeth", interface: hostIf };
    return this.#run(context, netnsPath, (s) => {
      checkInterfaceName(hostIf, context);
      checkInterfaceName(peerIf, context);
      writeVeth(s, hostIf, peerIf, { up: false });
      s.ack(context);
    });
  }

  /**
   * Creates a veth pair in one request: the host end up (and enslaved to
   * `master` when given) here, the peer end down inside `netnsPath`.
   *
   * @param hostIf The host end's name.
   * @param peerIf The peer end's name inside the namespace.
   * @param netnsPath The namespace file of the peer end.
   * @param master The bridge to enslave the host end to.
   * @throws {NetworkError} `notFound` for a missing namespace file or master.
   */
  createVethToNamespace(
    hostIf: string,
    peerIf: string,
    netnsPath: string,
    master?: string,
  ): Promise<void> {
    const context = { operation: "createVethToNamespace", interface: hostIf };
    return this.#run(context, undefined, (s) => {
      checkInterfaceName(hostIf, context);
      checkInterfaceName(peerIf, context);
      if (master !== undefined) checkInterfaceName(master, context);
      let masterIndex = 0;
      if (master !== undefined && master !== "") {
        const found = findLink(s, master, context);
        if (found === undefined) {
          throw new NetworkError("notFound", context, `master interface not found ${master}`);
        }
        masterIndex = found.index;
      }
      const fd = openNetns(netnsPath, context);
      try {
        writeVeth(s, hostIf, peerIf, { up: true, masterIndex, peerNetnsFd: fd });
        s.ack(context);
      } finally {
        libc().close(fd);
      }
    });
  }

  /**
   * Inside `netnsPath`: brings the link up, gives it the address and adds the
   * default route through `gateway`. Re-runnable: an existing identical
   * address or default route is fine.
   *
   * @param ifname The link inside the namespace.
   * @param ipWithMask The address with its prefix, such as `"172.17.0.2/16"`.
   * @param gateway The default gateway (the bridge's address).
   * @param netnsPath The namespace; `""` means the manager's.
   * @throws {NetworkError} `invalidArgument` "expected CIDR form ip/mask not found"
   * when `ipWithMask` has no `/`.
   */
  configureInstanceInterface(
    ifname: string,
    ipWithMask: string,
    gateway: string,
    netnsPath: string,
  ): Promise<void> {
    const context = { operation: "configureInstanceInterface", interface: ifname };
    return this.#run(context, netnsPath, (s) => {
      checkInterfaceName(ifname, context);
      const address = parseAddressWithMask(ipWithMask, context);
      const gw = parseGateway(gateway, context);
      const any = address.family === 4 ? "0.0.0.0/0" : "::/0";
      setLinkUp(s, ifname, true, context);
      addAddress(s, ifname, address, undefined, context);
      const failure = writeRoute(s, parseCidr(any), gw);
      if (failure !== undefined && failure.errno !== EEXIST) {
        throw NetworkError.forErrno(failure.errno, context, {
          what: "failed to add default route",
          kernelText: failure.kernelText,
        });
      }
    });
  }

  /**
   * Moves a link into another namespace.
   *
   * @param ifname The link.
   * @param netnsPath The target namespace file.
   * @throws {NetworkError} `notFound` for a missing link or namespace file.
   */
  moveLinkToNamespace(ifname: string, netnsPath: string): Promise<void> {
    const context = { operation: "moveLinkToNamespace", interface: ifname };
    return this.#run(context, undefined, (s) => {
      checkInterfaceName(ifname, context);
      requireLinkIndex(s, ifname, context);
      const fd = openNetns(netnsPath, context);
      try {
        linkHeader(s.writer.begin(RTM_SETLINK, 0))
          .attrString(IFLA_IFNAME, ifname)
          .attrU32(IFLA_NET_NS_FD, fd);
        s.ack(context);
      } finally {
        libc().close(fd);
      }
    });
  }

  /**
   * Renames a link. Rename links while they are down: kernels before 6.2
   * refuse to rename an up link (`EBUSY`).
   *
   * @param ifname The current name.
   * @param newName The new name.
   * @param netnsPath The namespace; the manager's when omitted.
   * @throws {NetworkError} `notFound` for a missing link; `alreadyExist` when the new name is taken.
   */
  renameLink(ifname: string, newName: string, netnsPath?: string): Promise<void> {
    const context = { operation: "renameLink", interface: ifname };
    return this.#run(context, netnsPath, (s) => {
      checkInterfaceName(ifname, context);
      checkInterfaceName(newName, context);
      const index = requireLinkIndex(s, ifname, context);
      linkHeader(s.writer.begin(RTM_SETLINK, 0), { index }).attrString(IFLA_IFNAME, newName);
      s.ack(context);
    });
  }

  /**
   * Adds an address given as `ip/prefix`. An existing identical address is fine.
   *
   * @param ifname The link.
   * @param ipWithMask The address with its prefix, such as `"10.0.0.5/24"`.
   * @param netnsPath The namespace; the manager's when omitted.
   * @throws {NetworkError} `invalidArgument` "expected CIDR form ip/mask not found"
   * without `/`; `notFound` for a missing link.
   */
  addAddress(ifname: string, ipWithMask: string, netnsPath?: string): Promise<void> {
    const context = { operation: "addAddress", interface: ifname };
    return this.#run(context, netnsPath, (s) => {
      checkInterfaceName(ifname, context);
      addAddress(s, ifname, parseAddressWithMask(ipWithMask, context), undefined, context);
    });
  }

  /**
   * Adds an address. IPv4 addresses get the broadcast address of their
   * network. An existing identical address is fine.
   *
   * @param ifname The link.
   * @param address The address, its network (only the prefix length is used) and label.
   * @param netnsPath The namespace; the manager's when omitted.
   * @throws {NetworkError} `invalidArgument` for a bad address; `notFound` for a missing link.
   */
  addAddr(ifname: string, address: IPAddr, netnsPath?: string): Promise<void> {
    const context = { operation: "addAddr", interface: ifname };
    return this.#run(context, netnsPath, (s) => {
      checkInterfaceName(ifname, context);
      const parsed = parseAddress(address.ip, address.subnet, context);
      addAddress(s, ifname, parsed, address.label, context);
    });
  }

  /**
   * Removes an address.
   *
   * @param ifname The link.
   * @param address The address and its network (the prefix length must match the address's).
   * @param netnsPath The namespace; the manager's when omitted.
   * @throws {NetworkError} `notFound` for a missing link; `failed` (`EADDRNOTAVAIL`) for a missing address.
   */
  deleteAddr(ifname: string, address: IPAddr, netnsPath?: string): Promise<void> {
    const context = { operation: "deleteAddr", interface: ifname };
    return this.#run(context, netnsPath, (s) => {
      checkInterfaceName(ifname, context);
      const parsed = parseAddress(address.ip, address.subnet, context);
      const index = requireLinkIndex(s, ifname, context);
      s.writer.begin(RTM_DELADDR, 0)
        .u8(familyOf(parsed)).u8(parsed.prefix).u8(0).u8(0).u32(index)
        .attr(IFA_LOCAL, ipBytes(parsed));
      s.ack(context);
    });
  }

  /**
   * The addresses of a link (or of every link).
   *
   * @param ifname The link; all links when `""`.
   * @param family `"inet"`, `"inet6"` or `"any"`.
   * @param netnsPath The namespace; the manager's when omitted.
   * @returns The addresses, each with its CIDR, family, label and broadcast.
   * @throws {NetworkError} `notFound` for a missing link.
   */
  getAddrList(
    ifname: string,
    family: "inet" | "inet6" | "any" = "inet",
    netnsPath?: string,
  ): Promise<IPAddr[]> {
    const context = { operation: "getAddrList", interface: ifname };
    return this.#run(context, netnsPath, (s) => {
      if (ifname !== "") checkInterfaceName(ifname, context);
      const index = ifname === "" ? 0 : requireLinkIndex(s, ifname, context);
      const af = family === "inet" ? AF_INET : family === "inet6" ? AF_INET6 : AF_UNSPEC;
      s.writer.begin(RTM_GETADDR, 0).u8(af).u8(0).u8(0).u8(0).u32(0);
      const out: IPAddr[] = [];
      for (const message of s.dump(context)) {
        const a = parseAddressMessage(message);
        if ((index !== 0 && a.index !== index) || (af !== AF_UNSPEC && a.family !== af)) continue;
        const entry: IPAddr = {
          ip: a.ip,
          subnet: `${a.ip}/${a.prefix}`,
          family: a.family === AF_INET6 ? "inet6" : "inet",
        };
        if (a.label !== "") entry.label = a.label;
        if (a.broadcast !== "") entry.broadcast = a.broadcast;
        out.push(entry);
      }
      return out;
    });
  }

  /**
   * Adds a route through a gateway to the main table (protocol static).
   *
   * @param destinationCidr The destination, such as `"10.1.0.0/16"` or `"0.0.0.0/0"`.
   * @param gateway The next hop.
   * @param netnsPath The namespace; the manager's when omitted.
   * @throws {NetworkError} `invalidArgument` "failed to parse destination/gateway";
   * `alreadyExist` for an identical route.
   */
  addRoute(destinationCidr: string, gateway: string, netnsPath?: string): Promise<void> {
    const context = { operation: "addRoute", interface: destinationCidr };
    return this.#run(context, netnsPath, (s) => {
      let destination: Cidr;
      try {
        destination = parseCidr(destinationCidr);
      } catch (err) {
        throw new NetworkError(
          "invalidArgument",
          context,
          `failed to parse destination: ${destinationCidr}`,
          {
            cause: err,
          },
        );
      }
      const gw = parseGateway(gateway, context);
      if (gw.family !== destination.family) {
        throw invalidArgument(context, `gateway ${gateway} is not of the destination's family`);
      }
      const failure = writeRoute(s, destination, gw);
      if (failure !== undefined) {
        throw NetworkError.forErrno(failure.errno, context, { kernelText: failure.kernelText });
      }
    });
  }

  /**
   * AosCore's route list: the IPv4 routes of every table that have a next hop,
   * with destination and gateway filled in for the main table only (a /32
   * destination without its suffix). Feed it to `checkRouteOverlaps`.
   *
   * @param netnsPath The namespace; the manager's when omitted.
   * @returns The routes.
   */
  getRouteList(netnsPath?: string): Promise<RouteInfo[]> {
    const context = { operation: "getRouteList" };
    return this.#run(context, netnsPath, (s) => {
      const out: RouteInfo[] = [];
      for (const r of dumpRoutes(s, AF_INET, context)) {
        if (r.oif === 0 && r.gateway === "") continue;
        const info: RouteInfo = { linkIndex: r.oif };
        if (r.table === RT_TABLE_MAIN) {
          if (r.dstLength > 0) {
            info.destination = r.dstLength === 32
              ? r.destination
              : `${r.destination}/${r.dstLength}`;
          }
          if (r.gateway !== "") info.gateway = r.gateway;
        }
        out.push(info);
      }
      return out;
    });
  }

  /**
   * Every route of the namespace with its attributes.
   *
   * @param family `"inet"`, `"inet6"` or `"any"`.
   * @param netnsPath The namespace; the manager's when omitted.
   * @returns The routes of every table.
   */
  listRoutes(family: "inet" | "inet6" | "any" = "any", netnsPath?: string): Promise<RouteEntry[]> {
    const context = { operation: "listRoutes" };
    return this.#run(context, netnsPath, (s) => {
      const af = family === "inet" ? AF_INET : family === "inet6" ? AF_INET6 : AF_UNSPEC;
      const routes = dumpRoutes(s, af, context);
      const names = new Map(dumpLinks(s, context).map((l) => [l.index, l.name]));
      return routes.map((r) => {
        const v6 = r.family === AF_INET6;
        const entry: RouteEntry = {
          family: v6 ? "inet6" : "inet",
          destination: `${r.destination || (v6 ? "::" : "0.0.0.0")}/${r.dstLength}`,
          ifname: names.get(r.oif) ?? "",
          linkIndex: r.oif,
          table: r.table,
          protocol: r.protocol,
          scope: r.scope,
          metric: r.metric,
        };
        if (r.gateway !== "") entry.gateway = r.gateway;
        return entry;
      });
    });
  }

  /**
   * Turns hairpin mode of a bridge port on or off (traffic may go back out of
   * the port it came in on).
   *
   * @param ifname The bridge port.
   * @param enable On or off.
   * @param netnsPath The namespace; the manager's when omitted.
   * @throws {NetworkError} `notFound` for a missing link; `failed` when it is not a bridge port.
   */
  setHairpin(ifname: string, enable: boolean, netnsPath?: string): Promise<void> {
    const context = { operation: "setHairpin", interface: ifname };
    return this.#run(context, netnsPath, (s) => {
      checkInterfaceName(ifname, context);
      const link = requireLink(s, ifname, context);
      if (link.masterIndex === 0) {
        throw new NetworkError("failed", context, "not a bridge port");
      }
      linkHeader(s.writer.begin(RTM_SETLINK, 0), { family: AF_BRIDGE, index: link.index })
        .nest(IFLA_PROTINFO).attrU8(IFLA_BRPORT_MODE, enable ? 1 : 0).end();
      s.ack(context);
    });
  }

  #run<T>(
    context: NetworkErrorContext,
    netnsPath: string | undefined,
    fn: (socket: RouteSocket) => T,
  ): Promise<T> {
    return this.#session.run(context, netnsPath, fn);
  }
}

// ---- requests ----------------------------------------------------------------

function requireLink(s: RouteSocket, ifname: string, context: NetworkErrorContext): RawLink {
  const link = findLink(s, ifname, context);
  if (link === undefined) throw new NetworkError("notFound", context, "link not found");
  return link;
}

function requireLinkIndex(s: RouteSocket, ifname: string, context: NetworkErrorContext): number {
  const index = findLinkIndex(s, ifname, context);
  if (index === 0) throw new NetworkError("notFound", context, "link not found");
  return index;
}

function linkInfo(link: RawLink, master: string): LinkInfo {
  return {
    name: link.name,
    index: link.index,
    kind: link.kind,
    master,
    vlanId: link.vlanId,
    up: (link.flags & IFF_UP) !== 0,
    operState: link.operState,
    mtu: link.mtu,
    mac: link.mac,
  };
}

/** An address with the prefix length of `subnet` (the address's full width without one). */
function parseAddress(
  ip: string,
  subnet: string | undefined,
  context: NetworkErrorContext,
): Cidr {
  let address: IpAddress;
  try {
    address = parseIp(ip);
  } catch (err) {
    throw new NetworkError("invalidArgument", context, `bad address "${ip}"`, { cause: err });
  }
  let prefix = address.family === 4 ? 32 : 128;
  if (subnet !== undefined && subnet !== "") {
    let network: Cidr;
    try {
      network = parseCidr(subnet);
    } catch (err) {
      throw new NetworkError("invalidArgument", context, `bad subnet "${subnet}"`, { cause: err });
    }
    if (network.family !== address.family) {
      throw invalidArgument(context, `address ${ip} is not of the family of ${subnet}`);
    }
    prefix = network.prefix;
  }
  return { ...address, prefix } as Cidr;
}

function parseAddressWithMask(ipWithMask: string, context: NetworkErrorContext): Cidr {
  const slash = ipWithMask.indexOf("/");
  if (slash < 0) throw invalidArgument(context, "expected CIDR form ip/mask not found");
  return parseAddress(ipWithMask.slice(0, slash), ipWithMask, context);
}

function parseGateway(gateway: string, context: NetworkErrorContext): IpAddress {
  try {
    return parseIp(gateway);
  } catch (err) {
    throw new NetworkError("invalidArgument", context, `failed to parse gateway: ${gateway}`, {
      cause: err,
    });
  }
}

function addAddress(
  s: RouteSocket,
  ifname: string,
  address: Cidr,
  label: string | undefined,
  context: NetworkErrorContext,
): void {
  const index = requireLinkIndex(s, ifname, context);
  const bytes = ipBytes(address);
  const w = s.writer.begin(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL)
    .u8(familyOf(address)).u8(address.prefix).u8(0).u8(0).u32(index)
    .attr(IFA_LOCAL, bytes)
    .attr(IFA_ADDRESS, bytes);
  if (address.family === 4 && address.prefix < 31) {
    const host = address.prefix === 0 ? 0xffffffff : (2 ** (32 - address.prefix) - 1);
    w.attr(IFA_BROADCAST, ipBytes({ family: 4, addr: (address.addr | host) >>> 0 }));
  }
  if (label !== undefined && label !== "") w.attrString(IFA_LABEL, label);
  const failure = s.tryAck();
  if (failure !== undefined && failure.errno !== EEXIST) {
    throw NetworkError.forErrno(failure.errno, context, {
      what: `failed to add address ${formatIp(address)}/${address.prefix}`,
      kernelText: failure.kernelText,
    });
  }
}

function writeRoute(s: RouteSocket, destination: Cidr, gateway: IpAddress) {
  const network = networkBytes(destination);
  const w = s.writer.begin(RTM_NEWROUTE, NLM_F_CREATE)
    .u8(familyOf(destination)).u8(destination.prefix).u8(0).u8(0)
    .u8(RT_TABLE_MAIN).u8(RTPROT_STATIC).u8(RT_SCOPE_UNIVERSE).u8(RTN_UNICAST).u32(0);
  if (destination.prefix > 0) w.attr(RTA_DST, network);
  w.attr(RTA_GATEWAY, ipBytes(gateway));
  return s.tryAck();
}

/** The destination's bytes with its host bits cleared (the kernel refuses host bits). */
function networkBytes(cidr: Cidr): Uint8Array {
  const bytes = ipBytes(cidr);
  for (let bit = cidr.prefix; bit < bytes.length * 8; bit++) {
    bytes[bit >> 3] = bytes[bit >> 3]! & ~(0x80 >> (bit & 7));
  }
  return bytes;
}

function dumpRoutes(s: RouteSocket, family: number, context: NetworkErrorContext) {
  s.writer.begin(RTM_GETROUTE, 0).u8(family).zeros(7).u32(0);
  return s.dump(context).map(parseRoute);
}

/** The index of the link of the main table's IPv4 default route with the lowest metric. */
function defaultRouteLink(s: RouteSocket, context: NetworkErrorContext): number | undefined {
  let best: { oif: number; metric: number } | undefined;
  for (const r of dumpRoutes(s, AF_INET, context)) {
    if (r.table !== RT_TABLE_MAIN || r.dstLength !== 0 || r.oif === 0) continue;
    if (best === undefined || r.metric < best.metric) best = r;
  }
  return best?.oif;
}
