// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Reads the small text files the kernel generates (/proc, /sys/fs/cgroup).
// Deno lets only --allow-all programs read /proc and /sys through its file
// APIs (node:fs included); without it, the file is read with libc's open and
// read through the shared libc loader (--allow-ffi), which costs no more than
// node:fs does. Reads are synchronous: these files are generated in memory and
// never wait for a disk, and a sync read saves a thread-pool round trip.

import { readFileSync } from "node:fs";
import { AosError } from "../errors.ts";
import { cString, errnoError, libc, libcAvailable } from "../_libc.ts";

const O_RDONLY = 0;
const O_CLOEXEC = 0o2000000;
const EINTR = 4;

let useLibc = false;
let buffer = new Uint8Array(16 * 1024);
const decoder = new TextDecoder();

/**
 * The whole text of a kernel file.
 *
 * @throws {AosError} `runtime` with the errno when the file cannot be read; `notSupported`
 *   on Deno without `--allow-all` or `--allow-ffi`.
 */
export function readKernelFile(path: string): string {
  if (!useLibc) {
    try {
      return readFileSync(path, "latin1");
    } catch (err) {
      if ((err as { name?: unknown }).name !== "NotCapable") {
        throw AosError.wrap(err, undefined, `can't read "${path}"`);
      }
      if (!libcAvailable()) {
        throw new AosError(
          "notSupported",
          `Cannot read "${path}": Deno reads /proc and /sys only with --allow-all, or with ` +
            "--allow-ffi through libc",
          { cause: err },
        );
      }
      useLibc = true;
    }
  }
  return readWithLibc(path);
}

function readWithLibc(path: string): string {
  const lib = libc();
  const fd = lib.open(cString(path, "path"), O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0) throw errnoError(`can't read "${path}"`);
  try {
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        const bigger = new Uint8Array(buffer.length * 2);
        bigger.set(buffer);
        buffer = bigger;
      }
      const n = Number(lib.read(fd, buffer.subarray(length), BigInt(buffer.length - length)));
      if (n === 0) break;
      if (n < 0) {
        const err = errnoError(`can't read "${path}"`);
        if (err.errno === EINTR) continue;
        throw err;
      }
      length += n;
    }
    return decoder.decode(buffer.subarray(0, length));
  } finally {
    lib.close(fd);
  }
}
