// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The `<path>.meta.json` sidecar: what a partial file was downloaded from, so
// a later attempt (or a later process) can resume it with `If-Range` and get
// the whole resource again if it changed, instead of appending other bytes.
import { readFile, rm } from "node:fs/promises";
import { parseJson, writeJsonToFile } from "../utils/json.ts";

/** One range of a segmented download: `[start, end)` with `done` bytes written from `start`. */
export interface SegmentState {
  /** First byte. */
  start: number;
  /** One past the last byte. */
  end: number;
  /** Bytes written from `start` on. */
  done: number;
}

/** What the sidecar records. */
export interface Sidecar {
  /** The URL the partial content came from. */
  url: string;
  /** A strong ETag or a `Last-Modified` date, sent as `If-Range`. */
  validator?: string;
  /** Size of the whole resource when it was known. */
  totalBytes?: number;
  /** Progress of each range, for a segmented download. */
  segments?: SegmentState[];
}

/**
 * The sidecar path of a destination.
 *
 * @param path The destination file.
 * @returns `<path>.meta.json`.
 */
export function sidecarPath(path: string): string {
  return `${path}.meta.json`;
}

/**
 * Reads a sidecar. A missing or unreadable one reads as none: the partial
 * file is then resumed without a validator, as AosCore does.
 *
 * @param path The sidecar file.
 * @returns Its content, or `undefined`.
 */
export async function readSidecar(path: string): Promise<Sidecar | undefined> {
  let value: unknown;
  try {
    value = parseJson(await readFile(path));
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const { url, validator, totalBytes, segments } = value as Record<string, unknown>;
  if (typeof url !== "string") return undefined;
  const out: Sidecar = { url };
  if (typeof validator === "string" && validator !== "") out.validator = validator;
  if (isSize(totalBytes)) out.totalBytes = totalBytes;
  if (Array.isArray(segments) && segments.every(isSegment)) out.segments = segments;
  return out;
}

/**
 * Writes a sidecar atomically.
 *
 * @param path The sidecar file.
 * @param sidecar The content.
 */
export async function writeSidecar(path: string, sidecar: Sidecar): Promise<void> {
  await writeJsonToFile(path, sidecar);
}

/**
 * Deletes a sidecar if it exists.
 *
 * @param path The sidecar file.
 */
export async function removeSidecar(path: string): Promise<void> {
  await rm(path, { force: true });
}

/**
 * The validator of a response for `If-Range`: its ETag when strong (weak
 * ones may not be used), else its `Last-Modified`.
 *
 * @param headers Response headers.
 * @returns The validator, or `undefined`.
 */
export function validatorOf(headers: Headers): string | undefined {
  const etag = headers.get("etag");
  if (etag !== null && etag !== "" && !etag.startsWith("W/")) return etag;
  return headers.get("last-modified") ?? undefined;
}

function isSize(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

function isSegment(value: unknown): value is SegmentState {
  if (typeof value !== "object" || value === null) return false;
  const { start, end, done } = value as Record<string, unknown>;
  return isSize(start) && isSize(end) && isSize(done) && start < end && done <= end - start;
}
