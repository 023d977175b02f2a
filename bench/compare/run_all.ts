// Copyright 2026 the aos-common authors. Apache-2.0 license.
// deno-lint-ignore-file no-console
/**
 * Runs the compare scripts of `bench/compare/` and rewrites the goal table at
 * the top of BENCHMARKS.md from the `BENCH-RESULT` lines they print (see
 * bench/README.md). Each script runs with the permissions it needs, its own
 * output passing through; the TypeScript ones run under Deno and Node 24
 * ($NODE24, .tools/node24 or `node` on PATH). A script whose requirements
 * are missing (root, SoftHSM2, nginx, wrk, ...) gets a "not run" row with the
 * reason; one that fails, a "failed" row. The table is rewritten after every
 * script, through a temporary file and a rename, so an interrupted run keeps
 * what it measured.
 *
 *   deno task bench:compare [--quick] [name ...]
 *
 * `name` selects scripts by file name, with or without extension, by the
 * name's first word, or by module (`fileserver network cloudprotocol`); `--quick` runs fewer rounds on smaller inputs, to
 * check the plumbing. Exits with 1 when a script failed.
 *
 * @module
 */
import os from "node:os";
import { AosError } from "../../utils/errors.ts";
import { type BenchResult, parseResultLine } from "./_result.ts";
import { type RunRecord, updateDocument } from "./_table.ts";

const root = new URL("../../", import.meta.url).pathname;
const benchmarksFile = `${root}BENCHMARKS.md`;

/** One run of a script: the command, and what it needs. */
interface Entry {
  /** The run's key in the tables. */
  key: string;
  /** The script's file name; selected by it or its stem. */
  script: string;
  module: string;
  /** The command line; `node` stands for the Node 24 binary. */
  command(quick: boolean): { env: Record<string, string>; args: string[] };
  /** Why it cannot run here, or undefined. */
  missing(): string | undefined;
  /** For a script that prints no result lines: turns its output into results. */
  parse?(stdout: string): BenchResult[];
}

// --- requirements ---------------------------------------------------------

