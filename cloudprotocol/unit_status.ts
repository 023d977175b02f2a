// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * `unitStatus` (unit → cloud): a full or incremental report of the unit's
 * nodes, update items, instances and unit configuration.
 *
 * In a delta report (`isDeltaInfo: true`) an absent array means "not
 * reported" and `[]` means "reported, none", so the five arrays are optional
 * properties and `[]` stays distinct from `undefined`.
 *
 * @module
 */

import { isJsonObject } from "../utils/json.ts";
import {
  arrayOf,
  at,
  type Codecs,
  embed,
  Fault,
  nonEmpty,
  optional,
  required,
  struct,
  type Type,
  withDefault,
  wrongType,
} from "./_codec.ts";
import { ERROR, ID, instanceIdent, messageRows, NODE_REF, ref, VERSION } from "./_common.ts";
import { LIMITS } from "./_limits.ts";
import { hex } from "./_binary.ts";
import { bool, enumOf, str, u64 } from "./_scalars.ts";
import {
  type ArchInfo,
  type CPUInfo,
  type ErrorInfo,
  INSTANCE_STATES,
  type InstanceState,
  ITEM_STATES,
  type ItemState,
  type MessageBase,
  NODE_STATES,
  type NodeAttribute,
  type OSInfo,
  type PartitionInfo,
  type ResourceInfo,
  type RuntimeInfo,
  UNIT_CONFIG_STATES,
  type UnitConfigStatus,
  type UnitNodeInfo,
  type UpdateItemType,
} from "./types.ts";

/** Status of one version of an update item. */
export interface ItemStatus {
  /** Item ID (`item.id`, or `item.codename` when preinstalled). */
  itemId: string;
  /** Item type (`item.type`). */
  itemType: UpdateItemType;
  /** `true` for a preinstalled item (written as `codename`). */
  preinstalled?: boolean;
  /** Item version (≤ 32 bytes). */
  version: string;
  /** State. */
  state: ItemState;
  /** Error. */
  error?: ErrorInfo;
}

/** One instance in a `unitStatus` report. */
export interface InstanceStatusInfo {
  /** Node running the instance. */
  nodeId: string;
  /** Runtime running the instance (`runtime.codename`). */
  runtimeId: string;
  /** Instance index. */
  instance: number;
  /** SHA-256 of the instance state; empty when unknown (then not written). */
  stateChecksum: Uint8Array;
  /** State. */
  state: InstanceState;
  /** Error. */
  error?: ErrorInfo;
}

/** Instances of one item version for one subject. */
export interface ItemInstances {
  /** Item ID (`item.id`, or `item.codename` when preinstalled). */
  itemId: string;
  /** Item type (`item.type`). */
  itemType: UpdateItemType;
  /** Subject ID (`subject.id`, or `subject.codename` when preinstalled). */
  subjectId: string;
  /** `true` for a preinstalled item and subject (written as `codename`). */
  preinstalled?: boolean;
  /** Item version (≤ 32 bytes). */
  version: string;
  /** Instances (≤ 16). */
  instances: InstanceStatusInfo[];
}

/** `unitStatus` (unit → cloud): full or delta report of the unit. */
export interface UnitStatus extends MessageBase<"unitStatus"> {
  /** `true` for a delta report. */
  isDeltaInfo: boolean;
  /** Unit config statuses (≤ 2). */
  unitConfig?: UnitConfigStatus[];
  /** Nodes (≤ 16). */
  nodes?: UnitNodeInfo[];
  /** Item statuses (≤ 128: current and new version of up to 64 items). */
  items?: ItemStatus[];
  /** Instances grouped by item and subject (≤ 64 groups). */
  instances?: ItemInstances[];
  /** Unit-local subject IDs (`{"codename"}`, ≤ 64). */
  subjects?: string[];
}

const ARCH_INFO = struct<ArchInfo>("archInfo", [
  withDefault("architecture", "architecture", str(LIMITS.architecture)),
  optional("variant", "variant", str(LIMITS.variant)),
]);

const OS_INFO = struct<OSInfo>("osInfo", [
  withDefault("os", "os", str(LIMITS.osName)),
  optional("version", "version", VERSION),
  nonEmpty("features", "features", arrayOf(str(LIMITS.osFeature), LIMITS.osFeatures)),
]);

const CPU_INFO = struct<CPUInfo>("CPUInfo", [
  withDefault("modelName", "modelName", str(LIMITS.modelName)),
  withDefault("totalNumCores", "numCores", u64),
  withDefault("totalNumThreads", "numThreads", u64),
  required("archInfo", "archInfo", ARCH_INFO),
  optional("maxDmips", "maxDMIPS", u64),
]);

const PARTITION_INFO = struct<PartitionInfo>("PartitionInfo", [
  withDefault("name", "name", str(LIMITS.partitionName)),
  nonEmpty("path", "path", str(LIMITS.path)),
  withDefault("types", "types", arrayOf(str(LIMITS.partitionType), LIMITS.partitionTypes)),
  withDefault("totalSize", "totalSize", u64),
]);

const RUNTIME_INFO = struct<RuntimeInfo>("RuntimeInfo", [
  embed("identity", [required("codename", "runtimeId", ID)]),
  withDefault("runtimeType", "runtimeType", str(LIMITS.runtimeType)),
  required("archInfo", "archInfo", ARCH_INFO),
  required("osInfo", "osInfo", OS_INFO),
  optional("maxDmips", "maxDMIPS", u64),
  optional("allowedDmips", "allowedDMIPS", u64),
  optional("totalRam", "totalRAM", u64),
  optional("allowedRam", "allowedRAM", u64),
  withDefault("maxInstances", "maxInstances", u64),
]);

