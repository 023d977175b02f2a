// Copyright 2026 the aos-common authors. Apache-2.0 license.
// deno-lint-ignore-file no-console
// network beside iproute2 and nft, in the same run, interleaved rounds, each
// variant in a fresh namespace (made and deleted outside the timing):
//
// 1. 100 veth pairs, an address on one end of each, both ends up: our
//    InterfaceManager (4 calls a pair over one netlink socket), one `ip`
//    process per operation (400 processes), and one `ip -batch` of the same
//    400 lines.
// 2. 1,000 firewall rules in one transaction: our NftablesBackend
//    (libnftables over FFI; also with the handles of the added rules echoed
//    back), and `nft -f` of the same text.
//
// Needs root. Prints the median and best of each, the ratios, and the load average;
// then a BENCH-RESULT line per goal (bench/README.md): at least 5x one `ip` per
// operation and 0.9x `ip -batch`; the firewall figure is shown for context.
//
//   deno run --allow-read --allow-write --allow-run --allow-ffi --allow-sys \
//     bench/compare/network_vs_iproute2.ts [rounds] [pairs] [rules]
import process from "node:process";
import { InterfaceManager } from "../../network/interface_manager.ts";
import { NftablesBackend } from "../../network/nftables_backend.ts";
import type { FWRule } from "../../network/firewall_types.ts";
import { renderRule } from "../../network/_nftables/render.ts";
import { printResult } from "./_result.ts";

const rounds = Number(process.argv[2] ?? 5);
const pairs = Number(process.argv[3] ?? 100);
const ruleCount = Number(process.argv[4] ?? 1000);

