// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * The structures that several cloud messages share, and the enumerations of
 * the protocol.
 *
 * Model conventions: identities are flattened (`{"node": {"codename": id}}`
 * becomes `nodeId`), `errorInfo` becomes `error`, hex and base64 members are
 * `Uint8Array`, timestamps are `Date` (decoders return `AosTime`, a `Date`
 * that keeps microseconds), durations are milliseconds.
 *
 * @module
 */

import type { AlertRules } from "../utils/alert_rules.ts";
import type { ErrorInfo } from "../utils/errors.ts";
import type {
  CertType,
  InstanceState,
  MessageType,
  NodeState,
  UnitConfigState,
  UpdateItemType,
} from "./enums.ts";

export type { ErrorInfo };
export type {
  AlertRulePercents,
  AlertRulePoints,
  AlertRules,
  PartitionAlertRule,
} from "../utils/alert_rules.ts";
export * from "./enums.ts";

/** What every message carries besides its own members. */
export interface MessageBase<T extends MessageType> {
  /** The message type; selects the shape. */
  messageType: T;
  /** Ties a response to its request (≤ 37 bytes); written only when non-empty. */
  correlationId?: string;
}

/**
 * The wire's generic identity object (spec §3.1), as it appears in raw JSON.
 * The model flattens it: a `{"node": {"codename": "main"}}` is `nodeId: "main"`,
 * an `{"item": {"id", "type"}}` is `itemId` and `itemType`, and so on.
 */
export interface AosIdentity {
  /** Cloud-assigned ID (UUID) of a cloud-managed entity (≤ 64 bytes). */
  id?: string;
  /** Local or static name: node IDs and types, runtime IDs, preinstalled items (≤ 64 bytes). */
  codename?: string;
  /** Item type. */
  type?: UpdateItemType;
  /** Human-readable title (≤ 64 bytes). */
  title?: string;
}

/**
 * One service instance: the wire's `item`, `subject` and `instance` members.
 * Preinstalled items and subjects are referenced by `codename` instead of `id`.
 */
export interface InstanceIdent {
  /** Update item (service) ID. */
  itemId: string;
  /** Subject ID. */
  subjectId: string;
  /** Instance index. */
  instance: number;
  /** `true` when item and subject are preinstalled (written as `codename`). */
  preinstalled?: boolean;
}

/** Selects instances; an absent member matches any instance. */
export interface InstanceFilter {
  /** Update item ID. */
  itemId?: string;
  /** Subject ID. */
  subjectId?: string;
  /** Instance index. */
  instance?: number;
}

/** A certificate of a node. */
export interface CertIdent {
  /** Certificate type. */
  type: CertType;
  /** Node the certificate belongs to. */
  nodeId: string;
}

/** CPU architecture. */
export interface ArchInfo {
  /** Architecture (`arm64`, `amd64`; ≤ 16 bytes). */
  architecture: string;
  /** Variant (`v8`; ≤ 16 bytes). */
  variant?: string;
}

/** Operating system. */
export interface OSInfo {
  /** OS name (`linux`; ≤ 16 bytes). */
  os: string;
  /** OS version (≤ 32 bytes). */
  version?: string;
  /** OS features (≤ 16 of ≤ 64 bytes). */
  features: string[];
}

/** One CPU of a node. */
export interface CPUInfo {
  /** Model name (≤ 64 bytes). */
  modelName: string;
  /** Number of cores. */
  numCores: number;
  /** Number of hardware threads. */
  numThreads: number;
  /** Architecture. */
  archInfo: ArchInfo;
  /** Capacity in DMIPS. */
  maxDMIPS?: number;
}

/** A disk partition of a node. */
export interface PartitionInfo {
  /** Partition name (≤ 64 bytes). */
  name: string;
  /** Uses of the partition (`generic`, `storages`, `states`, `services`; ≤ 4 of ≤ 32 bytes). */
  types: string[];
  /** Mount path (≤ 512 bytes); written only when non-empty. */
  path: string;
  /** Size in bytes. */
  totalSize: number;
}

/** A node attribute. Names are data and keep their case. */
export interface NodeAttribute {
  /** Name (≤ 16 bytes), e.g. `MainNode`, `AosComponents`. */
  name: string;
  /** Value (≤ 64 bytes). */
  value: string;
}

/** A node as the unit reports it. */
export interface NodeInfo {
  /** Node ID (`identity.codename`). */
  nodeId: string;
  /** Node type (`nodeGroupSubject.codename`). */
  nodeType: string;
  /** Human-readable title (`identity.title`, ≤ 64 bytes). */
  title: string;
  /** CPU capacity in DMIPS. */
  maxDMIPS: number;
  /** RAM available to Aos, bytes. */
  totalRAM: number;
  /** Physical RAM, bytes. */
  physicalRAM?: number;
  /** Operating system. */
  osInfo: OSInfo;
  /** CPUs (≤ 8). */
  cpus: CPUInfo[];
  /** Partitions (≤ 4). */
  partitions: PartitionInfo[];
  /** Attributes in wire order (≤ 16). */
  attrs: NodeAttribute[];
  /** Node state. */
  state: NodeState;
  /** Whether the node is connected to the main node. */
  isConnected: boolean;
  /** Node error. */
  error?: ErrorInfo;
}

