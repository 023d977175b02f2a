// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * The usage of a Linux node, read from the kernel: CPU from `/proc/stat`, RAM
 * from `/proc/meminfo`, partitions from `statfs`, traffic from
 * `/proc/net/dev` (or a {@linkcode TrafficProvider} such as the network
 * module's counters).
 *
 * On Deno, reading `/proc` needs `--allow-all` or `--allow-ffi` (the files
 * are then read through libc), and `statfs` needs `--allow-sys` and
 * `--allow-read` on the partition paths. On Node nothing is needed.
 *
 * @module
 */

import type { AosError } from "../errors.ts";
import { getUsedSize } from "../fs_platform.ts";
import type { PartitionInfo } from "../node_info.ts";
import { readKernelFile } from "./_kernel_file.ts";
import { type CpuTimes, parseMeminfo, parseNetDev, parseProcStat } from "./_proc.ts";
import type {
  MonitoringData,
  NodeUsageProvider,
  PartitionUsage,
  TrafficCounters,
  TrafficProvider,
} from "./types.ts";

/** DMIPS of one CPU when no capacity is given: CPU usage then reads like `top`'s %CPU. */
export const DEFAULT_DMIPS_PER_CPU = 100;

/** Options of the {@linkcode NodeMonitoringProvider} constructor. */
export interface NodeMonitoringProviderOptions {
  /**
   * CPU capacity of the node in DMIPS (`NodeInfo.maxDMIPS`); the CPU figure
   * is the busy share of all CPUs times this.
   * @default {100 per online CPU}
   */
  maxDMIPS?: number;
  /**
   * Partitions to report (`NodeInfo.partitions` fits); used space comes from `statfs`.
   *
   * @default {[]}
   */
  partitions?: readonly Pick<PartitionInfo, "name" | "path">[];
  /**
   * Interfaces whose traffic counts.
   *
   * @default {every interface but `lo`}
   */
  interfaces?: readonly string[];
  /** Reads traffic instead of `/proc/net/dev`. */
  trafficProvider?: TrafficProvider;
  /**
   * The clock that stamps samples.
   *
   * @default {() => new Date()}
   */
  now?: () => Date;
}

/**
 * Reads the usage of this Linux machine. CPU and traffic are rates: each
 * sample covers the time since the previous one (the first covers the CPU
 * since boot and reports no traffic). A partition whose path the system
 * cannot `statfs` (missing, say) is left out of the sample (the monitor then
 * skips its alert rule for that tick) rather than failing the whole sample.
 *
 * @example
 * ```ts
 * import { NodeMonitoringProvider } from "@aoscore/common/utils/monitoring";
 * import assert from "node:assert/strict";
 *
 * const provider = new NodeMonitoringProvider({ partitions: [{ name: "root", path: "/" }] });
 * const data = await provider.getNodeMonitoringData();
 * assert.ok(data.ram > 0);
 * assert.equal(data.partitions[0]?.name, "root");
 * ```
 */
export class NodeMonitoringProvider implements NodeUsageProvider {
  readonly #maxDMIPS: number | undefined;
  readonly #partitions: readonly Pick<PartitionInfo, "name" | "path">[];
  readonly #include: (name: string) => boolean;
  readonly #traffic: TrafficProvider | undefined;
  readonly #now: () => Date;
  #cpu: CpuTimes = { busy: 0, total: 0, cpus: 1 };
  #cpuShare = 0;
  #counters: TrafficCounters | undefined;

  /**
   * Creates a provider; nothing is read until the first sample.
   *
   * @param options Capacity, partitions, interfaces, traffic source and clock.
   */
  constructor(options: NodeMonitoringProviderOptions = {}) {
    this.#maxDMIPS = options.maxDMIPS;
    this.#partitions = [...(options.partitions ?? [])];
    const interfaces = options.interfaces;
    this.#include = interfaces === undefined
      ? (name) => name !== "lo"
      : (name) => interfaces.includes(name);
    this.#traffic = options.trafficProvider;
    this.#now = options.now ?? (() => new Date());
  }

  /**
   * Reads the node's usage now.
   *
   * @returns CPU (DMIPS), RAM in use (`MemTotal − MemAvailable`), used bytes of each
   *   partition, and bytes received and sent since the previous sample.
   * @throws {AosError} `runtime` when a kernel file cannot be read, `failed` when one cannot be
   *   parsed, `notSupported` on Deno without `--allow-all` or `--allow-ffi`.
   */
  async getNodeMonitoringData(): Promise<MonitoringData> {
    const timestamp = this.#now();
    const cpu = this.#readCpu();
    const memory = parseMeminfo(readKernelFile("/proc/meminfo"));
    const [traffic, partitions] = await Promise.all([this.#readTraffic(), this.#readPartitions()]);
    return {
      timestamp,
      cpu,
      ram: memory.total - memory.available,
      download: traffic.received,
      upload: traffic.sent,
      partitions,
    };
  }

  #readCpu(): number {
    const now = parseProcStat(readKernelFile("/proc/stat"));
    const total = now.total - this.#cpu.total;
    // Two samples within one clock tick: keep the last share.
    if (total > 0) this.#cpuShare = (now.busy - this.#cpu.busy) / total;
    this.#cpu = now;
    return this.#cpuShare * (this.#maxDMIPS ?? DEFAULT_DMIPS_PER_CPU * now.cpus);
  }

  async #readTraffic(): Promise<TrafficCounters> {
    const now = this.#traffic === undefined
      ? parseNetDev(readKernelFile("/proc/net/dev"), this.#include)
      : await this.#traffic.getSystemTraffic();
    const last = this.#counters;
    this.#counters = now;
    if (last === undefined) return { received: 0, sent: 0 };
    return { received: grown(last.received, now.received), sent: grown(last.sent, now.sent) };
  }

  async #readPartitions(): Promise<PartitionUsage[]> {
    const sizes = await Promise.allSettled(this.#partitions.map((p) => getUsedSize(p.path)));
    const usage: PartitionUsage[] = [];
    sizes.forEach((size, i) => {
      if (size.status === "fulfilled") {
        usage.push({ name: this.#partitions[i]!.name, usedSize: size.value });
      } else if ((size.reason as AosError).errno === undefined) {
        // Not a problem of that path (a missing permission, say): fail the sample.
        throw size.reason;
      }
    });
    return usage;
  }
}

/** How much a counter grew; a counter that went back was reset, so all of it is new. */
function grown(last: number, now: number): number {
  return now >= last ? now - last : now;
}
