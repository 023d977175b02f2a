// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Turns a monitor's samples and alerts into the cloud protocol's
 * `monitoringData` and `alerts` messages and hands them to a send function:
 * the cloud connection's, typically.
 *
 * The messages are plain objects of the shapes `cloudprotocol` encodes
 * (`MonitoringMessage` and `AlertsMessage` accept them as they are); this
 * module builds them without importing `cloudprotocol`, which sits above
 * `utils`.
 *
 * @module
 */

import type { Alert, AlertSender } from "../alerts.ts";
import { AosError } from "../errors.ts";
import { type InstanceIdent, instanceKey } from "../instances.ts";
import type {
  InstanceMonitoringReport,
  MonitoringReport,
  MonitoringSender,
  NodeMonitoringReport,
  NodeMonitoringSample,
} from "./types.ts";

/** A `monitoringData` message, as `cloudprotocol`'s `MonitoringMessage`. */
export interface CloudMonitoringMessage extends MonitoringReport {
  /** The message type. */
  messageType: "monitoringData";
}

/** An `alerts` message, as `cloudprotocol`'s `AlertsMessage`. */
export interface CloudAlertsMessage {
  /** The message type. */
  messageType: "alerts";
  /** The alerts (≤ 16). */
  items: Alert[];
}

/** A message {@linkcode CloudMonitoringSender} sends. */
export type CloudMonitoringSenderMessage = CloudMonitoringMessage | CloudAlertsMessage;

/** The most alerts and samples one message may carry (the protocol's limits). */
const MAX_ALERTS = 16;
const MAX_SAMPLES = 16;

/** Options of the {@linkcode CloudMonitoringSender} constructor. */
export interface CloudMonitoringSenderOptions {
  /**
   * Sends one message to the cloud.
   *
   * @param message The message.
   */
  send(message: CloudMonitoringSenderMessage): void | Promise<void>;
  /**
   * Samples per `monitoringData` message, 1 to 16: with more than 1, samples
   * wait until that many are collected (or {@linkcode CloudMonitoringSender.flush}).
   * @default {1}
   */
  samplesPerMessage?: number;
}

interface PendingAlert {
  alert: Alert;
  resolve(): void;
  reject(err: unknown): void;
}

/**
 * A {@linkcode MonitoringSender} and {@linkcode AlertSender} for the cloud.
 * Alerts handed over together (a monitor's tick hands over all its alerts
 * at once) go out together, up to 16 per `alerts` message; each
 * `sendAlert` settles when its message is sent.
 *
 * @example
 * ```ts
 * import { CloudMonitoringSender, type CloudMonitoringSenderMessage } from "@aoscore/common/utils/monitoring";
 * import assert from "node:assert/strict";
 *
 * const sent: CloudMonitoringSenderMessage[] = [];
 * const sender = new CloudMonitoringSender({ send: (message) => void sent.push(message) });
 * const timestamp = new Date();
 * await Promise.all([1, 2].map((value) =>
 *   sender.sendAlert({ tag: "systemQuotaAlert", timestamp, nodeId: "main", parameter: "cpu", value })
 * ));
 * await sender.sendMonitoringData({
 *   nodeId: "main",
 *   monitoringData: { timestamp, cpu: 1, ram: 2, download: 3, upload: 4, partitions: [] },
 *   instances: [],
 * });
 * assert.deepEqual(sent.map((m) => m.messageType), ["alerts", "monitoringData"]);
 * assert.equal(sent[0]?.messageType === "alerts" && sent[0].items.length, 2);
 * ```
 */
export class CloudMonitoringSender implements MonitoringSender, AlertSender {
  readonly #send: (message: CloudMonitoringSenderMessage) => void | Promise<void>;
  readonly #samplesPerMessage: number;
  #alerts: PendingAlert[] = [];
  #nodes = new Map<string, NodeMonitoringReport>();
  #instances = new Map<string, InstanceMonitoringReport>();
  #samples = 0;

  /**
   * Creates a sender.
   *
   * @param options The send function and how many samples a message carries.
   * @throws {AosError} `invalidArgument` when `samplesPerMessage` is not 1 to 16.
   */
  constructor(options: CloudMonitoringSenderOptions) {
    const { samplesPerMessage = 1 } = options;
    if (
      !Number.isInteger(samplesPerMessage) || samplesPerMessage < 1 ||
      samplesPerMessage > MAX_SAMPLES
    ) {
      throw new AosError(
        "invalidArgument",
        `Cannot create sender: samplesPerMessage must be 1 to ${MAX_SAMPLES}, got ${samplesPerMessage}`,
      );
    }
    this.#send = options.send;
    this.#samplesPerMessage = samplesPerMessage;
  }

  /**
   * Queues an alert; the alerts queued in the same turn of the event loop
   * go out together.
   *
   * @param alert The alert.
   * @returns A promise that settles when the alert's message is sent.
   */
  sendAlert(alert: Alert): Promise<void> {
    const { promise, resolve, reject } = Promise.withResolvers<void>();
    if (this.#alerts.length === 0) queueMicrotask(() => void this.#sendAlerts());
    this.#alerts.push({ alert, resolve, reject });
    return promise;
  }

  /**
   * Adds a sample to the next `monitoringData` message, and sends it once it
   * holds `samplesPerMessage` samples.
   *
   * @param sample The sample.
   */
  async sendMonitoringData(sample: NodeMonitoringSample): Promise<void> {
    const node = this.#nodes.get(sample.nodeId) ??
      { nodeId: sample.nodeId, states: [], items: [] };
    this.#nodes.set(sample.nodeId, node);
    node.items.push(sample.monitoringData);
    for (const instance of sample.instances) {
      const key = instanceKey(instance.instanceIdent);
      let report = this.#instances.get(key);
      if (report === undefined) {
        report = {
          ...identOf(instance.instanceIdent),
          nodeId: sample.nodeId,
          states: [],
          items: [],
        };
        this.#instances.set(key, report);
      }
      report.items.push(instance.monitoringData);
    }
    if (++this.#samples >= this.#samplesPerMessage) await this.flush();
  }

  /** Sends the samples collected so far, if any. */
  async flush(): Promise<void> {
    if (this.#samples === 0) return;
    const message: CloudMonitoringMessage = {
      messageType: "monitoringData",
      nodes: [...this.#nodes.values()],
      instances: [...this.#instances.values()],
    };
    this.#nodes = new Map();
    this.#instances = new Map();
    this.#samples = 0;
    await this.#send(message);
  }

  async #sendAlerts(): Promise<void> {
    const pending = this.#alerts;
    this.#alerts = [];
    for (let i = 0; i < pending.length; i += MAX_ALERTS) {
      const batch = pending.slice(i, i + MAX_ALERTS);
      try {
        await this.#send({ messageType: "alerts", items: batch.map((p) => p.alert) });
        for (const p of batch) p.resolve();
      } catch (err) {
        for (const p of batch) p.reject(err);
      }
    }
  }
}

function identOf(ident: InstanceIdent): InstanceIdent {
  const copy: InstanceIdent = {
    itemId: ident.itemId,
    subjectId: ident.subjectId,
    instance: ident.instance,
  };
  if (ident.preinstalled !== undefined) copy.preinstalled = ident.preinstalled;
  return copy;
}
