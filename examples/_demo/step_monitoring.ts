// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Step 7: the unit monitors this machine (`utils/monitoring`): CPU, RAM,
 * traffic and the demo directory's partition, read from Linux. The RAM alert
 * rule is set to 2 % for the demo, so the first sample raises a
 * `systemQuotaAlert`. Samples go out as `monitoringData`, the alert as an
 * `alerts` message, both through the cloud connection; the cloud's record
 * shows them.
 *
 * @module
 */
import { InMemoryIamProvider } from "../../utils/iam/mod.ts";
import {
  CloudMonitoringSender,
  localNodeInfo,
  NodeMonitoringProvider,
  ResourceMonitor,
} from "../../utils/monitoring/mod.ts";
import { delay } from "../../utils/mod.ts";
import type { DemoContext } from "./context.ts";
import type { Step } from "./runner.ts";
import { detail, formatBytes } from "./ui.ts";

const RAM_ALERT_PERCENT = 2;

/** Step 7. */
export const monitoringStep: Step = {
  title: "the unit monitors this machine",
  needs: [1],
  async run(ctx: DemoContext, signal: AbortSignal) {
    const nodeInfo = await localNodeInfo({
      nodeId: ctx.nodeId,
      partitions: [{ name: "workdir", path: ctx.workDir, types: [] }],
    });
    const sender = new CloudMonitoringSender({ send: (message) => ctx.conn.send(message) });
    const sent = ctx.cloud.messages("monitoringData").length;
    const alertsBefore = ctx.cloud.messages("alerts").length;
    {
      await using monitor = new ResourceMonitor({
        currentNodeInfoProvider: new InMemoryIamProvider({ nodeInfo }).currentNodeInfoProvider,
        nodeMonitoringProvider: new NodeMonitoringProvider({
          maxDMIPS: nodeInfo.maxDMIPS,
          partitions: nodeInfo.partitions,
        }),
        alertRules: {
          ram: { minThreshold: 1, maxThreshold: RAM_ALERT_PERCENT, minTimeoutMs: 0 },
          partitions: [],
        },
        monitoringSender: sender,
        alertSender: sender,
        pollPeriodMs: 60_000,
      });
      await monitor.start({ signal });
      // CPU and traffic are rates over the time between two samples.
      await monitor.poll();
      await delay(500, { signal });
      const { monitoringData: data } = await monitor.poll();
      detail(
        `CPU ${data.cpu.toFixed(0)} of ${nodeInfo.maxDMIPS} DMIPS, RAM ${formatBytes(data.ram)} ` +
          `of ${formatBytes(nodeInfo.totalRAM)}, traffic ${formatBytes(data.download)} in, ` +
          `${formatBytes(data.upload)} out`,
      );
      const part = data.partitions[0];
      if (part !== undefined) {
        detail(
          `partition ${part.name}: ${formatBytes(part.usedSize)} used of ` +
            `${formatBytes(nodeInfo.partitions[0]!.totalSize)}`,
        );
      }
    }
    const samples = await ctx.cloud.waitFor("monitoringData", sent + 1, { signal });
    const [alert] = (await ctx.cloud.waitFor("alerts", alertsBefore + 1, { signal }))
      .slice(alertsBefore)
      .flatMap((m) => m.items)
      .filter((a) => a.tag === "systemQuotaAlert");
    if (alert === undefined) throw new Error("the cloud got no systemQuotaAlert");
    detail(
      `RAM rule ${RAM_ALERT_PERCENT} % (low for the demo): systemQuotaAlert ` +
        `${alert.parameter} ${formatBytes(alert.value)} sent`,
    );
    const items = samples.slice(sent).reduce(
      (n, m) => n + m.nodes.reduce((k, x) => k + x.items.length, 0),
      0,
    );
    return {
      summary: `${items} samples in ${samples.length - sent} monitoringData messages and a ` +
        `${alert.parameter} alert sent`,
    };
  },
};
