// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * `desiredStatus` (cloud → unit): the complete target state of the unit, with
 * the unit configuration (node configs, alert rules, resource ratios).
 *
 * @module
 */

import {
  arrayOf,
  type Codecs,
  embed,
  nonEmpty,
  optional,
  required,
  struct,
  type Type,
  withDefault,
} from "./_codec.ts";
import { ID, ITEM_TYPE, messageRows, NODE_REF, ref, VERSION } from "./_common.ts";
import { LIMITS } from "./_limits.ts";
import { base64 } from "./_binary.ts";
import { bool, duration, enumOf, f64, str, u64 } from "./_scalars.ts";
import {
  type AlertRulePercents,
  type AlertRulePoints,
  type AlertRules,
  DESIRED_NODE_STATES,
  type DesiredNodeState,
  type MessageBase,
  type NodeConfig,
  type PartitionAlertRule,
  type ResourceRatios,
  SUBJECT_TYPES,
  type SubjectType,
  type UnitConfig,
  type UpdateItemType,
} from "./types.ts";

/** A node and the state the cloud wants it in. */
export interface DesiredNode {
  /** Node ID (wire `item.codename`). */
  nodeId: string;
  /** Wanted state. */
  state: DesiredNodeState;
}

/** An update item that must be installed. */
export interface UpdateItemInfo {
  /** Item ID (`item.id`). */
  itemId: string;
  /** Item type (`item.type`). */
  itemType: UpdateItemType;
  /** Item version (≤ 32 bytes). */
  version: string;
  /** Owner ID (`owner.id`). */
  ownerId: string;
  /** OCI digest of the item's image index (≤ 136 bytes). */
  indexDigest: string;
}

/** Instances of an item to run for a subject. */
export interface DesiredInstance {
  /** Item ID (`item.id`). */
  itemId: string;
  /** Subject ID (`subject.id`). */
  subjectId: string;
  /** Scheduling priority. */
  priority: number;
  /** Number of instances. */
  numInstances: number;
  /** Node labels the instances must run on (≤ 4 of ≤ 64 bytes). */
  labels: string[];
}

/** A subject known to the unit. */
export interface SubjectInfo {
  /** Subject ID (`identity.id`). */
  subjectId: string;
  /** Group or user (wire `type`). */
  subjectType: SubjectType;
  /** A unit-local subject, reported back in `unitStatus` (wire `isReportedFromUnit`). */
  isUnitSubject: boolean;
}

/** A certificate that verifies blob signatures. */
export interface DesiredCertificate {
  /** DER bytes (≤ 2048). */
  certificate: Uint8Array;
  /** Fingerprint chains refer to it by (≤ 64 bytes). */
  fingerprint: string;
}

/** A named chain of certificates, leaf first. */
export interface CertificateChain {
  /** Name `signInfo.chainName` refers to (≤ 64 bytes). */
  name: string;
  /** Certificate fingerprints (≤ 4). */
  fingerprints: string[];
}

/** `desiredStatus` (cloud → unit): the complete target state of the unit. */
export interface DesiredStatus extends MessageBase<"desiredStatus"> {
  /** Node states (≤ 16). */
  nodes: DesiredNode[];
  /** New unit configuration; absent means unchanged. */
  unitConfig?: UnitConfig;
  /** Update items to install (≤ 64). */
  items: UpdateItemInfo[];
  /** Instances to run (≤ 256). */
  instances: DesiredInstance[];
  /** Subjects (≤ 64). */
  subjects: SubjectInfo[];
  /** Certificates (≤ 32). */
  certificates: DesiredCertificate[];
  /** Certificate chains (≤ 8). */
  certificateChains: CertificateChain[];
}

const LABELS = arrayOf(str(LIMITS.label), LIMITS.labels);
const PARTITION_NAME = str(LIMITS.partitionName);

function ruleRows(threshold: Type<number>) {
  return [
    nonEmpty("minTimeout", "minTimeoutMs", duration),
    withDefault("minThreshold", "minThreshold", threshold),
    withDefault("maxThreshold", "maxThreshold", threshold),
  ];
}

const PERCENT_RULE = struct<AlertRulePercents>("PercentRule", ruleRows(f64));
const POINTS_RULE = struct<AlertRulePoints>("PointsRule", ruleRows(u64));
const PARTITION_RULE = struct<PartitionAlertRule>("PartitionRule", [
  ...ruleRows(f64),
  withDefault("name", "name", PARTITION_NAME),
]);

