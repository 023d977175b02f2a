// Copyright 2026 the aos-common authors. Apache-2.0 license.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readdir, readFile, rm, truncate, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { ImageLayout } from "../../ocispec/image_layout.ts";
import { MediaTypes } from "../../ocispec/constants.ts";
import { defaultItemConfig } from "../../ocispec/item_config.ts";
import { parseImageIndex } from "../../ocispec/image_index.ts";
import type { ImageConfig, ImageManifest, Platform } from "../../ocispec/types.ts";
import { digestFile } from "../../utils/digest.ts";
import { errorIs } from "../../utils/errors.ts";
import { assertOciRejects, withTempDir } from "./_helpers.ts";

const PLATFORMS: Platform[] = [
  { architecture: "amd64", os: "linux" },
  { architecture: "arm64", variant: "v8", os: "linux" },
  { architecture: "arm", variant: "v7", os: "linux" },
];

function imageConfig(platform: Platform, diffIds: string[]): ImageConfig {
  return {
    ...platform,
    author: "test",
    config: {
      exposedPorts: [],
      env: ["A=1"],
      entrypoint: [],
      cmd: [`/bin/${platform.architecture}`],
      workingDir: "/",
    },
    rootfs: { type: "layers", diffIds },
  };
}

/** Three platforms sharing a base layer, each with its own layer, config and the same item config. */
async function buildLayout(dir: string): Promise<ImageLayout> {
  const layout = await ImageLayout.create(join(dir, "image"));
  const base = await layout.writeBlob(gzipSync(randomBytes(100_000)), MediaTypes.layerTarGzip);
  const item = await layout.writeItemConfig({ ...defaultItemConfig(), runtimes: ["crun"] });
  for (const platform of PLATFORMS) {
    const own = await layout.writeBlob(randomBytes(5000), MediaTypes.layerTar);
    const config = await layout.writeImageConfig(imageConfig(platform, [base.digest, own.digest]));
    const manifest: ImageManifest = {
      schemaVersion: 2,
      config,
      itemConfig: item,
      layers: [base, own],
    };
    await layout.addManifest(manifest, platform);
  }
  return layout;
}

Deno.test("a generated multi-platform layout reopens, resolves each platform and verifies", () =>
  withTempDir(async (dir) => {
    const written = await buildLayout(dir);
    const layout = await ImageLayout.open(written.dir);
    assert.equal(layout.index.manifests.length, 3);
    assert.deepEqual(layout.index.manifests.map((m) => m.platform), PLATFORMS);
    assert.equal(
      await readFile(join(layout.dir, "oci-layout"), "utf8"),
      '{"imageLayoutVersion":"1.0.0"}',
    );
    // index.json is an ordinary document of this module.
    assert.deepEqual(parseImageIndex(await readFile(join(layout.dir, "index.json"))), layout.index);

    for (const platform of PLATFORMS) {
      const image = await layout.resolve(platform);
      assert.deepEqual(image.descriptor.platform, platform);
      assert.equal(image.config?.architecture, platform.architecture);
      assert.deepEqual(image.config?.config.cmd, [`/bin/${platform.architecture}`]);
      assert.deepEqual(image.itemConfig?.runtimes, ["crun"]);
      assert.equal(image.layers.length, 2);
      for (const layer of image.layers) {
        assert.equal(await digestFile(layer.path), layer.descriptor.digest);
      }
    }
    assert.equal((await layout.resolve({ variant: "v7" })).config?.architecture, "arm");
    assert.equal((await layout.resolve()).config?.architecture, "amd64");
    await assertOciRejects(layout.resolve({ architecture: "riscv64" }), {
      kind: "notFound",
      field: "/manifests",
      message: /riscv64/,
    });

    const progress: number[] = [];
    const result = await layout.verify({ onProgress: (bytes) => progress.push(bytes) });
    // 3 manifests + 3 configs + 1 item config + 1 shared base + 3 own layers.
    assert.equal(result.blobs, 11);
    const files = await readdir(join(layout.dir, "blobs", "sha256"));
    assert.equal(files.length, 11);
    assert.equal(progress.at(-1), result.bytes);
    for (const name of files) {
      assert.equal(await digestFile(join(layout.dir, "blobs", "sha256", name)), `sha256:${name}`);
    }
  }));

Deno.test("verify names the manifest and member of a corrupt, short or missing layer", () =>
  withTempDir(async (dir) => {
    const layout = await buildLayout(dir);
    const image = await layout.resolve({ architecture: "arm64" });
    const manifestFile = layout.blobPath(image.descriptor.digest);
    const own = image.layers[1]!;

    const bytes = await readFile(own.path);
    bytes[10] = bytes[10]! ^ 0xff;
    await writeFile(own.path, bytes);
    await assertOciRejects(layout.verify(), {
      kind: "invalidChecksum",
      path: manifestFile,
      field: "/layers/1",
      message: new RegExp(`does not match digest ${own.descriptor.digest}`),
    });

    await truncate(own.path, 100);
    await assertOciRejects(layout.verify(), {
      kind: "invalidChecksum",
      field: "/layers/1",
      message: /is 100 bytes, want 5000/,
    });

    await rm(own.path);
    await assertOciRejects(layout.verify(), {
      kind: "notFound",
      path: manifestFile,
      field: "/layers/1",
      message: /is missing/,
    });
  }));

