// Copyright 2026 the aos-common authors. Apache-2.0 license.
// deno-lint-ignore-file no-console
/**
 * Demo step: an Aos item packed as a two-platform OCI image layout, written
 * with the ocispec module, resolved for one platform and verified; then a
 * flipped byte in a layer is caught.
 *
 * @module
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import {
  defaultItemConfig,
  type ImageConfig,
  ImageLayout,
  MediaTypes,
  OciError,
  type Platform,
} from "../../ocispec/mod.ts";
import { digestBytes, getUnpackedArchiveSize } from "../../utils/mod.ts";

/** A one-file ustar archive: enough of a real layer for the demo. */
function tarOneFile(name: string, content: string): Uint8Array {
  const data = new TextEncoder().encode(content);
  const header = new Uint8Array(512);
  const put = (at: number, text: string) => header.set(new TextEncoder().encode(text), at);
  put(0, name);
  put(100, "0000644\0");
  put(108, "0000000\0");
  put(116, "0000000\0");
  put(124, `${data.length.toString(8).padStart(11, "0")}\0`);
  put(136, `${Math.floor(Date.now() / 1000).toString(8).padStart(11, "0")}\0`);
  put(148, "        ");
  put(156, "0");
  put(257, "ustar\x0000");
  const sum = header.reduce((a, b) => a + b, 0);
  put(148, `${sum.toString(8).padStart(6, "0")}\0 `);
  const out = new Uint8Array(512 + Math.ceil(data.length / 512) * 512 + 1024);
  out.set(header);
  out.set(data, 512);
  return out;
}

function imageConfig(platform: Platform, diffId: string): ImageConfig {
  return {
    ...platform,
    author: "demo",
    config: {
      exposedPorts: ["8080/tcp"],
      env: [],
      entrypoint: ["/bin/hello"],
      cmd: [],
      workingDir: "/",
    },
    rootfs: { type: "layers", diffIds: [diffId] },
  };
}

/** Builds, writes, resolves and verifies a small image layout. */
export async function ocispecDemo(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "aos-demo-ocispec-"));
  try {
    const layout = await ImageLayout.create(join(dir, "hello-item"));
    const tar = tarOneFile("bin/hello", "#!/bin/sh\necho hello from an Aos item\n");
    const layer = await layout.writeBlob(gzipSync(tar), MediaTypes.layerTarGzip);
    const item = await layout.writeItemConfig({
      ...defaultItemConfig(),
      author: "demo",
      runtimes: ["crun"],
      offlineTTL: 24 * 3_600_000,
    });
    for (
      const platform of [{ architecture: "arm64", os: "linux" }, {
        architecture: "amd64",
        os: "linux",
      }]
    ) {
      const config = await layout.writeImageConfig(imageConfig(platform, digestBytes(tar)));
      await layout.addManifest(
        { schemaVersion: 2, config, itemConfig: item, layers: [layer] },
        platform,
      );
    }
    console.log(
      `wrote an image layout with ${layout.index.manifests.length} platforms to ${layout.dir}`,
    );
    console.log(
      `index.json: ${await readFile(join(layout.dir, "index.json"), "utf8")}`.slice(0, 160) + "...",
    );

    const image = await (await ImageLayout.open(layout.dir)).resolve({ architecture: "arm64" });
    const [first] = image.layers;
    console.log(
      `resolved arm64: entrypoint ${JSON.stringify(image.config?.config.entrypoint)}, ` +
        `runtimes ${
          JSON.stringify(image.itemConfig?.runtimes)
        }, offlineTTL ${image.itemConfig?.offlineTTL} ms`,
    );
    console.log(
      `layer ${first?.descriptor.digest.slice(0, 19)}... unpacks to ` +
        `${await getUnpackedArchiveSize(first!.path)} bytes`,
    );

    const checked = await layout.verify();
    console.log(
      `verified ${checked.blobs} blobs, ${checked.bytes} bytes: every digest and size matches`,
    );

    const bytes = await readFile(first!.path);
    bytes[bytes.length - 5]! ^= 0x01;
    await writeFile(first!.path, bytes);
    try {
      await layout.verify();
    } catch (err) {
      if (!(err instanceof OciError)) throw err;
      console.log(`after flipping one bit of the layer: ${err.kind} at ${err.field}`);
      console.log(`  ${err.message.replaceAll(layout.dir, "<layout>")}`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