const ALERT_RULES = struct<AlertRules>("alertRules", [
  optional("ram", "ram", PERCENT_RULE),
  optional("cpu", "cpu", PERCENT_RULE),
  optional("download", "download", POINTS_RULE),
  optional("upload", "upload", POINTS_RULE),
  withDefault("partitions", "partitions", arrayOf(PARTITION_RULE, LIMITS.partitions)),
]);

const RESOURCE_RATIOS = struct<ResourceRatios>("resourceRatios", [
  optional("cpu", "cpu", f64),
  optional("ram", "ram", f64),
  optional("storage", "storage", f64),
  optional("state", "state", f64),
]);

const NODE_CONFIG = struct<NodeConfig>("NodeConfig", [
  nonEmpty("version", "version", VERSION),
  nonEmpty("node", "nodeId", NODE_REF),
  required("nodeGroupSubject", "nodeType", NODE_REF),
  optional("alertRules", "alertRules", ALERT_RULES),
  optional("resourceRatios", "resourceRatios", RESOURCE_RATIOS),
  nonEmpty("labels", "labels", LABELS),
  withDefault("priority", "priority", u64),
]);

const UNIT_CONFIG = struct<UnitConfig>("unitConfig", [
  withDefault("formatVersion", "formatVersion", VERSION),
  withDefault("version", "version", VERSION),
  withDefault("nodes", "nodes", arrayOf(NODE_CONFIG, LIMITS.nodes)),
]);

const DESIRED_NODE = struct<DesiredNode>("DesiredNode", [
  required("item", "nodeId", NODE_REF),
  required("state", "state", enumOf("DesiredNodeState", DESIRED_NODE_STATES)),
]);

const ID_REF = ref("id");

const UPDATE_ITEM = struct<UpdateItemInfo>("UpdateItemInfo", [
  embed("item", [required("id", "itemId", ID), required("type", "itemType", ITEM_TYPE)]),
  withDefault("version", "version", VERSION),
  required("owner", "ownerId", ID_REF),
  withDefault("indexDigest", "indexDigest", str(LIMITS.digest)),
]);

const DESIRED_INSTANCE = struct<DesiredInstance>("DesiredInstance", [
  required("item", "itemId", ID_REF),
  required("subject", "subjectId", ID_REF),
  withDefault("priority", "priority", u64),
  withDefault("numInstances", "numInstances", u64),
  withDefault("labels", "labels", LABELS),
]);

const SUBJECT = struct<SubjectInfo>("Subject", [
  required("identity", "subjectId", ID_REF),
  required("type", "subjectType", enumOf("SubjectType", SUBJECT_TYPES)),
  withDefault("isReportedFromUnit", "isUnitSubject", bool),
]);

const FINGERPRINT = str(LIMITS.fingerprint);

const CERTIFICATE = struct<DesiredCertificate>("Certificate", [
  withDefault("certificate", "certificate", base64(LIMITS.derCertificate)),
  withDefault("fingerprint", "fingerprint", FINGERPRINT),
]);

const CERTIFICATE_CHAIN = struct<CertificateChain>("CertificateChain", [
  withDefault("name", "name", str(LIMITS.chainName)),
  withDefault("fingerprints", "fingerprints", arrayOf(FINGERPRINT, LIMITS.chainFingerprints)),
]);

/** Codecs of this family. */
export const DESIRED_STATUS_CODECS: Codecs<"desiredStatus"> = {
  desiredStatus: struct<DesiredStatus>("desiredStatus", [
    ...messageRows("desiredStatus"),
    withDefault("nodes", "nodes", arrayOf(DESIRED_NODE, LIMITS.nodes)),
    optional("unitConfig", "unitConfig", UNIT_CONFIG),
    withDefault("items", "items", arrayOf(UPDATE_ITEM, LIMITS.items)),
    withDefault("instances", "instances", arrayOf(DESIRED_INSTANCE, LIMITS.instances)),
    withDefault("subjects", "subjects", arrayOf(SUBJECT, LIMITS.subjects)),
    withDefault("certificates", "certificates", arrayOf(CERTIFICATE, LIMITS.desiredCertificates)),
    withDefault(
      "certificateChains",
      "certificateChains",
      arrayOf(CERTIFICATE_CHAIN, LIMITS.certificateChains),
    ),
  ]),
};
