// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Opening files and turning them into response bodies, on Deno and on Node.
//
// A response is always built from one open handle: its size, time stamps and
// bytes come from the same inode even if the path is replaced meanwhile.
// Path lookups, open and stat are synchronous, as in nginx: on a local disk
// each is a microsecond, where a trip through the runtime's thread pool costs
// ten times that and dominated the time of a small-file request. Bodies larger
// than a few pages stream asynchronously.
import {
  closeSync,
  constants,
  createReadStream,
  fstatSync,
  openSync,
  read,
  readSync,
  realpathSync,
  statSync,
} from "node:fs";
import type { Stats } from "node:fs";
import { Readable } from "node:stream";
import { AosError } from "../utils/errors.ts";
import { type DenoFileInfo, type DenoFsFile, type DenoRuntime, denoRuntime } from "./_deno.ts";

/** What the HTTP rules need to know about an open file. */
export interface FileStat {
  isFile: boolean;
  isDirectory: boolean;
  size: number;
  /** Modification time, whole milliseconds. */
  mtimeMs: number;
  /** Status change time, whole milliseconds. */
  ctimeMs: number;
  /**
   * Creation time, whole milliseconds; 0 where the file system keeps none.
   * Unlike the inode number it tells a new file from an old one it replaced:
   * inode numbers are reused at once, and the modification time can be set
   * to anything (archives keep theirs).
   */
  birthtimeMs: number;
  dev: number;
  ino: number;
}

/** An open file; exactly one of `read()`, `readable()` or `close()` must be called. */
export interface OpenFile {
  readonly stat: FileStat;
  /** Reads `length` bytes from `start` in one go, then closes the file. */
  read(start: number, length: number): Uint8Array<ArrayBuffer>;
  /** A stream of `length` (> 0) bytes from `start`; the stream closes the file. */
  readable(start: number, length: number): ReadableStream<Uint8Array>;
  close(): void;
}

/** The file operations of one runtime. */
export interface FileSystem {
  realPath(path: string): string;
  /** Follows symlinks; `undefined` when the path cannot be examined (missing, no access...). */
  stat(path: string): FileStat | undefined;
  /** Opens a regular file or a directory; `undefined` for anything else (FIFOs, sockets...). */
  open(path: string): OpenFile | undefined;
}

/** Stream chunk size: a 256 MiB body is a thousand reads, and concurrent downloads stay cheap. */
const CHUNK = 256 * 1024;

function readAt(fd: number, buffer: Uint8Array, length: number, position: number) {
  return new Promise<number>((resolve, reject) => {
    read(fd, buffer, 0, length, position, (err, n) => err ? reject(err) : resolve(n));
  });
}

/** The file system of the runtime we are on (Deno's own API on Deno, `node:fs` elsewhere). */
export function fileSystem(): FileSystem {
  const deno = denoRuntime();
  return deno === undefined ? NODE_FS : denoFileSystem(deno);
}

/** The POSIX error code of a file system error (`ENOENT`...), if it has one. */
export function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

function shortRead(left: number): AosError {
  return new AosError("failed", `file ended ${left} bytes before its announced length`);
}

function fromDeno(info: DenoFileInfo): FileStat {
  return {
    isFile: info.isFile,
    isDirectory: info.isDirectory,
    size: info.size,
    mtimeMs: info.mtime?.getTime() ?? 0,
    ctimeMs: info.ctime?.getTime() ?? 0,
    birthtimeMs: info.birthtime?.getTime() ?? 0,
    dev: info.dev,
    ino: info.ino ?? 0,
  };
}

function fromNode(info: Stats): FileStat {
  return {
    isFile: info.isFile(),
    isDirectory: info.isDirectory(),
    size: info.size,
    mtimeMs: Math.trunc(info.mtimeMs),
    ctimeMs: Math.trunc(info.ctimeMs),
    birthtimeMs: Math.trunc(info.birthtimeMs),
    dev: info.dev,
    ino: info.ino,
  };
}

function denoFileSystem(deno: DenoRuntime): FileSystem {
  return {
    realPath: (path) => deno.realPathSync(path),
    stat(path) {
      try {
        return fromDeno(deno.statSync(path));
      } catch {
        return undefined;
      }
    },
    open(path) {
      // Opening a FIFO would block until a writer comes; Deno has no O_NONBLOCK.
      const kind = deno.statSync(path);
      if (!kind.isFile && !kind.isDirectory) return undefined;
      const file = deno.openSync(path);
      try {
        return new DenoOpenFile(file, fromDeno(file.statSync()));
      } catch (err) {
        file.close();
        throw err;
      }
    },
  };
}

class DenoOpenFile implements OpenFile {
  readonly stat: FileStat;
  #file: DenoFsFile;
  #closed = false;

  constructor(file: DenoFsFile, stat: FileStat) {
    this.#file = file;
    this.stat = stat;
  }