function onPath(command: string): boolean {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    try {
      if (Deno.statSync(`${dir}/${command}`).isFile) return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * The Node 24 (or later) binary, looked for as tests/node/run.sh does: $NODE24,
 * .tools/node24, `node` on PATH; undefined if none is 24 or later.
 */
function findNode(): string | undefined {
  const local = `${root}.tools/node24/node_modules/.bin/node`;
  for (const candidate of [Deno.env.get("NODE24"), local, "node"]) {
    if (candidate === undefined || candidate === "") continue;
    try {
      const out = new Deno.Command(candidate, { args: ["--version"], stderr: "null" }).outputSync();
      const major = Number(/^v(\d+)\./.exec(new TextDecoder().decode(out.stdout))?.[1]);
      if (out.success && major >= 24) return candidate;
    } catch {
      // not there
    }
  }
  return undefined;
}

const node = findNode();
const NO_NODE = "Node 24 not found (set NODE24)";

/** The first unmet requirement, as the reason the script did not run. */
function needs(...checks: (string | (() => string | undefined))[]): () => string | undefined {
  return () => {
    for (const check of checks) {
      if (typeof check === "function") {
        const why = check();
        if (why !== undefined) return why;
      } else if (check.startsWith("/")) {
        if (!exists(check)) return `needs ${check}`;
      } else if (!onPath(check)) {
        return `needs ${check}`;
      }
    }
    return undefined;
  };
}

const asRoot = () => Deno.uid() === 0 ? undefined : "needs root";
const withNode = () => node === undefined ? NO_NODE : undefined;
const softhsm = Deno.env.get("PKCS11_MODULE") ?? "/usr/lib/softhsm/libsofthsm2.so";

// --- the scripts ----------------------------------------------------------

/** A compare script and how to run it. */
interface Spec {
  script: string;
  module: string;
  /** The interpreter of a shell script. */
  shell?: "sh" | "bash";
  /** The Deno permissions of a TypeScript script. */
  permissions?: string[];
  /** Node's flags for a TypeScript script. */
  nodeFlags?: string[];
  /** A TypeScript script that runs on Deno only. */
  denoOnly?: boolean;
  /** The arguments and environment of a quick run (a full run has none). */
  quick: { args?: string[]; env?: Record<string, string> };
  missing?: () => string | undefined;
}

/** The runs of a script: one for a shell script, one per runtime for a TypeScript one. */
function entries(spec: Spec): Entry[] {
  const path = `bench/compare/${spec.script}`;
  const missing = spec.missing ?? (() => undefined);
  const extra = (quick: boolean) => ({
    env: quick ? spec.quick.env ?? {} : {},
    args: quick ? spec.quick.args ?? [] : [],
  });
  const entry = (key: string, missing: Entry["missing"], base: string[], env = {}): Entry => ({
    key,
    script: spec.script,
    module: spec.module,
    missing,
    command(quick) {
      const { env: quickEnv, args } = extra(quick);
      return { env: { ...env, ...quickEnv }, args: [...base, path, ...args] };
    },
  });
  if (spec.script.endsWith(".sh")) {
    // The shell scripts take Node 24 from NODE24.
    const env = node === undefined ? {} : { NODE24: node };
    return [entry(spec.script, missing, [spec.shell ?? "sh"], env)];
  }
  const deno = ["deno", "run", ...spec.permissions ?? []];
  if (spec.denoOnly) return [entry(spec.script, missing, deno)];
  return [
    entry(`${spec.script} (Deno)`, missing, deno),
    entry(`${spec.script} (Node)`, needs(withNode, missing), ["node", ...spec.nodeFlags ?? []]),
  ];
}

/** The space allocator's goal has no peer and lives in a `deno bench` file: its JSON is read. */
const SPACE_BENCH = "allocate + release, 10k outdated items, statfs each time";
const spaceAllocator: Entry = {
  key: "spaceallocator_bench.ts",
  script: "spaceallocator_bench.ts",
  module: "spaceallocator",
  missing: () => undefined,
  command: () => ({
    env: {},
    args: [
      "deno",
      "bench",
      "--json",
      "--allow-read",
      "--allow-write",
      "--allow-env",
      "--allow-sys",
      "--filter",
      SPACE_BENCH,
      "bench/spaceallocator_bench.ts",
    ],
  }),
  parse(stdout) {
    const report = JSON.parse(stdout) as {
      benches: { name: string; results: { ok?: { avg: number } }[] }[];
    };
    const avg = report.benches.find((b) => b.name === SPACE_BENCH)?.results[0]?.ok?.avg;
    if (avg === undefined) throw new AosError("notFound", `no result for "${SPACE_BENCH}"`);
    return [{
      module: "spaceallocator",
      name: "allocate + release with 10,000 outdated items (average)",
      ours: 1e9 / avg,
      peer: null,
      peerName: null,
      unit: "cycles/s",
      ratio: null,
      goal: 100_000,
      higherIsBetter: true,
    }];
  },
};

const SPECS: Spec[] = [
  { script: "cloudprotocol_vs_json.ts", module: "cloudprotocol", quick: { args: ["20"] } },
  {
    script: "cloud_connection.ts",
    module: "cloudprotocol",
    permissions: [
      "--allow-read",
      "--allow-net=127.0.0.1",
      "--allow-run",
      "--allow-env",
      "--allow-sys=loadavg",
      "--v8-flags=--expose-gc",
    ],
    nodeFlags: ["--expose-gc"],
    quick: { env: { ROUNDS: "1", MEMORY_ROUNDS: "4" } },
  },
  {
    script: "digest.sh",
    module: "ocispec",
    quick: { args: ["64", "1"] },
    missing: needs("openssl", "/usr/bin/time", withNode),
  },
  {
    script: "downloader.sh",
    module: "downloader",
    quick: { args: ["64"], env: { ROUNDS: "1" } },
    missing: needs("nginx", "curl", "/usr/bin/time", withNode),
  },
  {
    script: "fileserver.sh",
    module: "fileserver",
    shell: "bash",
    quick: { env: { ROUNDS: "1", DURATION: "2" } },
    missing: needs("bash", "nginx", "wrk", "curl", "npx"),
  },
  {
    script: "logging.sh",
    module: "logging",
    quick: { args: ["8"] },
    missing: needs("gzip", "/usr/bin/time", withNode),
  },
  {
    script: "migration_vs_sqlite3.ts",
    module: "migration",
    permissions: ["--allow-read", "--allow-write", "--allow-run", "--allow-env", "--allow-sys"],
    denoOnly: true,
    quick: { args: ["1"] },
    missing: needs("sqlite3"),
  },
  {
    script: "monitoring.ts",
    module: "utils/monitoring",
    permissions: ["--allow-read", "--allow-run", "--allow-ffi", "--allow-sys", "--allow-env"],
    quick: { args: ["5"] },
  },
  {
    script: "network_vs_iproute2.ts",
    module: "network",
    permissions: ["--allow-read", "--allow-write", "--allow-run", "--allow-ffi", "--allow-sys"],
    denoOnly: true,
    quick: { args: ["1", "20", "100"] },
    missing: needs(asRoot, "ip", "nft"),
  },
  {
    script: "pkcs11.sh",
    module: "utils/pkcs11",
    quick: { args: ["1", "1"] },
    missing: needs("softhsm2-util", "cc", softhsm),
  },
];
const ENTRIES: Entry[] = [...SPECS.flatMap(entries), spaceAllocator];

// --- running --------------------------------------------------------------

function machine(): string {
  // node:os, as Deno reads /proc files only with --allow-all.
  const cpus = os.cpus();
  return `${cpus[0]?.model.trim() || "unknown CPU"}, ${cpus.length} cores`;
}

/** The command as one would type it: environment first, `node` for the Node binary. */
function commandText(plan: { env: Record<string, string>; args: string[] }): string {
  const env = Object.entries(plan.env).filter(([name]) => name !== "NODE24");
  const quote = (arg: string) => /^[\w@%+=:,./-]+$/.test(arg) ? arg : `"${arg}"`;
  return [...env.map(([name, value]) => `${name}=${value}`), ...plan.args.map(quote)].join(" ");
}

/** Passes the child's output through, line by line, and returns all of it. */
async function passThrough(stream: ReadableStream<Uint8Array>): Promise<string> {
  let all = "";
  const encoder = new TextEncoder();
  for await (const text of stream.pipeThrough(new TextDecoderStream())) {
    all += text;
    await Deno.stdout.write(encoder.encode(text));
  }
  return all;
}

async function runEntry(entry: Entry, quick: boolean, host: string): Promise<RunRecord> {
  const plan = entry.command(quick);
  const record: RunRecord = {
    key: entry.key,
    module: entry.module,
    command: commandText(plan),
    status: "ran",
    quick,
    date: new Date(),
    machine: host,
    results: [],
  };
  const why = entry.missing();
  if (why !== undefined) return { ...record, status: "not run", reason: why };

  console.log(`\n=== ${entry.key}: ${record.command}`);
  const [program, ...args] = plan.args;
  const before = Deno.loadavg()[0]!;
  const start = performance.now();
  const child = new Deno.Command(program === "node" ? node! : program!, {
    args,
    cwd: root,
    env: plan.env,
    stdin: "null",
    stdout: "piped",
    stderr: "inherit",
    // A hung script must not hold the whole run.
    signal: AbortSignal.timeout((quick ? 10 : 45) * 60_000),
  }).spawn();
  const stdout = await passThrough(child.stdout);
  const status = await child.status;
  record.seconds = (performance.now() - start) / 1000;
  record.load = { before, after: Deno.loadavg()[0]! };
  if (!status.success) {
    const how = status.signal === null ? `exit code ${status.code}` : `ended by ${status.signal}`;
    return { ...record, status: "failed", reason: how };
  }
  try {
    record.results = entry.parse?.(stdout) ??
      stdout.split("\n").flatMap((line) => parseResultLine(line) ?? []);
  } catch (err) {
    return { ...record, status: "failed", reason: (err as Error).message };
  }
  if (record.results.length === 0) {
    return { ...record, status: "failed", reason: "it printed no BENCH-RESULT line" };
  }
  return record;
}

/** Writes BENCHMARKS.md with the records' rows, through a temporary file and a rename. */
async function writeTable(records: RunRecord[]): Promise<void> {
  const doc = await Deno.readTextFile(benchmarksFile);
  const updated = updateDocument(doc, records, ENTRIES.map((e) => e.key));
  const temp = `${benchmarksFile}.${Deno.pid}.tmp`;
  try {
    await Deno.writeTextFile(temp, updated);
    await Deno.rename(temp, benchmarksFile);
  } catch (err) {
    await Deno.remove(temp).catch(() => {});
    throw err;
  }
}

/** The entries the arguments select, or why they select none. */
function select(args: string[]): Entry[] | string {
  const usage = "usage: run_all.ts [--quick] [name ...]";
  const unknown = args.find((a) => a.startsWith("-") && a !== "--quick");
  if (unknown !== undefined) return `unknown option ${unknown}; ${usage}`;
  const names = args.filter((a) => !a.startsWith("-"));
  if (names.length === 0) return ENTRIES;
  const stem = (script: string) => script.replace(/\.(ts|sh)$/, "");
  // A name picks a script by its file name, its stem or the stem's first word, or all the
  // scripts of a module: `network` picks network_vs_iproute2.ts, `cloudprotocol` two scripts.
  const picks = (e: Entry, name: string) =>
    [e.script, stem(e.script), stem(e.script).split("_")[0], e.module].includes(name);
  const missing = names.find((name) => !ENTRIES.some((e) => picks(e, name)));
  if (missing !== undefined) {
    const known = [...new Set(ENTRIES.map((e) => stem(e.script)))].join(", ");
    return `no compare script named "${missing}"; known: ${known}`;
  }
  return ENTRIES.filter((e) => names.some((name) => picks(e, name)));
}

if (import.meta.main) {
  const quick = Deno.args.includes("--quick");
  const entries = select(Deno.args);
  if (typeof entries === "string") {
    console.error(entries);
    Deno.exit(2);
  }
  const host = machine();
  const records: RunRecord[] = [];
  const start = performance.now();
  for (const entry of entries) {
    const record = await runEntry(entry, quick, host);
    records.push(record);
    if (record.status !== "ran") {
      console.log(`=== ${entry.key}: ${record.status}: ${record.reason}`);
    }
    await writeTable(records);
  }
  const minutes = ((performance.now() - start) / 60_000).toFixed(1);
  const failed = records.filter((r) => r.status === "failed");
  console.log(
    `\n${records.length} runs in ${minutes} min: ` +
      `${records.filter((r) => r.status === "ran").length} ran, ` +
      `${records.filter((r) => r.status === "not run").length} not run, ` +
      `${failed.length} failed; the table at the top of BENCHMARKS.md is rewritten.`,
  );
  if (failed.length > 0) Deno.exit(1);
}
