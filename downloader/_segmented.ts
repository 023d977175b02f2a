// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Parallel ranged downloads: a large blob from a server with ranges and a
// strong validator is split into N ranges fetched at once into a pre-sized
// file with positional writes. The plan and each range's progress live in
// the sidecar, written before the file is pre-sized (a pre-sized file without
// its plan would look complete), so any attempt or process resumes each range.
import { type FileHandle, rm, stat } from "node:fs/promises";
import { AosError } from "../utils/errors.ts";
import type { RunningAttempt } from "./_attempt.ts";
import { openDestination, verifyFile } from "./_destination.ts";
import { statusError } from "./_errors.ts";
import { parseContentRange } from "./_headers.ts";
import { pump } from "./_pump.ts";
import { sendGet } from "./_request.ts";
import { removeSidecar, type SegmentState, type Sidecar, writeSidecar } from "./_sidecar.ts";
import type { TransportResponse } from "./_transport.ts";
import type { SegmentOptions } from "./types.ts";

/** How often the progress of the ranges is saved, in milliseconds. */
const SAVE_INTERVAL_MS = 2000;

/** The answer to `Range: bytes=0-` that started a plan. */
export interface FirstRange {
  /** The `206`. */
  response: TransportResponse;
  /** One past the last byte of its `Content-Range`. */
  end: number;
}

/** What a segmented transfer works on. */
export interface SegmentedOptions {
  /** The attempt it runs in. */
  attempt: RunningAttempt;
  /** The sidecar: a fresh one without `segments`, or the saved plan. */
  plan: Sidecar;
  /** The answer that started a fresh plan: it feeds the first range. */
  first?: FirstRange;
}

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
 * Runs (or resumes) a segmented transfer, then verifies the whole file.
 *
 * @param options The attempt, the plan and the first answer.
 */
export async function segmentedTransfer(options: SegmentedOptions): Promise<void> {
  const { attempt: a, plan, first } = options;
  const total = plan.totalBytes!;
  let file: FileHandle;
  try {
    if (plan.segments === undefined || await sizeOf(a.file) !== total) {
      plan.segments = split(total, a.segments?.count ?? 4);
      await writeSidecar(a.sidecar, plan);
      file = await openDestination(a.file, 0);
      await file.truncate(total);
    } else {
      file = await openDestination(a.file, total);
    }
  } catch (err) {
    await first?.response.body.cancel();
    throw err;
  }
  const segments = plan.segments;
  const done = () => segments.reduce((sum, s) => sum + s.done, 0);
  a.progress.reset(done(), total);
  a.watchdog.armStall();
  // Saves run one after another, and all have ended before this returns.
  let saving = Promise.resolve();
  const save = () => {
    saving = saving.then(() => writeSidecar(a.sidecar, plan)).catch(() => {});
  };
  const saver = setInterval(save, SAVE_INTERVAL_MS);
  // Every range settles (the first failure aborts the others) before the file closes.
  const results = await Promise.allSettled(
    segments.filter((s) => s.done < s.end - s.start).map((segment) =>
      fetchSegment({
        attempt: a,
        file,
        plan,
        segment,
        first: segment.start === 0 ? first : undefined,
      })
        .catch((err) => {
          a.controller.abort(err);
          throw err;
        })
    ),
  );
  const failed = results.find((r) => r.status === "rejected");
  if (failed !== undefined) {
    clearInterval(saver);
    await saving;
    await file.close();
    const err: unknown = a.controller.signal.reason ?? failed.reason;
    if (err instanceof ResourceChanged) {
      // The plan no longer describes the resource: start over next attempt.
      await rm(a.file, { force: true });
      await removeSidecar(a.sidecar);
    } else {
      save();
      await saving;
    }
    throw err;
  }
  clearInterval(saver);
  await saving;
  try {
    if (a.durable) await file.sync();
  } finally {
    await file.close();
  }
  await verifyFile(a, true);
}

class ResourceChanged extends AosError {
  constructor(url: URL) {
    super("failed", `The resource at ${url} changed during a segmented download`);
  }
}

/** One range being fetched into the file. */
interface SegmentFetch {
  attempt: RunningAttempt;
  file: FileHandle;
  plan: Sidecar;
  segment: SegmentState;
  first: FirstRange | undefined;
}

/**
 * Fetches what a range lacks. A `206` shorter than asked for is complete
 * when its last byte arrives; the rest of the range comes with a new
 * request, so each request moves the range forward.
 */
async function fetchSegment(options: SegmentFetch): Promise<void> {
  const { attempt: a, file, plan, segment } = options;
  const signal = a.controller.signal;
  let answer = options.first;
  while (segment.done < segment.end - segment.start) {
    const from = segment.start + segment.done;
    const { response, end } = answer ?? await requestRange(a, plan, from, segment.end);
    answer = undefined;
    const length = Math.min(end, segment.end) - from;
    const received = await pump(response.body, file, {
      position: from,
      signal,
      length,
      onChunk: async (chunk) => {
        a.progress.add(chunk.length);
        for (const limiter of a.limiters) await limiter.take(chunk.length, signal);
      },
      onWritten: (bytes) => {
        segment.done += bytes;
      },
    });
    if (received < length) {
      throw new AosError("failed", `Transferred a partial range: ${received} of ${length} bytes`);
    }
  }
}

/** Asks for `[from, end)`; the answer may cover less, from `from` on. */
async function requestRange(
  a: RunningAttempt,
  plan: Sidecar,
  from: number,
  end: number,
): Promise<FirstRange> {
  const headers: Record<string, string> = {
    "accept-encoding": "identity",
    ...a.headers,
    range: `bytes=${from}-${end - 1}`,
  };
  if (plan.validator !== undefined) headers["if-range"] = plan.validator;
  const response = await sendGet(a, headers);
  if (response.status === 200) {
    await response.body.cancel();
    throw new ResourceChanged(a.url);
  }
  if (response.status !== 206) {
    await response.body.cancel();
    throw statusError(response, a.url);
  }
  const range = parseContentRange(response.headers.get("content-range"));
  if (range?.start !== from || range.last >= end || range.total !== plan.totalBytes) {
    await response.body.cancel();
    throw new ResourceChanged(a.url);
  }
  return { response, end: range.last + 1 };
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
