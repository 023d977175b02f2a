// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * `monitoringData` (unit → cloud): batched resource samples and state
 * changes of nodes and instances.
 *
 * @module
 */

import { arrayOf, type Codecs, nonEmpty, required, struct } from "./_codec.ts";
import { instanceIdent, messageRows, NODE_REF } from "./_common.ts";
import { LIMITS } from "./_limits.ts";
import { bool, enumOf, f64, str, timestamp, u64 } from "./_scalars.ts";
import {
  INSTANCE_STATES,
  type InstanceMonitoringReport,
  type InstanceStateInfo,
  type MessageBase,
  type MonitoringData,
  NODE_STATES,
  type NodeMonitoringReport,
  type NodeStateInfo,
  type PartitionUsage,
} from "./types.ts";

/** `monitoringData` (unit → cloud): monitoring history of nodes and instances. */
export interface MonitoringMessage extends MessageBase<"monitoringData"> {
  /** Nodes (≤ 16). */
  nodes: NodeMonitoringReport[];
  /** Instances (≤ 256). */
  instances: InstanceMonitoringReport[];
}

const TIMESTAMP = required("timestamp", "timestamp", timestamp);
const NODE = required("node", "nodeId", NODE_REF);

const PARTITION_USAGE = struct<PartitionUsage>("PartitionUsage", [
  required("name", "name", str(LIMITS.partitionName)),
  required("usedSize", "usedSize", u64),
]);

const SAMPLES = arrayOf(
  struct<MonitoringData>("MonitoringData", [
    TIMESTAMP,
    required("ram", "ram", u64),
    required("cpu", "cpu", f64),
    required("download", "download", u64),
    required("upload", "upload", u64),
    nonEmpty("partitions", "partitions", arrayOf(PARTITION_USAGE, LIMITS.partitions)),
  ]),
  LIMITS.samples,
);

const NODE_STATE = struct<NodeStateInfo>("NodeStateInfo", [
  TIMESTAMP,
  required("state", "state", enumOf("NodeState", NODE_STATES)),
  required("isConnected", "isConnected", bool),
]);

const INSTANCE_STATE = struct<InstanceStateInfo>("InstanceStateInfo", [
  TIMESTAMP,
  required("state", "state", enumOf("InstanceState", INSTANCE_STATES)),
]);

const NODE_MONITORING = struct<NodeMonitoringReport>("NodeMonitoring", [
  NODE,
  nonEmpty("nodeStates", "states", arrayOf(NODE_STATE, LIMITS.samples)),
  required("items", "items", SAMPLES),
]);

const INSTANCE_MONITORING = struct<InstanceMonitoringReport>("InstanceMonitoring", [
  instanceIdent({ instance: "required" }),
  NODE,
  required("itemStates", "states", arrayOf(INSTANCE_STATE, LIMITS.samples)),
  required("items", "items", SAMPLES),
]);

/** Codecs of this family. */
export const MONITORING_CODECS: Codecs<"monitoringData"> = {
  monitoringData: struct<MonitoringMessage>("monitoringData", [
    ...messageRows("monitoringData"),
    required("nodes", "nodes", arrayOf(NODE_MONITORING, LIMITS.nodes)),
    nonEmpty("instances", "instances", arrayOf(INSTANCE_MONITORING, LIMITS.instances)),
  ]),
};
