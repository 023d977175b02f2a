// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The request -> reply core shared by `handle()` and both server adapters. It
// decides status and headers and opens the file; the caller sends the bytes.
// It answers synchronously (only a directory listing waits for I/O), so the
// common case costs no promise: a cached small file is one map lookup and one
// `stat`, answered with headers built when the file was cached.
import { sep } from "node:path";
import { AosError } from "../utils/errors.ts";
import { type CachedFile, sameFile, SmallFileCache } from "./_cache.ts";
import { errorCode, type FileStat, type FileSystem, type OpenFile } from "./_files.ts";
import {
  contentTypeOf,
  etagOf,
  type HeaderGetter,
  httpDate,
  ifRangeHolds,
  parseRange,
  preconditionStatus,
} from "./_http.ts";
import { renderListing } from "./_listing.ts";
import { pathSegments, requestPath } from "./_url.ts";

/** The parts of a request the server reads. */
export interface RequestHead {
  method: string;
  /** The request target or the request URL. */
  target: string;
  headers: HeaderGetter;
}

/** What to answer. With `file`, the caller must stream it (which closes it). */
export interface Reply {
  status: number;
  headers: Readonly<Record<string, string>>;
  /** A body held in memory: a small file or a directory listing. */
  body?: Uint8Array<ArrayBuffer> | string;
  /**
   * Set when the answer is this cached file whole (200, its `headers` and
   * `bytes`), so an adapter may send what it prepared for the file instead.
   */
  whole?: CachedFile;
  /** A large body: bytes `start` to `start + length - 1` of `file`. */
  file?: OpenFile;
  start?: number;
  length?: number;
}

/** Settings of the core. */
export interface ReplierOptions {
  rootDir: string;
  files: FileSystem;
  acceptRanges: boolean;
  directoryListing: boolean;
  onError: (error: AosError) => void;
}

/** A large file to stream: its validators, whole-file headers and open handle. */
interface LargeFile {
  stat: FileStat;
  etag: string;
  lastModified: string;
  headers: Readonly<Record<string, string>>;
  file: OpenFile;
}

type Source = CachedFile | LargeFile;

// Errors that mean "there is no such file here" rather than a server fault
// (ENXIO: opening a socket file).
const MISSING = new Set(["ENOENT", "ENOTDIR", "ELOOP", "ENAMETOOLONG", "ENXIO"]);
const NOT_ALLOWED: Reply = { status: 405, headers: { allow: "GET, HEAD", "content-length": "0" } };
// Files up to this size are read in one call, cached and sent from memory.
const SMALL_FILE = 64 * 1024;
const CACHE_BYTES = 8 * 1024 * 1024;

/** Turns requests into replies for one root directory. */
export class Replier {
  #options: ReplierOptions;
  #realRoot: string | undefined;
  #cache = new SmallFileCache(CACHE_BYTES);

  constructor(options: ReplierOptions) {
    this.#options = options;
  }

  /**
   * The reply to one request; a promise only for a directory listing. Never
   * throws or rejects: failures are 500 and reported to `onError`.
   */
  reply(head: RequestHead): Reply | Promise<Reply> {
    if (head.method !== "GET" && head.method !== "HEAD") return NOT_ALLOWED;
    const path = requestPath(head.target);
    if (path === undefined) return empty(404);
    try {
      const cached = this.#cached(path);
      if (cached !== undefined) return this.#answer(head, cached);
      const target = pathSegments(path);
      if (typeof target === "number") return empty(target);
      const source = this.#open(target.segments, target.directory);
      if (source === undefined) return empty(404);
      if ("isDirectory" in source) return this.#listing(head, source.path, target.segments);
      if ("bytes" in source) this.#cache.set(path, source);
      return this.#answer(head, source);
    } catch (err) {
      return this.#failure(err, head);
    }
  }

  /** Reports a failure to serve a request to `onError`. */
  report(err: unknown, method: string, target: string): void {
    this.#options.onError(AosError.wrap(err, undefined, `Cannot serve ${method} ${target}`));
  }

