// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * The JSON documents of an Aos update item, byte-compatible with AosCore:
 * OCI image index, image manifest (with `aosItemConfig`), image config, the
 * Aos item config and the OCI runtime config; plus OCI image layout
 * directories with blob verification.
 *
 * Every document has `parse*` (parsed JSON, JSON text or bytes), `*ToJSON`
 * (a plain object in AosCore's member order), `stringify*` (compact text),
 * `load*` and `save*` (files). Readers follow AosCore: member names match in
 * any case, `null` members count as absent, missing scalars get defaults,
 * unknown members are ignored. Writers follow AosCore's omission rules, so
 * files written by either side are interchangeable. Durations are
 * milliseconds; timestamps keep microseconds. Digests live in `utils`.
 *
 * Deviations from AosCore (fixed here):
 * - Saves are atomic: temp file in the same directory, fsync, rename, fsync
 *   of the directory. AosCore truncates and rewrites in place, so a crash
 *   leaves a torn file.
 * - Stricter reading: a fractional number for an integer member, an object or
 *   array for a text member, an invalid non-empty digest, and a namespace type
 *   `"unknown"` are errors (AosCore truncates, stores JSON text, accepts).
 * - Every capacity is enforced as an `outOfRange` error (AosCore reports only
 *   some, as no-memory, and silently drops other over-long texts); pass
 *   `enforceLimits: false` to lift them.
 * - Timestamps with an offset (`+02:00`) are converted to UTC and other
 *   trailing text is rejected; AosCore ignores everything after the fraction.
 * - Durations accept a fraction in ISO seconds (`PT1.5S`), which AosCore's
 *   own writer produces but its reader rejects.
 *
 * @example Parse a manifest written by AosCore and write it back
 * ```ts
 * import { imageManifestToJSON, MediaTypes, parseImageManifest } from "@aoscore/common/ocispec";
 * import assert from "node:assert/strict";
 *
 * const digest = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
 * const manifest = parseImageManifest({
 *   schemaVersion: 2,
 *   mediaType: MediaTypes.imageManifest,
 *   config: { mediaType: MediaTypes.imageConfig, digest, size: 0 },
 *   aosItemConfig: { mediaType: MediaTypes.itemConfig, digest, size: 0 },
 *   layers: [{ mediaType: MediaTypes.layerTarGzip, digest, size: 0 }],
 * });
 * assert.equal(manifest.itemConfig?.mediaType, MediaTypes.itemConfig);
 * // As AosCore does, the manifest's own mediaType is not written back.
 * assert.deepEqual(Object.keys(imageManifestToJSON(manifest)), [
 *   "schemaVersion",
 *   "config",
 *   "aosItemConfig",
 *   "layers",
 * ]);
 * ```
 *
 * @module
 */
export * from "./constants.ts";
export * from "./errors.ts";
export * from "./types.ts";
export * from "./runtime_types.ts";
export * from "./image_index.ts";
export * from "./image_manifest.ts";
export * from "./image_config.ts";
export * from "./item_config.ts";
export * from "./runtime_config.ts";
export * from "./example_runtime_config.ts";
export * from "./oci_spec.ts";
export * from "./image_layout.ts";
export * from "./layout_types.ts";
