// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * The OCI image config: read, write, load and save. AosCore writes the
 * process members in lower camel case (`env`, `workingDir`) where upstream
 * writes `Env`, `WorkingDir`; reading matches any case, so both load.
 *
 * @module
 */

import { loadWith, parseWith, saveWith, stringifyWith } from "./_files.ts";
import { imageConfigCodec } from "./_image_codecs.ts";
import type { ImageConfig, ParseOptions } from "./types.ts";

/**
 * Reads an image config. Platform members sit at the top level (`os.version`,
 * not `osVersion`); `created` keeps microseconds.
 *
 * @example
 * ```ts
 * import { imageConfigToJSON, parseImageConfig } from "@aoscore/common/ocispec";
 * import assert from "node:assert/strict";
 *
 * const config = parseImageConfig({
 *   architecture: "arm64",
 *   os: "linux",
 *   created: "2024-12-31T23:59:59Z",
 *   config: { Cmd: ["/bin/sh"], WorkingDir: "/" },
 * });
 * assert.deepEqual(config.config.cmd, ["/bin/sh"]);
 * assert.deepEqual(imageConfigToJSON(config), {
 *   created: "2024-12-31T23:59:59.000000Z",
 *   architecture: "arm64",
 *   os: "linux",
 *   config: { cmd: ["/bin/sh"], workingDir: "/" },
 * });
 * ```
 *
 * @param input Parsed JSON, JSON text or UTF-8 bytes.
 * @param options Capacities.
 * @returns The config.
 * @throws {OciError} `invalidArgument` for bad JSON or a bad member, `outOfRange` past a capacity.
 */
export function parseImageConfig(input: unknown, options: ParseOptions = {}): ImageConfig {
  return parseWith(imageConfigCodec, input, options);
}

/**
 * The JSON object of an image config, with AosCore's member order and
 * omissions (empty texts, lists and objects are left out).
 *
 * @example
 * ```ts
 * import { imageConfigToJSON, parseImageConfig } from "@aoscore/common/ocispec";
 * import assert from "node:assert/strict";
 *
 * const config = parseImageConfig({ architecture: "arm64", os: "linux", config: { Env: [] } });
 * // The empty `config` is left out.
 * assert.deepEqual(imageConfigToJSON(config), { architecture: "arm64", os: "linux" });
 * ```
 *
 * @param value The config.
 * @returns A plain object for `JSON.stringify`.
 */
export function imageConfigToJSON(value: ImageConfig): Record<string, unknown> {
  return imageConfigCodec.toJSON(value);
}

/**
 * The compact JSON text of an image config.
 *
 * @example
 * ```ts
 * import { parseImageConfig, stringifyImageConfig } from "@aoscore/common/ocispec";
 * import assert from "node:assert/strict";
 *
 * const config = parseImageConfig({ Architecture: "amd64", OS: "linux" });
 * assert.equal(stringifyImageConfig(config), '{"architecture":"amd64","os":"linux"}');
 * ```
 *
 * @param value The config.
 * @returns The text.
 */
export function stringifyImageConfig(value: ImageConfig): string {
  return stringifyWith(imageConfigCodec, value);
}

/**
 * Reads an image config file.
 *
 * @example
 * ```ts
 * import { loadImageConfig } from "@aoscore/common/ocispec";
 * import assert from "node:assert/strict";
 * import { mkdtemp, rm, writeFile } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 *
 * const dir = await mkdtemp(join(tmpdir(), "oci-"));
 * try {
 *   const path = join(dir, "config.json");
 *   await writeFile(path, '{"os": "linux", "config": {"Cmd": ["/init"]}}');
 *   const config = await loadImageConfig(path);
 *   assert.deepEqual(config.config.cmd, ["/init"]);
 * } finally {
 *   await rm(dir, { recursive: true });
 * }
 * ```
 *
 * @param path The file.
 * @param options Capacities.
 * @returns The config.
 * @throws {OciError} `notFound` for a missing file, and the errors of {@linkcode parseImageConfig}.
 */
export function loadImageConfig(
  path: string | URL,
  options: ParseOptions = {},
): Promise<ImageConfig> {
  return loadWith(imageConfigCodec, path, options);
}

/**
 * Writes an image config file atomically (temp file, fsync, rename).
 *
 * @example
 * ```ts
 * import { loadImageConfig, parseImageConfig, saveImageConfig } from "@aoscore/common/ocispec";
 * import assert from "node:assert/strict";
 * import { mkdtemp, readFile, rm } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 *
 * const dir = await mkdtemp(join(tmpdir(), "oci-"));
 * try {
 *   const path = join(dir, "config.json");
 *   const config = parseImageConfig({ architecture: "arm64", os: "linux" });
 *   await saveImageConfig(path, config);
 *   assert.equal(await readFile(path, "utf8"), '{"architecture":"arm64","os":"linux"}');
 *   assert.deepEqual(await loadImageConfig(path), config);
 * } finally {
 *   await rm(dir, { recursive: true });
 * }
 * ```
 *
 * @param path The file; its directory must exist.
 * @param value The config.
 * @returns A promise that resolves when the file is durable.
 * @throws {OciError} `failed` when the file cannot be written.
 */
export function saveImageConfig(path: string | URL, value: ImageConfig): Promise<void> {
  return saveWith(imageConfigCodec, path, value);
}
