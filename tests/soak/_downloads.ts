// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Soak: downloads through a misbehaving server always end in the exact
 * content or a typed error, never in a wrong file taken for complete.
 *
 * Ten workers download files of random sizes (empty, a few bytes, exactly at
 * the server's 64 KiB chunks and the downloader's 512 KiB buffers, up to
 * 3 MiB) from the fault server with three downloaders: plain, atomic with
 * hashing on the worker thread, and segmented. Each download gets random
 * faults: connections dropped at random byte offsets, stalls (ended by a short
 * stall timeout), requests never answered (ended by the connect timeout), 5xx
 * answers (some with `Retry-After`), a resource that changes after a drop
 * (new content, new ETag), ranges ignored (a full `200` to a `Range`) and
 * short `206` answers. Most downloads fit the retry budget; one in ten gets
 * more faults than attempts and must fail.
 *
 * Invariants:
 * - a completed download's file is byte for byte the served (last) version,
 *   the library verifying its digest too (three in four calls);
 * - the digest never catches a mix: every change gets a new ETag, so a
 *   mismatch means bytes of two versions were joined;
 * - every failure is an `AosError`;
 * - after a failure, an atomic download leaves nothing at the destination,
 *   and a plain one leaves a prefix of one version (segmented ones a
 *   pre-sized file with its plan); either way a new download of the same
 *   path, without faults and maybe of a newer version, completes with
 *   exactly that version, so the leftover was never taken for complete;
 * - a completed download leaves no `.part` and no sidecar.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { HttpDownloader, type HttpDownloaderConfig } from "../../downloader/mod.ts";
import { AosError } from "../../utils/errors.ts";
import { type Fault, FaultServer, type ResourceOptions } from "../_helpers/fault_server.ts";
import {
  count,
  emptyTally,
  lost,
  type Random,
  type Scenario,
  type SoakContext,
  type Tally,
} from "./_scenario.ts";

const KiB = 1024;
const MiB = 1024 * KiB;
const WORKERS = 10;
const MAX_ATTEMPTS = 5;
/** Segmented downloads start at this size (the default is 64 MiB, too big for a soak). */
const SEGMENT_MIN = 512 * KiB;
/** Sizes where a chunk, a buffer or a segment ends. */
const BOUNDARIES = [
  64 * KiB - 1,
  64 * KiB,
  64 * KiB + 1,
  128 * KiB,
  512 * KiB - 1,
  512 * KiB,
  512 * KiB + 1,
  MiB,
  MiB + 1,
  3 * 512 * KiB,
];

const BASE: HttpDownloaderConfig = {
  maxAttempts: MAX_ATTEMPTS,
  initialRetryDelayMs: 10,
  maxRetryDelayMs: 100,
  // Short, so that stalls and unanswered requests end quickly; long enough
  // that a loaded two-core machine does not time out healthy transfers.
  stallTimeoutMs: 600,
  connectTimeoutMs: 1500,
  progressIntervalMs: 1000,
};

/** The queued faults a download can get, with the weight of each. */
type FaultKind = "drop" | "change" | "stall" | "5xx" | "hang";
const FAULT_KINDS: readonly FaultKind[] = [
  "drop",
  "drop",
  "drop",
  "change",
  "change",
  "stall",
  "5xx",
  "5xx",
  "hang",
];

function pickSize(random: Random): number {
  const r = random.next();
  if (r < 0.04) return 0;
  if (r < 0.10) return random.int(1, 16);
  if (r < 0.35) return random.pick(BOUNDARIES);
  if (r < 0.75) return random.int(17, 256 * KiB);
  return random.int(256 * KiB, 3 * MiB);
}

// node:crypto directly, not utils/digest: the check must not share code with
// the downloader's own verification, which it checks.
function sha256(bytes: Uint8Array): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength)
    .equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

function isPrefix(prefix: Uint8Array, of: Uint8Array): boolean {
  return prefix.length <= of.length && same(prefix, of.subarray(0, prefix.length));
}

async function readIfExists(path: string): Promise<Uint8Array | undefined> {
  try {
    return await readFile(path);
  } catch (err) {
    if ((err as { code?: string }).code === "ENOENT") return undefined;
    throw err;
  }
}

/** A byte offset to cut a body of `size` (> 0) bytes at, often at a chunk boundary. */
function cutAt(random: Random, size: number): number {
  if (random.chance(0.3)) {
    const boundary = random.pick([0, 64 * KiB, 128 * KiB, 512 * KiB, MiB]);
    if (boundary < size) return boundary;
  }
  return random.int(0, size - 1);
}

/** The first byte a request's `Range` asks for, or `undefined` without one. */
function rangeStart(range: string | undefined): number | undefined {
  const match = range === undefined ? null : /^bytes=(\d+)-/.exec(range);
  return match === null ? undefined : Number(match[1]);
}

interface Plan {
  /** Versions of the content; the last is what the download must end with. */
  versions: Uint8Array[];
  /** The version the server has now (a change moves it on). */
  current: Uint8Array;
  faults: Fault[];
  kinds: FaultKind[];
  resource: ResourceOptions;
}

