// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * The Aos item config: runtimes, pacing, quotas, permissions and alert rules
 * of an item's instances. Read, write, load and save.
 *
 * @module
 */

import { epoch } from "./_common.ts";
import { loadWith, parseWith, saveWith, stringifyWith } from "./_files.ts";
import { itemConfigCodec } from "./_item_codec.ts";
import type { ItemConfig, ParseOptions } from "./types.ts";

/**
 * A default item config: the epoch as `created`, balancing enabled, nothing
 * else set. It saves as AosCore's default does.
 *
 * @returns A new item config.
 */
export function defaultItemConfig(): ItemConfig {
  return {
    created: epoch(),
    author: "",
    skipResourceLimits: false,
    balancingPolicy: "enabled",
    runtimes: [],
    runParameters: {},
    sysctl: {},
    offlineTTL: 0,
    quotas: {},
    allowedConnections: [],
    resources: [],
    permissions: [],
  };
}

/**
 * Reads an Aos item config. Durations become milliseconds; `created` keeps
 * microseconds; `balancingPolicy` must be `"enabled"` or `"disabled"`.
 *
 * @example
 * ```ts
 * import { parseItemConfig } from "@aoscore/common/ocispec";
 * import assert from "node:assert/strict";
 *
 * const item = parseItemConfig({
 *   runtimes: [{ codename: "crun" }],
 *   offlineTTL: "P1DT3H",
 *   permissions: { vis: { "*": "rw" } },
 * });
 * assert.deepEqual(item.runtimes, ["crun"]);
 * assert.equal(item.offlineTTL, 27 * 3_600_000);
 * assert.deepEqual(item.permissions, [
 *   { name: "vis", permissions: [{ function: "*", permissions: "rw" }] },
 * ]);
 * ```
 *
 * @param input Parsed JSON, JSON text or UTF-8 bytes.
 * @param options Capacities.
 * @returns The item config.
 * @throws {OciError} `invalidArgument` for bad JSON or a bad member, `outOfRange` past a capacity.
 */
export function parseItemConfig(input: unknown, options: ParseOptions = {}): ItemConfig {
  return parseWith(itemConfigCodec, input, options);
}

/**
 * The JSON object of an item config, with AosCore's member order and
 * omissions (`created`, `author`, `skipResourceLimits`, `balancingPolicy`
 * and `quotas` always; the rest when set).
 *
 * @param value The item config.
 * @returns A plain object for `JSON.stringify`.
 */
export function itemConfigToJSON(value: ItemConfig): Record<string, unknown> {
  return itemConfigCodec.toJSON(value);
}

/**
 * The compact JSON text of an item config.
 *
 * @param value The item config.
 * @returns The text.
 */
export function stringifyItemConfig(value: ItemConfig): string {
  return stringifyWith(itemConfigCodec, value);
}

/**
 * Reads an item config file.
 *
 * @param path The file.
 * @param options Capacities.
 * @returns The item config.
 * @throws {OciError} `notFound` for a missing file, and the errors of {@linkcode parseItemConfig}.
 */
export function loadItemConfig(
  path: string | URL,
  options: ParseOptions = {},
): Promise<ItemConfig> {
  return loadWith(itemConfigCodec, path, options);
}

/**
 * Writes an item config file atomically (temp file, fsync, rename).
 *
 * @param path The file; its directory must exist.
 * @param value The item config.
 * @returns A promise that resolves when the file is durable.
 * @throws {OciError} `failed` when the file cannot be written.
 */
export function saveItemConfig(path: string | URL, value: ItemConfig): Promise<void> {
  return saveWith(itemConfigCodec, path, value);
}
