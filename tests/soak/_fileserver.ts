// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Soak: the file server answers 64 concurrent clients with whole versions of
 * files that are being replaced under it.
 *
 * Ten files of sizes around the server's limits (16 bytes, the 64 KiB cache
 * limit on both sides, up to 1 MiB) are replaced atomically (temp file +
 * rename) by a writer that sometimes rewrites one file several times in a
 * row. Every 16-byte block of a version holds the version number, the file's
 * number, the block's index and a mix of the three, so any body, or any
 * slice of one, names the version it comes from and can be compared with
 * that version byte for byte. 64 clients send GETs, ranges (first-last,
 * open-ended, suffix), HEADs and conditional requests (`If-None-Match`,
 * `If-Match`, `If-Range` with a range) with ETags seen before.
 *
 * Invariants, for every answer:
 * - a body is one whole version, or a correct slice of one (its
 *   `Content-Range` giving that version's size), as long as `Content-Length`;
 * - it is no older than the version whose rename had finished before the
 *   request was sent (a replaced file is seen on the next request);
 * - an ETag names one version only;
 * - `If-Range` with the ETag of one version never gets a slice of another
 *   (a resuming client would join two versions); `If-Match` never gets
 *   another version; `If-None-Match` gets 304 only while its version can
 *   still be the current one;
 * - no request fails and the server reports no error.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { mkdir, rename, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { FileServer } from "../../fileserver/mod.ts";
import { delay } from "../../utils/abort.ts";
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
const CLIENTS = 64;
const BLOCK = 16;
const MAGIC = 0x5a0a_0000;
/** The sizes each file's versions take; repeated sizes make same-size replacements common. */
const FILE_SIZES: readonly (readonly number[])[] = [
  [16, 17, 31],
  [1000, 1000, 1003],
  [4096],
  [40_000, 60_000],
  [64 * KiB, 64 * KiB + 1],
  [200, 5000, 70_000],
  [100 * KiB, 100 * KiB + 5],
  [300 * KiB],
  [1024 * KiB, 1024 * KiB - 1],
];
const LARGEST = 1024 * KiB;
/**
 * Files whose every version carries the same modification time, as files
 * unpacked from an archive built reproducibly do (tar keeps mtimes; OCI
 * layers often have one fixed date). Two versions then differ in stat only
 * by inode, which the file system reuses.
 */
const FIXED_MTIME = new Map([[1, new Date("2024-01-01T00:00:00Z")], [2, new Date(0)], [
  7,
  new Date("2025-06-01T12:00:00Z"),
]]);
/** How many past versions of a file the checks remember (far more than a request spans). */
const REMEMBERED = 4096;

interface FileState {
  index: number;
  name: string;
  /** The last version whose rename finished. */
  committed: number;
  /** The last version whose rename started. */
  started: number;
  /** Size of each remembered version. */
  sizes: Map<number, number>;
  /** The version each ETag seen was given with. */
  etags: Map<string, number>;
  /** Some recent ETags, to send in conditional requests. */
  recent: string[];
}

function mix(file: number, version: number, block: number): number {
  let h = Math.imul(file + 1, 0x9e3779b1) ^ Math.imul(version, 0x85ebca6b) ^
    Math.imul(block, 0xc2b2ae35);
  h ^= h >>> 15;
  h = Math.imul(h, 0x27d4eb2f);
  return (h ^ (h >>> 13)) >>> 0;
}

/** Fills `out` (a whole number of blocks) with blocks `first`, `first + 1`, ... of a version. */
function fillBlocks(out: Uint32Array, file: number, version: number, first: number): void {
  for (let i = 0, block = first; i < out.length; i += 4, block++) {
    out[i] = version;
    out[i + 1] = (MAGIC | file) >>> 0;
    out[i + 2] = block;
    out[i + 3] = mix(file, version, block);
  }
}

// Blocks are written as little-endian words; every machine this runs on is one.
if (new Uint8Array(new Uint32Array([1]).buffer)[0] !== 1) throw new Error("big-endian host");

/**
 * Buffers of the largest file (and a block more, so a body too long shows),
 * reused for every version written and every body read: big buffers made
 * and dropped at this pace would leave the allocator holding memory that
 * looks like a leak in the RSS samples.
 */
function bigBuffer(): Uint8Array<ArrayBuffer> {
  return new Uint8Array((Math.ceil(LARGEST / BLOCK) + 1) * BLOCK);
}

/** Content of one version, in `buffer`. */
function contentOf(buffer: Uint8Array, file: number, version: number, size: number): Uint8Array {
  const words = new Uint32Array(buffer.buffer, 0, Math.ceil(size / BLOCK) * 4);
  fillBlocks(words, file, version, 0);
  return buffer.subarray(0, size);
}

/**
 * Reads a body into `buffer` (BYOB, so no buffer per request); returns the
 * bytes read and the buffer to use next time (reads transfer it).
 */
async function readBody(
  response: Response,
  buffer: Uint8Array<ArrayBuffer>,
): Promise<{ body: Uint8Array<ArrayBuffer>; buffer: Uint8Array<ArrayBuffer> }> {
  if (response.body === null) return { body: buffer.subarray(0, 0), buffer };
  const reader = response.body.getReader({ mode: "byob" });
  let filled = 0;
  try {
    while (filled < buffer.length) {
      const { value, done } = await reader.read(buffer.subarray(filled));
      if (value !== undefined) buffer = new Uint8Array(value.buffer);
      if (done) break;
      filled += value.length;
    }
    // Longer than the largest version: the caller sees a body of the whole buffer.
    if (filled === buffer.length) await reader.cancel();
  } finally {
    reader.releaseLock();
  }
  return { body: buffer.subarray(0, filled), buffer };
}

/** Compares bodies with versions without allocating: one scratch buffer, filled synchronously. */
class Checker {
  readonly #scratch = new Uint32Array((Math.ceil(LARGEST / BLOCK) + 1) * 4);

  /** Whether `body` is bytes `start...` of the version. */
  matches(body: Uint8Array, file: number, version: number, start: number): boolean {
    const first = Math.floor(start / BLOCK);
    const blocks = Math.ceil((start + body.length) / BLOCK) - first;
    const words = this.#scratch.subarray(0, blocks * 4);
    fillBlocks(words, file, version, first);
    const expected = Buffer.from(words.buffer, start - first * BLOCK, body.length);
    return expected.equals(Buffer.from(body.buffer, body.byteOffset, body.length));
  }
}

/** The version and file a body starting at `start` names in its first whole block. */
function decode(body: Uint8Array, start: number): { version: number; file: number } | undefined {
  const at = Math.ceil(start / BLOCK) * BLOCK - start;
  if (at + BLOCK > body.length) return undefined;
  const view = new DataView(body.buffer, body.byteOffset + at, BLOCK);
  return { version: view.getUint32(0, true), file: (view.getUint32(4, true) ^ MAGIC) >>> 0 };
}

type Kind = "get" | "range" | "head" | "ifNoneMatch" | "ifMatch" | "ifRange";
const KINDS: readonly Kind[] = [
  "get",
  "get",
  "get",
  "range",
  "range",
  "range",
  "head",
  "ifNoneMatch",
  "ifMatch",
  "ifRange",
  "ifRange",
];

/** A `Range` header value for a file whose versions have these sizes. */
function rangeFor(random: Random, sizes: readonly number[]): { header: string; from?: number } {
  const smallest = Math.min(...sizes);
  const r = random.next();
  if (r < 0.2) return { header: `bytes=-${random.int(1, smallest + 10)}` };
  // Now and then past the end of the smaller versions: a 416 or a shorter slice.
  const from = random.int(0, random.chance(0.1) ? Math.max(...sizes) : smallest - 1);
  if (r < 0.5) return { header: `bytes=${from}-`, from };
  return { header: `bytes=${from}-${from + random.int(0, smallest)}`, from };
}

async function run(context: SoakContext): Promise<Tally> {
  const tally = emptyTally();
  const { random, signal } = context;
  const root = join(context.dir, "root");
  const temp = join(context.dir, "temp");
  await mkdir(root);
  await mkdir(temp);
  const checker = new Checker();
  const written = bigBuffer();
  const files: FileState[] = FILE_SIZES.map((_, index) => ({
    index,
    name: `f${index}.bin`,
    committed: 0,
    started: 0,
    sizes: new Map(),
    etags: new Map(),
    recent: [],
  }));

  const replace = async (file: FileState) => {
    const version = ++file.started;
    const size = random.pick(FILE_SIZES[file.index]!);
    file.sizes.set(version, size);
    file.sizes.delete(version - REMEMBERED);
    const path = join(temp, `${file.name}.${version}`);
    await writeFile(path, contentOf(written, file.index, version, size));
    const mtime = FIXED_MTIME.get(file.index);
    if (mtime !== undefined) await utimes(path, mtime, mtime);
    await rename(path, join(root, file.name));
    file.committed = version;
    for (const [etag, seen] of file.etags) {
      if (seen > version - REMEMBERED) break;
      file.etags.delete(etag);
    }
  };
  for (const file of files) await replace(file);

  const server = new FileServer({
    serverURL: "http://127.0.0.1:0",
    rootDir: root,
    listenHostname: "127.0.0.1",
    onError: (err) => lost(tally, `the server reported: ${err.message}`),
  });
  await server.start();
  const client = Deno.createHttpClient({});
  const base = server.baseURL;

  /** Records the version an ETag came with; an ETag naming two versions is a problem. */
  const noteEtag = (file: FileState, etag: string | null, version: number) => {
    if (etag === null) return lost(tally, `${file.name}: version ${version} came without an ETag`);
    const known = file.etags.get(etag);
    if (known === undefined) {
      file.etags.set(etag, version);
      file.recent.push(etag);
      if (file.recent.length > 16) file.recent.shift();
    } else if (known !== version) {
      lost(tally, `${file.name}: ETag ${etag} was given with versions ${known} and ${version}`);
    }
  };

  /**
   * Checks a body that should be bytes `start...` of a version of `size`
   * bytes in `[oldest, newest]`. Returns the version; `0` when the body is
   * right but names no single version (a slice too short to hold the
   * version number: several versions have those bytes); `undefined` after a
   * problem.
   */
  const checkBody = (
    file: FileState,
    body: Uint8Array,
    start: number,
    size: number,
    window: { oldest: number; newest: number },
    what: string,
  ): number | undefined => {
    const { oldest, newest } = window;
    const named = decode(body, start);
    if (named !== undefined && named.file !== file.index) {
      lost(tally, `${what}: the body is file ${named.file}'s`);
      return undefined;
    }
    const candidates = named === undefined
      ? Array.from({ length: newest - oldest + 1 }, (_, i) => oldest + i)
      : [named.version];
    const fits = candidates.filter((v) =>
      file.sizes.get(v) === size && checker.matches(body, file.index, v, start)
    );
    if (fits.length === 0) {
      const version = named === undefined ? "no version" : `version ${named.version}`;
      lost(tally, `${what}: ${body.length} bytes from ${start} of ${size}: not ${version}'s`);
      return undefined;
    }
    if (fits.length > 1) return 0;
    const version = fits[0]!;
    if (version < oldest) {
      lost(tally, `${what}: version ${version}, but ${oldest} was in place before the request`);
      return undefined;
    }
    if (version > newest) {
      lost(tally, `${what}: version ${version}, which was not written yet`);
      return undefined;
    }
    return version;
  };

  const request = async (file: FileState, buffers: { body: Uint8Array<ArrayBuffer> }) => {
    const kind = random.pick(KINDS);
    const sizes = FILE_SIZES[file.index]!;
    const headers: Record<string, string> = {};
    let range: { header: string; from?: number } | undefined;
    // The ETag sent and the version it was given with.
    let tag: { etag: string; version: number } | undefined;
    if (kind === "ifNoneMatch" || kind === "ifMatch" || kind === "ifRange") {
      const etag = file.recent.length > 0 ? random.pick(file.recent) : undefined;
      const version = etag === undefined ? undefined : file.etags.get(etag);
      if (etag !== undefined && version !== undefined) tag = { etag, version };
    }
    if (kind === "range" || kind === "ifRange") range = rangeFor(random, sizes);
    if (range !== undefined) headers["range"] = range.header;
    if (tag !== undefined) {
      const name = kind === "ifNoneMatch"
        ? "if-none-match"
        : kind === "ifMatch"
        ? "if-match"
        : "if-range";
      headers[name] = tag.etag;
    }
    const method = kind === "head" ? "HEAD" : "GET";
    const oldest = file.committed;
    const what = `${method} ${file.name} ${JSON.stringify(headers)}`;
    let response: Response;
    try {
      response = await fetch(new URL(file.name, base), { method, headers, client, signal });
    } catch (err) {
      if (!signal.aborted) lost(tally, `${what}: request failed: ${err}`);
      return;
    }
    const newest = file.started;
    let body: Uint8Array;
    try {
      const read = await readBody(response, buffers.body);
      buffers.body = read.buffer;
      body = read.body;
    } catch (err) {
      if (!signal.aborted) lost(tally, `${what}: reading the body failed: ${err}`);
      // The buffer went with the failed read.
      buffers.body = bigBuffer();
      return;
    }
    const { status } = response;
    count(tally, `status ${status}`);
    const etag = response.headers.get("etag");
    const length = Number(response.headers.get("content-length"));
    if (status === 304) {
      // Not modified: the version the ETag names must still be in place.
      if (kind !== "ifNoneMatch" || tag === undefined || etag !== tag.etag) {
        return lost(tally, `${what}: 304 with ETag ${etag}`);
      }
      if (tag.version < oldest) {
        lost(tally, `${what}: 304 for version ${tag.version}, but ${oldest} was in place`);
      }
      return;
    }
    if (status === 412) {
      if (kind !== "ifMatch" || tag === undefined) return lost(tally, `${what}: 412`);
      if (tag.version === oldest && newest === oldest) {
        lost(tally, `${what}: 412 although version ${tag.version} stayed in place`);
      }
      return;
    }
    if (status === 416) {
      const size = Number(
        /^bytes \*\/(\d+)$/.exec(response.headers.get("content-range") ?? "")?.[1],
      );
      const versions = [...Array(newest - oldest + 1).keys()].map((i) =>
        file.sizes.get(oldest + i)
      );
      if (range?.from === undefined || !versions.includes(size) || range.from < size) {
        lost(tally, `${what}: 416 for a file of ${size} bytes`);
      }
      return;
    }
    if (method === "HEAD") {
      if (status !== 200) return lost(tally, `${what}: status ${status}`);
      const version = etag === null ? undefined : file.etags.get(etag);
      const possible = [...Array(newest - oldest + 1).keys()].map((i) =>
        file.sizes.get(oldest + i)
      );
      if (!possible.includes(length)) {
        lost(tally, `${what}: Content-Length ${length} of no version`);
      } else if (version !== undefined && file.sizes.get(version) !== length) {
        lost(tally, `${what}: Content-Length ${length} with the ETag of version ${version}`);
      }
      return;
    }
    if (length !== body.length) {
      return lost(tally, `${what}: ${body.length} bytes with Content-Length ${length}`);
    }
    if (status === 200) {
      const version = checkBody(file, body, 0, body.length, { oldest, newest }, what);
      if (version === undefined) return;
      noteEtag(file, etag, version);
      if (kind === "ifMatch" && tag !== undefined && tag.version !== version) {
        lost(tally, `${what}: If-Match of version ${tag.version} answered with version ${version}`);
      }
      return;
    }
    if (status !== 206 || range === undefined) return lost(tally, `${what}: status ${status}`);
    const match = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(response.headers.get("content-range") ?? "");
    if (match === null) return lost(tally, `${what}: 206 without a Content-Range`);
    const [first, last, size] = [Number(match[1]), Number(match[2]), Number(match[3])];
    if (last - first + 1 !== body.length || (range.from !== undefined && first !== range.from)) {
      return lost(tally, `${what}: ${body.length} bytes as ${match[0]}`);
    }
    const version = checkBody(file, body, first, size, { oldest, newest }, what);
    if (version === undefined || version === 0) return;
    noteEtag(file, etag, version);
    if (kind === "ifRange" && tag !== undefined && tag.version !== version) {
      lost(
        tally,
        `${what}: If-Range with the ETag of version ${tag.version} got a slice of version ${version}`,
      );
    }
  };

  const writer = async () => {
    while (performance.now() < context.until && !signal.aborted) {
      const file = random.pick(files);
      // Sometimes the same file several times in a row, as a busy producer would.
      const times = random.chance(0.2) ? random.int(2, 4) : 1;
      for (let i = 0; i < times; i++) await replace(file);
      tally.faultsInjected += times;
      count(tally, "replacements", times);
      await delay(random.int(0, 3), { signal }).catch(() => {});
    }
  };

  try {
    await Promise.all([
      writer(),
      ...Array.from({ length: CLIENTS }, async () => {
        const buffers = { body: bigBuffer() };
        while (performance.now() < context.until && !signal.aborted) {
          const problems = tally.dataLost;
          await request(random.pick(files), buffers);
          tally.operations++;
          if (tally.dataLost === problems) count(tally, "answers checked");
          await delay(random.int(0, 10), { signal }).catch(() => {});
        }
      }),
    ]);
  } finally {
    client.close();
    await server.close();
  }
  // Every replacement happened while clients read; none may have broken an invariant.
  if (tally.dataLost === 0) tally.faultsSurvived = tally.faultsInjected;
  context.log(`${tally.operations} requests, ${tally.faultsInjected} replacements`);
  return tally;
}

/** The file server scenario. */
export const fileServerScenario: Scenario = { name: "fileserver", run };
