// Copyright 2026 the aos-common authors. Apache-2.0 license.
// One HTTP(S) attempt: resume what the destination already holds with a
// ranged GET (validated by `If-Range`, no HEAD probe), restart from zero when
// the server sends the whole resource or the wrong range, stream the body to
// the file while hashing it, and check length and digest at the end.
import { type FileHandle, stat } from "node:fs/promises";
import { AosError } from "../utils/errors.ts";
import { Digester } from "../utils/digest.ts";
import {
  type AttemptContext,
  attemptError,
  type AttemptState,
  checkDigest,
  get,
  hashPrefix,
  openDestination,
  verifyFile,
} from "./_attempt.ts";
import { contentLength, parseContentRange, parseUnsatisfiedRange, statusError } from "./_http.ts";
import { pump } from "./_pump.ts";
import { readSidecar, removeSidecar, type Sidecar, validatorOf, writeSidecar } from "./_sidecar.ts";
import type { TransportResponse } from "./_transport.ts";
import { Watchdog } from "./_watchdog.ts";
import { segmentedTransfer, shouldSegment } from "./_segmented.ts";

/**
 * Runs one attempt. Resolves when the file holds the whole, verified content.
 *
 * @param ctx The download.
 * @throws {AosError} Why the attempt failed; see `_http.ts` for retry hints.
 */
export async function httpAttempt(ctx: AttemptContext): Promise<void> {
  const controller = new AbortController();
  const forward = () => controller.abort(ctx.signal.reason);
  ctx.signal.addEventListener("abort", forward, { once: true });
  if (ctx.signal.aborted) forward();
  const watchdog = new Watchdog({
    progress: ctx.progress,
    now: () => ctx.clock.now(),
    intervalMs: ctx.progressIntervalMs,
    stallTimeoutMs: ctx.stallTimeoutMs,
    stallMinBytes: ctx.stallMinBytes,
    onStall: (err) => controller.abort(err),
  });
  const state: AttemptState = { controller, watchdog };
  let alert = true;
  try {
    const existing = await fileSize(ctx.file);
    const meta = existing > 0 ? await readSidecar(ctx.sidecar) : undefined;
    ctx.progress.downloaded = existing;
    if (meta?.totalBytes !== undefined) ctx.progress.total = meta.totalBytes;
    if (meta?.segments !== undefined) return await segmentedTransfer(ctx, state, meta);
    const opened = await openResponse(ctx, controller, existing, meta);
    if (opened.response === undefined) {
      ctx.progress.reset(existing, opened.total);
      await verifyFile(ctx, existing > 0);
      return;
    }
    const { response, offset, total } = opened;
    if (
      offset === 0 && ctx.segments !== undefined && shouldSegment(response, total, ctx.segments)
    ) {
      const validator = validatorOf(response.headers)!;
      const plan: Sidecar = { url: ctx.url.href, validator, totalBytes: total! };
      return await segmentedTransfer(ctx, state, plan, response);
    }
    alert = false;
    const file = await openDestination(ctx.file, offset).catch(async (err) => {
      await response.body.cancel();
      throw err;
    });
    alert = true;
    try {
      await transfer(ctx, state, file, response, offset, total, meta);
    } catch (err) {
      await response.body.cancel();
      throw err;
    } finally {
      await file.close();
    }
  } catch (err) {
    const error = attemptError(err, controller.signal, ctx.url);
    if (alert) ctx.progress.interruptedAlert(error);
    throw error;
  } finally {
    watchdog.stop();
    ctx.signal.removeEventListener("abort", forward);
  }
}