Deno.test("resolve rejects a corrupt manifest blob naming index.json", () =>
  withTempDir(async (dir) => {
    const layout = await buildLayout(dir);
    const entry = layout.index.manifests[0]!;
    const path = layout.blobPath(entry.digest);
    const text = await readFile(path, "utf8");
    await writeFile(path, text.replace('"schemaVersion":2', '"schemaVersion":3'));
    await assertOciRejects(layout.resolve(), {
      kind: "invalidChecksum",
      path: join(layout.dir, "index.json"),
      field: "/manifests/0",
      message: /has digest sha256:/,
    });
  }));

Deno.test("resolve rejects media types the layout cannot use", () =>
  withTempDir(async (dir) => {
    const layout = await ImageLayout.create(join(dir, "image"));
    const layer = await layout.writeBlob("x", "application/vnd.docker.image.rootfs.diff.tar.gzip");
    const config = await layout.writeBlob("{}", MediaTypes.emptyBlob);
    const manifest = await layout.addManifest({ schemaVersion: 2, config, layers: [layer] });
    await assertOciRejects(layout.resolve(), {
      kind: "notSupported",
      path: layout.blobPath(manifest.digest),
      field: "/layers/0/mediaType",
      message: /unsupported media type "application\/vnd.docker/,
    });

    const other = await ImageLayout.create(join(dir, "other"));
    const bad = await other.writeBlob("{}", "application/json");
    await other.addManifest({ schemaVersion: 2, config: bad, layers: [] });
    await assertOciRejects(other.resolve(), { kind: "notSupported", field: "/config/mediaType" });
    // The empty blob as config resolves to an image without config.
    const empty = await ImageLayout.create(join(dir, "empty"));
    await empty.addManifest({
      schemaVersion: 2,
      config: await empty.writeBlob("{}", MediaTypes.emptyBlob),
      layers: [],
    });
    assert.equal((await empty.resolve()).config, undefined);
  }));

Deno.test("opening checks oci-layout and creating refuses an existing layout", () =>
  withTempDir(async (dir) => {
    await assertOciRejects(ImageLayout.open(dir), { kind: "notFound", message: /no oci-layout/ });
    await writeFile(join(dir, "oci-layout"), '{"imageLayoutVersion":"2.0.0"}');
    await assertOciRejects(ImageLayout.open(dir), {
      kind: "notSupported",
      field: "/imageLayoutVersion",
    });
    await assertOciRejects(ImageLayout.create(dir), { kind: "alreadyExist" });
    await writeFile(join(dir, "oci-layout"), '{"imageLayoutVersion":"1.0.0"}');
    await assertOciRejects(ImageLayout.open(dir), {
      kind: "notFound",
      path: join(dir, "index.json"),
    });
  }));

Deno.test("writeBlobStream hashes while writing and leaves nothing behind on failure", () =>
  withTempDir(async (dir) => {
    const layout = await ImageLayout.create(dir);
    const data = new Uint8Array(randomBytes(3 * 65536 + 7));
    const blob = await layout.writeBlobStream(new Blob([data]).stream(), MediaTypes.layerTar);
    assert.equal(blob.size, data.length);
    assert.deepEqual(new Uint8Array(await readFile(layout.blobPath(blob.digest))), data);
    assert.deepEqual(new Uint8Array(await layout.readBlob(blob)), data);

    const other = await layout.writeBlob("other", MediaTypes.layerTar);
    await assertOciRejects(
      layout.writeBlobStream(new Blob([data]).stream(), MediaTypes.layerTar, {
        expected: { digest: other.digest, size: data.length },
      }),
      { kind: "invalidChecksum", message: /does not match/ },
    );
    await assertOciRejects(
      layout.writeBlobStream(new Blob([data]).stream(), MediaTypes.layerTar, {
        expected: { ...blob, size: 10 },
      }),
      { kind: "invalidChecksum", message: /more than 10/ },
    );
    await assert.rejects(
      layout.writeBlobStream(new Blob([data]).stream(), MediaTypes.layerTar, {
        signal: AbortSignal.abort(),
      }),
      (e) => errorIs(e, "canceled"),
    );
    const names = await readdir(join(dir, "blobs", "sha256"));
    assert.deepEqual(names.sort(), [blob.digest.slice(7), other.digest.slice(7)].sort());
  }));

Deno.test("collectGarbage removes unreferenced blobs and leftovers, and addManifest replaces a platform", () =>
  withTempDir(async (dir) => {
    const layout = await buildLayout(dir);
    const stray = await layout.writeBlob("unreferenced", MediaTypes.layerTar);
    await writeFile(join(layout.dir, "blobs", "sha256", ".incoming.x.tmp"), "partial");
    assert.deepEqual(await layout.collectGarbage(), [stray.digest]);
    assert.equal((await readdir(join(layout.dir, "blobs", "sha256"))).length, 11);

    const old = await layout.resolve({ architecture: "amd64" });
    const config = await layout.writeImageConfig(imageConfig(PLATFORMS[0]!, []));
    await layout.addManifest({ schemaVersion: 2, config, layers: [] }, PLATFORMS[0]);
    assert.equal(layout.index.manifests.length, 3);
    assert.equal((await layout.resolve({ architecture: "amd64" })).layers.length, 0);
    const removed = await layout.collectGarbage();
    assert.ok(
      removed.includes(old.descriptor.digest) && removed.includes(old.manifest.config.digest),
    );
    // Two untouched platforms (3 blobs each), the shared base and item config, the new manifest and config.
    assert.equal((await layout.verify()).blobs, 10);
  }));
