// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Media types, versions and the capacities AosCore gives every list and text
 * of the OCI documents.
 *
 * @module
 */

/** OCI runtime-spec version of {@linkcode createExampleRuntimeConfig}. */
export const OCI_RUNTIME_VERSION = "1.2.0";

/** The `schemaVersion` of image indexes and manifests. */
export const SCHEMA_VERSION = 2;

/** The `imageLayoutVersion` written to an image layout's `oci-layout` file. */
export const IMAGE_LAYOUT_VERSION = "1.0.0";

/** Media types of OCI and Aos image content. */
export const MediaTypes = {
  /** An uncompressed layer tar. */
  layerTar: "application/vnd.oci.image.layer.v1.tar",
  /** A gzip-compressed layer tar. */
  layerTarGzip: "application/vnd.oci.image.layer.v1.tar+gzip",
  /** The empty blob `{}`, used as a placeholder config. */
  emptyBlob: "application/vnd.oci.empty.v1+json",
  /** An Aos component: full image, gzip-compressed. */
  componentFullTarGzip: "application/vnd.aos.image.component.full.v1+gzip",
  /** An Aos component: full image, squashfs. */
  componentFullSquashfs: "application/vnd.aos.image.component.full.v1+squashfs",
  /** An Aos component: incremental image, squashfs. */
  componentIncSquashfs: "application/vnd.aos.image.component.inc.v1+squashfs",
  /** An OCI image index. */
  imageIndex: "application/vnd.oci.image.index.v1+json",
  /** An OCI image manifest. */
  imageManifest: "application/vnd.oci.image.manifest.v1+json",
  /** An OCI image config. */
  imageConfig: "application/vnd.oci.image.config.v1+json",
  /** An Aos item config. */
  itemConfig: "application/vnd.aos.item.config.v1+json",
} as const;

/**
 * Capacities of lists (entries) and texts (UTF-8 bytes). Exceeding one is an
 * `outOfRange` error unless limits are switched off.
 */
