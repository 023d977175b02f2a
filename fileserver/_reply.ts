// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The request -> reply core shared by `handle()` and both server adapters. It
// decides status and headers and opens the file; the caller sends the bytes.
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
import { targetSegments } from "./_url.ts";

/** The parts of a request the server reads. */
export interface RequestHead {
  method: string;
  /** The request target or the request URL. */
  target: string;
  header: HeaderGetter;
}

/** What to answer. With `file`, the caller must stream it (which closes it). */
export interface Reply {
  status: number;
  headers: Record<string, string>;
  /** A body held in memory: a small file or a directory listing. */
  body?: Uint8Array<ArrayBuffer> | string;
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

/** A file to answer with: its validators, and its bytes in memory or an open handle. */
interface Source {
  stat: FileStat;
  etag: string;
  lastModified: string;
  bytes?: Uint8Array<ArrayBuffer>;
  file?: OpenFile;
}

// Errors that mean "there is no such file here" rather than a server fault
// (ENXIO: opening a socket file).
const MISSING = new Set(["ENOENT", "ENOTDIR", "ELOOP", "ENAMETOOLONG", "ENXIO"]);
const ALLOW = "GET, HEAD";
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

  /** The reply to one request; never throws (failures are 500 and reported to `onError`). */
  async reply(head: RequestHead): Promise<Reply> {
    if (head.method !== "GET" && head.method !== "HEAD") {
      return { status: 405, headers: { allow: ALLOW, "content-length": "0" } };
    }
    const target = targetSegments(head.target);
    if (typeof target === "number") return empty(target);
    const { segments, directory } = target;
    try {
      const source = (directory ? undefined : this.#cached(segments)) ??
        this.#open(segments, directory);
      if (source === undefined) return empty(404);
      if ("isDirectory" in source) {
        return listing(head, await renderListing(source.path, segments));
      }
      return this.#answer(head, segments[segments.length - 1]!, source);
    } catch (err) {
      const code = errorCode(err);
      if (code !== undefined && MISSING.has(code)) return empty(404);
      this.report(err, head.method, head.target);
      return empty(500);
    }
  }

  /** Reports a failure to serve a request to `onError`. */
  report(err: unknown, method: string, target: string): void {
    this.#options.onError(AosError.wrap(err, undefined, `Cannot serve ${method} ${target}`));
  }

  #cached(segments: string[]): Source | undefined {
    const key = segments.join(sep);
    const entry = this.#cache.get(key);
    if (entry === undefined || this.#realRoot === undefined) return undefined;
    if (sameFile(this.#options.files.stat(this.#realRoot + sep + key), entry.stat)) return entry;
    this.#cache.delete(key);
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
    const real = files.realPath(segments.length === 0 ? root : root + sep + segments.join(sep));
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
    const validators = { stat, etag: etagOf(stat), lastModified: httpDate(stat.mtimeMs) };
    if (stat.size > SMALL_FILE) return { ...validators, file };
    const entry: CachedFile = { ...validators, bytes: file.read(0, stat.size) };
    this.#cache.set(segments.join(sep), entry);
    return entry;
  }

  #answer(head: RequestHead, name: string, source: Source): Reply {
    const { stat, etag } = source;
    const headers: Record<string, string> = {
      "content-type": contentTypeOf(name),
      "last-modified": source.lastModified,
      etag,
    };
    if (this.#options.acceptRanges) headers["accept-ranges"] = "bytes";
    const precondition = preconditionStatus(head.header, etag, stat.mtimeMs);
    if (precondition !== 200) {
      source.file?.close();
      if (precondition === 412) return empty(412);
      delete headers["content-type"];
      return { status: 304, headers };
    }
    const { size } = stat;
    const range = this.#rangeOf(head, etag, stat.mtimeMs, size);
    if (range === "unsatisfiable") {
      source.file?.close();
      headers["content-range"] = `bytes */${size}`;
      headers["content-length"] = "0";
      delete headers["content-type"];
      return { status: 416, headers };
    }
    const start = range?.start ?? 0;
    const length = range === undefined ? size : range.end - range.start + 1;
    headers["content-length"] = String(length);
    if (range !== undefined) headers["content-range"] = `bytes ${start}-${range.end}/${size}`;
    const status = range === undefined ? 200 : 206;
    if (head.method === "HEAD" || length === 0) {
      source.file?.close();
      return { status, headers };
    }
    if (source.bytes !== undefined) {
      const body = length === size ? source.bytes : source.bytes.subarray(start, start + length);
      return { status, headers, body };
    }
    return { status, headers, file: source.file!, start, length };
  }

  #rangeOf(head: RequestHead, etag: string, mtimeMs: number, size: number) {
    // Range is defined for GET only; an empty file has no bytes to select, so
    // it is sent whole (as Go's file server does) rather than refused.
    if (!this.#options.acceptRanges || head.method !== "GET" || size === 0) return undefined;
    const value = head.header("range");
    if (value === null || !ifRangeHolds(head.header, etag, mtimeMs)) return undefined;
    return parseRange(value, size);
  }
}

function empty(status: number): Reply {
  return { status, headers: { "content-length": "0" } };
}

function listing(head: RequestHead, page: string): Reply {
  const headers = {
    "content-type": "text/html; charset=utf-8",
    "content-length": String(new TextEncoder().encode(page).byteLength),
  };
  return head.method === "HEAD" ? { status: 200, headers } : { status: 200, headers, body: page };
}
