// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Codecs shared by several documents: descriptors, platforms, timestamps and
// the omission helpers of the writers.
import { validateDigest } from "../utils/digest.ts";
import { AosTime } from "../utils/time.ts";
import { type Context, fail, type Obj, toText } from "./_reader.ts";
import type { ContentDescriptor, Platform } from "./types.ts";

export type JsonOut = Record<string, unknown>;

/** A digest member: empty means absent (AosCore's default); anything else must be valid. */
export function toDigest(ctx: Context, value: unknown, pointer: string): string {
  const digest = toText(ctx, value, pointer, "digest");
  if (digest !== "") {
    try {
      validateDigest(digest);
    } catch (err) {
      fail(ctx, "invalidArgument", pointer, (err as Error).message);
    }
  }
  return digest;
}

export function parseDescriptor(obj: Obj): ContentDescriptor {
  const digest = obj.value("digest");
  return {
    mediaType: obj.string("mediaType", "mediaType") ?? "",
    digest: digest === undefined ? "" : toDigest(obj.ctx, digest, obj.at("digest")),
    size: obj.integer("size", "uint64") ?? 0,
  };
}

export function descriptorToJSON(v: ContentDescriptor): JsonOut {
  return { mediaType: v.mediaType, digest: v.digest, size: v.size };
}

/** Reads the platform members of `obj` (an index's `platform`, or an image config's root). */
export function parsePlatform(obj: Obj): Platform {
  const out: Platform = {
    architecture: obj.string("architecture", "platformField") ?? "",
    os: obj.string("os", "platformField") ?? "",
  };
  const variant = obj.string("variant", "platformField");
  if (variant !== undefined) out.variant = variant;
  const osVersion = obj.string("os.version", "version");
  if (osVersion !== undefined) out.osVersion = osVersion;
  const osFeatures = obj.strings("os.features", "osFeatures", "osFeature");
  if (osFeatures !== undefined) out.osFeatures = osFeatures;
  return out;
}

/** Writes the platform members into `out`, in AosCore's order. */
export function putPlatform(out: JsonOut, v: Platform): JsonOut {
  out.architecture = v.architecture;
  if (nonEmpty(v.variant)) out.variant = v.variant;
  out.os = v.os;
  if (nonEmpty(v.osVersion)) out["os.version"] = v.osVersion;
  if (nonEmpty(v.osFeatures)) out["os.features"] = [...v.osFeatures];
  return out;
}

export function nonEmpty<T extends string | readonly unknown[]>(v: T | undefined): v is T {
  return v !== undefined && v.length > 0;
}

/** A list of keys as AosCore writes map-like members: `{"key": {}}`. */
export function keysToJSON(keys: readonly string[]): JsonOut {
  return Object.fromEntries(keys.map((k) => [k, {}]));
}

export function epoch(): AosTime {
  return new AosTime(0);
}

export function isZeroTime(t: Date): boolean {
  return t.getTime() === 0 && (!(t instanceof AosTime) || t.micros === 0);
}
