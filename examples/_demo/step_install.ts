// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Step 4: the unit installs what the desired status names. It migrates its
 * image-records database to this release's schema (`migration`), asks the
 * cloud for blob URLs (`requestBlobUrls`), reads the image index and its
 * platform's manifest, reserves space for the image (`spaceallocator`,
 * which evicts the outdated older version to make room), downloads every
 * blob with one progress bar through the relay that cuts the largest layer
 * halfway (`downloader` resumes it with a range request), and verifies
 * every digest and size (`ocispec`, `utils/digest`). Download progress
 * alerts go to the cloud as they happen; step 5 waits for their acks.
 *
 * @module
 */
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import process from "node:process";
import type { BlobInfo } from "../../cloudprotocol/mod.ts";
import { type DownloadProgress, HttpDownloader } from "../../downloader/mod.ts";
import {
  ImageLayout,
  parseImageIndex,
  parseImageManifest,
  saveImageIndex,
} from "../../ocispec/mod.ts";
import { digestFile } from "../../utils/mod.ts";
import { CloudMonitoringSender } from "../../utils/monitoring/mod.ts";
import type { DemoContext } from "./context.ts";
import { CURRENT_VERSION, OLD_VERSION, openImageRecords } from "./image_records.ts";
import { imageDir, openImageStore } from "./image_store.ts";
import type { Step } from "./runner.ts";
import { detail, formatBytes, ProgressBar } from "./ui.ts";

const MiB = 1024 * 1024;
const OLD_IMAGE_SIZE = 16 * MiB;
const PARTITION_SIZE = 64 * MiB;
/** Bandwidth of the download, bytes/s: slow enough to watch the bar. */
const RATE_LIMIT = 8 * MiB;

