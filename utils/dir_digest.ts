// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * The directory digest AosCore stores as a layer's "unpacked digest".
 *
 * Deviation from AosCore: whole files are hashed by default; AosCore hashes
 * only the first `256 × floor((N − 1) / 256)` bytes of an N-byte file (it
 * reads its per-file digest before flushing the last block), which
 * `{ legacy: true }` reproduces for digests written by the C++ service manager.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import { relative, sep } from "node:path";
import { AosError } from "./errors.ts";
import { throwIfAborted } from "./abort.ts";
import { ChunkBuffers, fsCall, hashFile } from "./_digest_io.ts";
import { toFilePath } from "./fs.ts";

/** Options of {@linkcode calculateDirDigest}. */
export interface DirDigestOptions {
  /**
   * Reproduce AosCore's defect: hash only the first `256 × floor((N − 1) / 256)`
   * bytes of each N-byte file. Use it to check digests written by the C++
   * service manager.
   * @default {false}
   */
  legacy?: boolean;
  /** Aborts the work with a `canceled` error. */
  signal?: AbortSignal;
}

/**
 * The digest of an unpacked directory, byte-compatible with AosCore: for each
 * regular file, sorted by path, the line `<sha256 hex>  <relative path>\n` is
 * fed to an outer SHA-256. A symlink to a regular file counts with its
 * target's content, and (as in AosCore) the line carries the target's path
 * relative to `dir`; symlinked directories are not followed; modes, owners,
 * times and empty directories do not count.
 *
 * @example
 * ```ts
 * import { calculateDirDigest } from "@aoscore/common/utils";
 * import { mkdtemp, rm } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import assert from "node:assert/strict";
 *
 * const dir = await mkdtemp(join(tmpdir(), "dirdigest-"));
 * assert.equal(
 *   await calculateDirDigest(dir),
 *   "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
 * );
 * await rm(dir, { recursive: true });
 * ```
 *
 * @param dir The directory.
 * @param options Legacy mode and cancellation.
 * @returns The digest, `"sha256:<hex>"`.
 * @throws {AosError} `notFound` for a missing `dir`, `invalidArgument` for a
 * path containing a newline, `failed` for an unreadable file.
 */
export async function calculateDirDigest(
  dir: string | URL,
  options: DirDigestOptions = {},
): Promise<string> {
  const { legacy = false, signal } = options;
  const root = await fsCall(
    () => fs.promises.realpath(toFilePath(dir)),
    `Cannot digest directory "${toFilePath(dir)}"`,
  );
  const files = await listFiles(root, legacy, signal);
  files.sort((a, b) => Buffer.compare(a.key, b.key));
  const hashes = await hashAll(files, legacy, signal);
  const outer = createHash("sha256");
  files.forEach((file, i) => {
    const shown = relative(root, file.target).split(sep).join("/");
    if (shown.includes("\n")) throw newlineError(file.target);
    outer.update(`${hashes[i]}  ${shown}\n`);
  });
  return `sha256:${outer.digest("hex")}`;
}

/** Files hashed at once: small files cost a few thread-pool round trips each, which overlap. */
const WORKERS = 4;

async function hashAll(
  files: ListedFile[],
  legacy: boolean,
  signal: AbortSignal | undefined,
): Promise<string[]> {
  const hashes: string[] = new Array(files.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    const buffers = new ChunkBuffers(64 * 1024);
    for (let i = next++; i < files.length; i = next++) {
      const file = files[i]!;
      throwIfAborted(signal, `Digest of "${file.path}" canceled`);
      const inner = createHash("sha256");
      const limit = legacy ? Math.max(0, 256 * Math.floor((file.size - 1) / 256)) : Infinity;
      await hashFile(file.path, (chunk) => inner.update(chunk), limit, { signal }, buffers);
      hashes[i] = inner.digest("hex");
    }
  };
  const workers = Array.from({ length: Math.min(WORKERS, files.length) }, worker);
  // Let every worker stop before reporting the first failure, so no read outlives the call.
  const results = await Promise.allSettled(workers);
  const failed = results.find((r) => r.status === "rejected");
  if (failed) throw failed.reason;
  return hashes;
}

interface ListedFile {
  path: string;
  key: Buffer;
  target: string;
  size: number;
}

async function listFiles(
  root: string,
  legacy: boolean,
  signal: AbortSignal | undefined,
): Promise<ListedFile[]> {
  if (root.includes("\n")) throw newlineError(root);
  const out: ListedFile[] = [];
  const pending = [root];
  for (let dir = pending.pop(); dir !== undefined; dir = pending.pop()) {
    throwIfAborted(signal, `Digest of directory "${root}" canceled`);
    const current = dir;
    const entries = await fsCall(
      () => fs.promises.readdir(current, { withFileTypes: true }),
      `Cannot list directory "${current}"`,
    );
    for (const entry of entries) {
      const path = `${current}${sep}${entry.name}`;
      if (path.includes("\n")) throw newlineError(path);
      if (entry.isDirectory()) {
        pending.push(path);
      } else if (entry.isFile()) {
        // Only the legacy mode needs sizes (to know how much to hash).
        const size = legacy
          ? (await fsCall(() => fs.promises.stat(path), `Cannot stat "${path}"`)).size
          : 0;
        out.push({ path, key: Buffer.from(path), target: path, size });
      } else if (entry.isSymbolicLink()) {
        // A dangling link or a link to a directory is not a regular file: skipped.
        const info = await fs.promises.stat(path).catch(() => undefined);
        if (info?.isFile()) {
          const target = await fsCall(() => fs.promises.realpath(path), `Cannot resolve "${path}"`);
          out.push({ path, key: Buffer.from(path), target, size: info.size });
        }
      }
    }
  }
  return out;
}

function newlineError(path: string): AosError {
  return new AosError(
    "invalidArgument",
    `Cannot digest ${JSON.stringify(path)}: file names with new lines are not supported`,
  );
}
