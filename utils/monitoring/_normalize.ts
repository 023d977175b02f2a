// Copyright 2026 the aos-common authors. Apache-2.0 license.
// What a monitor sends of a sample, as AosCore's monitoring prepares it.

import type { MonitoringData, NodeMonitoringSample } from "./types.ts";

/**
 * The sample as sent: instance samples carry the node's timestamp, and each
 * node figure is at least the sum of the instances' (partitions: at least
 * the largest instance usage; a partition only instances report is added).
 */
export function normalize(sample: NodeMonitoringSample): NodeMonitoringSample {
  const node = sample.monitoringData;
  const data: MonitoringData = { ...node, partitions: node.partitions.map((p) => ({ ...p })) };
  const sums = { cpu: 0, ram: 0, download: 0, upload: 0 };
  const instances = sample.instances.map((instance) => {
    const own = instance.monitoringData;
    sums.cpu += own.cpu;
    sums.ram += own.ram;
    sums.download += own.download;
    sums.upload += own.upload;
    for (const usage of own.partitions) {
      const same = data.partitions.find((p) => p.name === usage.name);
      if (same === undefined) data.partitions.push({ ...usage });
      else same.usedSize = Math.max(same.usedSize, usage.usedSize);
    }
    return { ...instance, monitoringData: { ...own, timestamp: node.timestamp } };
  });
  data.cpu = Math.max(data.cpu, sums.cpu);
  data.ram = Math.max(data.ram, sums.ram);
  data.download = Math.max(data.download, sums.download);
  data.upload = Math.max(data.upload, sums.upload);
  return { nodeId: sample.nodeId, monitoringData: data, instances };
}
