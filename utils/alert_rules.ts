// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Alert rules: the thresholds that raise and clear resource alerts. One model
 * serves the node configs of the cloud protocol and the item configs of
 * ocispec, as AosCore shares one type between them.
 *
 * @module
 */

/** An alert rule on a percentage (RAM, CPU, partitions). */
export interface AlertRulePercents {
  /** How long the threshold must be crossed before an alert, in ms; 0 when unset (not written). */
  minTimeoutMs: number;
  /** Lower (fall) threshold, percent. */
  minThreshold: number;
  /** Upper (raise) threshold, percent. */
  maxThreshold: number;
}

/** An alert rule on an absolute value (download and upload traffic). */
export interface AlertRulePoints {
  /** How long the threshold must be crossed before an alert, in ms; 0 when unset (not written). */
  minTimeoutMs: number;
  /** Lower (fall) threshold. */
  minThreshold: number;
  /** Upper (raise) threshold. */
  maxThreshold: number;
}

/** An alert rule on the usage of one partition. */
export interface PartitionAlertRule extends AlertRulePercents {
  /** Partition name (at most 64 bytes). */
  name: string;
}

/** The alert rules of a node or an item. */
export interface AlertRules {
  /** RAM usage rule. */
  ram?: AlertRulePercents;
  /** CPU usage rule. */
  cpu?: AlertRulePercents;
  /** Download traffic rule. */
  download?: AlertRulePoints;
  /** Upload traffic rule. */
  upload?: AlertRulePoints;
  /** Partition usage rules (at most 4). */
  partitions: PartitionAlertRule[];
}
