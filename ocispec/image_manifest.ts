// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * The OCI image manifest with Aos's `aosItemConfig`: read, write, load and save.
 *
 * @module
 */

import { loadWith, parseWith, saveWith, stringifyWith } from "./_files.ts";
import { imageManifestCodec } from "./_image_codecs.ts";
import type { ImageManifest, ParseOptions } from "./types.ts";

/**
 * Reads an image manifest. As in AosCore, `mediaType`, `artifactType` and the
 * legacy `aosService` are not read; a missing `config` is an empty descriptor.
 *
 * @example
 * ```ts
 * import { parseImageManifest } from "@aoscore/common/ocispec";
 * import assert from "node:assert/strict";
 *
 * const manifest = parseImageManifest({ schemaVersion: 2 });
 * assert.deepEqual(manifest.config, { mediaType: "", digest: "", size: 0 });
 * assert.deepEqual(manifest.layers, []);
 * ```
 *
 * @param input Parsed JSON, JSON text or UTF-8 bytes.
 * @param options Capacities.
 * @returns The manifest.
 * @throws {OciError} `invalidArgument` for bad JSON or a bad member, `outOfRange` past a capacity.
 */
export function parseImageManifest(input: unknown, options: ParseOptions = {}): ImageManifest {
  return parseWith(imageManifestCodec, input, options);
}

/**
 * The JSON object of an image manifest: `schemaVersion`, `config` (always),
 * `aosItemConfig` (when set), `layers` (when non-empty).
 *
 * @example
 * ```ts
 * import { imageManifestToJSON, parseImageManifest } from "@aoscore/common/ocispec";
 * import assert from "node:assert/strict";
 *
 * const manifest = parseImageManifest({ schemaVersion: 2, layers: [] });
 * // `config` is always written, empty `layers` never.
 * assert.deepEqual(imageManifestToJSON(manifest), {
 *   schemaVersion: 2,
 *   config: { mediaType: "", digest: "", size: 0 },
 * });
 * ```
 *
 * @param value The manifest.
 * @returns A plain object for `JSON.stringify`.
 */
export function imageManifestToJSON(value: ImageManifest): Record<string, unknown> {
  return imageManifestCodec.toJSON(value);
}

/**
 * The compact JSON text of an image manifest.
 *
 * @example
 * ```ts
 * import { parseImageManifest, stringifyImageManifest } from "@aoscore/common/ocispec";
 * import assert from "node:assert/strict";
 *
 * const digest = `sha256:${"b".repeat(64)}`;
 * const manifest = parseImageManifest({
 *   schemaVersion: 2,
 *   config: { mediaType: "application/vnd.oci.image.config.v1+json", digest, size: 3 },
 * });
 * assert.equal(
 *   stringifyImageManifest(manifest),
 *   `{"schemaVersion":2,"config":{"mediaType":"application/vnd.oci.image.config.v1+json",` +
 *     `"digest":"${digest}","size":3}}`,
 * );
 * ```
 *
 * @param value The manifest.
 * @returns The text.
 */
export function stringifyImageManifest(value: ImageManifest): string {
  return stringifyWith(imageManifestCodec, value);
}

/**
 * Reads an image manifest file.
 *
 * @example
 * ```ts
 * import { loadImageManifest } from "@aoscore/common/ocispec";
 * import assert from "node:assert/strict";
 * import { mkdtemp, rm, writeFile } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 *
 * const dir = await mkdtemp(join(tmpdir(), "oci-"));
 * try {
 *   const path = join(dir, "manifest.json");
 *   await writeFile(path, '{"schemaVersion": 2}');
 *   const manifest = await loadImageManifest(path);
 *   assert.deepEqual(manifest.config, { mediaType: "", digest: "", size: 0 });
 * } finally {
 *   await rm(dir, { recursive: true });
 * }
 * ```
 *
 * @param path The file.
 * @param options Capacities.
 * @returns The manifest.
 * @throws {OciError} `notFound` for a missing file, and the errors of {@linkcode parseImageManifest}.
 */
export function loadImageManifest(
  path: string | URL,
  options: ParseOptions = {},
): Promise<ImageManifest> {
  return loadWith(imageManifestCodec, path, options);
}

/**
 * Writes an image manifest file atomically (temp file, fsync, rename).
 *
 * @example
 * ```ts
 * import {
 *   loadImageManifest,
 *   parseImageManifest,
 *   saveImageManifest,
 * } from "@aoscore/common/ocispec";
 * import assert from "node:assert/strict";
 * import { mkdtemp, rm } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 *
 * const dir = await mkdtemp(join(tmpdir(), "oci-"));
 * try {
 *   const path = join(dir, "manifest.json");
 *   const manifest = parseImageManifest({ schemaVersion: 2 });
 *   await saveImageManifest(path, manifest);
 *   assert.deepEqual(await loadImageManifest(path), manifest);
 * } finally {
 *   await rm(dir, { recursive: true });
 * }
 * ```
 *
 * @param path The file; its directory must exist.
 * @param value The manifest.
 * @returns A promise that resolves when the file is durable.
 * @throws {OciError} `failed` when the file cannot be written.
 */
export function saveImageManifest(path: string | URL, value: ImageManifest): Promise<void> {
  return saveWith(imageManifestCodec, path, value);
}
