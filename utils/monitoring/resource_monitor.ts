// Copyright 2026 the aos-common authors. Apache-2.0 license.
// deno-lint-ignore-file no-console
/**
 * The monitor of a node and its instances, as AosCore's monitoring module
 * runs it: every poll period it reads the usage of the node and of the
 * instances it watches, keeps moving averages, checks the alert rules of the
 * node config and of each instance, and sends the sample and the alerts.
 *
 * Beyond AosCore: `start()` undoes what it did when a step fails; `stop()`
 * waits for a running tick; ticks never overlap; an `AbortSignal` stops the
 * monitor; `poll()` takes a sample at once. With `compat: "fixed"` (the
 * default) the monitor also fills the node ID of what it sends, follows
 * changes of the node's information (percent thresholds follow a resize), and
 * sends a `fall` for every raised alert whose rule goes away (config change,
 * instance stop, monitor stop); `compat: "reference"` keeps AosCore's
 * behaviour.
 *
 * @module
 */

import type { Alert, AlertSender } from "../alerts.ts";
import type { AlertRules } from "../alert_rules.ts";
import { canceledError } from "../abort.ts";
import { AosError } from "../errors.ts";
import { type InstanceIdent, instanceKey, type InstanceStatus } from "../instances.ts";
import type { NodeConfig, NodeConfigProvider, NodeInfo } from "../node_info.ts";
import { Timer } from "../timer.ts";
import type { CurrentNodeInfoProvider } from "../iam/types.ts";
import { AverageCalculator, type MonitoringCompat } from "./average_calculator.ts";
import { normalize } from "./_normalize.ts";
import { instanceQuotaAlerts, nodeQuotaAlerts, type QuotaAlerts } from "./_quota_alerts.ts";
import type {
  InstanceInfoProvider,
  InstanceMonitoringParams,
  InstanceMonitoringSample,
  MonitoringData,
  MonitoringSender,
  NodeMonitoringSample,
  NodeUsageProvider,
} from "./types.ts";

/** Options of the {@linkcode ResourceMonitor} constructor. */
export interface ResourceMonitorOptions {
  /** Gives the node's totals (CPU capacity, RAM, partition sizes) and ID. */
  currentNodeInfoProvider: CurrentNodeInfoProvider;
  /** Reads the node's usage; {@linkcode NodeMonitoringProvider} reads it from Linux. */
  nodeMonitoringProvider: NodeUsageProvider;
  /** Receives each tick's sample. */
  monitoringSender: MonitoringSender;
  /** Receives quota alerts. */
  alertSender: AlertSender;
  /** Gives the node's alert rules and their changes. Without it, `alertRules` apply. */
  nodeConfigProvider?: NodeConfigProvider;
  /**
   * The node's alert rules when there is no `nodeConfigProvider`.
   *
   * @default {none}
   */
  alertRules?: AlertRules;
  /** Tells which instances run, how to watch them and their usage; without it only the node is watched. */
  instanceInfoProvider?: InstanceInfoProvider;
  /**
   * Time between samples, in ms.
   *
   * @default {10000}
   */
  pollPeriodMs?: number;
  /**
   * Window of the moving averages, in ms; holds `averageWindowMs / pollPeriodMs` samples (at least 1).
   *
   * @default {60000}
   */
  averageWindowMs?: number;
  /**
   * `fixed` corrects AosCore's known defects, `reference` keeps them (see the module doc).
   *
   * @default {"fixed"}
   */
  compat?: MonitoringCompat;
  /**
   * The clock that stamps samples a provider failed to read.
   *
   * @default {() => new Date()}
   */
  now?: () => Date;
  /**
   * Receives failures that do not stop the monitor (a provider or sender
   * that throws, a rule of an unknown partition).
   * @default {Writes the error to `console.error`.}
   */
  onError?: (err: unknown) => void;
}

/** Options of {@linkcode ResourceMonitor.start}. */
export interface ResourceMonitorStartOptions {
  /** Stops the monitor when aborted. */
  signal?: AbortSignal;
}

interface Watched {
  ident: InstanceIdent;
  params: InstanceMonitoringParams;
  alerts: QuotaAlerts;
}

