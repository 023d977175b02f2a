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
 * @param value The manifest.
 * @returns A plain object for `JSON.stringify`.
 */
export function imageManifestToJSON(value: ImageManifest): Record<string, unknown> {
  return imageManifestCodec.toJSON(value);
}

/**
 * The compact JSON text of an image manifest.
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
 * @param path The file; its directory must exist.
 * @param value The manifest.
 * @returns A promise that resolves when the file is durable.
 * @throws {OciError} `failed` when the file cannot be written.
 */
export function saveImageManifest(path: string | URL, value: ImageManifest): Promise<void> {
  return saveWith(imageManifestCodec, path, value);
}
