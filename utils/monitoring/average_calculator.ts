// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Moving averages of monitoring samples, as AosCore computes them: an
 * exponential moving average with α = 1/N (N = average window / poll
 * period), seeded with the first sample.
 *
 * @module
 */

import { AosError } from "../errors.ts";
import { type InstanceIdent, instanceKey } from "../instances.ts";
import type {
  InstanceMonitoringSample,
  MonitoringData,
  NodeMonitoringSample,
  PartitionUsage,
} from "./types.ts";

/**
 * Which behaviour to follow where AosCore's monitoring has known defects:
 * `fixed` (the default) corrects them, `reference` reproduces them for
 * side-by-side comparisons with AosCore.
 */
export type MonitoringCompat = "fixed" | "reference";

/** Options of the {@linkcode AverageCalculator} constructor. */
export interface AverageCalculatorOptions {
  /**
   * `fixed` seeds a partition that first appears after the first sample
   * with N times its value (AosCore seeds it with `2x − x/N`, so its average
   * starts near twice the value), and fills `nodeId`, `timestamp` and each
   * instance's `runtimeId` in the averages (AosCore leaves them empty).
   * @default {"fixed"}
   */
  compat?: MonitoringCompat;
  /**
   * The clock that stamps the averages (`fixed` only).
   *
   * @default {() => new Date()}
   */
  now?: () => Date;
}

/** Running sums of one node or instance. */
interface Accumulator {
  initialized: boolean;
  cpu: number;
  ram: number;
  download: number;
  upload: number;
  partitions: Map<string, number>;
  runtimeId: string;
}

/**
 * Averages the samples of a node and of the instances registered with it.
 * Each value `x` updates a running sum `A` as `A ← A − A/N + x` (`A/N`
 * rounded half up for the integer figures, exact for CPU) and the average
 * reads as `A/N` (rounded likewise); the first sample sets `A = x·N`.
 *
 * @example
 * ```ts
 * import { AverageCalculator } from "@aoscore/common/utils/monitoring";
 * import assert from "node:assert/strict";
 *
 * const average = new AverageCalculator(3);
 * const ident = { itemId: "svc", subjectId: "user", instance: 0 };
 * average.startInstanceMonitoring(ident);
 * const data = (cpu: number) => ({
 *   timestamp: new Date(), cpu, ram: 0, download: 0, upload: 0, partitions: [],
 * });
 * for (const cpu of [0, 900, 1200]) {
 *   average.update({
 *     nodeId: "main",
 *     monitoringData: data(cpu),
 *     instances: [{ instanceIdent: ident, runtimeId: "crun", monitoringData: data(cpu / 3) }],
 *   });
 * }
 * const avg = average.getAverageMonitoringData();
 * assert.equal(avg.monitoringData.cpu, 600);
 * assert.equal(avg.instances[0]!.monitoringData.cpu, 200);
 * ```
 */
export class AverageCalculator {
  /** N: how many samples the window holds. */
  readonly windowCount: number;
  readonly #compat: MonitoringCompat;
  readonly #now: () => Date;
  #nodeId = "";
  readonly #node: Accumulator = emptyAccumulator();
  // Registration order is the read-out order; Map keeps it.
  readonly #instances = new Map<string, { ident: InstanceIdent; acc: Accumulator }>();

  /**
   * Creates a calculator with nothing averaged yet.
   *
   * @param windowCount N, the number of samples in the window (average window / poll period).
   * @param options Compatibility mode and clock.
   * @throws {AosError} `invalidArgument` when `windowCount` is not a positive integer.
   */
  constructor(windowCount: number, options: AverageCalculatorOptions = {}) {
    if (!Number.isSafeInteger(windowCount) || windowCount < 1) {
      throw new AosError(
        "invalidArgument",
        `Cannot average: invalid window count ${windowCount}`,
      );
    }
    this.windowCount = windowCount;
    this.#compat = options.compat ?? "fixed";
    this.#now = options.now ?? (() => new Date());
  }

