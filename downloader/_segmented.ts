// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Parallel ranged downloads: a large blob from a server with ranges and a
// strong validator is split into N ranges fetched at once into a pre-sized
// file with positional writes. The plan and each range's progress live in
// the sidecar, written before the file is pre-sized (a pre-sized file without
// its plan would look complete), so any attempt or process resumes each range.
import { type FileHandle, rm, stat } from "node:fs/promises";
import { AosError } from "../utils/errors.ts";
import {
  type AttemptContext,
  type AttemptState,
  get,
  openDestination,
  verifyFile,
} from "./_attempt.ts";
import { parseContentRange, statusError } from "./_http.ts";
import { pump } from "./_pump.ts";
import { removeSidecar, type SegmentState, type Sidecar, writeSidecar } from "./_sidecar.ts";
import type { TransportResponse } from "./_transport.ts";
import type { SegmentOptions } from "./types.ts";

/** How often the progress of the ranges is saved, in milliseconds. */
const SAVE_INTERVAL_MS = 2000;

/**
 * Whether a first `206` response allows a segmented download.
 *
 * @param response The answer to `Range: bytes=0-`.
 * @param total The resource size from `Content-Range`.
 * @param options The segment settings.
 * @returns `true` to split the download.
 */
export function shouldSegment(
  response: TransportResponse,
  total: number | undefined,
  options: Required<SegmentOptions>,
): boolean {
  const etag = response.headers.get("etag");
  return response.status === 206 && options.count > 1 && total !== undefined &&
    total >= options.minSize && etag !== null && !etag.startsWith("W/");
}

/**
 * Runs (or resumes) a segmented transfer.
 *
 * @param ctx The download.
 * @param state The attempt's controller and watchdog.
 * @param plan The sidecar: a fresh one without `segments`, or the saved plan.
 * @param first The answer to `Range: bytes=0-` of a fresh plan: it feeds the first range.
 */
export async function segmentedTransfer(
  ctx: AttemptContext,
  state: AttemptState,
  plan: Sidecar,
  first?: TransportResponse,
): Promise<void> {
  const total = plan.totalBytes!;
  let file: FileHandle;
  try {
    if (plan.segments === undefined || await sizeOf(ctx.file) !== total) {
      plan.segments = split(total, ctx.segments?.count ?? 4);
      await writeSidecar(ctx.sidecar, plan);
      file = await openDestination(ctx.file, 0);
      await file.truncate(total);
    } else {
      file = await openDestination(ctx.file, total);
    }
  } catch (err) {
    await first?.body.cancel();
    throw err;
  }
  const segments = plan.segments;
  const done = () => segments.reduce((sum, s) => sum + s.done, 0);
  ctx.progress.reset(done(), total);
  state.watchdog.armStall();
  // Saves run one after another, and all have ended before this returns.
  let saving = Promise.resolve();
  const save = () => {
    saving = saving.then(() => writeSidecar(ctx.sidecar, plan)).catch(() => {});
  };
  const saver = setInterval(save, SAVE_INTERVAL_MS);
  // Every range settles (the first failure aborts the others) before the file closes.
  const results = await Promise.allSettled(
    segments.filter((s) => s.done < s.end - s.start).map((s) =>
      fetchSegment(ctx, state, file, plan, s, s.start === 0 ? first : undefined).catch((err) => {
        state.controller.abort(err);
        throw err;
      })
    ),
  );
  const failed = results.find((r) => r.status === "rejected");
  if (failed !== undefined) {
    clearInterval(saver);
    await saving;
    await file.close();
    const err: unknown = state.controller.signal.reason ?? failed.reason;
    if (err instanceof ResourceChanged) {
      // The plan no longer describes the resource: start over next attempt.
      await rm(ctx.file, { force: true });
      await removeSidecar(ctx.sidecar);
    } else {
      save();
      await saving;
    }
    throw err;
  }
  clearInterval(saver);
  await saving;
  try {
    if (ctx.durable) await file.sync();
  } finally {
    await file.close();
  }
  await verifyFile(ctx, true);
}

class ResourceChanged extends AosError {
  constructor(url: URL) {
    super("failed", `The resource at ${url} changed during a segmented download`);
  }
}

async function fetchSegment(
  ctx: AttemptContext,
  state: AttemptState,
  file: FileHandle,
  plan: Sidecar,
  segment: SegmentState,
  first: TransportResponse | undefined,
): Promise<void> {
  const from = segment.start + segment.done;
  const response = first ?? await requestRange(ctx, state, plan, from, segment.end);
  const signal = state.controller.signal;
  const length = segment.end - from;
  const received = await pump(response.body, file, {
    position: from,
    signal,
    length,
    onChunk: async (chunk) => {
      ctx.progress.add(chunk.length);
      for (const limiter of ctx.limiters) await limiter.take(chunk.length, signal);
    },
    onWritten: (bytes) => {
      segment.done += bytes;
    },
  });
  if (received < length) {
    throw new AosError("failed", `Transferred a partial range: ${received} of ${length} bytes`);
  }
}

async function requestRange(
  ctx: AttemptContext,
  state: AttemptState,
  plan: Sidecar,
  from: number,
  end: number,
): Promise<TransportResponse> {
  const headers: Record<string, string> = {
    "accept-encoding": "identity",
    ...ctx.headers,
    range: `bytes=${from}-${end - 1}`,
  };
  if (plan.validator !== undefined) headers["if-range"] = plan.validator;
  const response = await get(ctx, state.controller, headers);
  if (response.status === 200) {
    await response.body.cancel();
    throw new ResourceChanged(ctx.url);
  }
  if (response.status !== 206) {
    await response.body.cancel();
    throw statusError(response.status, response.statusText, response.headers, ctx.url, Date.now());
  }
  const range = parseContentRange(response.headers.get("content-range"));
  if (range?.start !== from || range.last !== end - 1 || range.total !== plan.totalBytes) {
    await response.body.cancel();
    throw new ResourceChanged(ctx.url);
  }
  return response;
}

function split(total: number, count: number): SegmentState[] {
  const size = Math.ceil(total / count);
  const segments: SegmentState[] = [];
  for (let start = 0; start < total; start += size) {
    segments.push({ start, end: Math.min(start + size, total), done: 0 });
  }
  return segments;
}

async function sizeOf(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).size;
  } catch {
    return undefined;
  }
}
