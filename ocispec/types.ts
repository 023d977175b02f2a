// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * The documents of an Aos update item: OCI image index, manifest and config,
 * and the Aos item config. Fields the parsers always fill (with a default
 * when the JSON lacks them) are required; optional fields are absent when
 * the JSON lacks them.
 *
 * Durations are milliseconds. Timestamps are `Date`s: parsers return an
 * `AosTime` from `utils`, which keeps microseconds; writers take any `Date`.
 *
 * @module
 */

import type { AlertRules } from "../utils/alert_rules.ts";
import type { OciLimits } from "./constants.ts";
import type { RuntimeConfig } from "./runtime_types.ts";

export type {
  AlertRulePercents,
  AlertRulePoints,
  AlertRules,
  PartitionAlertRule,
} from "../utils/alert_rules.ts";

/** A digest, `"<algorithm>:<lower-case hex>"`. */
export type Digest = string;

/** The platform an image runs on. JSON keys: `os.version`, `os.features`. */
export interface Platform {
  /** CPU architecture (`amd64`, `arm64`). */
  architecture: string;
  /** CPU variant (`v8`). */
  variant?: string;
  /** Operating system (`linux`). */
  os: string;
  /** OS version (JSON `os.version`). */
  osVersion?: string;
  /** Required OS features (JSON `os.features`). */
  osFeatures?: string[];
}

/** A reference to a blob: its media type, digest and size. */
export interface ContentDescriptor {
  /** What the blob is. */
  mediaType: string;
  /** The blob's digest. */
  digest: Digest;
  /** The blob's size in bytes. */
  size: number;
}

/** A manifest entry of an image index. */
export interface IndexContentDescriptor extends ContentDescriptor {
  /** The platform the manifest is for. */
  platform?: Platform;
}

/** The entry point of an image: a list of manifests, optionally per platform. */
export interface ImageIndex {
  /** Always 2 for OCI; not checked. */
  schemaVersion: number;
  /** `application/vnd.oci.image.index.v1+json`; written even when empty. */
  mediaType: string;
  /** The artifact type, for artifacts. */
  artifactType?: string;
  /** The manifests (at most 8). */
  manifests: IndexContentDescriptor[];
}

/** An image manifest: config, Aos item config and layers. */
export interface ImageManifest {
  /** Always 2 for OCI; not checked. */
  schemaVersion: number;
  /** The image config blob (written even when empty). */
  config: ContentDescriptor;
  /** The Aos item config blob (JSON `aosItemConfig`). */
  itemConfig?: ContentDescriptor;
  /** The layers, base first (at most 16). */
  layers: ContentDescriptor[];
}

/** Process defaults of an image config (JSON `config`). */
export interface ImageProcessConfig {
  /** Exposed ports, `"8080/tcp"` (JSON: object keys). */
  exposedPorts: string[];
  /** Environment, `NAME=value`. */
  env: string[];
  /** The entrypoint. */
  entrypoint: string[];
  /** Default arguments. */
  cmd: string[];
  /** Working directory; `""` when unset. */
  workingDir: string;
}

/** Layer list of an image config (JSON `rootfs`). */
export interface ImageRootfs {
  /** `"layers"` upstream; `""` when unset. */
  type: string;
  /** Digests of the uncompressed layers (JSON `diff_ids`). */
  diffIds: Digest[];
}

/** An OCI image config: platform, process defaults and layer diff IDs. */
export interface ImageConfig extends Platform {
  /** Creation time (an `AosTime` when parsed). */
  created?: Date;
  /** Author; `""` when unset. */
  author: string;
  /** Process defaults. */
  config: ImageProcessConfig;
  /** Layer diff IDs. */
  rootfs: ImageRootfs;
}

/** Whether an item's instances may be moved between nodes. */
export type BalancingPolicy = "enabled" | "disabled";

/** Start and restart pacing of an item's instances. */
export interface RunParameters {
  /** Time an instance must run to count as started, in ms. */
  startInterval?: number;
  /** Starts allowed within `startInterval`. */
  startBurst?: number;
  /** Delay between restarts, in ms. */
  restartInterval?: number;
}

/** Resource quotas of an item; each is optional. */
export interface ServiceQuotas {
  /** CPU limit in DMIPS. */
  cpuDMIPSLimit?: number;
  /** RAM limit in bytes. */
  ramLimit?: number;
  /** Process count limit. */
  pidsLimit?: number;
  /** Open file limit. */
  noFileLimit?: number;
  /** Tmp size limit in bytes. */
  tmpLimit?: number;
  /** State size limit in bytes. */
  stateLimit?: number;
  /** Storage size limit in bytes. */
  storageLimit?: number;
  /** Upload speed in bytes per second. */
  uploadSpeed?: number;
  /** Download speed in bytes per second. */
  downloadSpeed?: number;
  /** Upload volume limit in bytes. */
  uploadLimit?: number;
  /** Download volume limit in bytes. */
  downloadLimit?: number;
}

