// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * The monitoring data model and the interfaces a {@linkcode ResourceMonitor}
 * plugs into: the samples it takes each tick, the report shapes the cloud
 * protocol sends (re-exported by `cloudprotocol`), and the providers and
 * senders it is built from. Implement any of them to swap in your own.
 *
 * @module
 */

import type { AlertRules } from "../alert_rules.ts";
import type { InstanceIdent, InstanceState, InstanceStatusProvider } from "../instances.ts";
import type { NodeState } from "../node_info.ts";

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

/** Monitoring history of nodes and instances: the body of a `monitoringData` message. */
export interface MonitoringReport {
  /** Nodes (≤ 16). */
  nodes: NodeMonitoringReport[];
  /** Instances (≤ 256). */
  instances: InstanceMonitoringReport[];
}

/** One instance's usage in one tick. */
export interface InstanceMonitoringSample {
  /** The instance. */
  instanceIdent: InstanceIdent;
  /** Runtime that runs it; `""` when unknown. */
  runtimeId: string;
  /** Its usage. */
  monitoringData: MonitoringData;
}

/** The usage of a node and of its monitored instances in one tick. */
export interface NodeMonitoringSample {
  /** Node ID. */
  nodeId: string;
  /** The node's usage. */
  monitoringData: MonitoringData;
  /** The instances' usage, in the order they started to be watched. */
  instances: InstanceMonitoringSample[];
}

/** Reads the node's usage now. {@linkcode NodeMonitoringProvider} reads it from Linux. */
export interface NodeUsageProvider {
  /**
   * The node's usage now.
   *
   * @returns CPU (DMIPS), RAM, partitions and traffic, with the time they were read.
   */
  getNodeMonitoringData(): Promise<MonitoringData>;
}

/** Reads an instance's usage now. {@linkcode CgroupMonitoringProvider} reads it from cgroup v2. */
export interface InstanceUsageProvider {
  /**
   * The instance's usage now.
   *
   * @param ident The instance.
   * @returns Its usage and runtime.
   */
  getInstanceMonitoringData(ident: InstanceIdent): Promise<InstanceMonitoringSample>;
}

/** How an instance is monitored. */
export interface InstanceMonitoringParams {
  /** The instance's alert rules; none without them. */
  alertRules?: AlertRules;
}

/** Tells the monitor how to monitor an instance. */
export interface InstanceParamsProvider {
  /**
   * How `ident` is monitored.
   *
   * @param ident The instance.
   * @returns Its monitoring parameters.
   * @throws {AosError} `notSupported` when the instance cannot be monitored (it is then not watched).
   */
  getInstanceMonitoringParams(ident: InstanceIdent): Promise<InstanceMonitoringParams>;
}

/** Everything the monitor needs about instances: which run, how to watch them, their usage. */
export interface InstanceInfoProvider
  extends InstanceStatusProvider, InstanceParamsProvider, InstanceUsageProvider {}

/** Where a monitor sends each tick's sample. */
export interface MonitoringSender {
  /**
   * Sends one sample (node figures already include their instances').
   *
   * @param sample The sample.
   */
  sendMonitoringData(sample: NodeMonitoringSample): void | Promise<void>;
}

/** Byte counters of the node's network traffic. */
export interface TrafficCounters {
  /** Bytes received since the counters started; only grows (a drop reads as a reset). */
  received: number;
  /** Bytes sent since the counters started; only grows (a drop reads as a reset). */
  sent: number;
}

/** Where a {@linkcode NodeMonitoringProvider} reads traffic counters from. */
export interface TrafficProvider {
  /**
   * The node's traffic counters now.
   *
   * @returns Bytes received and sent so far.
   */
  getSystemTraffic(): Promise<TrafficCounters>;
}