  read(start: number, length: number): Uint8Array<ArrayBuffer> {
    try {
      if (start > 0) this.#file.seekSync(start, 0);
      const bytes = new Uint8Array(length);
      let done = 0;
      while (done < length) {
        const n = this.#file.readSync(bytes.subarray(done));
        if (n === null) throw shortRead(length - done);
        done += n;
      }
      return bytes;
    } finally {
      this.close();
    }
  }

  readable(start: number, length: number): ReadableStream<Uint8Array> {
    try {
      if (start > 0) this.#file.seekSync(start, 0);
    } catch (err) {
      this.close();
      throw err;
    }
    // A stream to the end of the file is backed by the file resource itself,
    // which `Deno.serve` copies to the socket without a round trip through JS.
    if (start + length === this.stat.size) {
      this.#closed = true;
      return this.#file.readable;
    }
    return this.#bounded(length);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#file.close();
  }

  #bounded(length: number): ReadableStream<Uint8Array> {
    let left = length;
    return new ReadableStream<Uint8Array>({
      type: "bytes",
      pull: async (controller) => {
        const chunk = new Uint8Array(Math.min(left, CHUNK));
        let n: number | null;
        try {
          n = await this.#file.read(chunk);
        } catch (err) {
          this.close();
          throw err;
        }
        if (n === null) {
          this.close();
          // Erroring (not closing) makes the server drop the connection, so the
          // client sees a short body instead of waiting for the missing bytes.
          controller.error(shortRead(left));
          return;
        }
        left -= n;
        controller.enqueue(chunk.subarray(0, n));
        if (left === 0) {
          this.close();
          controller.close();
        }
      },
      cancel: () => this.close(),
    });
  }
}

const NODE_FS: FileSystem = {
  realPath: (path) => realpathSync.native(path),
  stat(path) {
    try {
      return fromNode(statSync(path));
    } catch {
      return undefined;
    }
  },
  open(path) {
    // O_NONBLOCK: opening a FIFO returns at once (and is then refused) instead of blocking.
    const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const info = fstatSync(fd);
      if (!info.isFile() && !info.isDirectory()) {
        closeSync(fd);
        return undefined;
      }
      return new NodeOpenFile(fd, fromNode(info));
    } catch (err) {
      closeSync(fd);
      throw err;
    }
  },
};

/**
 * A Node file. The `node:http` adapter sends it with
 * {@linkcode NodeOpenFile.sendTo}; `handle()` reads it as a web stream.
 */
export class NodeOpenFile implements OpenFile {
  readonly stat: FileStat;
  #fd: number;
  #closed = false;

  constructor(fd: number, stat: FileStat) {
    this.#fd = fd;
    this.stat = stat;
  }

  read(start: number, length: number): Uint8Array<ArrayBuffer> {
    try {
      const bytes = new Uint8Array(length);
      let done = 0;
      while (done < length) {
        const n = readSync(this.#fd, bytes, done, length - done, start + done);
        if (n === 0) throw shortRead(length - done);
        done += n;
      }
      return bytes;
    } finally {
      this.close();
    }
  }

  /**
   * Writes `length` (> 0) bytes from `start` through `write`, then closes the
   * file. Two buffers take turns (one is read while the other is written)
   * and are reused, so a transfer of any size makes no garbage. `write` must
   * resolve only once its chunk has been handed on, since the buffer is
   * refilled afterwards.
   *
   * @throws when reading fails, the file ends early, or `write` rejects.
   */
  async sendTo(
    write: (chunk: Uint8Array) => Promise<void>,
    start: number,
    length: number,
  ): Promise<void> {
    this.#closed = true;
    const size = Math.min(CHUNK, length);
    const buffers = [new Uint8Array(size), new Uint8Array(size)];
    let written: Promise<void> = Promise.resolve();
    try {
      for (let turn = 0, at = start, left = length; left > 0; turn ^= 1) {
        const buffer = buffers[turn]!;
        const n = await readAt(this.#fd, buffer, Math.min(size, left), at);
        if (n === 0) throw shortRead(left);
        at += n;
        left -= n;
        await written;
        written = write(n === size ? buffer : buffer.subarray(0, n));
        // Handled here so a failure during the next read is no unhandled
        // rejection; it still throws where `written` is awaited.
        written.catch(() => {});
      }
      await written;
    } finally {
      // A write still pending when reading failed must not outlive the fd.
      await written.catch(() => {});
      closeSync(this.#fd);
    }
  }

  readable(start: number, length: number): ReadableStream<Uint8Array> {
    this.#closed = true;
    const stream = createReadStream("", {
      fd: this.#fd,
      start,
      end: start + length - 1,
      highWaterMark: CHUNK,
      autoClose: true,
    });
    return Readable.toWeb(stream) as unknown as ReadableStream<Uint8Array>;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    closeSync(this.#fd);
  }
}
