// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The alert processors of one owner (the node, or one instance) built from its
// alert rules, as AosCore's monitoring builds them: percent rules become
// absolute thresholds of the node's totals, point rules are used as they are.

import type { Alert, QuotaAlertState } from "../alerts.ts";
import type { AlertRulePercents, AlertRules } from "../alert_rules.ts";
import { AosError } from "../errors.ts";
import type { InstanceIdent } from "../instances.ts";
import type { NodeInfo } from "../node_info.ts";
import { AlertProcessor, type AlertThresholds } from "./alert_processor.ts";
import type { MonitoringData } from "./types.ts";

/** Builds the alert an owner raises. */
export type AlertFactory = (
  parameter: string,
  value: number,
  state: QuotaAlertState,
  timestamp: Date,
) => Alert;

type Resource = "cpu" | "ram" | "download" | "upload" | "partition";

interface Rule {
  resource: Resource;
  /** `cpu`, `ram`, `download`, `upload` or the partition name. */
  parameter: string;
  processor: AlertProcessor;
  lastValue: number;
}

/** The processors of one owner, in AosCore's order: cpu, ram, download, upload, partitions. */
export class QuotaAlerts {
  readonly #rules: Rule[] = [];
  readonly #alert: AlertFactory;
  readonly #onError: (err: unknown) => void;

  constructor(
    rules: AlertRules | undefined,
    node: Pick<NodeInfo, "maxDMIPS" | "totalRAM" | "partitions">,
    alert: AlertFactory,
    onError: (err: unknown) => void,
  ) {
    this.#alert = alert;
    this.#onError = onError;
    if (rules === undefined) return;
    const percent = (total: number, rule: AlertRulePercents) => ({
      minThreshold: Math.trunc(total * rule.minThreshold / 100),
      maxThreshold: Math.trunc(total * rule.maxThreshold / 100),
      minTimeoutMs: rule.minTimeoutMs,
    });
    if (rules.cpu) this.#add("cpu", "cpu", percent(node.maxDMIPS, rules.cpu));
    if (rules.ram) this.#add("ram", "ram", percent(node.totalRAM, rules.ram));
    if (rules.download) this.#add("download", "download", rules.download);
    if (rules.upload) this.#add("upload", "upload", rules.upload);
    for (const rule of rules.partitions) {
      const partition = node.partitions.find((p) => p.name === rule.name);
      if (partition === undefined) {
        onError(
          new AosError("notFound", `alert rule of unknown partition "${rule.name}" skipped`),
        );
        continue;
      }
      this.#add("partition", rule.name, percent(partition.totalSize, rule));
    }
  }

  /** Feeds a sample to every processor and returns the alerts to send. */
  check(data: MonitoringData): Alert[] {
    const alerts: Alert[] = [];
    for (const rule of this.#rules) {
      const value = this.#value(rule, data);
      if (value === undefined) continue;
      rule.lastValue = value;
      const state = rule.processor.checkAlertDetection(value, data.timestamp);
      if (state !== undefined) {
        alerts.push(this.#alert(rule.parameter, value, state, data.timestamp));
      }
    }
    return alerts;
  }

  /** A `fall` for each alert still raised, for when the rules go away. */
  falls(timestamp: Date): Alert[] {
    return this.#rules
      .filter((rule) => rule.processor.active)
      .map((rule) => this.#alert(rule.parameter, rule.lastValue, "fall", timestamp));
  }

  #add(
    resource: Resource,
    parameter: string,
    thresholds: AlertThresholds,
  ): void {
    try {
      this.#rules.push({
        resource,
        parameter,
        processor: new AlertProcessor(thresholds),
        lastValue: 0,
      });
    } catch (err) {
      this.#onError(AosError.wrap(err, undefined, `alert rule of "${parameter}" skipped`));
    }
  }

  #value(rule: Rule, data: MonitoringData): number | undefined {
    switch (rule.resource) {
      case "cpu":
        return Math.floor(data.cpu + 0.5);
      case "ram":
      case "download":
      case "upload":
        return data[rule.resource];
      case "partition": {
        const usage = data.partitions.find((p) => p.name === rule.parameter);
        if (usage === undefined) {
          this.#onError(
            new AosError("notFound", `partition "${rule.parameter}" is not in the sample`),
          );
        }
        return usage?.usedSize;
      }
    }
  }
}

type NodeTotals = Pick<NodeInfo, "nodeId" | "maxDMIPS" | "totalRAM" | "partitions">;

/** The node's processors: they raise `systemQuotaAlert`s. */
export function nodeQuotaAlerts(
  rules: AlertRules | undefined,
  node: NodeTotals,
  onError: (err: unknown) => void,
): QuotaAlerts {
  return new QuotaAlerts(rules, node, (parameter, value, state, timestamp) => ({
    tag: "systemQuotaAlert",
    timestamp,
    nodeId: node.nodeId,
    parameter,
    value,
    state,
  }), onError);
}

/** An instance's processors: thresholds of the node's totals, `instanceQuotaAlert`s. */
export function instanceQuotaAlerts(
  ident: InstanceIdent,
  rules: AlertRules | undefined,
  node: NodeTotals,
  onError: (err: unknown) => void,
): QuotaAlerts {
  return new QuotaAlerts(rules, node, (parameter, value, state, timestamp) => ({
    tag: "instanceQuotaAlert",
    timestamp,
    ...ident,
    parameter,
    value,
    state,
  }), onError);
}