async function transfer(
  ctx: AttemptContext,
  state: AttemptState,
  file: FileHandle,
  response: TransportResponse,
  offset: number,
  total: number | undefined,
  meta: Sidecar | undefined,
): Promise<void> {
  const validator = validatorOf(response.headers);
  if (offset === 0 || meta === undefined) {
    const fresh: Sidecar = { url: ctx.url.href };
    if (validator !== undefined) fresh.validator = validator;
    if (total !== undefined) fresh.totalBytes = total;
    if (fresh.validator !== undefined || fresh.totalBytes !== undefined) {
      await writeSidecar(ctx.sidecar, fresh);
    } else {
      await removeSidecar(ctx.sidecar);
    }
  }
  const hasher = ctx.expected === undefined ? undefined : new Digester(ctx.expected.algorithm);
  if (hasher !== undefined && offset > 0) await hashPrefix(ctx.file, offset, hasher);
  ctx.progress.reset(offset, total ?? 0);
  state.watchdog.armStall();
  const signal = state.controller.signal;
  let received = 0;
  const where = () => `Transfer interrupted at byte ${offset + received} of ${total ?? "unknown"}`;
  try {
    await pump(response.body, file, {
      position: offset,
      signal,
      limit: total === undefined ? undefined : total - offset,
      onChunk: async (chunk) => {
        received += chunk.length;
        hasher?.update(chunk);
        ctx.progress.add(chunk.length);
        for (const limiter of ctx.limiters) await limiter.take(chunk.length, signal);
      },
    });
  } catch (err) {
    if (signal.aborted || err instanceof AosError) throw err;
    throw new AosError("failed", where(), { cause: err });
  }
  if (total !== undefined && offset + received < total) {
    throw new AosError("failed", `${where()}: the connection closed early`);
  }
  if (ctx.durable) await file.sync();
  if (hasher !== undefined) await checkDigest(ctx, hasher.digest(), offset > 0);
}

/** The response to transfer from, or none when the file is already complete. */
type Opened =
  | { response: TransportResponse; offset: number; total: number | undefined }
  | { response: undefined; offset: number; total: number };

/**
 * Sends the GET (ranged when the file has a prefix) and decides where the
 * body goes. A wrong `206`, a `200` to a range, or a `416` for another size
 * restarts from zero within this attempt.
 */
async function openResponse(
  ctx: AttemptContext,
  controller: AbortController,
  existing: number,
  meta: Sidecar | undefined,
): Promise<Opened> {
  const headers: Record<string, string> = { "accept-encoding": "identity", ...ctx.headers };
  if (existing > 0) {
    const ranged: Record<string, string> = { ...headers, range: `bytes=${existing}-` };
    if (meta?.validator !== undefined) ranged["if-range"] = meta.validator;
    const response = await get(ctx, controller, ranged);
    if (response.status === 206) {
      const range = parseContentRange(response.headers.get("content-range"));
      const sameSize = meta?.totalBytes === undefined || range?.total === meta.totalBytes;
      if (range?.start === existing && sameSize) {
        return { response, offset: existing, total: range.total };
      }
      await response.body.cancel();
    } else if (response.status === 416) {
      await response.body.cancel();
      const size = parseUnsatisfiedRange(response.headers.get("content-range"));
      if (size === existing && (meta?.totalBytes ?? size) === size) {
        return { response: undefined, offset: existing, total: size };
      }
    } else {
      return fromFullResponse(ctx, response);
    }
  } else if (ctx.segments !== undefined) {
    // Ask for a range so the answer tells whether ranges work and the size.
    const response = await get(ctx, controller, { ...headers, range: "bytes=0-" });
    if (response.status === 206) {
      const range = parseContentRange(response.headers.get("content-range"));
      if (range?.start === 0) return { response, offset: 0, total: range.total };
      await response.body.cancel();
    } else {
      return fromFullResponse(ctx, response);
    }
  }
  return fromFullResponse(ctx, await get(ctx, controller, headers));
}

async function fromFullResponse(ctx: AttemptContext, response: TransportResponse): Promise<Opened> {
  if (response.status === 200) {
    return { response, offset: 0, total: contentLength(response.headers) };
  }
  await response.body.cancel();
  throw statusError(response.status, response.statusText, response.headers, ctx.url, Date.now());
}

async function fileSize(path: string): Promise<number> {
  try {
    const info = await stat(path);
    return info.isFile() ? info.size : 0;
  } catch {
    return 0;
  }
}
