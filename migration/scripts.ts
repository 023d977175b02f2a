// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Names on disk and in the database that AosCore shares with us: script file
 * names and the version table.
 *
 * @module
 */

import { checkString } from "../utils/_argument_type.ts";

/**
 * The table holding the schema version, in AosCore's on-disk contract: one
 * row, one `version INTEGER` column.
 */
export const VERSION_TABLE = "SchemaVersion";

/**
 * The table holding the SHA-256 of every applied up script, one row per
 * version at or below the current one. AosCore does not know it and leaves it
 * alone.
 */
export const CHECKSUM_TABLE = "SchemaMigrations";

/**
 * File name of the script that upgrades to `version`.
 *
 * @example
 * ```ts
 * import { upScriptName } from "@aoscore/common/migration";
 * import assert from "node:assert/strict";
 *
 * assert.equal(upScriptName(12), "12_update.up.sql");
 * ```
 *
 * @param version The version the script leads to.
 * @returns `<version>_update.up.sql`.
 */
export function upScriptName(version: number): string {
  return `${version}_update.up.sql`;
}

/**
 * File name of the script that downgrades from `version` to `version - 1`.
 *
 * @example
 * ```ts
 * import { downScriptName, parseScriptName } from "@aoscore/common/migration";
 * import assert from "node:assert/strict";
 *
 * assert.equal(downScriptName(12), "12_update.down.sql");
 * assert.deepEqual(parseScriptName(downScriptName(12)), { version: 12, direction: "down" });
 * ```
 *
 * @param version The version the script leaves.
 * @returns `<version>_update.down.sql`.
 */
export function downScriptName(version: number): string {
  return `${version}_update.down.sql`;
}

/** A script file name taken apart by {@linkcode parseScriptName}. */
export interface ScriptName {
  /** The number in the name. */
  version: number;
  /** `up` or `down`. */
  direction: "up" | "down";
}

const SCRIPT_NAME = /^(0|[1-9][0-9]*)_update\.(up|down)\.sql$/;

/**
 * Takes a script file name apart.
 *
 * @example
 * ```ts
 * import { parseScriptName } from "@aoscore/common/migration";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(parseScriptName("3_update.down.sql"), { version: 3, direction: "down" });
 * assert.equal(parseScriptName("README"), undefined);
 * ```
 *
 * @param name A file name without directory.
 * @returns The version and direction, or `undefined` when `name` is not a
 * well-formed script name.
 * @throws {AosError} `invalidArgument` when `name` is not a string.
 */
export function parseScriptName(name: string): ScriptName | undefined {
  checkString(name, "name", "Cannot parse script name");
  const match = SCRIPT_NAME.exec(name);
  if (match === null) return undefined;
  const version = Number(match[1]);
  if (!Number.isSafeInteger(version)) return undefined;
  return { version, direction: match[2] as "up" | "down" };
}
