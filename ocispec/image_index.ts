// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * The OCI image index: read, write, load and save.
 *
 * @module
 */

import { loadWith, parseWith, saveWith, stringifyWith } from "./_files.ts";
import { imageIndexCodec } from "./_image_codecs.ts";
import type { ImageIndex, ParseOptions } from "./types.ts";

/**
 * Reads an image index. Member names match in any case; missing members get
 * AosCore's defaults; digests must be valid when present.
 *
 * @example
 * ```ts
 * import { imageIndexToJSON, parseImageIndex } from "@aoscore/common/ocispec";
 * import assert from "node:assert/strict";
 *
 * const index = parseImageIndex('{"SchemaVersion": 2, "mediaType": "x", "artifactType": null}');
 * assert.deepEqual(index, { schemaVersion: 2, mediaType: "x", manifests: [] });
 * assert.deepEqual(imageIndexToJSON(index), { schemaVersion: 2, mediaType: "x" });
 * ```
 *
 * @param input Parsed JSON, JSON text or UTF-8 bytes.
 * @param options Capacities.
 * @returns The index.
 * @throws {OciError} `invalidArgument` for bad JSON or a bad member, `outOfRange` past a capacity.
 */
export function parseImageIndex(input: unknown, options: ParseOptions = {}): ImageIndex {
  return parseWith(imageIndexCodec, input, options);
}

/**
 * The JSON object of an image index, with AosCore's member order and omissions
 * (`mediaType` always; `artifactType` and `manifests` when non-empty).
 *
 * @example
 * ```ts
 * import { imageIndexToJSON, parseImageIndex } from "@aoscore/common/ocispec";
 * import assert from "node:assert/strict";
 *
 * const digest = `sha256:${"a".repeat(64)}`;
 * const manifestType = "application/vnd.oci.image.manifest.v1+json";
 * const index = parseImageIndex({
 *   schemaVersion: 2,
 *   mediaType: "application/vnd.oci.image.index.v1+json",
 *   manifests: [{ MediaType: manifestType, Digest: digest, Size: 7 }],
 * });
 * assert.deepEqual(imageIndexToJSON(index), {
 *   schemaVersion: 2,
 *   mediaType: "application/vnd.oci.image.index.v1+json",
 *   manifests: [{ mediaType: manifestType, digest, size: 7 }],
 * });
 * ```
 *
 * @param value The index.
 * @returns A plain object for `JSON.stringify`.
 */
export function imageIndexToJSON(value: ImageIndex): Record<string, unknown> {
  return imageIndexCodec.toJSON(value);
}

/**
 * The compact JSON text of an image index.
 *
 * @example
 * ```ts
 * import { parseImageIndex, stringifyImageIndex } from "@aoscore/common/ocispec";
 * import assert from "node:assert/strict";
 *
 * const index = parseImageIndex({ schemaVersion: 2, mediaType: "x", manifests: [] });
 * assert.equal(stringifyImageIndex(index), '{"schemaVersion":2,"mediaType":"x"}');
 * ```
 *
 * @param value The index.
 * @returns The text.
 */
export function stringifyImageIndex(value: ImageIndex): string {
  return stringifyWith(imageIndexCodec, value);
}

/**
 * Reads an image index file.
 *
 * @example
 * ```ts
 * import { loadImageIndex } from "@aoscore/common/ocispec";
 * import assert from "node:assert/strict";
 * import { mkdtemp, rm, writeFile } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 *
 * const dir = await mkdtemp(join(tmpdir(), "oci-"));
 * try {
 *   const path = join(dir, "index.json");
 *   await writeFile(path, '{"schemaVersion": 2, "mediaType": "x"}');
 *   const index = await loadImageIndex(path);
 *   assert.equal(index.schemaVersion, 2);
 *   assert.deepEqual(index.manifests, []);
 * } finally {
 *   await rm(dir, { recursive: true });
 * }
 * ```
 *
 * @param path The file.
 * @param options Capacities.
 * @returns The index.
 * @throws {OciError} `notFound` for a missing file, and the errors of {@linkcode parseImageIndex}.
 */
export function loadImageIndex(
  path: string | URL,
  options: ParseOptions = {},
): Promise<ImageIndex> {
  return loadWith(imageIndexCodec, path, options);
}

/**
 * Writes an image index file atomically (temp file, fsync, rename).
 *
 * @example
 * ```ts
 * import { loadImageIndex, parseImageIndex, saveImageIndex } from "@aoscore/common/ocispec";
 * import assert from "node:assert/strict";
 * import { mkdtemp, rm } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 *
 * const dir = await mkdtemp(join(tmpdir(), "oci-"));
 * try {
 *   const path = join(dir, "index.json");
 *   const index = parseImageIndex({ schemaVersion: 2, mediaType: "x" });
 *   await saveImageIndex(path, index);
 *   assert.deepEqual(await loadImageIndex(path), index);
 * } finally {
 *   await rm(dir, { recursive: true });
 * }
 * ```
 *
 * @param path The file; its directory must exist.
 * @param value The index.
 * @returns A promise that resolves when the file is durable.
 * @throws {OciError} `failed` when the file cannot be written.
 */
export function saveImageIndex(path: string | URL, value: ImageIndex): Promise<void> {
  return saveWith(imageIndexCodec, path, value);
}
