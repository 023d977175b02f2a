// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Scripted providers and recording senders for ResourceMonitor tests.
import type { Alert } from "../../../utils/alerts.ts";
import type { AlertRules } from "../../../utils/alert_rules.ts";
import { AosError } from "../../../utils/errors.ts";
import {
  type InstanceIdent,
  instanceKey,
  type InstanceStatus,
  type InstanceStatusListener,
} from "../../../utils/instances.ts";
import type {
  NodeConfig,
  NodeConfigListener,
  NodeConfigProvider,
  NodeInfo,
} from "../../../utils/node_info.ts";
import type {
  InstanceInfoProvider,
  InstanceMonitoringParams,
  InstanceMonitoringSample,
  MonitoringData,
  NodeMonitoringSample,
  NodeUsageProvider,
} from "../../../utils/monitoring/types.ts";
import { ListenerSet } from "../../../utils/_listeners.ts";

export const T0 = Date.UTC(2026, 4, 7, 6);

export function nodeInfo(overrides: Partial<NodeInfo> = {}): NodeInfo {
  return {
    nodeId: "node1",
    nodeType: "main",
    title: "Node 1",
    maxDMIPS: 10_000,
    totalRAM: 8192,
    osInfo: { os: "linux", features: [] },
    cpus: [],
    partitions: [
      { name: "state", types: [], path: "/var/aos/state", totalSize: 1024 },
      { name: "storage", types: [], path: "/var/aos/storage", totalSize: 2048 },
    ],
    attrs: [],
    state: "provisioned",
    isConnected: true,
    ...overrides,
  };
}

export function data(
  seconds: number,
  values: { cpu?: number; ram?: number; download?: number; upload?: number } = {},
  partitions: Record<string, number> = {},
): MonitoringData {
  return {
    timestamp: new Date(T0 + seconds * 1000),
    cpu: values.cpu ?? 0,
    ram: values.ram ?? 0,
    download: values.download ?? 0,
    upload: values.upload ?? 0,
    partitions: Object.entries(partitions).map(([name, usedSize]) => ({ name, usedSize })),
  };
}

/** Hands out the queued samples, one per call; throws when told to. */
export class ScriptedNode implements NodeUsageProvider {
  readonly queue: (MonitoringData | Error)[] = [];
  calls = 0;
  getNodeMonitoringData(): Promise<MonitoringData> {
    this.calls++;
    const next = this.queue.shift();
    if (next === undefined) return Promise.reject(new AosError("failed", "no sample queued"));
    return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
  }
}

export class FakeNodeConfig implements NodeConfigProvider {
  readonly listeners = new ListenerSet<NodeConfigListener>("node config", (e) => {
    throw e;
  });
  config: NodeConfig;
  failGet = false;
  constructor(alertRules?: AlertRules) {
    this.config = { nodeId: "node1", nodeType: "main", version: "1", labels: [], priority: 0 };
    if (alertRules !== undefined) this.config.alertRules = alertRules;
  }
  getNodeConfig(): Promise<NodeConfig> {
    if (this.failGet) return Promise.reject(new AosError("failed", "config unavailable"));
    return Promise.resolve(structuredClone(this.config));
  }
  subscribeListener(listener: NodeConfigListener): Disposable {
    return this.listeners.add(listener);
  }
  unsubscribeListener(listener: NodeConfigListener): void {
    this.listeners.delete(listener);
  }
  /** Changes the config and waits for the listeners, as a provider would. */
  async change(alertRules: AlertRules | undefined): Promise<void> {
    this.config = { ...this.config };
    if (alertRules === undefined) delete this.config.alertRules;
    else this.config.alertRules = alertRules;
    const done: Promise<void>[] = [];
    this.listeners.notify((l) => {
      const result = l.onNodeConfigChanged(structuredClone(this.config));
      if (result instanceof Promise) done.push(result);
    });
    await Promise.all(done);
  }
}

/** Instances with scripted statuses, params and usage. */
export class FakeInstances implements InstanceInfoProvider {
  readonly listeners = new ListenerSet<InstanceStatusListener>("instance status", (e) => {
    throw e;
  });
  statuses: InstanceStatus[] = [];
  readonly params = new Map<string, InstanceMonitoringParams | Error>();
  readonly usage = new Map<string, MonitoringData | Error>();
  readonly paramCalls: string[] = [];

  getInstancesStatuses(): Promise<InstanceStatus[]> {
    return Promise.resolve(structuredClone(this.statuses));
  }
  subscribeListener(listener: InstanceStatusListener): Disposable {
    return this.listeners.add(listener);
  }
  unsubscribeListener(listener: InstanceStatusListener): void {
    this.listeners.delete(listener);
  }
  getInstanceMonitoringParams(ident: InstanceIdent): Promise<InstanceMonitoringParams> {
    const key = instanceKey(ident);
    this.paramCalls.push(key);
    const params = this.params.get(key) ?? {};
    return params instanceof Error ? Promise.reject(params) : Promise.resolve(params);
  }
  getInstanceMonitoringData(ident: InstanceIdent): Promise<InstanceMonitoringSample> {
    const usage = this.usage.get(instanceKey(ident));
    if (usage === undefined) return Promise.reject(new AosError("notFound", "no usage"));
    if (usage instanceof Error) return Promise.reject(usage);
    return Promise.resolve({ instanceIdent: ident, runtimeId: "crun", monitoringData: usage });
  }
  /** Reports status changes. */
  notify(statuses: InstanceStatus[]): void {
    this.listeners.notify((l) => l.onInstancesStatusesChanged(statuses));
  }
}

export class Recorder {
  readonly alerts: Alert[] = [];
  readonly samples: NodeMonitoringSample[] = [];
  readonly errors: unknown[] = [];
  failSamples = false;
  readonly alertSender = {
    sendAlert: (alert: Alert): void => void this.alerts.push(alert),
  };
  readonly monitoringSender = {
    sendMonitoringData: (sample: NodeMonitoringSample): void => {
      if (this.failSamples) throw new AosError("failed", "cloud is gone");
      this.samples.push(sample);
    },
  };
  readonly onError = (err: unknown): void => void this.errors.push(err);
  /** Alerts taken so far, as compact `parameter:state:value` strings; clears them. */
  take(): string[] {
    const out = this.alerts.map((a) =>
      "parameter" in a ? `${a.parameter}:${a.state}:${a.value}` : a.tag
    );
    this.alerts.length = 0;
    return out;
  }
}
