// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Types of {@linkcode ImageLayout}.
 *
 * @module
 */

import { MediaTypes } from "./constants.ts";
import type {
  ContentDescriptor,
  ImageConfig,
  ImageManifest,
  IndexContentDescriptor,
  ItemConfig,
} from "./types.ts";

/** Media types accepted for layers: OCI tar layers and Aos components. */
export const LAYER_MEDIA_TYPES: readonly string[] = Object.freeze([
  MediaTypes.layerTar,
  MediaTypes.layerTarGzip,
  MediaTypes.componentFullTarGzip,
  MediaTypes.componentFullSquashfs,
  MediaTypes.componentIncSquashfs,
]);

/** Which manifest of the index {@linkcode ImageLayout.resolve} picks. */
export interface PlatformFilter {
  /** CPU architecture, when it matters. */
  architecture?: string;
  /** Operating system, when it matters. */
  os?: string;
  /** CPU variant, when it matters. */
  variant?: string;
}

/** A layer of a resolved image. */
export interface ResolvedLayer {
  /** The layer's descriptor. */
  descriptor: ContentDescriptor;
  /** The blob file. */
  path: string;
}

/** An image resolved from the index down to its blobs. */
export interface ResolvedImage {
  /** The index entry. */
  descriptor: IndexContentDescriptor;
  /** The manifest. */
  manifest: ImageManifest;
  /** The image config; absent when the manifest's config is the empty blob. */
  config?: ImageConfig;
  /** The Aos item config, when the manifest has one. */
  itemConfig?: ItemConfig;
  /** The layers, base first. */
  layers: ResolvedLayer[];
}

/** Options of {@linkcode ImageLayout.verify}. */
export interface VerifyLayoutOptions {
  /** Aborts the verification with a `canceled` error. */
  signal?: AbortSignal;
  /** Called after each blob with the bytes verified so far and the total. */
  onProgress?: (bytes: number, total: number) => void;
}

/** What {@linkcode ImageLayout.verify} checked. */
export interface VerifyLayoutResult {
  /** Distinct blobs verified. */
  blobs: number;
  /** Their total size in bytes. */
  bytes: number;
}

/** Options of {@linkcode ImageLayout.writeBlobStream}. */
export interface WriteBlobStreamOptions {
  /** Aborts the write with a `canceled` error; nothing is left behind. */
  signal?: AbortSignal;
  /** Fail with `invalidChecksum` unless the bytes have this digest and size. */
  expected?: Pick<ContentDescriptor, "digest" | "size">;
}
