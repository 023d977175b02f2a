// Copyright 2026 the aos-common authors. Apache-2.0 license.
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  imageManifestToJSON,
  loadImageManifest,
  parseImageManifest,
  saveImageManifest,
  stringifyImageManifest,
} from "../../ocispec/image_manifest.ts";
import { MediaTypes } from "../../ocispec/constants.ts";
import { assertOciError, keyOrder, SHA_A, SHA_B, SHA_C, withTempDir } from "./_helpers.ts";

const MANIFEST = {
  schemaVersion: 2,
  mediaType: MediaTypes.imageManifest,
  config: { mediaType: MediaTypes.imageConfig, digest: SHA_A, size: 7023 },
  aosService: { mediaType: "application/vnd.aos.service.config.v1+json", digest: SHA_B, size: 1 },
  aosItemConfig: { mediaType: MediaTypes.itemConfig, digest: SHA_B, size: 512 },
  layers: [
    { mediaType: MediaTypes.layerTarGzip, digest: SHA_C, size: 32654 },
    { mediaType: MediaTypes.layerTar, digest: SHA_A, size: 16724 },
  ],
};

Deno.test("image manifest with item config round-trips and drops mediaType and aosService", () =>
  withTempDir(async (dir) => {
    const path = join(dir, "manifest.json");
    await writeFile(path, JSON.stringify(MANIFEST));
    const manifest = await loadImageManifest(path);
    assert.deepEqual(manifest, {
      schemaVersion: 2,
      config: MANIFEST.config,
      itemConfig: MANIFEST.aosItemConfig,
      layers: MANIFEST.layers,
    });
    await saveImageManifest(path, manifest);
    const text = await readFile(path, "utf8");
    assert.deepEqual(keyOrder(text), ["schemaVersion", "config", "aosItemConfig", "layers"]);
    assert.ok(!text.includes("aosService") && !text.includes(MediaTypes.imageManifest));
    assert.deepEqual(await loadImageManifest(path), manifest);
  }));

Deno.test("image manifest without config loads an empty descriptor and writes it back", () => {
  const manifest = parseImageManifest({ schemaVersion: 2 });
  assert.deepEqual(manifest, {
    schemaVersion: 2,
    config: { mediaType: "", digest: "", size: 0 },
    layers: [],
  });
  assert.equal(
    stringifyImageManifest(manifest),
    '{"schemaVersion":2,"config":{"mediaType":"","digest":"","size":0}}',
  );
  // A manifest without schemaVersion loads with 0: the codec does not check it.
  assert.equal(parseImageManifest({}).schemaVersion, 0);
  assert.deepEqual(
    imageManifestToJSON({ ...manifest, config: { mediaType: "", digest: "", size: 0 } }),
    {
      schemaVersion: 2,
      config: { mediaType: "", digest: "", size: 0 },
    },
  );
});

Deno.test("image manifest rejects a negative size and more than 16 layers", () => {
  assertOciError(() => parseImageManifest('{"config":{"size":-1}}'), {
    kind: "invalidArgument",
    field: "/config/size",
    message: /want an unsigned integer, got -1/,
  });
  const layers = Array.from(
    { length: 17 },
    () => ({ mediaType: MediaTypes.layerTar, digest: SHA_A, size: 1 }),
  );
  assertOciError(() => parseImageManifest({ layers }), {
    kind: "outOfRange",
    field: "/layers",
  });
  assert.equal(parseImageManifest({ layers }, { enforceLimits: false }).layers.length, 17);
  assertOciError(() => parseImageManifest({ aosItemConfig: "x" }), {
    kind: "invalidArgument",
    field: "/aosItemConfig",
    message: /want an object/,
  });
  assertOciError(() => parseImageManifest({ layers: [{ size: 2 ** 53 }] }), {
    kind: "invalidArgument",
    field: "/layers/0/size",
  });
});
