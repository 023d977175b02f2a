// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Nodes as every module sees them: hardware, partitions, attributes, state,
 * the node configuration (alert rules, resource ratios), and the
 * {@linkcode NodeConfigProvider} interface. The cloud protocol re-exports the
 * data types for its messages.
 *
 * @module
 */

import type { AlertRules } from "./alert_rules.ts";
import type { ErrorInfo } from "./errors.ts";

/** States of a node, in AosCore's order. */
export const NODE_STATES = ["unprovisioned", "provisioned", "paused", "error"] as const;
/** A state of a node. */
export type NodeState = typeof NODE_STATES[number];

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

/** Told when the node configuration changes. */
export interface NodeConfigListener {
  /**
   * A new node configuration applies. A provider reports what the listener
   * throws or rejects with as the failure of the change.
   *
   * @param config The new configuration.
   */
  onNodeConfigChanged(config: NodeConfig): void | Promise<void>;
}

/** Gives the current node configuration and tells listeners when it changes. */
export interface NodeConfigProvider {
  /**
   * The current node configuration.
   *
   * @returns The configuration.
   */
  getNodeConfig(): Promise<NodeConfig>;
  /**
   * Adds a listener.
   *
   * @param listener The listener.
   * @returns A handle whose disposal unsubscribes.
   * @throws {AosError} `alreadyExist` when the listener is subscribed already.
   */
  subscribeListener(listener: NodeConfigListener): Disposable;
  /**
   * Removes a listener.
   *
   * @param listener The listener.
   * @throws {AosError} `notFound` when the listener is not subscribed.
   */
  unsubscribeListener(listener: NodeConfigListener): void;
}
