// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * The structures that several cloud messages share, and the enumerations of
 * the protocol. The library-level types other modules use too (instance
 * identities, nodes and node configs, alert rules, monitoring data) are
 * defined in `utils/` and re-exported here.
 *
 * Model conventions: identities are flattened (`{"node": {"codename": id}}`
 * becomes `nodeId`), `errorInfo` becomes `error`, hex and base64 members are
 * `Uint8Array`, timestamps are `Date` (decoders return `AosTime`, a `Date`
 * that keeps microseconds), durations are milliseconds.
 *
 * @module
 */

import type { ErrorInfo } from "../utils/errors.ts";
import type { ArchInfo, NodeConfig, NodeInfo, OSInfo } from "../utils/node_info.ts";
import type { CertType, MessageType, UnitConfigState, UpdateItemType } from "./enums.ts";

export type { ErrorInfo };
export type {
  AlertRulePercents,
  AlertRulePoints,
  AlertRules,
  PartitionAlertRule,
} from "../utils/alert_rules.ts";
export type { InstanceIdent } from "../utils/instances.ts";
export type {
  ArchInfo,
  CPUInfo,
  NodeAttribute,
  NodeConfig,
  NodeInfo,
  OSInfo,
  PartitionInfo,
  ResourceRatios,
} from "../utils/node_info.ts";
export type {
  InstanceMonitoringReport,
  InstanceStateInfo,
  MonitoringData,
  NodeMonitoringReport,
  NodeStateInfo,
  PartitionUsage,
} from "../utils/monitoring/types.ts";
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