/**
 * Polls, averages, raises alerts and sends monitoring data.
 *
 * @example
 * ```ts
 * import { InMemoryIamProvider } from "@aoscore/common/utils/iam";
 * import { type NodeMonitoringSample, ResourceMonitor } from "@aoscore/common/utils/monitoring";
 * import type { Alert } from "@aoscore/common/utils";
 * import assert from "node:assert/strict";
 *
 * const iam = new InMemoryIamProvider({
 *   nodeInfo: {
 *     nodeId: "main", nodeType: "main", title: "Main", maxDMIPS: 1000, totalRAM: 1000,
 *     osInfo: { os: "linux", features: [] }, cpus: [], partitions: [], attrs: [],
 *     state: "provisioned", isConnected: true,
 *   },
 * });
 * const alerts: Alert[] = [];
 * const samples: NodeMonitoringSample[] = [];
 * await using monitor = new ResourceMonitor({
 *   currentNodeInfoProvider: iam.currentNodeInfoProvider,
 *   nodeMonitoringProvider: {
 *     getNodeMonitoringData: () =>
 *       Promise.resolve({ timestamp: new Date(), cpu: 950, ram: 100, download: 0, upload: 0, partitions: [] }),
 *   },
 *   alertRules: { cpu: { minThreshold: 50, maxThreshold: 90, minTimeoutMs: 0 }, partitions: [] },
 *   monitoringSender: { sendMonitoringData: (sample) => void samples.push(sample) },
 *   alertSender: { sendAlert: (alert) => void alerts.push(alert) },
 * });
 * await monitor.start();
 * await monitor.poll();
 * assert.equal(samples[0]?.nodeId, "main");
 * assert.equal(alerts[0]?.tag, "systemQuotaAlert");
 * ```
 */
export class ResourceMonitor implements AsyncDisposable {
  readonly #options: ResourceMonitorOptions;
  readonly #pollPeriodMs: number;
  readonly #fixed: boolean;
  readonly #now: () => Date;
  readonly #onError: (err: unknown) => void;
  readonly #average: AverageCalculator;
  readonly #timer = new Timer();
  #running = false;
  #queue: Promise<unknown> = Promise.resolve();
  #nodeInfo: NodeInfo | undefined;
  #rules: AlertRules | undefined;
  #nodeAlerts: QuotaAlerts | undefined;
  readonly #watched = new Map<string, Watched>();
  #undo: (() => void)[] = [];

