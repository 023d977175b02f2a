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
 * @example
 * ```ts
 * import { defaultItemConfig, itemConfigToJSON } from "@aoscore/common/ocispec";
 * import assert from "node:assert/strict";
 *
 * const item = defaultItemConfig();
 * assert.equal(item.balancingPolicy, "enabled");
 * assert.deepEqual(item.runtimes, []);
 * assert.deepEqual(itemConfigToJSON(item), {
 *   created: "1970-01-01T00:00:00.000000Z",
 *   author: "",
 *   skipResourceLimits: false,
 *   balancingPolicy: "enabled",
 *   quotas: {},
 * });
 * ```
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
 * @example
 * ```ts
 * import { defaultItemConfig, itemConfigToJSON } from "@aoscore/common/ocispec";
 * import assert from "node:assert/strict";
 *
 * const item = { ...defaultItemConfig(), runtimes: ["crun"], offlineTTL: 3_600_000 };
 * const json = itemConfigToJSON(item);
 * assert.deepEqual(json.runtimes, [{ codename: "crun" }]);
 * assert.equal(json.offlineTTL, "PT1H");
 * ```
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
 * @example
 * ```ts
 * import { defaultItemConfig, stringifyItemConfig } from "@aoscore/common/ocispec";
 * import assert from "node:assert/strict";
 *
 * assert.equal(
 *   stringifyItemConfig({ ...defaultItemConfig(), author: "aos" }),
 *   '{"created":"1970-01-01T00:00:00.000000Z","author":"aos","skipResourceLimits":false,' +
 *     '"balancingPolicy":"enabled","quotas":{}}',
 * );
 * ```
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
 * @example
 * ```ts
 * import { loadItemConfig } from "@aoscore/common/ocispec";
 * import assert from "node:assert/strict";
 * import { mkdtemp, rm, writeFile } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 *
 * const dir = await mkdtemp(join(tmpdir(), "oci-"));
 * try {
 *   const path = join(dir, "item.json");
 *   await writeFile(path, '{"runtimes": [{"codename": "runc"}], "offlineTTL": "1h"}');
 *   const item = await loadItemConfig(path);
 *   assert.deepEqual(item.runtimes, ["runc"]);
 *   assert.equal(item.offlineTTL, 3_600_000);
 * } finally {
 *   await rm(dir, { recursive: true });
 * }
 * ```
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
 * @example
 * ```ts
 * import { defaultItemConfig, loadItemConfig, saveItemConfig } from "@aoscore/common/ocispec";
 * import assert from "node:assert/strict";
 * import { mkdtemp, rm } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 *
 * const dir = await mkdtemp(join(tmpdir(), "oci-"));
 * try {
 *   const path = join(dir, "item.json");
 *   const item = { ...defaultItemConfig(), runtimes: ["crun"] };
 *   await saveItemConfig(path, item);
 *   assert.deepEqual(await loadItemConfig(path), item);
 * } finally {
 *   await rm(dir, { recursive: true });
 * }
 * ```
 *
 * @param path The file; its directory must exist.
 * @param value The item config.
 * @returns A promise that resolves when the file is durable.
 * @throws {OciError} `failed` when the file cannot be written.
 */
export function saveItemConfig(path: string | URL, value: ItemConfig): Promise<void> {
  return saveWith(itemConfigCodec, path, value);
}
