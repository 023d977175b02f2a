// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The file a download writes: what it already holds, opening it for a fresh
// start or a resume, and checking its digest (a mismatch deletes it).
import { type FileHandle, open, rm, stat } from "node:fs/promises";
import { AosError, hasErrno } from "../utils/errors.ts";
import type { DigestAlgorithm } from "../utils/digest.ts";
import type { ChunkHasher } from "../utils/_hash_thread.ts";
import { permanent } from "./_errors.ts";
import { removeSidecar } from "./_sidecar.ts";

/**
 * Starts the hash of a file written front to back, on a worker thread when
 * the content (`size` bytes, `undefined` when unknown) is large enough to pay
 * for it.
 */
export type OpenHasher = (
  algorithm: DigestAlgorithm,
  size: number | undefined,
  path: string,
) => ChunkHasher;

/** A destination and what its content must hash to. */
export interface DigestTarget {
  /** The file the bytes go to (the destination, or its `.part`). */
  file: string;
  /** The sidecar of the download, deleted with a file that does not verify. */
  sidecar: string;
  /** The expected digest (normalised) when verifying. */
  expected: { algorithm: DigestAlgorithm; digest: string } | undefined;
}

/**
 * The size of what the destination already holds.
 *
 * @param path The file.
 * @returns Its size; 0 when it is missing or not a regular file.
 */
export async function partialSize(path: string): Promise<number> {
  try {
    const info = await stat(path);
    return info.isFile() ? info.size : 0;
  } catch {
    return 0;
  }
}

/**
 * Opens the destination: truncated for a fresh start, for writing at
 * `offset` (cut there) for a resume. A missing directory or a permission
 * problem is permanent.
 *
 * @param path The file.
 * @param offset Where writing starts.
 * @returns The open file.
 */
export async function openDestination(path: string, offset: number): Promise<FileHandle> {
  try {
    const file = await open(path, offset > 0 ? "r+" : "w");
    if (offset > 0) await file.truncate(offset);
    return file;
  } catch (cause) {
    const err = AosError.wrap(cause, "failed", `failed to open file "${path}"`);
    const lasting = ["ENOENT", "ENOTDIR", "EISDIR", "EACCES", "EPERM", "EROFS"];
    throw lasting.some((name) => hasErrno(cause, name)) ? permanent(err) : err;
  }
}

/**
 * Verifies a whole file (one the server said is complete, or the ranges of a
 * segmented download), on the hash worker when it is large.
 *
 * @param target The file, its digest, and how to start the hash.
 * @param resumed Whether the content predates this download call.
 */
export async function verifyFile(
  target: DigestTarget & { openHasher: OpenHasher },
  resumed: boolean,
): Promise<void> {
  if (target.expected === undefined) return;
  const size = (await stat(target.file)).size;
  const hasher = target.openHasher(target.expected.algorithm, size, target.file);
  let actual: string;
  try {
    await hasher.prefix(size);
    actual = await hasher.digest();
  } catch (err) {
    hasher.drop();
    throw err;
  }
  await checkDigest(target, actual, resumed);
}

/**
 * Compares a digest with the expected one; on a mismatch the file and its
 * sidecar are deleted. The mismatch is permanent unless part of the content
 * came from an earlier attempt (a fresh download may then succeed).
 *
 * @param target The file and its digest.
 * @param actual The digest of the file.
 * @param resumed Whether part of the content came from before this attempt.
 */
export async function checkDigest(
  target: DigestTarget,
  actual: string,
  resumed: boolean,
): Promise<void> {
  if (actual === target.expected!.digest) return;
  await rm(target.file, { force: true });
  await removeSidecar(target.sidecar);
  const err = new AosError(
    "invalidChecksum",
    `Digest mismatch: expected ${target.expected!.digest}, got ${actual}`,
  );
  throw resumed ? err : permanent(err);
}
