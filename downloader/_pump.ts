// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Moves a body into a file with flat memory: each chunk is read into one of
// four 256 KiB buffers and written at once, while the next chunks are read
// into the others (a buffer is reused only when its write has finished).
// Writing each chunk as it arrives, rather than gathering larger blocks, is
// what measured fastest, and leaves nothing unwritten when the body fails.
import { write } from "node:fs";
import type { FileHandle } from "node:fs/promises";
import { AosError } from "../utils/errors.ts";
import type { BodyReader } from "./_transport.ts";

const RING = 4;
const BUFFER_SIZE = 256 << 10;

/** What {@linkcode pump} does. */
export interface PumpOptions {
  /** Where the first byte goes in the file. */
  position: number;
  /** Stops the transfer with its reason. */
  signal: AbortSignal;
  /** Fail when more than this many bytes arrive. */
  limit?: number | undefined;
  /** Stop after this many bytes and drop the rest of the body. */
  length?: number | undefined;
  /** Sees every chunk before it is written (hashing, progress, rate limit). */
  onChunk: (chunk: Uint8Array) => void | Promise<void>;
  /** Told how many bytes each completed write put in the file. */
  onWritten?: (bytes: number) => void;
}

/**
 * Reads `body` to its end and writes it to `file` from `position` on.
 *
 * @param body The source.
 * @param file The destination, open for writing.
 * @param options Position, limit and the chunk callback.
 * @returns The number of bytes written.
 * @throws The body's or the file's error; `failed` when the body exceeds `limit`.
 */
export async function pump(
  body: BodyReader,
  file: FileHandle,
  options: PumpOptions,
): Promise<number> {
  const { limit, length = Infinity, onChunk, onWritten, signal } = options;
  // Every read races the signal: a fetch body may go on delivering after an abort.
  let onAbort = () => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
  });
  aborted.catch(() => {});
  signal.addEventListener("abort", onAbort, { once: true });
  if (signal.aborted) onAbort();
  const buffers = Array.from({ length: RING }, () => new ArrayBuffer(BUFFER_SIZE));
  const writes: Promise<void>[] = Array.from({ length: RING }, () => Promise.resolve());
  let total = 0;
  try {
    for (let slot = 0; total < length; slot = (slot + 1) % RING) {
      await writes[slot];
      const room = Math.min(BUFFER_SIZE, length - total);
      const reading = body.readInto(new Uint8Array(buffers[slot]!, 0, room));
      reading.catch(() => {});
      const view = await Promise.race([reading, aborted]);
      buffers[slot] = view.buffer as ArrayBuffer;
      if (view.length === 0) break;
      if (limit !== undefined && total + view.length > limit) {
        throw new AosError("failed", `Server sent more than the announced ${limit} bytes`);
      }
      await onChunk(view);
      const written = writeAll(file, view, options.position + total).then(() => {
        onWritten?.(view.length);
      });
      // Awaited when the slot comes round again; until then it must not count as unhandled.
      written.catch(() => {});
      writes[slot] = written;
      total += view.length;
    }
    await Promise.all(writes);
    if (total === length) await body.cancel();
    return total;
  } catch (err) {
    // What arrived is written before the error is passed on: it is the prefix
    // the next attempt resumes from.
    await Promise.allSettled(writes);
    await body.cancel();
    throw err;
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}

// `fs.write` on the descriptor rather than `FileHandle.write`: with an explicit
// position the latter runs at a fraction of the speed on Deno.
function writeAll(file: FileHandle, data: Uint8Array, position: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const next = (offset: number) => {
      if (offset === data.length) return resolve();
      write(file.fd, data, offset, data.length - offset, position + offset, (err, written) => {
        if (err) reject(err);
        else next(offset + written);
      });
    };
    next(0);
  });
}