/** Step 4. */
export const installStep: Step = {
  title: "the unit installs it",
  needs: [3],
  async run(ctx: DemoContext, signal: AbortSignal) {
    const [image] = ctx.desired!.items;
    if (image === undefined) throw new Error("the desired status names no item");
    const unitDir = join(ctx.workDir, "unit");
    const storeDir = join(unitDir, "images");

    // What an older release of the unit left behind: schema 2, version 1.0.0 installed.
    {
      using old = await openImageRecords(unitDir, OLD_VERSION);
      old.db.prepare("INSERT INTO images (id, version, size) VALUES (?, ?, ?)")
        .run(image.itemId, "1.0.0", OLD_IMAGE_SIZE);
      const oldDir = imageDir(storeDir, image.itemId, "1.0.0");
      await mkdir(oldDir, { recursive: true });
      await writeFile(join(oldDir, "rootfs.img"), new Uint8Array(OLD_IMAGE_SIZE));
    }
    detail(
      `before: ${image.itemId} 1.0.0 (${formatBytes(OLD_IMAGE_SIZE)}) and schema ` +
        `${OLD_VERSION}, from an older release`,
    );
    const applied: string[] = [];
    using records = await openImageRecords(unitDir, CURRENT_VERSION, (s) => applied.push(s));
    detail(
      `migration: schema ${OLD_VERSION} -> ${await records.migration.getCurrentVersion()} ` +
        `(${applied.join(", ")})`,
    );

    // The index and the manifest first: they say what else to fetch.
    const alerts = new CloudMonitoringSender({ send: (message) => ctx.conn.send(message) });
    await using downloader = new HttpDownloader({
      alertSender: { sendAlert: (alert) => void ctx.pendingAlerts.push(alerts.sendAlert(alert)) },
      progressIntervalMs: 1_000,
      initialRetryDelayMs: 300,
      rateLimit: RATE_LIMIT,
    });
    const staging = join(unitDir, "downloads");
    await mkdir(staging);
    const fetchDoc = async (digest: string) => {
      const [info] = await blobUrls(ctx, [digest], signal);
      const path = join(staging, digest.slice("sha256:".length));
      await downloader.download(digest, info!.urls[0]!, path, { signal });
      return { path, text: await readFile(path, "utf8") };
    };
    const index = await fetchDoc(image.indexDigest);
    if (await digestFile(index.path) !== image.indexDigest) {
      throw new Error("the image index does not match the digest of the desired status");
    }
    const arch = process.arch === "arm64" ? "arm64" : "amd64";
    const indexDoc = parseImageIndex(JSON.parse(index.text));
    const entry = indexDoc.manifests.find((m) => m.platform?.architecture === arch);
    if (entry === undefined) throw new Error(`the image has no ${arch} manifest`);
    const manifestDoc = await fetchDoc(entry.digest);
    const manifest = parseImageManifest(JSON.parse(manifestDoc.text));
    const rest = [
      manifest.config,
      ...(manifest.itemConfig ? [manifest.itemConfig] : []),
      ...manifest.layers,
    ];
    const total = rest.reduce((sum, d) => sum + d.size, 0);
    detail(`index and ${arch} manifest read: ${rest.length} blobs, ${formatBytes(total)} to fetch`);

    // Room for the image: the outdated 1.0.0 goes if the budget is short.
    await using store = await openImageStore(storeDir, PARTITION_SIZE, 50, records.db);
    store.addEventListener(
      "evicted",
      (e) => detail(`evicted ${e.id} ${e.version}: ${formatBytes(e.size)} freed`),
    );
    await store.addOutdatedItem(image.itemId, "1.0.0", new Date(), OLD_IMAGE_SIZE);
    detail(
      `space: ${formatBytes(store.sizeLimit)} budget (50 % of ` +
        `${formatBytes(PARTITION_SIZE)}); ${image.itemId} 1.0.0 is outdated`,
    );
    using space = await store.allocateSpace(total + index.text.length + manifestDoc.text.length);
    detail(`reserved ${formatBytes(space.size)} for ${image.itemId} ${image.version}`);

    // Everything else at once, one bar for all.
    const dir = imageDir(storeDir, image.itemId, image.version);
    const layout = await ImageLayout.create(dir);
    // The unit keeps its own platform only: the layout's index lists just that manifest.
    await saveImageIndex(join(dir, "index.json"), { ...indexDoc, manifests: [entry] });
    await rename(manifestDoc.path, layout.blobPath(entry.digest));
    const infos = await blobUrls(ctx, rest.map((d) => d.digest), signal);
    const done = new Map<string, number>();
    const bar = new ProgressBar(total);
    const onProgress = (p: DownloadProgress) => {
      done.set(p.digest, p.downloadedBytes);
      const sum = [...done.values()].reduce((a, b) => a + b, 0);
      const short = p.digest.slice(7, 19);
      if (p.state === "interrupted") {
        detail(
          `blob ${short} interrupted at ${formatBytes(p.downloadedBytes)} of ` +
            `${formatBytes(p.totalBytes)}, resuming in ${p.retryInMs} ms`,
        );
        detail(`(${p.error?.message})`);
      } else if (p.state === "finished" && p.attempt > 1) {
        detail(
          `blob ${short} complete after ${p.attempt} attempts (resumed with a Range request)`,
        );
      }
      bar.update(sum, p.state !== "started");
    };
    await Promise.all(
      infos.map((info) =>
        downloader.download(info.digest, info.urls[0]!, layout.blobPath(info.digest), {
          signal,
          onProgress,
        })
      ),
    );
    bar.finish(total);

    // Every blob the unit's index reaches, by digest and size.
    const installed = await ImageLayout.open(dir);
    const checked = await installed.verify({ signal });
    space.accept();
    records.db.prepare("INSERT INTO images (id, version, size) VALUES (?, ?, ?)")
      .run(image.itemId, image.version, checked.bytes);
    const layerRow = records.db.prepare(
      "INSERT INTO layers (digest, image, version, size) VALUES (?, ?, ?, ?)",
    );
    for (const layer of manifest.layers) {
      layerRow.run(layer.digest, image.itemId, image.version, layer.size);
    }
    const rows = records.db.prepare("SELECT id, version FROM images").all();
    detail(`image-records.db: ${rows.map((r) => `${r.id} ${r.version}`).join(", ")}`);
    return {
      summary: `${checked.blobs} blobs verified (${formatBytes(checked.bytes)}), ` +
        `every digest and size matches`,
    };
  },
};

/** Asks the cloud for the URLs of `digests`. */
async function blobUrls(
  ctx: DemoContext,
  digests: string[],
  signal: AbortSignal,
): Promise<BlobInfo[]> {
  const reply = await ctx.conn.request({ messageType: "requestBlobUrls", digests }, { signal });
  if (reply.messageType !== "blobUrls") throw new Error(`unexpected ${reply.messageType}`);
  const missing = digests.filter((d) => !reply.items.some((i) => i.digest === d && i.urls[0]));
  if (missing.length > 0) throw new Error(`the cloud has no URL for ${missing.join(", ")}`);
  return digests.map((d) => reply.items.find((i) => i.digest === d)!);
}
