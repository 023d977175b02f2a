// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * {@linkcode createOciSpec}: the file functions of every document behind one
 * object, with the parse options bound, for code written against AosCore's
 * `OCISpecItf`.
 *
 * @module
 */

import { loadImageConfig, saveImageConfig } from "./image_config.ts";
import { loadImageIndex, saveImageIndex } from "./image_index.ts";
import { loadImageManifest, saveImageManifest } from "./image_manifest.ts";
import { loadItemConfig, saveItemConfig } from "./item_config.ts";
import { loadRuntimeConfig, saveRuntimeConfig } from "./runtime_config.ts";
import type { OciSpec, ParseOptions } from "./types.ts";

/**
 * Creates an {@linkcode OciSpec} whose loads use `options`.
 *
 * @example
 * ```ts
 * import { createOciSpec } from "@aoscore/common/ocispec";
 * import { mkdtemp, rm } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import assert from "node:assert/strict";
 *
 * const spec = createOciSpec({ enforceLimits: false });
 * const dir = await mkdtemp(join(tmpdir(), "ocispec-"));
 * const path = join(dir, "index.json");
 * await spec.saveImageIndex(path, { schemaVersion: 2, mediaType: "", manifests: [] });
 * assert.equal((await spec.loadImageIndex(path)).schemaVersion, 2);
 * await rm(dir, { recursive: true });
 * ```
 *
 * @param options Capacities used by every load.
 * @returns The file API.
 */
export function createOciSpec(options: ParseOptions = {}): OciSpec {
  const opts = { ...options };
  return {
    loadImageIndex: (path) => loadImageIndex(path, opts),
    saveImageIndex,
    loadImageManifest: (path) => loadImageManifest(path, opts),
    saveImageManifest,
    loadImageConfig: (path) => loadImageConfig(path, opts),
    saveImageConfig,
    loadItemConfig: (path) => loadItemConfig(path, opts),
    saveItemConfig,
    loadRuntimeConfig: (path) => loadRuntimeConfig(path, opts),
    saveRuntimeConfig,
  };
}
