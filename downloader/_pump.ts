// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Moves a body into a file with flat memory: bytes are read straight into one
// of two 1 MiB buffers, and a full buffer is written while the next fills, so
// the network and the disk work at the same time.
import type { FileHandle } from "node:fs/promises";
import { AosError } from "../utils/errors.ts";
import type { BodyReader } from "./_transport.ts";

const BUFFER_SIZE = 1 << 20;

/** What {@linkcode pump} does. */
export interface PumpOptions {
  /** Where the first byte goes in the file. */
  position: number;
  /** Fail when more than this many bytes arrive. */
  limit?: number | undefined;
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
  const { limit, onChunk, onWritten } = options;
  let position = options.position;
  let current = new ArrayBuffer(BUFFER_SIZE);
  let spare: ArrayBuffer | undefined = new ArrayBuffer(BUFFER_SIZE);
  let fill = 0;
  let total = 0;
  let writing: Promise<void> = Promise.resolve();
  const flush = async () => {
    await writing;
    const buffer = current;
    const length = fill;
    writing = writeAll(file, new Uint8Array(buffer, 0, length), position).then(() => {
      spare = buffer;
      onWritten?.(length);
    });
    position += length;
    current = spare!;
    spare = undefined;
    fill = 0;
  };
  try {
    for (;;) {
      const view = await body.readInto(new Uint8Array(current, fill, BUFFER_SIZE - fill));
      current = view.buffer as ArrayBuffer;
      if (view.length === 0) break;
      total += view.length;
      if (limit !== undefined && total > limit) {
        throw new AosError("failed", `Server sent more than the announced ${limit} bytes`);
      }
      await onChunk(view);
      fill += view.length;
      if (fill === BUFFER_SIZE) await flush();
    }
    if (fill > 0) await flush();
    await writing;
    return total;
  } catch (err) {
    // Keep what arrived intact: it is the prefix the next attempt resumes from.
    if (fill > 0) await flush().catch(() => {});
    await writing.catch(() => {});
    await body.cancel();
    throw err;
  }
}

async function writeAll(file: FileHandle, data: Uint8Array, position: number): Promise<void> {
  let offset = 0;
  while (offset < data.length) {
    const { bytesWritten } = await file.write(
      data,
      offset,
      data.length - offset,
      position + offset,
    );
    offset += bytesWritten;
  }
}
