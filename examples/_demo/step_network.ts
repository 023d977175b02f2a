// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Step 6 (root only): the unit's instance network (`network`), built in
 * throw-away namespaces so the machine's own network is never touched:
 *
 * - `host`: the bridge `br-demo` (10.77.0.1/24) and an uplink to `world`
 *   (198.51.100.1/24), forwarding on;
 * - `inst-a` and `inst-b`: one instance each, `eth0` on a veth link to the
 *   bridge (10.77.0.2 and 10.77.0.3), default route through it;
 * - `world`: the rest of the network (198.51.100.2), with a TCP sink.
 *
 * The firewall (`inet aos` in `host`, through libnftables) lets each
 * instance reach the sink's port 5001 and nothing else; instance A's link is
 * limited to 16 Mbit/s each way (TBF, ingress through an IFB). Each instance
 * sends 2 MiB to the sink, which measures the rate; instance B also tries
 * port 5002, which the firewall drops. Then everything is removed.
 *
 * @module
 */
import process from "node:process";
import {
  Firewall,
  InterfaceManager,
  NamespaceManager,
  NftablesBackend,
  TrafficControl,
} from "../../network/mod.ts";
import type { DemoContext } from "./context.ts";
import { execIn, NamespacePeer } from "./namespace_process.ts";
import { SkipStep, type Step } from "./runner.ts";
import { detail, formatBytes } from "./ui.ts";

const SINK = "198.51.100.2";
const LIMIT_KBIT = 16_000;
const TRANSFER = 2 * 1024 * 1024;
const INSTANCES = [
  { id: "inst-a", ip: "10.77.0.2", veth: "vdemo-a", limited: true },
  { id: "inst-b", ip: "10.77.0.3", veth: "vdemo-b", limited: false },
];

/** Why the step cannot run here, or undefined. */
function missing(): string | undefined {
  if (!("Deno" in globalThis)) {
    return "needs Deno: the network module reaches netlink and nftables through Deno FFI";
  }
  if (Deno.build.os !== "linux") return "needs Linux";
  if (Deno.permissions.querySync({ name: "ffi" }).state !== "granted") return "needs --allow-ffi";
  if (Deno.permissions.querySync({ name: "run", command: "ip" }).state !== "granted") {
    return "needs --allow-run=ip";
  }
  if (Deno.uid() !== 0) {
    return `needs root (uid ${Deno.uid()}): namespaces, links and firewall rules are kernel state`;
  }
  return undefined;
}

/** Step 6. */
export const networkStep: Step = {
  title: "instance network (root)",
  async run(ctx: DemoContext) {
    const reason = missing();
    if (reason !== undefined) throw new SkipStep(reason);

    const namespaces = new NamespaceManager();
    const tag = `aosdemo${process.pid}`;
    const ns = (role: string) => `${tag}-${role}`;
    const path = (role: string) => namespaces.getNetworkNamespacePath(ns(role));
    const roles = ["host", "world", ...INSTANCES.map((i) => i.id)];
    const made: string[] = [];
    const removeAll = async () => {
      for (const name of made.splice(0)) await namespaces.deleteNetworkNamespace(name);
    };
    ctx.defer(removeAll);
    for (const role of roles) {
      await namespaces.createNetworkNamespace(ns(role));
      made.push(ns(role));
    }

    using links = new InterfaceManager({ netnsPath: path("host") });
    await links.createBridge("br-demo", "10.77.0.1", "10.77.0.0/24");
    for (const inst of INSTANCES) {
      await links.createVethToNamespace(inst.veth, "eth0", path(inst.id), "br-demo");
      await links.configureInstanceInterface("eth0", `${inst.ip}/24`, "10.77.0.1", path(inst.id));
    }
    await links.createVethToNamespace("up0", "up1", path("world"));
    await links.addAddress("up0", "198.51.100.1/24");
    await links.configureInstanceInterface("up1", `${SINK}/24`, "198.51.100.1", path("world"));
    await execIn(ns("host"), "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
    detail(`namespaces ${tag}-{${roles.join(",")}}`);
    detail(
      "bridge br-demo 10.77.0.1/24, veth " +
        INSTANCES.map((i) => `${i.veth} -> ${i.ip}`).join(", "),
    );

    await using nft = new NftablesBackend({ netnsPath: path("host") });
    const firewall = new Firewall(nft);
    await firewall.start();
    for (const inst of INSTANCES) {
      await firewall.addInstance({
        instanceId: inst.id,
        ip: inst.ip,
        allowedOutputs: [{ dstIp: SINK, dstPort: 5001 }],
      });
    }
    using tc = new TrafficControl({ netnsPath: path("host") });
    const limited = INSTANCES.find((i) => i.limited)!;
    await tc.setBandwidth(limited.veth, { egressKbit: LIMIT_KBIT, ingressKbit: LIMIT_KBIT });
    detail(`firewall (inet aos): the instances may reach ${SINK}:5001 only`);
    detail(`bandwidth: ${limited.id} limited to ${LIMIT_KBIT / 1000} Mbit/s each way`);

    // The transfers: one after the other, so they do not share the uplink.
    let moved = 0;
    {
      await using sink = NamespacePeer.start(ns("world"), ["sink", SINK, 5001, INSTANCES.length]);
      await using blockedSink = NamespacePeer.start(ns("world"), ["sink", SINK, 5002, 1]);
      for (const peer of [sink, blockedSink]) {
        const ready = await peer.next();
        if (ready.ready !== true) throw new Error(`the sink did not start: ${ready.error}`);
      }
      const rates: number[] = [];
      for (const inst of INSTANCES) {
        await using sender = NamespacePeer.start(ns(inst.id), ["send", SINK, 5001, TRANSFER, 3000]);
        const sent = await sender.next();
        if (sent.error !== undefined) throw new Error(`${inst.id} could not send: ${sent.error}`);
        const got = await sink.next();
        if (got.bytes !== TRANSFER) {
          throw new Error(`the sink got ${got.bytes} bytes from ${inst.id}`);
        }
        const rate = TRANSFER * 8 / (got.ms as number) / 1000;
        rates.push(rate);
        moved += TRANSFER;
        detail(
          `${inst.id} -> ${SINK}:5001: ${formatBytes(TRANSFER)} in ` +
            `${(got.ms as number).toFixed(0)} ms = ${rate.toFixed(1)} Mbit/s` +
            (inst.limited ? ` (limit ${LIMIT_KBIT / 1000})` : ""),
        );
      }
      const other = INSTANCES.find((i) => !i.limited)!;
      await using probe = NamespacePeer.start(ns(other.id), ["send", SINK, 5002, 1, 1000]);
      const blocked = await probe.next();
      if (blocked.error === undefined) throw new Error("the firewall let port 5002 through");
      detail(`${other.id} -> ${SINK}:5002: dropped by the firewall (${blocked.error})`);
      if (!(rates[0]! < LIMIT_KBIT / 1000 * 1.25 && rates[1]! > rates[0]!)) {
        throw new Error("the measured rates do not show the limit");
      }
    }

    await tc.clearBandwidth(limited.veth);
    for (const inst of INSTANCES) await firewall.removeInstance(inst.id);
    await firewall.stop();
    const count = made.length;
    await removeAll();
    return {
      summary: `limit shown by the rates; rules, limit, links, ${count} namespaces removed`,
      bytes: moved,
    };
  },
};
