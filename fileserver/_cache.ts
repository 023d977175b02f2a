// Copyright 2026 the aos-common authors. Apache-2.0 license.
// A bounded cache of small files, checked against one `stat` on every use.
//
// Looking a file up safely (realpath, open, fstat, read, close) costs five
// system calls and dominated the time of a small-file request. A cached copy
// is served only while `stat` of its path still names the same inode, created
// at the same time (a file replacing another often gets its freed inode
// number), with the same size and time stamps, so a replaced or rewritten
// file is seen on the next request. The inode was checked to lie under the
// root when it was cached; a path that later leads to it another way serves
// the same bytes, never new ones. Entries are keyed by the request path as
// received, so a hit needs no decoding; everything a plain GET answers with
// is built once.
import type { FileStat } from "./_files.ts";

/** A small file held in memory with its validators and ready-made headers. */
export interface CachedFile {
  /** The path whose `stat` must still match `stat` (symlinks followed). */
  path: string;
  stat: FileStat;
  etag: string;
  lastModified: string;
  bytes: Uint8Array<ArrayBuffer>;
  /** The headers of a 200 answer with the whole file. */
  headers: Readonly<Record<string, string>>;
}

/** Whether two stats describe the same, unchanged file. */
export function sameFile(a: FileStat, b: FileStat): boolean {
  return a.ino === b.ino && a.dev === b.dev && a.birthtimeMs === b.birthtimeMs &&
    a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs &&
    a.isFile === b.isFile;
}

// What an entry costs beyond its bytes (key, stat, strings), so that many
// empty files cannot grow the map without bound.
const ENTRY_OVERHEAD = 512;

function costOf(entry: CachedFile): number {
  return entry.bytes.byteLength + ENTRY_OVERHEAD;
}

/** Files by request path, the oldest evicted first once `limit` bytes are held. */
export class SmallFileCache {
  #entries = new Map<string, CachedFile>();
  #bytes = 0;
  #limit: number;

  constructor(limit: number) {
    this.#limit = limit;
  }

  get(key: string): CachedFile | undefined {
    return this.#entries.get(key);
  }

  set(key: string, entry: CachedFile): void {
    if (costOf(entry) > this.#limit) return;
    this.delete(key);
    this.#entries.set(key, entry);
    this.#bytes += costOf(entry);
    for (const [oldest, old] of this.#entries) {
      if (this.#bytes <= this.#limit) break;
      this.#entries.delete(oldest);
      this.#bytes -= costOf(old);
    }
  }

  delete(key: string): void {
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    this.#entries.delete(key);
    this.#bytes -= costOf(entry);
  }
}