async function run(context: SoakContext): Promise<Tally> {
  const tally = emptyTally();
  const { random } = context;
  const server = await FaultServer.start();
  const downloaders = [
    { name: "plain", segmented: false, d: new HttpDownloader(BASE) },
    {
      name: "atomic",
      segmented: false,
      d: new HttpDownloader({ ...BASE, atomic: true, hashWorkerMinBytes: MiB }),
    },
    {
      name: "segmented",
      segmented: true,
      d: new HttpDownloader({ ...BASE, segments: { count: 3, minSize: SEGMENT_MIN } }),
    },
  ];
  const active = new Set<string>();
  let nextId = 0;

  /** Content no running download has (the digest is the download's key). */
  const freshContent = (size: number): Uint8Array => {
    for (;;) {
      const bytes = random.bytes(size);
      if (!active.has(sha256(bytes))) return bytes;
      size++;
    }
  };

  const planFor = (path: string, size: number): Plan => {
    const resourceOptions: Omit<ResourceOptions, "body"> = {};
    if (random.chance(0.1)) resourceOptions.ranges = "ignore";
    else if (random.chance(0.15)) resourceOptions.rangeBytes = random.int(1, 256 * KiB);
    const versions = [freshContent(size)];
    const plan: Plan = {
      versions,
      current: versions[0]!,
      faults: [],
      kinds: [],
      resource: { ...resourceOptions, body: versions[0]! },
    };
    const { faults, kinds } = plan;
    // One download in ten gets a fault for every attempt and must fail.
    const wanted = random.chance(0.1) ? MAX_ATTEMPTS : random.int(0, 3);
    while (faults.length < wanted) {
      const kind = random.pick(FAULT_KINDS);
      const body = versions.at(-1)!;
      if ((kind === "drop" || kind === "change" || kind === "stall") && body.length === 0) {
        continue;
      }
      if (kind === "change" && kinds.includes("change")) continue;
      kinds.push(kind);
      if (kind === "drop") {
        faults.push({ kind: "drop", afterBytes: cutAt(random, body.length), short: true });
      } else if (kind === "stall") {
        faults.push({ kind: "stall", afterBytes: cutAt(random, body.length), short: true });
      } else if (kind === "hang") faults.push({ kind: "hang" });
      else if (kind === "5xx") {
        const slow = random.chance(0.1);
        faults.push(
          slow
            ? { kind: "status", status: 503, retryAfter: "1" }
            : { kind: "status", status: random.pick([500, 503]) },
        );
      } else {
        // The next version: usually another size, sometimes the same one.
        const next = freshContent(random.chance(0.3) ? body.length : pickSize(random));
        versions.push(next);
        const resource = { ...resourceOptions, body: next };
        faults.push({
          kind: "drop",
          afterBytes: cutAt(random, body.length),
          short: true,
          then: () => {
            plan.current = next;
            server.set(path, resource);
          },
        });
      }
    }
    return plan;
  };

  /** Counts the faults that took effect; returns how many. */
  const countFaults = (plan: Plan, path: string): number => {
    const { unusedFaults, requests } = server.remove(path);
    const used = plan.kinds.slice(0, plan.kinds.length - unusedFaults);
    for (const kind of used) count(tally, `fault ${kind}`);
    let injected = used.length;
    const ranged = requests.filter((r) => r.headers["range"] !== undefined);
    if (plan.resource.ranges === "ignore" && ranged.length > 0) {
      count(tally, "fault ignored range");
      injected++;
    }
    const cap = plan.resource.rangeBytes;
    if (cap !== undefined) {
      const size = (at: string | undefined) => plan.versions.at(-1)!.length - (rangeStart(at) ?? 0);
      if (ranged.some((r) => r.status === 206 && size(r.headers["range"]) > cap)) {
        count(tally, "fault short 206");
        injected++;
      }
    }
    return injected;
  };

  const downloadOnce = async (
    downloader: HttpDownloader,
    expected: Uint8Array,
    path: string,
    dest: string,
    options: { atomic: boolean; verify: boolean },
  ): Promise<{ error?: unknown; mixesCaught: number }> => {
    const digest = sha256(expected);
    let mixesCaught = 0;
    active.add(digest);
    try {
      await downloader.download(digest, server.url(path), dest, {
        ...options,
        signal: context.signal,
        onProgress: (p) => {
          if (p.state === "interrupted" && p.error?.kind === "invalidChecksum") mixesCaught++;
        },
      });
      return { mixesCaught };
    } catch (error) {
      return { error, mixesCaught };
    } finally {
      active.delete(digest);
    }
  };

  /** Checks a completed download; returns false when an invariant broke. */
  const checkComplete = async (
    dest: string,
    plan: Plan,
    expected: Uint8Array,
    what: string,
  ): Promise<boolean> => {
    let ok = true;
    const got = await readIfExists(dest);
    if (got === undefined) {
      lost(tally, `${what}: completed but ${dest} does not exist`);
      return false;
    }
    if (!same(got, expected)) {
      ok = false;
      const version = plan.versions.findIndex((v) => same(v, got));
      lost(
        tally,
        `${what}: completed with ${got.length} bytes that are not the expected ${expected.length}` +
          (version >= 0 ? ` (they are version ${version + 1})` : " (no version, a mix)"),
      );
    }
    for (const extra of [`${dest}.part`, `${dest}.meta.json`]) {
      if (await readIfExists(extra) !== undefined) {
        ok = false;
        lost(tally, `${what}: completed but left ${extra}`);
      }
    }
    return ok;
  };

  /** Checks what a failed download left; returns false when an invariant broke. */
  const checkFailed = async (
    dest: string,
    plan: Plan,
    error: unknown,
    how: { atomic: boolean; segmented: boolean },
    what: string,
  ): Promise<boolean> => {
    if (!(error instanceof AosError)) {
      lost(tally, `${what}: failed with a non-AosError: ${error}`);
      return false;
    }
    count(tally, "failed (typed)");
    count(tally, `failed as ${error.kind}`);
    const left = await readIfExists(dest);
    if (left === undefined) return true;
    if (how.atomic) {
      lost(tally, `${what}: an atomic download failed (${error.kind}) and left ${dest}`);
      return false;
    }
    // A segmented file is pre-sized, its holes filled in any order.
    if (how.segmented) return true;
    if (!plan.versions.some((v) => isPrefix(left, v))) {
      lost(tally, `${what}: failed leaving ${left.length} bytes that are no version's prefix`);
      return false;
    }
    count(tally, "partial files left");
    return true;
  };

  const step = async () => {
    const id = nextId++;
    const path = `/d${id}`;
    const dest = join(context.dir, `d${id}.bin`);
    const plan = planFor(path, pickSize(random));
    server.set(path, plan.resource);
    server.plan(path, ...plan.faults);
    const pick = random.pick(downloaders);
    const atomic = pick.name === "atomic" || random.chance(0.3);
    const verify = random.chance(0.75);
    if (!verify) count(tally, "unverified by the library");
    const expected = plan.versions.at(-1)!;
    const segmented = pick.segmented && plan.resource.ranges !== "ignore" &&
      plan.versions.some((v) => v.length >= SEGMENT_MIN);
    const problems = tally.dataLost;
    const what = `download ${id} (${pick.name}${atomic ? ", atomic" : ""}, ` +
      `${plan.versions.map((v) => v.length).join(" then ")} bytes, faults ${
        plan.kinds.join(",") || "none"
      })`;
    try {
      const first = await downloadOnce(pick.d, expected, path, dest, { atomic, verify });
      tally.operations++;
      if (first.mixesCaught > 0) {
        lost(tally, `${what}: the digest caught a mix of two versions`);
      }
      if (first.error === undefined) {
        count(tally, "completed");
        await checkComplete(dest, plan, expected, what);
      } else if (context.signal.aborted) {
        count(tally, "canceled at the end");
      } else {
        if (plan.faults.length < MAX_ATTEMPTS) count(tally, "failed within the retry budget");
        const ok = await checkFailed(dest, plan, first.error, { atomic, segmented }, what);
        // The same destination again, faults over and maybe a newer version:
        // whatever was left must not be taken for complete.
        if (ok && !context.signal.aborted) {
          let latest = plan.current;
          if (random.chance(0.3)) {
            latest = freshContent(pickSize(random));
            plan.versions.push(latest);
            plan.current = latest;
            server.set(path, { ...plan.resource, body: latest });
            count(tally, "changed before the retry");
          }
          const again = await downloadOnce(pick.d, latest, path, dest, { atomic, verify });
          tally.operations++;
          if (again.error === undefined) {
            count(tally, "completed on retry");
            await checkComplete(dest, plan, latest, `${what}, retried`);
          } else if (!(again.error instanceof AosError)) {
            lost(tally, `${what}, retried: failed with a non-AosError: ${again.error}`);
          } else if (!context.signal.aborted) {
            count(tally, `retry failed (${again.error.kind})`);
            if (again.error.kind !== "timeout") {
              lost(tally, `${what}, retried without faults: failed: ${again.error.message}`);
            }
          }
        }
      }
    } finally {
      const injected = countFaults(plan, path);
      tally.faultsInjected += injected;
      if (tally.dataLost === problems) tally.faultsSurvived += injected;
      for (const file of [dest, `${dest}.part`, `${dest}.meta.json`]) {
        await rm(file, { force: true });
      }
    }
  };

  try {
    await Promise.all(Array.from({ length: WORKERS }, async () => {
      while (performance.now() < context.until && !context.signal.aborted) await step();
    }));
  } finally {
    for (const { d } of downloaders) await d.close();
    await server.close();
  }
  context.log(`${tally.operations} downloads`);
  return tally;
}

/** The downloads scenario. */
export const downloadsScenario: Scenario = { name: "downloads", run };