async function sh(cmd: string, args: string[], input?: string): Promise<void> {
  const child = new Deno.Command(cmd, {
    args,
    stdin: input === undefined ? "null" : "piped",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  if (input !== undefined) {
    const w = child.stdin.getWriter();
    await w.write(new TextEncoder().encode(input));
    await w.close();
  }
  const out = await child.output();
  if (!out.success) {
    throw new Error(`${cmd} ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  }
}

let serial = 0;
/** Runs `fn` in a fresh namespace and returns how long `fn` took. */
async function timed(fn: (name: string, path: string) => Promise<void>): Promise<number> {
  const name = `aosbench-${Deno.pid}-${++serial}`;
  await sh("ip", ["netns", "add", name]);
  try {
    const start = performance.now();
    await fn(name, `/run/netns/${name}`);
    return performance.now() - start;
  } finally {
    await sh("ip", ["netns", "delete", name]);
  }
}

const address = (i: number) => `10.${100 + (i >> 8)}.${i & 255}.1/24`;
const ipLines = Array.from({ length: pairs }, (_, i) => [
  `link add va${i} type veth peer name vb${i}`,
  `addr add ${address(i)} dev va${i}`,
  `link set va${i} up`,
  `link set vb${i} up`,
]).flat();

const links: [string, (name: string, path: string) => Promise<void>][] = [
  ["InterfaceManager (netlink over FFI)", async (_name, path) => {
    using m = new InterfaceManager({ netnsPath: path });
    for (let i = 0; i < pairs; i++) {
      await m.createVeth(`va${i}`, `vb${i}`);
      await m.addAddress(`va${i}`, address(i));
      await m.setupLink(`va${i}`);
      await m.setupLink(`vb${i}`);
    }
  }],
  ["`ip -batch`, one process", async (name) => {
    const file = await Deno.makeTempFile();
    try {
      await Deno.writeTextFile(file, ipLines.join("\n") + "\n");
      await sh("ip", ["-n", name, "-batch", file]);
    } finally {
      await Deno.remove(file);
    }
  }],
  ["`ip`, one process per operation", async (name) => {
    for (const line of ipLines) await sh("ip", ["-n", name, ...line.split(" ")]);
  }],
];

const rules: FWRule[] = Array.from({ length: ruleCount }, (_, i) => ({
  srcAddr: `10.${(i >> 8) & 255}.${i & 255}.0/24`,
  proto: "tcp",
  dstPort: 1024 + i,
  counter: true,
  action: "accept",
}));
const nftText = [
  "add table inet bench",
  "add chain inet bench forward { type filter hook forward priority 0; policy accept; }",
  ...rules.map((r) => `add rule inet bench forward${renderRule(r)}`),
].join("\n") + "\n";

async function ourRules(path: string, handles: boolean): Promise<void> {
  await using nft = new NftablesBackend({ netnsPath: path });
  const txn = nft.newTxn();
  txn.addTable("bench");
  txn.addBaseChain({
    table: "bench",
    name: "forward",
    type: "filter",
    hook: "forward",
    priority: 0,
  });
  for (const r of rules) txn.addRule("bench", "forward", r);
  const result = await txn.commit({ handles });
  if (result.handles.length !== (handles ? ruleCount : 0)) throw new Error("wrong handles");
}

const firewall: [string, (name: string, path: string) => Promise<void>][] = [
  [
    "NftablesBackend, one transaction (libnftables over FFI)",
    (_name, path) => ourRules(path, false),
  ],
  ["NftablesBackend, one transaction, handles echoed back", (_name, path) => ourRules(path, true)],
  ["`nft -f`, same text", async (name) => {
    await sh("ip", ["netns", "exec", name, "nft", "-f", "-"], nftText);
  }],
];

/** Prints the table of one comparison and returns each variant's median, in ms. */
async function compare(
  title: string,
  variants: [string, (n: string, p: string) => Promise<void>][],
): Promise<number[]> {
  const times = variants.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++) {
    for (let j = 0; j < variants.length; j++) {
      const i = (r + j) % variants.length;
      times[i]!.push(await timed(variants[i]![1]));
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(`\n${title}, ${rounds} interleaved rounds`);
  console.log("| variant | median | best | variant / ours (median) | (best) |");
  console.log("| --- | ---: | ---: | ---: | ---: |");
  const ours = { median: median(times[0]!), best: Math.min(...times[0]!) };
  variants.forEach(([name], i) => {
    const m = median(times[i]!);
    const b = Math.min(...times[i]!);
    console.log(
      `| ${name} | ${m.toFixed(1)} ms | ${b.toFixed(1)} ms | ` +
        `${(m / ours.median).toFixed(2)}x | ${(b / ours.best).toFixed(2)}x |`,
    );
  });
  return times.map(median);
}

console.log(`load average before: ${Deno.loadavg().map((x) => x.toFixed(2)).join(" ")}`);
const linkTimes = await compare(`${pairs} veth pairs with an address, both ends up`, links);
const ruleTimes = await compare(`${ruleCount} firewall rules in one transaction`, firewall);
console.log(`\nload average after: ${Deno.loadavg().map((x) => x.toFixed(2)).join(" ")}`);

// Operations (rules) per second from the medians, so that "5x faster" is a ratio of at least 5.
const perSecond = (count: number, ms: number) => count / (ms / 1000);
const operations = ipLines.length;
for (const [i, peerName, goal] of [[2, "ip per operation", 5], [1, "ip -batch", 0.9]] as const) {
  printResult({
    module: "network",
    name: `${pairs} veth pairs with an address, both ends up (${operations} operations)`,
    ours: perSecond(operations, linkTimes[0]!),
    peer: perSecond(operations, linkTimes[i]!),
    peerName,
    unit: "op/s",
    goal,
    higherIsBetter: true,
  });
}
printResult({
  module: "network",
  name: `${ruleCount} firewall rules in one transaction`,
  ours: perSecond(ruleCount, ruleTimes[0]!),
  peer: perSecond(ruleCount, ruleTimes[2]!),
  peerName: "nft -f",
  unit: "rules/s",
  higherIsBetter: true,
});
