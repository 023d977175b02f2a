// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * The OCI runtime config AosCore hands to crun, runc and Xen: read, write,
 * load and save.
 *
 * @module
 */

import { loadWith, parseWith, saveWith, stringifyWith } from "./_files.ts";
import { runtimeConfigCodec } from "./_runtime_codec.ts";
import type { ParseOptions } from "./types.ts";
import type { RuntimeConfig } from "./runtime_types.ts";

/**
 * Reads a runtime config. Namespace types must be one of the eight Linux
 * kinds (case-sensitive).
 *
 * @example
 * ```ts
 * import { parseRuntimeConfig, runtimeConfigToJSON } from "@aoscore/common/ocispec";
 * import assert from "node:assert/strict";
 *
 * const config = parseRuntimeConfig({
 *   ociVersion: "1.2.0",
 *   process: { args: ["sh"], user: { uid: 1000, gid: 1000, umask: 0 } },
 * });
 * assert.equal(config.process?.user.uid, 1000);
 * assert.deepEqual(runtimeConfigToJSON(config).process, {
 *   terminal: false,
 *   user: { uid: 1000, gid: 1000 },
 *   args: ["sh"],
 *   cwd: "",
 *   noNewPrivileges: false,
 * });
 * ```
 *
 * @param input Parsed JSON, JSON text or UTF-8 bytes.
 * @param options Capacities.
 * @returns The runtime config.
 * @throws {OciError} `invalidArgument` for bad JSON or a bad member, `outOfRange` past a capacity.
 */
export function parseRuntimeConfig(input: unknown, options: ParseOptions = {}): RuntimeConfig {
  return parseWith(runtimeConfigCodec, input, options);
}

/**
 * The JSON object of a runtime config, with AosCore's member order and
 * omissions (a umask of 0 and an empty `hwConfig` are left out).
 *
 * @example
 * ```ts
 * import { parseRuntimeConfig, runtimeConfigToJSON } from "@aoscore/common/ocispec";
 * import assert from "node:assert/strict";
 *
 * const config = parseRuntimeConfig({ ociVersion: "1.2.0", hostname: "", mounts: [] });
 * // An empty hostname and mount list are left out.
 * assert.deepEqual(runtimeConfigToJSON(config), { ociVersion: "1.2.0" });
 * ```
 *
 * @param value The runtime config.
 * @returns A plain object for `JSON.stringify`.
 */
export function runtimeConfigToJSON(value: RuntimeConfig): Record<string, unknown> {
  return runtimeConfigCodec.toJSON(value);
}

/**
 * The compact JSON text of a runtime config.
 *
 * @example
 * ```ts
 * import { parseRuntimeConfig, stringifyRuntimeConfig } from "@aoscore/common/ocispec";
 * import assert from "node:assert/strict";
 *
 * const config = parseRuntimeConfig({ ociVersion: "1.2.0", hostname: "unit" });
 * assert.equal(stringifyRuntimeConfig(config), '{"ociVersion":"1.2.0","hostname":"unit"}');
 * ```
 *
 * @param value The runtime config.
 * @returns The text.
 */
export function stringifyRuntimeConfig(value: RuntimeConfig): string {
  return stringifyWith(runtimeConfigCodec, value);
}

/**
 * Reads a runtime config file.
 *
 * @example
 * ```ts
 * import { loadRuntimeConfig } from "@aoscore/common/ocispec";
 * import assert from "node:assert/strict";
 * import { mkdtemp, rm, writeFile } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 *
 * const dir = await mkdtemp(join(tmpdir(), "oci-"));
 * try {
 *   const path = join(dir, "config.json");
 *   await writeFile(path, '{"ociVersion": "1.2.0", "process": {"args": ["sh"], "user": {}}}');
 *   const config = await loadRuntimeConfig(path);
 *   assert.deepEqual(config.process?.args, ["sh"]);
 * } finally {
 *   await rm(dir, { recursive: true });
 * }
 * ```
 *
 * @param path The file.
 * @param options Capacities.
 * @returns The runtime config.
 * @throws {OciError} `notFound` for a missing file, and the errors of {@linkcode parseRuntimeConfig}.
 */
export function loadRuntimeConfig(
  path: string | URL,
  options: ParseOptions = {},
): Promise<RuntimeConfig> {
  return loadWith(runtimeConfigCodec, path, options);
}

/**
 * Writes a runtime config file atomically (temp file, fsync, rename).
 *
 * @example
 * ```ts
 * import {
 *   loadRuntimeConfig,
 *   parseRuntimeConfig,
 *   saveRuntimeConfig,
 * } from "@aoscore/common/ocispec";
 * import assert from "node:assert/strict";
 * import { mkdtemp, rm } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 *
 * const dir = await mkdtemp(join(tmpdir(), "oci-"));
 * try {
 *   const path = join(dir, "config.json");
 *   const config = parseRuntimeConfig({ ociVersion: "1.2.0", hostname: "unit" });
 *   await saveRuntimeConfig(path, config);
 *   assert.deepEqual(await loadRuntimeConfig(path), config);
 * } finally {
 *   await rm(dir, { recursive: true });
 * }
 * ```
 *
 * @param path The file; its directory must exist.
 * @param value The runtime config.
 * @returns A promise that resolves when the file is durable.
 * @throws {OciError} `failed` when the file cannot be written.
 */
export function saveRuntimeConfig(path: string | URL, value: RuntimeConfig): Promise<void> {
  return saveWith(runtimeConfigCodec, path, value);
}
