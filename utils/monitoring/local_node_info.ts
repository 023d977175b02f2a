// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * The {@linkcode NodeInfo} of the machine this program runs on, read from
 * the kernel: for an {@linkcode InMemoryIamProvider} or a monitor on a
 * machine without an IAM service.
 *
 * @module
 */

import { arch, hostname, release } from "node:os";
import { getTotalSize } from "../fs_platform.ts";
import type { NodeInfo, PartitionInfo } from "../node_info.ts";
import { readKernelFile } from "./_kernel_file.ts";
import { parseCpuModel, parseMeminfo, parseProcStat } from "./_proc.ts";
import { DEFAULT_DMIPS_PER_CPU } from "./node_monitoring_provider.ts";

/** Options of {@linkcode localNodeInfo}. */
export interface LocalNodeInfoOptions {
  /**
   * Node ID.
   *
   * @default {the host name}
   */
  nodeId?: string;
  /**
   * Node type.
   *
   * @default {"main"}
   */
  nodeType?: string;
  /**
   * CPU capacity in DMIPS.
   *
   * @default {100 per online CPU}
   */
  maxDMIPS?: number;
  /**
   * Partitions to describe; their sizes come from `statfs`.
   *
   * @default {[]}
   */
  partitions?: readonly Pick<PartitionInfo, "name" | "path" | "types">[];
}

// Node's names of architectures, as AosCore names them.
const ARCHITECTURES: Readonly<Record<string, string>> = { x64: "amd64", ia32: "386" };

/**
 * Describes this machine: online CPUs and their model (`/proc/stat`,
 * `/proc/cpuinfo`), RAM (`/proc/meminfo`), the given partitions' sizes,
 * the kernel release. The node is `provisioned` and connected, with no
 * attributes.
 *
 * Deno needs `--allow-sys`, and `--allow-all` or `--allow-ffi` to read `/proc`.
 *
 * @example
 * ```ts
 * import { localNodeInfo } from "@aoscore/common/utils/monitoring";
 * import assert from "node:assert/strict";
 *
 * const info = await localNodeInfo({ nodeId: "main", partitions: [{ name: "root", path: "/", types: [] }] });
 * assert.ok(info.totalRAM > 0);
 * assert.ok(info.partitions[0]!.totalSize > 0);
 * ```
 *
 * @param options Node ID and type, capacity and partitions.
 * @returns The node's information.
 */
export async function localNodeInfo(options: LocalNodeInfoOptions = {}): Promise<NodeInfo> {
  const { cpus } = parseProcStat(readKernelFile("/proc/stat"));
  const memory = parseMeminfo(readKernelFile("/proc/meminfo"));
  const nodeId = options.nodeId ?? hostname();
  const partitions = await Promise.all(
    (options.partitions ?? []).map(async ({ name, path, types }) => ({
      name,
      types: [...types],
      path,
      totalSize: await getTotalSize(path),
    })),
  );
  return {
    nodeId,
    nodeType: options.nodeType ?? "main",
    title: nodeId,
    maxDMIPS: options.maxDMIPS ?? DEFAULT_DMIPS_PER_CPU * cpus,
    totalRAM: memory.total,
    physicalRAM: memory.total,
    osInfo: { os: "linux", version: release(), features: [] },
    cpus: [{
      modelName: parseCpuModel(readKernelFile("/proc/cpuinfo")),
      numCores: cpus,
      numThreads: cpus,
      archInfo: { architecture: ARCHITECTURES[arch()] ?? arch() },
    }],
    partitions,
    attrs: [],
    state: "provisioned",
    isConnected: true,
  };
}