const RESOURCE_INFO = struct<ResourceInfo>("ResourceInfo", [
  withDefault("name", "name", str(LIMITS.resourceName)),
  withDefault("sharedCount", "sharedCount", u64),
]);

const ATTR_NAME = str(LIMITS.attrName);
const ATTR_VALUE = str(LIMITS.attrValue);

/**
 * `attrs`: an object whose names are data (case kept, wire order kept). A
 * `null` value is kept as `""`, as AosCore keeps the attribute.
 */
const ATTRS: Type<NodeAttribute[]> = {
  name: "attrs",
  decode(value) {
    if (!isJsonObject(value)) throw wrongType("an object (attrs)", value);
    const names = Object.keys(value);
    if (names.length > LIMITS.attrs) {
      throw new Fault("limitExceeded", `${names.length} attributes, limit ${LIMITS.attrs}`);
    }
    return names.map((name) => {
      try {
        ATTR_NAME.decode(name);
        const raw = value[name];
        return { name, value: raw === null ? "" : ATTR_VALUE.decode(raw)! };
      } catch (err) {
        throw at(err, name);
      }
    });
  },
  encode(attrs) {
    if (!Array.isArray(attrs)) throw wrongType("an array of NodeAttribute", attrs);
    if (attrs.length > LIMITS.attrs) {
      throw new Fault("limitExceeded", `${attrs.length} attributes, limit ${LIMITS.attrs}`);
    }
    const out: Record<string, unknown> = {};
    attrs.forEach((attr, i) => {
      try {
        if (!isJsonObject(attr)) throw wrongType("an object (NodeAttribute)", attr);
        const name = ATTR_NAME.encode(attr.name) as string;
        const value = ATTR_VALUE.encode(attr.value);
        // A plain object keeps JSON.stringify on its fast path; an attribute
        // called `__proto__` must still become a member, not the prototype.
        if (name === "__proto__") {
          Object.defineProperty(out, name, {
            value,
            enumerable: true,
            writable: true,
            configurable: true,
          });
        } else out[name] = value;
      } catch (err) {
        throw at(err, i);
      }
    });
    return out;
  },
  empty: () => [],
  isEmpty: (attrs) => attrs.length === 0,
};

const NODE_INFO = struct<UnitNodeInfo>("NodeInfo", [
  embed("identity", [
    required("codename", "nodeId", ID),
    withDefault("title", "title", str(LIMITS.title)),
  ]),
  required("nodeGroupSubject", "nodeType", NODE_REF),
  withDefault("maxDmips", "maxDMIPS", u64),
  optional("physicalRam", "physicalRAM", u64),
  withDefault("totalRam", "totalRAM", u64),
  required("osInfo", "osInfo", OS_INFO),
  nonEmpty("cpus", "cpus", arrayOf(CPU_INFO, LIMITS.cpus)),
  nonEmpty("attrs", "attrs", ATTRS),
  nonEmpty("partitions", "partitions", arrayOf(PARTITION_INFO, LIMITS.partitions)),
  required("state", "state", enumOf("NodeState", NODE_STATES)),
  withDefault("isConnected", "isConnected", bool),
  ERROR,
  nonEmpty("runtimes", "runtimes", arrayOf(RUNTIME_INFO, LIMITS.runtimes)),
  nonEmpty("resources", "resources", arrayOf(RESOURCE_INFO, LIMITS.resources)),
]);

const UNIT_CONFIG_STATUS = struct<UnitConfigStatus>("UnitConfigStatus", [
  nonEmpty("version", "version", VERSION),
  required("state", "state", enumOf("UnitConfigState", UNIT_CONFIG_STATES)),
  ERROR,
]);

const ITEM_STATUS = struct<ItemStatus>("ItemStatus", [
  instanceIdent({ instance: "none", itemType: true, subject: false }),
  required("version", "version", VERSION),
  required("state", "state", enumOf("ItemState", ITEM_STATES)),
  ERROR,
]);

const INSTANCE_STATUS = struct<InstanceStatusInfo>("InstanceStatus", [
  required("node", "nodeId", NODE_REF),
  required("runtime", "runtimeId", NODE_REF),
  required("instance", "instance", u64),
  nonEmpty("stateChecksum", "stateChecksum", hex(LIMITS.checksum)),
  required("state", "state", enumOf("InstanceState", INSTANCE_STATES)),
  ERROR,
]);

const ITEM_INSTANCES = struct<ItemInstances>("ItemInstances", [
  instanceIdent({ instance: "none", itemType: true }),
  required("version", "version", VERSION),
  required("instances", "instances", arrayOf(INSTANCE_STATUS, LIMITS.instancesPerItem)),
]);

/** Codecs of this family. */
export const UNIT_STATUS_CODECS: Codecs<"unitStatus"> = {
  unitStatus: struct<UnitStatus>("unitStatus", [
    ...messageRows("unitStatus"),
    required("isDeltaInfo", "isDeltaInfo", bool),
    optional("unitConfig", "unitConfig", arrayOf(UNIT_CONFIG_STATUS, LIMITS.unitConfigStatuses)),
    optional("nodes", "nodes", arrayOf(NODE_INFO, LIMITS.nodes)),
    optional("items", "items", arrayOf(ITEM_STATUS, LIMITS.itemStatuses)),
    optional("instances", "instances", arrayOf(ITEM_INSTANCES, LIMITS.items)),
    optional("subjects", "subjects", arrayOf(ref("codename"), LIMITS.subjects)),
  ]),
};
