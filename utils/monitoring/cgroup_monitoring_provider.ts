// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * The usage of service instances read from their cgroup v2 directories: CPU
 * from `cpu.stat` (`usage_usec`), RAM from `memory.current`.
 *
 * On Deno, reading `/sys/fs/cgroup` needs `--allow-all` or `--allow-ffi` (the
 * files are then read through libc); on Node nothing is needed.
 *
 * @module
 */

import { type InstanceIdent, instanceKey } from "../instances.ts";
import { readKernelFile } from "./_kernel_file.ts";
import { parseCpuStatUsage, parseInteger, parseProcStat } from "./_proc.ts";
import { DEFAULT_DMIPS_PER_CPU } from "./node_monitoring_provider.ts";
import type { InstanceMonitoringSample, InstanceUsageProvider } from "./types.ts";
import { hasErrno } from "../errors.ts";

/** Options of the {@linkcode CgroupMonitoringProvider} constructor. */
export interface CgroupMonitoringProviderOptions {
  /**
   * The cgroup v2 directory of an instance, such as
   * `/sys/fs/cgroup/system.slice/aos-service@svc.service`.
   *
   * @param ident The instance.
   * @returns An absolute path.
   */
  cgroupPath(ident: InstanceIdent): string;
  /**
   * The runtime that runs an instance, reported with its samples.
   * @default {() => ""}
   */
  runtimeId?: (ident: InstanceIdent) => string;
  /**
   * CPU capacity of the node in DMIPS (`NodeInfo.maxDMIPS`): an instance's
   * CPU figure is its share of all CPUs times this.
   * @default {100 per online CPU}
   */
  maxDMIPS?: number;
  /**
   * The clock that stamps samples.
   *
   * @default {() => new Date()}
   */
  now?: () => Date;
  /**
   * A monotonic clock in ms that times the CPU rate.
   *
   * @default {() => performance.now()}
   */
  monotonicNow?: () => number;
}

interface CpuReading {
  usageUsec: number;
  at: number;
}

// A reading older than this belongs to an instance that is no longer asked about.
const STALE_MS = 10 * 60_000;

/**
 * Reads instance usage from cgroup v2. CPU is a rate: each sample covers the
 * time since the previous sample of the same instance (the first one reads
 * 0). Without the memory controller in the cgroup (no `memory.current`, as on
 * a hybrid cgroup v1/v2 system) RAM reads 0.
 *
 * @example
 * ```ts ignore
 * import { CgroupMonitoringProvider } from "@aoscore/common/utils/monitoring";
 *
 * const provider = new CgroupMonitoringProvider({
 *   cgroupPath: (ident) => `/sys/fs/cgroup/system.slice/aos-${ident.itemId}-${ident.instance}.scope`,
 *   runtimeId: () => "crun",
 * });
 * const sample = await provider.getInstanceMonitoringData({ itemId: "svc", subjectId: "user", instance: 0 });
 * console.log(sample.monitoringData.cpu, sample.monitoringData.ram);
 * ```
 */
export class CgroupMonitoringProvider implements InstanceUsageProvider {
  readonly #cgroupPath: (ident: InstanceIdent) => string;
  readonly #runtimeId: (ident: InstanceIdent) => string;
  readonly #maxDMIPS: number | undefined;
  readonly #now: () => Date;
  readonly #monotonicNow: () => number;
  #cpus: number | undefined;
  readonly #readings = new Map<string, CpuReading>();

  /**
   * Creates a provider; nothing is read until the first sample.
   *
   * @param options Where each instance's cgroup is, its runtime, the node's capacity and clocks.
   */
  constructor(options: CgroupMonitoringProviderOptions) {
    this.#cgroupPath = options.cgroupPath;
    this.#runtimeId = options.runtimeId ?? (() => "");
    this.#maxDMIPS = options.maxDMIPS;
    this.#now = options.now ?? (() => new Date());
    this.#monotonicNow = options.monotonicNow ?? (() => performance.now());
  }

  /**
   * Reads an instance's usage now.
   *
   * @param ident The instance.
   * @returns CPU (DMIPS) since the previous sample and RAM in use; no partitions or traffic.
   * @throws {AosError} `runtime` when the cgroup cannot be read (it does not exist, say),
   *   `failed` when a file cannot be parsed, `notSupported` on Deno without `--allow-all` or
   *   `--allow-ffi`.
   */
  getInstanceMonitoringData(ident: InstanceIdent): Promise<InstanceMonitoringSample> {
    try {
      return Promise.resolve(this.#read(ident));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  #read(ident: InstanceIdent): InstanceMonitoringSample {
    const dir = this.#cgroupPath(ident);
    const timestamp = this.#now();
    const at = this.#monotonicNow();
    const cpuStat = `${dir}/cpu.stat`;
    const usageUsec = parseCpuStatUsage(readKernelFile(cpuStat), cpuStat);
    const key = instanceKey(ident);
    const last = this.#readings.get(key);
    this.#readings.set(key, { usageUsec, at });
    this.#forgetStale(at);
    let share = 0;
    if (last !== undefined && at > last.at && usageUsec >= last.usageUsec) {
      share = (usageUsec - last.usageUsec) / ((at - last.at) * 1000 * this.#onlineCpus());
    }
    return {
      instanceIdent: { ...ident },
      runtimeId: this.#runtimeId(ident),
      monitoringData: {
        timestamp,
        cpu: share * (this.#maxDMIPS ?? DEFAULT_DMIPS_PER_CPU * this.#onlineCpus()),
        ram: this.#readMemory(`${dir}/memory.current`),
        download: 0,
        upload: 0,
        partitions: [],
      },
    };
  }

  #readMemory(path: string): number {
    try {
      return parseInteger(readKernelFile(path), path);
    } catch (err) {
      if (hasErrno(err, "ENOENT")) return 0;
      throw err;
    }
  }

  #onlineCpus(): number {
    return this.#cpus ??= parseProcStat(readKernelFile("/proc/stat")).cpus;
  }

  #forgetStale(now: number): void {
    for (const [key, reading] of this.#readings) {
      if (now - reading.at > STALE_MS) this.#readings.delete(key);
    }
  }
}
