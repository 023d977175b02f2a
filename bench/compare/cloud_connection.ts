// Copyright 2026 the aos-common authors. Apache-2.0 license.
// deno-lint-ignore-file no-console
/**
 * WebSocketCloudConnection beside bare WebSocket clients, on Deno
 * (`deno run -A bench/compare/cloud_connection.ts`) or Node
 * (`node bench/compare/cloud_connection.ts`). Each round sends 10,000
 * `monitoringData` frames over loopback to a lean ack server in its own
 * process and waits for all 10,000 acks:
 *
 * - `connection`: `send()` per message: encode, txn, bookkeeping, ack match;
 * - `ws`: the same `ws` client bare, writing pre-encoded frames of the same
 *   size and counting acks, no bookkeeping;
 * - `global`: the runtime's own `WebSocket`, the same way;
 * - `ws+encode`: the bare `ws` client encoding each message with
 *   `encodeFrame` (fresh txn and `createdAt`) before writing it, to tell
 *   the codec's share from the connection's bookkeeping.
 *
 * The sides take turns, and the best round of each counts (the machine may
 * be shared); the client's CPU time per frame is the steadier figure there.
 * Then the connection runs alone for `MEMORY_ROUNDS` rounds, and RSS and
 * heap are read after each (after a full GC with `--v8-flags=--expose-gc`
 * on Deno, `--expose-gc` on Node).
 *
 * @module
 */
import { spawn } from "node:child_process";
import os from "node:os";
import process from "node:process";
import {
  encodeFrame,
  type MonitoringMessage,
  PROTOCOL_VERSION,
  WebSocketCloudConnection,
} from "../../cloudprotocol/mod.ts";
import { loadWs } from "../../cloudprotocol/_ws.ts";

const FRAMES = 10_000;
const ROUNDS = Number(process.env.ROUNDS ?? 8);
const MEMORY_ROUNDS = Number(process.env.MEMORY_ROUNDS ?? 20);
const SYSTEM_ID = "a3f1c9e0-5d2b-4c7e-8f10-6b4d2e9a7c51";
const deno = (globalThis as { Deno?: { version: { deno: string } } }).Deno;
const isDeno = deno !== undefined;
const runtime = isDeno ? `Deno ${deno.version.deno}` : `Node ${process.version}`;

/**
 * The load averages (1, 5, 15 min): the machine may be shared, and the
 * figures move with it. Deno needs `--allow-sys=loadavg` for them.
 */
function loadavg(): string {
  try {
    return os.loadavg().map((x) => x.toFixed(2)).join(" ");
  } catch {
    return "unknown (no --allow-sys=loadavg)";
  }
}
const loadBefore = loadavg();

/** A monitoringData as a unit sends it every period: one node, three instances. */
function message(i: number): MonitoringMessage {
  const sample = (cpu: number) => ({
    timestamp: new Date(1_780_000_000_000 + i * 1000),
    ram: 104_857_600 + i,
    cpu,
    download: 1024,
    upload: 512,
    partitions: [{ name: "state", usedSize: 4096 }, { name: "storage", usedSize: 65_536 }],
  });
  return {
    messageType: "monitoringData",
    nodes: [{ nodeId: "main", states: [], items: [sample(12.5)] }],
    instances: ["svc-a", "svc-b", "svc-c"].map((itemId, n) => ({
      itemId,
      subjectId: "subject-1",
      instance: n,
      nodeId: "main",
      states: [],
      items: [sample(n + 0.25)],
    })),
  };
}

function encode(data: MonitoringMessage): Uint8Array {
  return encodeFrame({
    header: {
      version: PROTOCOL_VERSION,
      systemId: SYSTEM_ID,
      createdAt: new Date(),
      txn: crypto.randomUUID(),
    },
    data,
  });
}

const messages = Array.from({ length: FRAMES }, (_, i) => message(i));
const frames = messages.map(encode);

const server = spawn(
  process.execPath,
  [...(isDeno ? ["run", "-A"] : []), new URL("./_cloud_ack_server.ts", import.meta.url).pathname],
  { stdio: ["pipe", "pipe", "inherit"] },
);
const port = await new Promise<number>((resolve) => {
  server.stdout!.once("data", (chunk: Uint8Array) => resolve(Number(String(chunk).trim())));
});
const wsUrl = `ws://127.0.0.1:${port}/ws`;

const conn = new WebSocketCloudConnection({
  discoveryUrl: `http://127.0.0.1:${port}/sd`,
  systemId: SYSTEM_ID,
});
await conn.connect();

/** A bare client: writes every frame, resolves when as many acks came back. */
interface Bare {
  round(): Promise<void>;
  close(): void;
}