/** Resources an item asks the node to reserve; each is optional. */
export interface RequestedResources {
  /** CPU in DMIPS. */
  cpu?: number;
  /** RAM in bytes. */
  ram?: number;
  /** Storage in bytes. */
  storage?: number;
  /** State in bytes. */
  state?: number;
}

/** A host resource an item uses. */
export interface ItemResource {
  /** Resource name. */
  name: string;
  /** Access mode; `""` when unset. */
  mode: string;
}

/** Access to one function of a service. */
export interface FunctionPermission {
  /** Function name. */
  function: string;
  /** Access, `"r"`, `"w"`, `"rw"`. */
  permissions: string;
}

/** The functions of one service an item may call. */
export interface FunctionServicePermissions {
  /** Service name (`vis`). */
  name: string;
  /** Function permissions. */
  permissions: FunctionPermission[];
}

/** The Aos item config: how an item's instances run. */
export interface ItemConfig {
  /** Creation time (an `AosTime` when parsed); the epoch when unset. */
  created: Date;
  /** Author. */
  author: string;
  /** Run without resource limits. */
  skipResourceLimits: boolean;
  /** Instance hostname. */
  hostname?: string;
  /**
   * Balancing policy.
   *
   * @default {"enabled"}
   */
  balancingPolicy: BalancingPolicy;
  /** Runtime codenames (`crun`, `runc`, `xrun`). JSON: `[{"codename": ...}]`. */
  runtimes: string[];
  /** Start and restart pacing. */
  runParameters: RunParameters;
  /** Kernel parameters. */
  sysctl: Record<string, string>;
  /** How long the item may run offline, in ms; 0 when unset. */
  offlineTTL: number;
  /** Resource quotas. */
  quotas: ServiceQuotas;
  /** Resources to reserve. */
  requestedResources?: RequestedResources;
  /** Connections allowed, `"<itemID>/<port(s)>/<proto>"` (JSON: object keys). */
  allowedConnections: string[];
  /** Host resources used. */
  resources: ItemResource[];
  /** Service functions the item may call. */
  permissions: FunctionServicePermissions[];
  /** Alert rules. */
  alertRules?: AlertRules;
}

/** Options of the parsers. */
export interface ParseOptions {
  /**
   * Enforce AosCore's capacities ({@linkcode DEFAULT_OCI_LIMITS}).
   * @default {true}
   */
  enforceLimits?: boolean;
  /** Capacities to change; the rest keep their defaults. */
  limits?: Partial<OciLimits>;
}

/**
 * File access to every document, with the parse options bound. AosCore's
 * `OCISpecItf`; {@linkcode createOciSpec} makes one.
 */
export interface OciSpec {
  /**
   * Reads an image index.
   * @param path The file.
   * @returns The index.
   */
  loadImageIndex(path: string | URL): Promise<ImageIndex>;
  /**
   * Writes an image index atomically.
   * @param path The file.
   * @param value The index.
   * @returns A promise that resolves when the file is durable.
   */
  saveImageIndex(path: string | URL, value: ImageIndex): Promise<void>;
  /**
   * Reads an image manifest.
   * @param path The file.
   * @returns The manifest.
   */
  loadImageManifest(path: string | URL): Promise<ImageManifest>;
  /**
   * Writes an image manifest atomically.
   * @param path The file.
   * @param value The manifest.
   * @returns A promise that resolves when the file is durable.
   */
  saveImageManifest(path: string | URL, value: ImageManifest): Promise<void>;
  /**
   * Reads an image config.
   * @param path The file.
   * @returns The config.
   */
  loadImageConfig(path: string | URL): Promise<ImageConfig>;
  /**
   * Writes an image config atomically.
   * @param path The file.
   * @param value The config.
   * @returns A promise that resolves when the file is durable.
   */
  saveImageConfig(path: string | URL, value: ImageConfig): Promise<void>;
  /**
   * Reads an Aos item config.
   * @param path The file.
   * @returns The item config.
   */
  loadItemConfig(path: string | URL): Promise<ItemConfig>;
  /**
   * Writes an Aos item config atomically.
   * @param path The file.
   * @param value The item config.
   * @returns A promise that resolves when the file is durable.
   */
  saveItemConfig(path: string | URL, value: ItemConfig): Promise<void>;
  /**
   * Reads a runtime config.
   * @param path The file.
   * @returns The runtime config.
   */
  loadRuntimeConfig(path: string | URL): Promise<RuntimeConfig>;
  /**
   * Writes a runtime config atomically.
   * @param path The file.
   * @param value The runtime config.
   * @returns A promise that resolves when the file is durable.
   */
  saveRuntimeConfig(path: string | URL, value: RuntimeConfig): Promise<void>;
}
