// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * OCI image layout directories (`oci-layout`, `index.json`,
 * `blobs/<algorithm>/<hex>`): write blobs and manifests, resolve
 * index → manifest → config, item config and layers, verify every blob's
 * digest and size, and remove unreferenced blobs. Beyond AosCore, which
 * reads the same blob layout but has no layout API.
 *
 * @module
 */

import { mkdir, readdir, readFile, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { throwIfAborted } from "../utils/abort.ts";
import { type BlobRef, BlobStore, io } from "./_blob_store.ts";
import { parseAt, stringifyWith } from "./_files.ts";
import { toFilePath } from "../utils/fs.ts";
import { atomicWriteFile } from "../utils/fs.ts";
import { imageConfigCodec, imageManifestCodec } from "./_image_codecs.ts";
import { itemConfigCodec } from "./_item_codec.ts";
import { IMAGE_LAYOUT_VERSION, MediaTypes, SCHEMA_VERSION } from "./constants.ts";
import { OciError } from "./errors.ts";
import { loadImageIndex, saveImageIndex } from "./image_index.ts";
import type {
  ContentDescriptor,
  ImageConfig,
  ImageIndex,
  ImageManifest,
  IndexContentDescriptor,
  ItemConfig,
  ParseOptions,
  Platform,
} from "./types.ts";
import {
  LAYER_MEDIA_TYPES,
  type PlatformFilter,
  type ResolvedImage,
  type VerifyLayoutOptions,
  type VerifyLayoutResult,
  type WriteBlobStreamOptions,
} from "./layout_types.ts";

/**
 * An OCI image layout directory.
 *
 * @example Build a one-platform image and read it back
 * ```ts
 * import { ImageLayout, MediaTypes } from "@aoscore/common/ocispec";
 * import { mkdtemp, rm } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import assert from "node:assert/strict";
 *
 * const dir = await mkdtemp(join(tmpdir(), "layout-"));
 * const layout = await ImageLayout.create(join(dir, "image"));
 * const layer = await layout.writeBlob("layer bytes", MediaTypes.layerTar);
 * const config = await layout.writeImageConfig({
 *   architecture: "arm64",
 *   os: "linux",
 *   author: "",
 *   config: { exposedPorts: [], env: [], entrypoint: [], cmd: ["/app"], workingDir: "" },
 *   rootfs: { type: "layers", diffIds: [layer.digest] },
 * });
 * await layout.addManifest({ schemaVersion: 2, config, layers: [layer] }, {
 *   architecture: "arm64",
 *   os: "linux",
 * });
 *
 * const image = await (await ImageLayout.open(join(dir, "image"))).resolve({ architecture: "arm64" });
 * assert.deepEqual(image.config?.config.cmd, ["/app"]);
 * assert.equal((await layout.verify()).blobs, 3);
 * await rm(dir, { recursive: true });
 * ```
 */
export class ImageLayout {
  /** The layout directory. */
  readonly dir: string;
  readonly #options: ParseOptions;
  readonly #blobs: BlobStore;
  #index: ImageIndex;

  private constructor(dir: string, index: ImageIndex, options: ParseOptions) {
    this.dir = dir;
    this.#blobs = new BlobStore(dir);
    this.#index = index;
    this.#options = options;
  }

  /**
   * Creates an empty layout: the directory (and parents), `oci-layout`,
   * `blobs/` and an empty `index.json`.
   *
   * @param dir The directory; it may exist but must not hold a layout.
   * @param options Capacities used when reading documents back.
   * @returns The layout.
   * @throws {OciError} `alreadyExist` when `dir` already holds a layout, `failed` on I/O errors.
   */
  static async create(dir: string | URL, options: ParseOptions = {}): Promise<ImageLayout> {
    const root = toFilePath(dir);
    const marker = join(root, "oci-layout");
    if (await exists(marker)) {
      throw new OciError(
        "alreadyExist",
        `Cannot create image layout "${root}": it already exists`,
        {
          path: marker,
        },
      );
    }
    const index: ImageIndex = {
      schemaVersion: SCHEMA_VERSION,
      mediaType: MediaTypes.imageIndex,
      manifests: [],
    };
    await io(`Cannot create image layout "${root}"`, root, async () => {
      await mkdir(join(root, "blobs", "sha256"), { recursive: true });
      await atomicWriteFile(marker, JSON.stringify({ imageLayoutVersion: IMAGE_LAYOUT_VERSION }));
    });
    await saveImageIndex(join(root, "index.json"), index);
    return new ImageLayout(root, index, options);
  }

  /**
   * Opens a layout: checks `oci-layout` and reads `index.json`.
   *
   * @param dir The directory.
   * @param options Capacities used when reading documents.
   * @returns The layout.
   * @throws {OciError} `notFound` when `oci-layout` or `index.json` is missing,
   * `notSupported` for a layout version other than 1.x, `invalidArgument` for malformed files.
   */
  static async open(dir: string | URL, options: ParseOptions = {}): Promise<ImageLayout> {
    const root = toFilePath(dir);
    const marker = join(root, "oci-layout");
    let text: string;
    try {
      text = await readFile(marker, "utf8");
    } catch (err) {
      const missing = (err as { code?: unknown }).code === "ENOENT";
      throw new OciError(
        missing ? "notFound" : "failed",
        `Cannot open image layout "${root}": ${
          missing ? "no oci-layout file" : "cannot read oci-layout"
        }`,
        { cause: err, path: marker },
      );
    }
    let version: unknown;
    try {
      version = (JSON.parse(text) as { imageLayoutVersion?: unknown }).imageLayoutVersion;
    } catch (err) {
      throw new OciError(
        "invalidArgument",
        `Cannot open image layout "${root}": oci-layout is not JSON`,
        {
          cause: err,
          path: marker,
        },
      );
    }
    if (typeof version !== "string" || !/^1\.\d+\.\d+$/.test(version)) {
      throw new OciError(
        "notSupported",
        `Cannot open image layout "${root}": unsupported imageLayoutVersion ${
          JSON.stringify(version)
        }`,
        { path: marker, field: "/imageLayoutVersion" },
      );
    }
    const index = await loadImageIndex(join(root, "index.json"), options);
    return new ImageLayout(root, index, options);
  }

  /**
   * The index as last read or written. Change it with {@linkcode ImageLayout.addManifest}.
   *
   * @returns A copy of the index.
   */
  get index(): ImageIndex {
    return structuredClone(this.#index);
  }

  /**
   * The file of a blob: `blobs/<algorithm>/<hex>`.
   *
   * @param digest The blob's digest.
   * @returns The path.
   * @throws {OciError} `invalidArgument` for a malformed digest.
   */
  blobPath(digest: string): string {
    return this.#blobs.path(digest);
  }

  /**
   * Stores bytes as a blob (sha256). An existing blob with the right content is kept.
   *
   * @param data The bytes, or text stored as UTF-8.
   * @param mediaType The media type of the returned descriptor.
   * @returns The blob's descriptor.
   * @throws {OciError} `failed` on I/O errors.
   */
  writeBlob(data: Uint8Array | string, mediaType: string): Promise<ContentDescriptor> {
    return this.#blobs.write(
      typeof data === "string" ? new TextEncoder().encode(data) : data,
      mediaType,
    );
  }

  /**
   * Stores a stream as a blob, hashing while writing (the bytes are read
   * once), then moving it into place.
   *
   * @param source The bytes: a `ReadableStream` or any async iterable.
   * @param mediaType The media type of the returned descriptor.
   * @param options Expected digest and size, cancellation.
   * @returns The blob's descriptor.
   * @throws {OciError} `invalidChecksum` when `expected` does not match,
   * `canceled` on abort, `failed` on I/O errors.
   */
  writeBlobStream(
    source: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
    mediaType: string,
    options: WriteBlobStreamOptions = {},
  ): Promise<ContentDescriptor> {
    return this.#blobs.writeStream(source, mediaType, options);
  }

  /**
   * Stores an image config as a blob.
   *
   * @param config The config.
   * @returns Its descriptor (`MediaTypes.imageConfig`).
   */
  writeImageConfig(config: ImageConfig): Promise<ContentDescriptor> {
    return this.writeBlob(stringifyWith(imageConfigCodec, config), MediaTypes.imageConfig);
  }

  /**
   * Stores an Aos item config as a blob.
   *
   * @param itemConfig The item config.
   * @returns Its descriptor (`MediaTypes.itemConfig`).
   */
  writeItemConfig(itemConfig: ItemConfig): Promise<ContentDescriptor> {
    return this.writeBlob(stringifyWith(itemConfigCodec, itemConfig), MediaTypes.itemConfig);
  }

  /**
   * Stores a manifest as a blob, adds it to the index (replacing an entry
   * for the same platform) and saves `index.json`.
   *
   * @param manifest The manifest; its blobs should be written first.
   * @param platform The platform it is for.
   * @returns The new index entry.
   */
  async addManifest(manifest: ImageManifest, platform?: Platform): Promise<IndexContentDescriptor> {
    const stored = await this.writeBlob(
      stringifyWith(imageManifestCodec, manifest),
      MediaTypes.imageManifest,
    );
    const entry: IndexContentDescriptor = platform === undefined
      ? stored
      : { ...stored, platform: structuredClone(platform) };
    const index = structuredClone(this.#index);
    const same = (p?: Platform) =>
      p?.architecture === platform?.architecture && p?.os === platform?.os &&
      p?.variant === platform?.variant;
    index.manifests = index.manifests.filter((m) => !same(m.platform));
    index.manifests.push(entry);
    await saveImageIndex(join(this.dir, "index.json"), index);
    this.#index = index;
    return structuredClone(entry);
  }

  /**
   * Reads a blob whole, checking its size and digest.
   *
   * @param descriptor The blob's descriptor.
   * @returns The bytes.
   * @throws {OciError} `notFound` for a missing blob, `invalidChecksum` on a mismatch.
   */
  readBlob(descriptor: ContentDescriptor): Promise<Uint8Array> {
    return this.#blobs.read({ descriptor, file: this.blobPath(descriptor.digest), field: "" });
  }

  /**
   * Picks a manifest from the index and reads it with its config, item config
   * and layer paths, checking each document blob's digest and media type.
   * Layer blobs are located, not read; {@linkcode ImageLayout.verify} reads them.
   *
   * @param platform Members the entry's platform must have; without it, the first entry.
   * @returns The resolved image.
   * @throws {OciError} `notFound` when no entry matches or a blob is missing,
   * `notSupported` for an unexpected media type, `invalidChecksum` for a corrupt blob.
   */
  async resolve(platform: PlatformFilter = {}): Promise<ResolvedImage> {
    const i = this.#index.manifests.findIndex((m) => matches(m.platform, platform));
    if (i < 0) {
      const wanted = JSON.stringify(platform);
      this.#blobs.fail(
        "notFound",
        { file: this.#indexFile, field: "/manifests" },
        `no manifest for platform ${wanted}`,
      );
    }
    return await this.#resolveEntry(i);
  }

  /**
   * Checks every blob the index references, directly or through manifests:
   * it exists, has the descriptor's size and digest, and document blobs parse.
   *
   * @param options Cancellation and progress.
   * @returns How many distinct blobs and bytes were checked.
   * @throws {OciError} naming the referring file and member: `notFound` for a
   * missing blob, `invalidChecksum` for a size or digest mismatch,
   * `notSupported` for an unexpected media type.
   */
  async verify(options: VerifyLayoutOptions = {}): Promise<VerifyLayoutResult> {
    const { signal, onProgress } = options;
    const canceled = `Verification of "${this.dir}" canceled`;
    // Document blobs are checked while resolving; layers are hashed after, once each.
    const verified = new Map<string, number>();
    const layers = new Map<string, BlobRef>();
    for (let i = 0; i < this.#index.manifests.length; i++) {
      throwIfAborted(signal, canceled);
      const image = await this.#resolveEntry(i);
      for (const d of [image.descriptor, image.manifest.config, image.manifest.itemConfig]) {
        if (d !== undefined) verified.set(d.digest, d.size);
      }
      const file = this.blobPath(image.descriptor.digest);
      image.layers.forEach(({ descriptor }, n) => {
        if (!layers.has(descriptor.digest)) {
          layers.set(descriptor.digest, { descriptor, file, field: `/layers/${n}` });
        }
      });
    }
    for (const digest of verified.keys()) layers.delete(digest);
    const sum = (sizes: Iterable<number>) => [...sizes].reduce((a, b) => a + b, 0);
    let bytes = sum(verified.values());
    const total = bytes + sum([...layers.values()].map((ref) => ref.descriptor.size));
    onProgress?.(bytes, total);
    for (const ref of layers.values()) {
      throwIfAborted(signal, canceled);
      await this.#blobs.check(ref, signal);
      verified.set(ref.descriptor.digest, ref.descriptor.size);
      bytes += ref.descriptor.size;
      onProgress?.(bytes, total);
    }
    return { blobs: verified.size, bytes };
  }

  /**
   * Removes blobs that nothing in the index references, and leftovers of
   * interrupted writes.
   *
   * @returns The digests of the removed blobs.
   * @throws {OciError} when the index references a missing or corrupt document blob.
   */
  async collectGarbage(): Promise<string[]> {
    const keep = new Set<string>();
    for (let i = 0; i < this.#index.manifests.length; i++) {
      const image = await this.#resolveEntry(i);
      keep.add(image.descriptor.digest);
      keep.add(image.manifest.config.digest);
      if (image.manifest.itemConfig !== undefined) keep.add(image.manifest.itemConfig.digest);
      for (const layer of image.layers) keep.add(layer.descriptor.digest);
    }
    const removed: string[] = [];
    const blobs = join(this.dir, "blobs");
    for (const algorithm of await readdir(blobs).catch(() => [] as string[])) {
      for (const name of await readdir(join(blobs, algorithm)).catch(() => [] as string[])) {
        const digest = `${algorithm}:${name}`;
        if (name.endsWith(".tmp") || !keep.has(digest)) {
          await rm(join(blobs, algorithm, name), { force: true, recursive: true });
          if (!name.endsWith(".tmp")) removed.push(digest);
        }
      }
    }
    return removed;
  }

  get #indexFile(): string {
    return join(this.dir, "index.json");
  }

  async #resolveEntry(i: number): Promise<ResolvedImage> {
    const descriptor = this.#index.manifests[i]!;
    const field = `/manifests/${i}`;
    const ref = { descriptor, file: this.#indexFile, field };
    this.#blobs.checkMediaType(ref, [MediaTypes.imageManifest]);
    const manifestFile = this.blobPath(descriptor.digest);
    const manifest = parseAt(
      imageManifestCodec,
      await this.#blobs.read(ref),
      manifestFile,
      this.#options,
    );
    const image: ResolvedImage = { descriptor: structuredClone(descriptor), manifest, layers: [] };

    const configRef = { descriptor: manifest.config, file: manifestFile, field: "/config" };
    this.#blobs.checkMediaType(configRef, [MediaTypes.imageConfig, MediaTypes.emptyBlob]);
    const configBytes = await this.#blobs.read(configRef);
    if (manifest.config.mediaType === MediaTypes.imageConfig) {
      image.config = parseAt(
        imageConfigCodec,
        configBytes,
        this.blobPath(manifest.config.digest),
        this.#options,
      );
    }
    if (manifest.itemConfig !== undefined) {
      const itemRef = {
        descriptor: manifest.itemConfig,
        file: manifestFile,
        field: "/aosItemConfig",
      };
      this.#blobs.checkMediaType(itemRef, [MediaTypes.itemConfig]);
      const itemFile = this.blobPath(manifest.itemConfig.digest);
      image.itemConfig = parseAt(
        itemConfigCodec,
        await this.#blobs.read(itemRef),
        itemFile,
        this.#options,
      );
    }
    for (const [n, layer] of manifest.layers.entries()) {
      const layerRef = { descriptor: layer, file: manifestFile, field: `/layers/${n}` };
      this.#blobs.checkMediaType(layerRef, LAYER_MEDIA_TYPES);
      image.layers.push({ descriptor: layer, path: await this.#blobs.locate(layerRef) });
    }
    return image;
  }
}

function matches(platform: Platform | undefined, filter: PlatformFilter): boolean {
  return (filter.architecture === undefined || platform?.architecture === filter.architecture) &&
    (filter.os === undefined || platform?.os === filter.os) &&
    (filter.variant === undefined || platform?.variant === filter.variant);
}

async function exists(path: string): Promise<boolean> {
  return await stat(path).then(() => true, () => false);
}
