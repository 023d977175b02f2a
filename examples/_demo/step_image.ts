// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Step 3: the cloud builds the new version of a service as an OCI image
 * layout (`ocispec`): three gzip layers of generated files, an image config
 * per platform (amd64 and arm64 share the layers) and the Aos item config.
 * It publishes the layout with a `FileServer` behind a relay, answers
 * `requestBlobUrls` with those URLs, arms the relay to cut the connection
 * halfway through the largest layer, and sends the unit a `desiredStatus`
 * naming the image index by digest.
 *
 * @module
 */
import { randomFillSync } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { BlobInfo, DesiredStatus } from "../../cloudprotocol/mod.ts";
import { FileServer } from "../../fileserver/mod.ts";
import {
  type ContentDescriptor,
  defaultItemConfig,
  ImageLayout,
  MediaTypes,
  type Platform,
} from "../../ocispec/mod.ts";
import { digestBytes, fromHex } from "../../utils/mod.ts";
import type { DemoContext } from "./context.ts";
import { Relay } from "./relay.ts";
import type { Step } from "./runner.ts";
import { tar, type TarFile } from "./tar.ts";
import { detail, formatBytes } from "./ui.ts";

const MiB = 1024 * 1024;
const ITEM_ID = "aos-hello";
const VERSION = "2.0.0";
const OWNER_ID = "oem-demo";
const PLATFORMS: Platform[] = [
  { architecture: "amd64", os: "linux" },
  { architecture: "arm64", os: "linux" },
];

/** Generated files: a few text files and `count` random ones of `size` bytes. */
function files(dir: string, count: number, size: number): TarFile[] {
  const text = (name: string, body: string) => ({ name, data: new TextEncoder().encode(body) });
  const out: TarFile[] = [text(`${dir}/README`, `${dir} of ${ITEM_ID} ${VERSION}\n`)];
  for (let i = 0; i < count; i++) {
    out.push({ name: `${dir}/part-${i}.bin`, data: randomFillSync(new Uint8Array(size)) });
  }
  return out;
}

/** Step 3. */
export const imageStep: Step = {
  title: "the cloud publishes a service",
  needs: [1],
  async run(ctx: DemoContext, signal: AbortSignal) {
    const layout = await ImageLayout.create(join(ctx.workDir, "cloud", "layout"));
    const layerFiles = [
      [
        {
          name: "bin/hello",
          data: new TextEncoder().encode("#!/bin/sh\necho hello\n"),
          mode: 0o755,
        },
        ...files("etc", 0, 0),
      ],
      files("data", 6, 2 * MiB),
      files("assets", 3, 2 * MiB),
    ];
    const layers: ContentDescriptor[] = [];
    const diffIds: string[] = [];
    for (const content of layerFiles) {
      const archive = tar(content);
      diffIds.push(digestBytes(archive));
      layers.push(await layout.writeBlob(gzipSync(archive, { level: 1 }), MediaTypes.layerTarGzip));
    }
    const itemConfig = await layout.writeItemConfig({
      ...defaultItemConfig(),
      author: OWNER_ID,
      runtimes: ["crun"],
    });
    for (const platform of PLATFORMS) {
      const config = await layout.writeImageConfig({
        ...platform,
        author: OWNER_ID,
        config: {
          exposedPorts: ["8080/tcp"],
          env: [],
          entrypoint: ["/bin/hello"],
          cmd: [],
          workingDir: "/",
        },
        rootfs: { type: "layers", diffIds },
      });
      await layout.addManifest({ schemaVersion: 2, config, itemConfig, layers }, platform);
    }
    const { blobs, bytes } = await layout.verify({ signal });
    detail(
      `OCI layout: ${PLATFORMS.length} platforms, ${layers.length} layers, ` +
        `${blobs} blobs, ${formatBytes(bytes)}`,
    );

    // Publish: every blob, and index.json itself as the blob the desired status names.
    const server = ctx.use(
      new FileServer({
        serverURL: "http://127.0.0.1:0",
        rootDir: layout.dir,
        listenHostname: "127.0.0.1",
      }),
    );
    await server.start();
    const relay = ctx.use(await Relay.start(Number(server.baseURL.port)));
    ctx.relays.push(relay);
    const published = new Map<string, BlobInfo>();
    const publish = async (digest: string, file: string) => {
      const url = new URL(server.translateFilePathURL(file));
      url.port = String(relay.port);
      published.set(digest, {
        digest,
        urls: [url.href],
        sha256: fromHex(digest.slice("sha256:".length)),
        size: (await stat(file)).size,
      });
    };
    const indexFile = join(layout.dir, "index.json");
    const indexDigest = digestBytes(await readFile(indexFile));
    await publish(indexDigest, indexFile);
    for (const hex of await readdir(join(layout.dir, "blobs", "sha256"))) {
      await publish(`sha256:${hex}`, join(layout.dir, "blobs", "sha256", hex));
    }
    detail(`file server on ${server.baseURL.host}, behind the relay on 127.0.0.1:${relay.port}`);

    ctx.use(ctx.cloud.handle("requestBlobUrls", (request) => ({
      messageType: "blobUrls",
      items: request.digests.flatMap((d) => published.get(d) ?? []),
    })));

    const largest = layers.reduce((a, b) => (b.size > a.size ? b : a));
    relay.cutOnce({
      path: new URL(published.get(largest.digest)!.urls[0]!).pathname,
      afterBytes: Math.floor(largest.size / 2),
    });
    detail(
      `the relay will drop layer ${largest.digest.slice(7, 19)} ` +
        `(${formatBytes(largest.size)}) once, halfway through`,
    );

    const desired: DesiredStatus = {
      messageType: "desiredStatus",
      nodes: [{ nodeId: ctx.nodeId, state: "provisioned" }],
      items: [{
        itemId: ITEM_ID,
        itemType: "service",
        version: VERSION,
        ownerId: OWNER_ID,
        indexDigest,
      }],
      instances: [{
        itemId: ITEM_ID,
        subjectId: "demo-users",
        priority: 0,
        numInstances: 1,
        labels: [],
      }],
      subjects: [{ subjectId: "demo-users", subjectType: "group", isUnitSubject: false }],
      certificates: [],
      certificateChains: [],
    };
    const received = Promise.withResolvers<DesiredStatus>();
    using _desired = ctx.conn.subscribe("desiredStatus", (message) => received.resolve(message));
    await ctx.cloud.push(desired, { timeoutMs: 10_000 });
    const status = await received.promise;
    ctx.desired = status;
    return {
      summary: `desiredStatus for ${ITEM_ID} ${VERSION} sent, acked by the unit`,
    };
  },
};