  readonly #statusListener = {
    onInstancesStatusesChanged: (statuses: InstanceStatus[]): void => {
      this.#serial(() => this.#applyStatuses(statuses)).catch(this.#onError);
    },
  };
  readonly #configListener = {
    onNodeConfigChanged: (config: NodeConfig): Promise<void> =>
      this.#serial(() => this.#setRules(config.alertRules)),
  };
  readonly #nodeInfoListener = {
    onCurrentNodeInfoChanged: (info: NodeInfo): void => {
      this.#serial(() => this.#setNodeInfo(info)).catch(this.#onError);
    },
  };

  /**
   * Creates a stopped monitor.
   *
   * @param options Providers, senders, periods, compatibility mode, clock and error handler.
   * @throws {AosError} `invalidArgument` for a period or window that is not a positive number.
   */
  constructor(options: ResourceMonitorOptions) {
    const { pollPeriodMs = 10_000, averageWindowMs = 60_000 } = options;
    checkPeriod("pollPeriodMs", pollPeriodMs);
    checkPeriod("averageWindowMs", averageWindowMs);
    this.#options = options;
    this.#pollPeriodMs = pollPeriodMs;
    this.#fixed = (options.compat ?? "fixed") === "fixed";
    this.#now = options.now ?? (() => new Date());
    this.#onError = options.onError ?? ((err) => console.error(`monitoring: ${err}`));
    const windowCount = Math.max(1, Math.floor(averageWindowMs / pollPeriodMs));
    this.#average = new AverageCalculator(windowCount, {
      compat: options.compat ?? "fixed",
      now: this.#now,
    });
  }

  /** Whether the monitor is started. */
  get running(): boolean {
    return this.#running;
  }

  /**
   * Reads the node's information, starts watching the running instances and
   * the node config, and arms the poll timer (the first tick comes one poll
   * period later). On failure everything done so far is undone.
   *
   * @param options An abort signal that stops the monitor.
   * @throws {AosError} `wrongState` when started already; what a provider throws.
   */
  async start(options: ResourceMonitorStartOptions = {}): Promise<void> {
    if (this.#running) throw new AosError("wrongState", "monitor is started already");
    const { signal } = options;
    if (signal?.aborted) throw canceledError(signal, "monitor start canceled");
    this.#running = true;
    try {
      await this.#serial(() => this.#setUp(signal));
    } catch (err) {
      this.#tearDown();
      this.#forgetInstances();
      this.#running = false;
      throw err;
    }
  }

  /**
   * Stops polling and unsubscribes; waits for a running tick. With
   * `compat: "fixed"` a `fall` is sent for every raised alert.
   *
   * @throws {AosError} `wrongState` when not started; the first error of unsubscribing (every
   *   step is still attempted).
   */
  async stop(): Promise<void> {
    if (!this.#running) throw new AosError("wrongState", "monitor is not started");
    this.#running = false;
    const errors = this.#tearDown();
    await this.#serial(async () => {
      if (!this.#fixed) return;
      const falls = this.#nodeAlerts?.falls(this.#now()) ?? [];
      for (const watched of this.#watched.values()) {
        falls.push(...watched.alerts.falls(this.#now()));
      }
      await this.#sendAlerts(falls);
    });
    this.#forgetInstances();
    this.#nodeAlerts = undefined;
    if (errors.length > 0) throw errors[0];
  }

  /** Stops the monitor if it runs; idempotent. */
  async close(): Promise<void> {
    if (this.#running) await this.stop();
  }

  /** Stops the monitor if it runs. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /**
   * Takes a sample now, as a tick does: reads, averages, checks the alert
   * rules and sends. Runs after a tick in progress, never beside it.
   *
   * @returns The sample as sent (node figures include the instances').
   * @throws {AosError} `wrongState` when the monitor is not started.
   */
  poll(): Promise<NodeMonitoringSample> {
    if (!this.#running) return Promise.reject(new AosError("wrongState", "monitor is not started"));
    return this.#serial(() => this.#tick());
  }

  /**
   * The moving averages of the node and of the watched instances.
   *
   * @returns The averages.
   */
  getAverageMonitoringData(): Promise<NodeMonitoringSample> {
    return this.#serial(() => Promise.resolve(this.#average.getAverageMonitoringData()));
  }

  // Everything that touches the state runs here, one at a time.
  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn);
    this.#queue = run.catch(() => {});
    return run;
  }

  async #setUp(signal: AbortSignal | undefined): Promise<void> {
    const { currentNodeInfoProvider, nodeConfigProvider, instanceInfoProvider } = this.#options;
    this.#nodeInfo = await currentNodeInfoProvider.getCurrentNodeInfo();
    if (this.#fixed) this.#subscribe(currentNodeInfoProvider, this.#nodeInfoListener);
    if (instanceInfoProvider !== undefined) {
      await this.#applyStatuses(await instanceInfoProvider.getInstancesStatuses());
      this.#subscribe(instanceInfoProvider, this.#statusListener);
    }
    if (nodeConfigProvider !== undefined) {
      this.#subscribe(nodeConfigProvider, this.#configListener);
      await this.#setRules((await nodeConfigProvider.getNodeConfig()).alertRules);
    } else {
      await this.#setRules(this.#options.alertRules);
    }
    this.#timer.start(this.#pollPeriodMs, () => this.#serial(() => this.#tick()).then(() => {}), {
      oneShot: false,
      onError: this.#onError,
    });
    this.#undo.push(() => this.#timer.stop());
    if (signal !== undefined) {
      const onAbort = () => void this.close().catch(this.#onError);
      signal.addEventListener("abort", onAbort, { once: true });
      this.#undo.push(() => signal.removeEventListener("abort", onAbort));
    }
  }

  #subscribe<L>(
    provider: { subscribeListener(l: L): Disposable; unsubscribeListener(l: L): void },
    listener: L,
  ): void {
    provider.subscribeListener(listener);
    this.#undo.push(() => provider.unsubscribeListener(listener));
  }

  /** Undoes the set-up in reverse order; returns what failed. */
  #tearDown(): unknown[] {
    const errors: unknown[] = [];
    for (const undo of this.#undo.reverse()) {
      try {
        undo();
      } catch (err) {
        errors.push(err);
      }
    }
    this.#undo = [];
    return errors;
  }

  /** Stops watching every instance (a restart watches them again). */
  #forgetInstances(): void {
    for (const { ident } of this.#watched.values()) this.#average.stopInstanceMonitoring(ident);
    this.#watched.clear();
  }

  async #tick(): Promise<NodeMonitoringSample> {
    const nodeInfo = this.#nodeInfo!;
    const instances: InstanceMonitoringSample[] = [];
    for (const { ident } of this.#watched.values()) {
      try {
        instances.push(await this.#options.instanceInfoProvider!.getInstanceMonitoringData(ident));
      } catch (err) {
        this.#onError(AosError.wrap(err, undefined, `can't read usage of ${instanceKey(ident)}`));
      }
    }
    let data: MonitoringData;
    try {
      data = await this.#options.nodeMonitoringProvider.getNodeMonitoringData();
    } catch (err) {
      this.#onError(AosError.wrap(err, undefined, "can't read node usage"));
      data = { timestamp: this.#now(), cpu: 0, ram: 0, download: 0, upload: 0, partitions: [] };
    }
    const sample: NodeMonitoringSample = {
      nodeId: this.#fixed ? nodeInfo.nodeId : "",
      monitoringData: data,
      instances,
    };
    try {
      this.#average.update(sample);
    } catch (err) {
      this.#onError(err);
    }
    const alerts = this.#nodeAlerts?.check(data) ?? [];
    for (const instance of instances) {
      const watched = this.#watched.get(instanceKey(instance.instanceIdent));
      if (watched !== undefined) alerts.push(...watched.alerts.check(instance.monitoringData));
    }
    await this.#sendAlerts(alerts);
    const normalized = normalize(sample);
    try {
      await this.#options.monitoringSender.sendMonitoringData(normalized);
    } catch (err) {
      this.#onError(AosError.wrap(err, undefined, "can't send monitoring data"));
    }
    return normalized;
  }

  // Handed over in order and awaited together, so a sender may batch them.
  async #sendAlerts(alerts: Alert[]): Promise<void> {
    const sent = await Promise.allSettled(alerts.map(async (alert) => {
      await this.#options.alertSender.sendAlert(alert);
    }));
    for (const result of sent) {
      if (result.status === "rejected") {
        this.#onError(AosError.wrap(result.reason, undefined, "can't send alert"));
      }
    }
  }

  async #setRules(rules: AlertRules | undefined): Promise<void> {
    const falls = this.#nodeAlerts?.falls(this.#now()) ?? [];
    this.#rules = rules;
    this.#nodeAlerts = this.#nodeQuotaAlerts();
    if (this.#fixed) await this.#sendAlerts(falls);
  }

  async #setNodeInfo(info: NodeInfo): Promise<void> {
    this.#nodeInfo = info;
    // Rebuild every processor against the new totals.
    await this.#setRules(this.#rules);
    for (const watched of this.#watched.values()) {
      await this.#sendAlerts(watched.alerts.falls(this.#now()));
      watched.alerts = this.#instanceQuotaAlerts(watched.ident, watched.params);
    }
  }

  #nodeQuotaAlerts(): QuotaAlerts {
    return nodeQuotaAlerts(this.#rules, this.#nodeInfo!, this.#onError);
  }

  #instanceQuotaAlerts(ident: InstanceIdent, params: InstanceMonitoringParams): QuotaAlerts {
    return instanceQuotaAlerts(ident, params.alertRules, this.#nodeInfo!, this.#onError);
  }

  async #applyStatuses(statuses: InstanceStatus[]): Promise<void> {
    for (const status of statuses) {
      const ident: InstanceIdent = {
        itemId: status.itemId,
        subjectId: status.subjectId,
        instance: status.instance,
      };
      if (status.preinstalled !== undefined) ident.preinstalled = status.preinstalled;
      if (status.state === "active" || status.state === "activating") {
        await this.#watch(ident);
      } else {
        await this.#unwatch(ident);
      }
    }
  }

  async #watch(ident: InstanceIdent): Promise<void> {
    const key = instanceKey(ident);
    if (this.#watched.has(key)) return;
    let params: InstanceMonitoringParams;
    try {
      params = await this.#options.instanceInfoProvider!.getInstanceMonitoringParams(ident);
    } catch (err) {
      // notSupported: this instance is not to be monitored; nothing to report.
      if (!(err instanceof AosError && err.kind === "notSupported")) {
        this.#onError(AosError.wrap(err, undefined, `can't get monitoring params of ${key}`));
      }
      return;
    }
    try {
      this.#average.startInstanceMonitoring(ident);
    } catch (err) {
      this.#onError(err);
      return;
    }
    this.#watched.set(key, { ident, params, alerts: this.#instanceQuotaAlerts(ident, params) });
  }

  async #unwatch(ident: InstanceIdent): Promise<void> {
    const key = instanceKey(ident);
    const watched = this.#watched.get(key);
    if (watched === undefined) return;
    this.#watched.delete(key);
    try {
      this.#average.stopInstanceMonitoring(ident);
    } catch {
      // Not averaged: nothing to forget.
    }
    if (this.#fixed) await this.#sendAlerts(watched.alerts.falls(this.#now()));
  }
}

function checkPeriod(name: string, ms: number): void {
  if (!(ms > 0) || !Number.isFinite(ms)) {
    throw new AosError("invalidArgument", `Cannot create monitor: invalid ${name} ${ms}`);
  }
}