async function bareWs(encodeEach = false): Promise<Bare> {
  const { WebSocket: WsClient } = await loadWs();
  const ws = new WsClient(wsUrl, { headers: { authorization: "Bearer bench" } });
  await new Promise<void>((resolve) => ws.once("open", resolve));
  let pending = () => {};
  let acks = 0;
  ws.on("message", () => {
    if (++acks === FRAMES) pending();
  });
  return {
    round() {
      acks = 0;
      const done = new Promise<void>((resolve) => pending = resolve);
      if (encodeEach) { for (const m of messages) ws.send(encode(m)); }
      else for (const frame of frames) ws.send(frame);
      return done;
    },
    close: () => ws.terminate(),
  };
}

async function bareGlobal(): Promise<Bare> {
  const ws = new WebSocket(wsUrl);
  ws.binaryType = "arraybuffer";
  await new Promise((resolve) => ws.addEventListener("open", resolve, { once: true }));
  let pending = () => {};
  let acks = 0;
  ws.addEventListener("message", () => {
    if (++acks === FRAMES) pending();
  });
  return {
    round() {
      acks = 0;
      const done = new Promise<void>((resolve) => pending = resolve);
      for (const frame of frames) ws.send(frame);
      return done;
    },
    close: () => ws.close(),
  };
}

const sides: Record<string, () => Promise<void>> = {
  connection: async () => {
    await Promise.all(messages.map((m) => conn.send(m)));
  },
  ws: (await bareWs()).round,
  global: (await bareGlobal()).round,
  "ws+encode": (await bareWs(true)).round,
};
const best: Record<string, number> = Object.fromEntries(
  Object.keys(sides).map((name) => [name, Infinity]),
);
const bestCpu: Record<string, number> = { ...best };
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, run] of Object.entries(sides)) {
    const cpu = process.cpuUsage();
    const start = performance.now();
    await run();
    best[name] = Math.min(best[name]!, performance.now() - start);
    const used = process.cpuUsage(cpu);
    bestCpu[name] = Math.min(bestCpu[name]!, (used.user + used.system) / 1000);
  }
}

// Memory: the connection alone, round after round, with a full GC before
// each reading where the runtime allows it (--expose-gc).
const gc = (globalThis as { gc?: () => void }).gc;
const rss: number[] = [];
const heap: number[] = [];
for (let round = 0; round < MEMORY_ROUNDS; round++) {
  await sides.connection!();
  gc?.();
  const usage = process.memoryUsage();
  rss.push(usage.rss);
  heap.push(usage.heapUsed);
}

const fps = (ms: number) => Math.round(FRAMES / (ms / 1000));
const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
console.log(
  `${runtime}, ${FRAMES} frames of ${frames[0]!.byteLength} bytes per round, best of ` +
    `${ROUNDS} rounds; load average before: ${loadBefore}, after: ${loadavg()}`,
);
console.log("| client | frames/s (wall) | vs ws | client CPU per frame | vs ws |");
console.log("| --- | ---: | ---: | ---: | ---: |");
for (const name of Object.keys(sides)) {
  const ratio = (best.ws! / best[name]!).toFixed(2);
  const cpuRatio = (bestCpu.ws! / bestCpu[name]!).toFixed(2);
  const cpuUs = (bestCpu[name]! * 1000 / FRAMES).toFixed(1);
  console.log(
    `| ${name} | ${
      fps(best[name]!).toLocaleString("en")
    } | ${ratio}x | ${cpuUs} µs | ${cpuRatio}x |`,
  );
}
const gcNote = gc === undefined ? "no --expose-gc" : "after a full GC";
console.log(`connection alone, ${MEMORY_ROUNDS} rounds (${gcNote}):`);
console.log(`  RSS MiB:  ${rss.map(mib).join(", ")}`);
console.log(`  heap MiB: ${heap.map(mib).join(", ")}`);

// Result lines (bench/README.md): the goal is 0.7x the bare client's frames
// per second with resident memory flat; the CPU figure is shown for context.
const { printResult } = await import("./_result.ts");
const on = isDeno ? "Deno" : "Node";
printResult({
  module: "cloudprotocol",
  name: `cloud connection, ${FRAMES.toLocaleString("en")} frames acked, ${on}`,
  ours: fps(best.connection!),
  peer: fps(best.ws!),
  peerName: "bare ws client",
  unit: "frames/s",
  goal: 0.7,
  higherIsBetter: true,
});
printResult({
  module: "cloudprotocol",
  name: `cloud connection, frames per CPU second of the client, ${on}`,
  ours: fps(bestCpu.connection!),
  peer: fps(bestCpu.ws!),
  peerName: "bare ws client",
  unit: "frames/s",
  higherIsBetter: true,
});
// Flat: RSS after the last round against RSS after the third (warmed up).
const warm = rss[Math.min(2, rss.length - 1)]!;
printResult({
  module: "cloudprotocol",
  name: `cloud connection, RSS growth over ${MEMORY_ROUNDS} rounds after warm-up, ${on}`,
  ours: 100 * (rss[rss.length - 1]! - warm) / warm,
  unit: "%",
  goal: 5,
  higherIsBetter: false,
});

await conn.close();
server.stdin!.end();
process.exit(0);