  #failure(err: unknown, head: RequestHead): Reply {
    const code = errorCode(err);
    if (code !== undefined && MISSING.has(code)) return empty(404);
    this.report(err, head.method, head.target);
    return empty(500);
  }

  /** The cached copy of the file at a request path, if it is still the file on disk. */
  #cached(path: string): CachedFile | undefined {
    const entry = this.#cache.get(path);
    if (entry === undefined) return undefined;
    // Gone or unreachable (`undefined`): the full lookup finds out which answer that is.
    const current = this.#options.files.stat(entry.path);
    if (current !== undefined && sameFile(current, entry.stat)) return entry;
    this.#cache.delete(path);
    return undefined;
  }

  /**
   * Looks the file up safely; a directory to list comes back as its path.
   * `directory`: the target ended with `/`, which a file never matches.
   */
  #open(
    segments: string[],
    directory: boolean,
  ): Source | { isDirectory: true; path: string } | undefined {
    const { files } = this.#options;
    const root = this.#realRoot ??= files.realPath(this.#options.rootDir);
    const path = segments.length === 0 ? root : root + sep + segments.join(sep);
    const real = files.realPath(path);
    // Symlinks may point anywhere; only what really lies under the root is served.
    if (real !== root && !real.startsWith(root.endsWith(sep) ? root : root + sep)) return undefined;
    const file = files.open(real);
    if (file === undefined) return undefined;
    const { stat } = file;
    if (!stat.isFile || directory) {
      file.close();
      return stat.isDirectory && this.#options.directoryListing
        ? { isDirectory: true, path: real }
        : undefined;
    }
    const etag = etagOf(stat);
    const lastModified = httpDate(stat.mtimeMs);
    const headers: Record<string, string> = {
      "content-type": contentTypeOf(segments[segments.length - 1]!),
      "last-modified": lastModified,
      etag,
    };
    if (this.#options.acceptRanges) headers["accept-ranges"] = "bytes";
    headers["content-length"] = String(stat.size);
    if (stat.size > SMALL_FILE) return { stat, etag, lastModified, headers, file };
    const bytes = file.read(0, stat.size);
    return { path, stat, etag, lastModified, bytes, headers: Object.freeze(headers) };
  }

  #answer(head: RequestHead, source: Source): Reply {
    const { stat, etag } = source;
    const precondition = preconditionStatus(head.headers, etag, stat.mtimeMs);
    if (precondition !== 200) {
      closeFile(source);
      return precondition === 412 ? empty(412) : { status: 304, headers: this.#validators(source) };
    }
    const { size } = stat;
    const range = this.#rangeOf(head, etag, stat.mtimeMs, size);
    if (range === "unsatisfiable") {
      closeFile(source);
      const headers = this.#validators(source);
      headers["content-range"] = `bytes */${size}`;
      headers["content-length"] = "0";
      return { status: 416, headers };
    }
    if (range === undefined && (head.method === "HEAD" || size === 0)) {
      closeFile(source);
      return { status: 200, headers: source.headers };
    }
    const { start, end } = range ?? { start: 0, end: size - 1 };
    const length = end - start + 1;
    const status = range === undefined ? 200 : 206;
    const headers = range === undefined ? source.headers : {
      ...source.headers,
      "content-length": String(length),
      "content-range": `bytes ${start}-${end}/${size}`,
    };
    if ("file" in source) return { status, headers, file: source.file, start, length };
    if (range === undefined) return { status, headers, body: source.bytes, whole: source };
    return { status, headers, body: source.bytes.subarray(start, end + 1) };
  }

  /** The validator headers of 304 and 416 answers. */
  #validators(source: Source): Record<string, string> {
    const headers: Record<string, string> = {
      "last-modified": source.lastModified,
      etag: source.etag,
    };
    if (this.#options.acceptRanges) headers["accept-ranges"] = "bytes";
    return headers;
  }

  #rangeOf(head: RequestHead, etag: string, mtimeMs: number, size: number) {
    // Range is defined for GET only; an empty file has no bytes to select, so
    // it is sent whole (as Go's file server does) rather than refused.
    if (!this.#options.acceptRanges || head.method !== "GET" || size === 0) return undefined;
    const value = head.headers.get("range");
    if (value === null || !ifRangeHolds(head.headers, etag, mtimeMs)) return undefined;
    return parseRange(value, size);
  }

  async #listing(head: RequestHead, dir: string, segments: string[]): Promise<Reply> {
    let page: string;
    try {
      page = await renderListing(dir, segments);
    } catch (err) {
      return this.#failure(err, head);
    }
    const headers = {
      "content-type": "text/html; charset=utf-8",
      "content-length": String(new TextEncoder().encode(page).byteLength),
    };
    return head.method === "HEAD" ? { status: 200, headers } : { status: 200, headers, body: page };
  }
}

function closeFile(source: Source): void {
  if ("file" in source) source.file.close();
}

function empty(status: number): Reply {
  return { status, headers: { "content-length": "0" } };
}