export interface OciLimits {
  /**
   * Descriptor and index `mediaType`, `artifactType`.
   *
   * @default {64}
   */
  readonly mediaType: number;
  /**
   * A digest or diff ID.
   *
   * @default {136}
   */
  readonly digest: number;
  /**
   * Manifests of an index.
   *
   * @default {8}
   */
  readonly manifests: number;
  /**
   * Layers of a manifest; diff IDs of an image config.
   *
   * @default {16}
   */
  readonly layers: number;
  /**
   * `rootfs.type`.
   *
   * @default {16}
   */
  readonly rootfsType: number;
  /**
   * `architecture`, `variant`, `os`.
   *
   * @default {16}
   */
  readonly platformField: number;
  /**
   * `os.version` and `ociVersion`.
   *
   * @default {32}
   */
  readonly version: number;
  /**
   * Entries of `os.features`.
   *
   * @default {16}
   */
  readonly osFeatures: number;
  /**
   * One OS feature.
   *
   * @default {64}
   */
  readonly osFeature: number;
  /**
   * `author`.
   *
   * @default {64}
   */
  readonly author: number;
  /**
   * Entries of `exposedPorts`.
   *
   * @default {8}
   */
  readonly exposedPorts: number;
  /**
   * One exposed port.
   *
   * @default {14}
   */
  readonly exposedPort: number;
  /**
   * Entries of `env`.
   *
   * @default {16}
   */
  readonly env: number;
  /**
   * One `NAME=value` (64 + 1 + 256).
   *
   * @default {321}
   */
  readonly envVar: number;
  /**
   * Entries of `entrypoint`, `cmd`, `args`, capability lists, rlimits, VM parameters.
   *
   * @default {16}
   */
  readonly args: number;
  /**
   * One argument, capability, parameter or rlimit type.
   *
   * @default {256}
   */
  readonly arg: number;
  /**
   * Entries of `maskedPaths`, `readonlyPaths`.
   *
   * @default {16}
   */
  readonly paths: number;
  /**
   * A file path.
   *
   * @default {512}
   */
  readonly path: number;
  /**
   * `cwd`, a namespace path, cpu `cpus`/`mems`.
   *
   * @default {256}
   */
  readonly shortPath: number;
  /**
   * `hostname`.
   *
   * @default {128}
   */
  readonly hostname: number;
  /**
   * Runtimes of an item config.
   *
   * @default {4}
   */
  readonly runtimes: number;
  /**
   * One runtime codename.
   *
   * @default {64}
   */
  readonly runtime: number;
  /**
   * Entries of a `sysctl` map.
   *
   * @default {32}
   */
  readonly sysctl: number;
  /**
   * One `sysctl` key or value.
   *
   * @default {32}
   */
  readonly sysctlText: number;
  /**
   * Entries of `allowedConnections`.
   *
   * @default {16}
   */
  readonly allowedConnections: number;
  /**
   * One allowed connection.
   *
   * @default {78}
   */
  readonly allowedConnection: number;
  /**
   * Resources of an item config.
   *
   * @default {4}
   */
  readonly resources: number;
  /**
   * A resource name.
   *
   * @default {64}
   */
  readonly resourceName: number;
  /**
   * A resource mode.
   *
   * @default {32}
   */
  readonly resourceMode: number;
  /**
   * Services of `permissions`.
   *
   * @default {16}
   */
  readonly permissionServices: number;
  /**
   * Functions of one permission service.
   *
   * @default {32}
   */
  readonly permissionFunctions: number;
  /**
   * A permission service or function name, or an access string.
   *
   * @default {32}
   */
  readonly permissionText: number;
  /**
   * Partition alert rules.
   *
   * @default {4}
   */
  readonly partitions: number;
  /**
   * A partition name.
   *
   * @default {64}
   */
  readonly partitionName: number;
  /**
   * Mounts of a runtime config.
   *
   * @default {16}
   */
  readonly mounts: number;
  /**
   * A mount type.
   *
   * @default {16}
   */
  readonly mountType: number;
  /**
   * Options of one mount.
   *
   * @default {8}
   */
  readonly mountOptions: number;
  /**
   * One mount option.
   *
   * @default {64}
   */
  readonly mountOption: number;
  /**
   * `additionalGids`.
   *
   * @default {32}
   */
  readonly additionalGids: number;
  /**
   * `username`.
   *
   * @default {64}
   */
  readonly username: number;
  /**
   * Namespaces.
   *
   * @default {8}
   */
  readonly namespaces: number;
  /**
   * `linux.devices` and `resources.devices` entries.
   *
   * @default {32}
   */
  readonly devices: number;
  /**
   * A device type or access string.
   *
   * @default {32}
   */
  readonly deviceText: number;
  /**
   * `hwConfig.dtDevs` entries.
   *
   * @default {20}
   */
  readonly dtDevs: number;
  /**
   * One `dtDevs` entry.
   *
   * @default {32}
   */
  readonly dtDev: number;
  /**
   * `hwConfig.irqs` entries.
   *
   * @default {20}
   */
  readonly irqs: number;
  /**
   * `hwConfig.iomems` entries.
   *
   * @default {20}
   */
  readonly iomems: number;
}

/** A capacity of {@linkcode OciLimits}. */
export type OciLimitName = keyof OciLimits;

/** AosCore's capacities (those of the aos_core_cpp build, where paths hold 512 bytes). */
export const DEFAULT_OCI_LIMITS: OciLimits = Object.freeze({
  mediaType: 64,
  digest: 136,
  manifests: 8,
  layers: 16,
  rootfsType: 16,
  platformField: 16,
  version: 32,
  osFeatures: 16,
  osFeature: 64,
  author: 64,
  exposedPorts: 8,
  exposedPort: 14,
  env: 16,
  envVar: 321,
  args: 16,
  arg: 256,
  paths: 16,
  path: 512,
  shortPath: 256,
  hostname: 128,
  runtimes: 4,
  runtime: 64,
  sysctl: 32,
  sysctlText: 32,
  allowedConnections: 16,
  allowedConnection: 78,
  resources: 4,
  resourceName: 64,
  resourceMode: 32,
  permissionServices: 16,
  permissionFunctions: 32,
  permissionText: 32,
  partitions: 4,
  partitionName: 64,
  mounts: 16,
  mountType: 16,
  mountOptions: 8,
  mountOption: 64,
  additionalGids: 32,
  username: 64,
  namespaces: 8,
  devices: 32,
  deviceText: 32,
  dtDevs: 20,
  dtDev: 32,
  irqs: 20,
  iomems: 20,
});