  /**
   * Registers an instance; it reads as zeros until its first sample.
   *
   * @param ident The instance.
   * @throws {AosError} `alreadyExist` when it is registered already.
   */
  startInstanceMonitoring(ident: InstanceIdent): void {
    const key = instanceKey(ident);
    if (this.#instances.has(key)) {
      throw new AosError("alreadyExist", `instance ${key} is averaged already`);
    }
    this.#instances.set(key, { ident: { ...ident }, acc: emptyAccumulator() });
  }

  /**
   * Forgets an instance and its averages.
   *
   * @param ident The instance.
   * @throws {AosError} `notFound` when it is not registered.
   */
  stopInstanceMonitoring(ident: InstanceIdent): void {
    const key = instanceKey(ident);
    if (!this.#instances.delete(key)) {
      throw new AosError("notFound", `instance ${key} is not averaged`);
    }
  }

  /**
   * Adds one sample: the node's figures, then each instance's.
   *
   * @param sample The sample.
   * @throws {AosError} `notFound` for an instance that is not registered; the node and the
   *   instances before it are updated already (as in AosCore).
   */
  update(sample: NodeMonitoringSample): void {
    this.#nodeId = sample.nodeId;
    this.#add(this.#node, sample.monitoringData);
    for (const instance of sample.instances) {
      const key = instanceKey(instance.instanceIdent);
      const entry = this.#instances.get(key);
      if (entry === undefined) throw new AosError("notFound", `instance ${key} is not averaged`);
      entry.acc.runtimeId = instance.runtimeId;
      this.#add(entry.acc, instance.monitoringData);
    }
  }

  /**
   * The averages of the node and of every registered instance.
   *
   * @returns The averages; instances in registration order.
   */
  getAverageMonitoringData(): NodeMonitoringSample {
    const fixed = this.#compat === "fixed";
    const timestamp = fixed ? this.#now() : new Date(0);
    const instances: InstanceMonitoringSample[] = [];
    for (const { ident, acc } of this.#instances.values()) {
      instances.push({
        instanceIdent: { ...ident },
        runtimeId: fixed ? acc.runtimeId : "",
        monitoringData: this.#average(acc, timestamp),
      });
    }
    return {
      nodeId: fixed ? this.#nodeId : "",
      monitoringData: this.#average(this.#node, timestamp),
      instances,
    };
  }

  #add(acc: Accumulator, data: MonitoringData): void {
    const n = this.windowCount;
    const step = (sum: number, x: number, round: (v: number) => number): number =>
      acc.initialized ? sum - round(sum / n) + x : x * n;
    acc.cpu = step(acc.cpu, data.cpu, exact);
    acc.ram = step(acc.ram, data.ram, roundHalfUp);
    acc.download = step(acc.download, data.download, roundHalfUp);
    acc.upload = step(acc.upload, data.upload, roundHalfUp);
    for (const { name, usedSize } of data.partitions) {
      const sum = acc.partitions.get(name);
      if (sum !== undefined) {
        acc.partitions.set(name, step(sum, usedSize, roundHalfUp));
      } else if (!acc.initialized || this.#compat === "fixed") {
        acc.partitions.set(name, usedSize * n);
      } else {
        // AosCore seeds a partition that appears late with its value and then
        // applies the update rule: 2x − x/N.
        acc.partitions.set(name, 2 * usedSize - roundHalfUp(usedSize / n));
      }
    }
    acc.initialized = true;
  }

  #average(acc: Accumulator, timestamp: Date): MonitoringData {
    const n = this.windowCount;
    const partitions: PartitionUsage[] = [];
    for (const [name, sum] of acc.partitions) {
      partitions.push({ name, usedSize: roundHalfUp(sum / n) });
    }
    return {
      timestamp,
      cpu: acc.cpu / n,
      ram: roundHalfUp(acc.ram / n),
      download: roundHalfUp(acc.download / n),
      upload: roundHalfUp(acc.upload / n),
      partitions,
    };
  }
}

function emptyAccumulator(): Accumulator {
  return {
    initialized: false,
    cpu: 0,
    ram: 0,
    download: 0,
    upload: 0,
    partitions: new Map(),
    runtimeId: "",
  };
}

function roundHalfUp(value: number): number {
  return Math.floor(value + 0.5);
}

function exact(value: number): number {
  return value;
}