/** A shared resource of a node. */
export interface ResourceInfo {
  /** Resource name (≤ 64 bytes). */
  name: string;
  /** How many instances may share it. */
  sharedCount: number;
}

/** A runtime of a node. */
export interface RuntimeInfo {
  /** Runtime ID (`identity.codename`). */
  runtimeId: string;
  /** Runtime type (`crun`, `runc`, `xrun`, `rootfs`; ≤ 64 bytes). */
  runtimeType: string;
  /** Architecture. */
  archInfo: ArchInfo;
  /** Operating system. */
  osInfo: OSInfo;
  /** CPU capacity in DMIPS. */
  maxDMIPS?: number;
  /** DMIPS Aos may use. */
  allowedDMIPS?: number;
  /** Total RAM, bytes. */
  totalRAM?: number;
  /** RAM Aos may use, bytes. */
  allowedRAM?: number;
  /** Maximum number of instances. */
  maxInstances: number;
}

/** A node of `unitStatus`: {@linkcode NodeInfo} with its runtimes and resources. */
export interface UnitNodeInfo extends NodeInfo {
  /** Runtimes (≤ 4). */
  runtimes: RuntimeInfo[];
  /** Shared resources (≤ 4). */
  resources: ResourceInfo[];
}

/** Share of each node resource reserved, percent. */
export interface ResourceRatios {
  /** CPU. */
  cpu?: number;
  /** RAM. */
  ram?: number;
  /** Storage. */
  storage?: number;
  /** State. */
  state?: number;
}

/** Configuration of one node, or of every node of a type. */
export interface NodeConfig {
  /** Node the config applies to; `""` for every node of `nodeType`. */
  nodeId: string;
  /** Node type the config applies to (`nodeGroupSubject.codename`). */
  nodeType: string;
  /** Node config version (≤ 32 bytes); written only when non-empty. */
  version: string;
  /** Alert rules. */
  alertRules?: AlertRules;
  /** Resource ratios. */
  resourceRatios?: ResourceRatios;
  /** Node labels (≤ 4 of ≤ 64 bytes). */
  labels: string[];
  /** Priority for instance placement. */
  priority: number;
}

/** Unit configuration. */
export interface UnitConfig {
  /** Schema version (≤ 32 bytes). */
  formatVersion: string;
  /** Config version (≤ 32 bytes). */
  version: string;
  /** Node configs (≤ 16). */
  nodes: NodeConfig[];
}

/** Status of one unit configuration version. */
export interface UnitConfigStatus {
  /** Config version (≤ 32 bytes); written only when non-empty. */
  version: string;
  /** State. */
  state: UnitConfigState;
  /** Error. */
  error?: ErrorInfo;
}

/** Used space of a partition. */
export interface PartitionUsage {
  /** Partition name (≤ 64 bytes). */
  name: string;
  /** Used bytes. */
  usedSize: number;
}

/** One monitoring sample. */
export interface MonitoringData {
  /** Sample time. */
  timestamp: Date;
  /** RAM used, bytes. */
  ram: number;
  /** CPU used, DMIPS (may be fractional). */
  cpu: number;
  /** Bytes downloaded in the period. */
  download: number;
  /** Bytes uploaded in the period. */
  upload: number;
  /** Partition usage (≤ 4). */
  partitions: PartitionUsage[];
}

/** A state change of an instance. */
export interface InstanceStateInfo {
  /** Time of the change. */
  timestamp: Date;
  /** New state. */
  state: InstanceState;
}

/** A state change of a node. */
export interface NodeStateInfo {
  /** Time of the change. */
  timestamp: Date;
  /** New state. */
  state: NodeState;
  /** Whether the node is connected. */
  isConnected: boolean;
}

/** Monitoring history of a node. */
export interface NodeMonitoringReport {
  /** Node ID. */
  nodeId: string;
  /** State changes (≤ 16; wire `nodeStates`). */
  states: NodeStateInfo[];
  /** Samples (≤ 16). */
  items: MonitoringData[];
}

/** Monitoring history of an instance. */
export interface InstanceMonitoringReport extends InstanceIdent {
  /** Node running the instance. */
  nodeId: string;
  /** State changes (≤ 16; wire `itemStates`). */
  states: InstanceStateInfo[];
  /** Samples (≤ 16). */
  items: MonitoringData[];
}
