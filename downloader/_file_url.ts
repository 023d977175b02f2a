// Copyright 2026 the aos-common authors. Apache-2.0 license.
// `file://` downloads: AosCore's path rules (the host of `file://name` is a
// relative path) with the case kept, and a streamed, verified copy.
import { type FileHandle, open } from "node:fs/promises";
import { AosError, hasErrno } from "../utils/errors.ts";
import {
  checkDigest,
  type DigestTarget,
  openDestination,
  type OpenHasher,
} from "./_destination.ts";
import type { ProgressReporter } from "./_progress.ts";
import { pump } from "./_pump.ts";
import type { BodyReader } from "./_transport.ts";

/**
 * The local path of a `file:` URL: `file:///abs/x` and `file://host/abs/x`
 * give `/abs/x`; `file://name.bin` gives the relative `name.bin` (AosCore's
 * rule, but without lower-casing it); percent-escapes are decoded.
 *
 * @param url The URL text, starting with `file:` in any case.
 * @returns The path.
 * @throws {AosError} `invalidArgument` for an empty path or a bad escape.
 */
export function fileUrlPath(url: string): string {
  let rest = url.slice("file:".length);
  if (rest.startsWith("//")) {
    // An authority without a path is the path; with a path, it is ignored.
    const authorityAndPath = rest.slice(2);
    const slash = authorityAndPath.indexOf("/");
    rest = slash < 0 ? authorityAndPath : authorityAndPath.slice(slash);
  }
  if (rest === "") throw new AosError("invalidArgument", `Cannot parse URL "${url}": empty path`);
  try {
    return decodeURIComponent(rest);
  } catch (cause) {
    throw new AosError("invalidArgument", `Cannot parse URL "${url}": bad percent-escape`, {
      cause,
    });
  }
}

/** What a file copy needs. */
export interface FileCopyContext extends DigestTarget {
  /** The source path. */
  source: string;
  /** Cancels the copy. */
  signal: AbortSignal;
  /** Counters (no alerts are sent for local copies). */
  progress: ProgressReporter;
  /** fsync the copy before returning. */
  durable: boolean;
  /** Starts the hash when verifying. */
  openHasher: OpenHasher;
}

/**
 * Copies the source to the destination, hashing it when verifying.
 *
 * @param ctx The copy.
 * @throws {AosError} `failed` "file not found" for a missing source, the
 *   destination's errors, `invalidChecksum`, or the cancel reason.
 */
export async function copyFileUrl(ctx: FileCopyContext): Promise<void> {
  let source: FileHandle;
  try {
    source = await open(ctx.source, "r");
  } catch (cause) {
    const what = hasErrno(cause, "ENOENT") ? "file not found" : "failed to open source file";
    throw AosError.wrap(cause, "failed", `${what}: "${ctx.source}"`);
  }
  try {
    const size = (await source.stat()).size;
    const target = await openDestination(ctx.file, 0);
    try {
      const hasher = ctx.expected === undefined
        ? undefined
        : ctx.openHasher(ctx.expected.algorithm, size, ctx.file);
      ctx.progress.reset(0, size);
      try {
        await pump(fileReader(source), target, {
          position: 0,
          signal: ctx.signal,
          hasher,
          onChunk: (chunk) => ctx.progress.add(chunk.length),
        });
        if (ctx.durable) await target.sync();
        if (hasher !== undefined) await checkDigest(ctx, await hasher.digest(), false);
      } catch (err) {
        hasher?.drop();
        throw err;
      }
    } finally {
      await target.close();
    }
  } finally {
    await source.close();
  }
}

function fileReader(file: FileHandle): BodyReader {
  return {
    async readInto(target) {
      const { bytesRead } = await file.read(target, 0, target.length, null);
      return target.subarray(0, bytesRead);
    },
    cancel: () => Promise.resolve(),
  };
}
