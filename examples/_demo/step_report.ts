// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Step 5: the unit reports. The download progress alerts of step 4 went out
 * as `alerts` messages while the download ran; this step waits until the
 * cloud acked each one, then sends a full `unitStatus` (this machine as the
 * node, the new version installed, the old one removed) and waits for its
 * ack too. The cloud's record of what it received is the proof.
 *
 * @module
 */
import type { UnitStatus } from "../../cloudprotocol/mod.ts";
import { localNodeInfo } from "../../utils/monitoring/mod.ts";
import type { DemoContext } from "./context.ts";
import type { Step } from "./runner.ts";
import { detail, formatBytes } from "./ui.ts";

/** Step 5. */
export const reportStep: Step = {
  title: "the unit reports to the cloud",
  needs: [4],
  async run(ctx: DemoContext) {
    const image = ctx.desired!.items[0]!;
    await Promise.all(ctx.pendingAlerts);
    const alerts = ctx.cloud.messages("alerts").flatMap((m) => m.items);
    const states = new Map<string, number>();
    for (const alert of alerts) {
      if (alert.tag === "downloadProgressAlert") {
        states.set(alert.state, (states.get(alert.state) ?? 0) + 1);
      }
    }
    detail(`download alerts acked: ${[...states].map(([s, n]) => `${n} ${s}`).join(", ")}`);

    const node = await localNodeInfo({ nodeId: ctx.nodeId });
    const status: UnitStatus = {
      messageType: "unitStatus",
      isDeltaInfo: false,
      nodes: [{ ...node, runtimes: [], resources: [] }],
      items: [
        { itemId: image.itemId, itemType: "service", version: "1.0.0", state: "removed" },
        { itemId: image.itemId, itemType: "service", version: image.version, state: "installed" },
      ],
      instances: [],
    };
    await ctx.conn.send(status);
    const [received] = ctx.cloud.messages("unitStatus");
    const installed = received?.items?.find((i) => i.state === "installed");
    const threads = node.cpus.reduce((n, cpu) => n + cpu.numThreads, 0);
    detail(
      `the cloud read: node ${received?.nodes?.[0]?.nodeId} (${threads} CPUs, ` +
        `${formatBytes(node.totalRAM)} RAM), ${installed?.itemId} ${installed?.version} ` +
        `${installed?.state}`,
    );
    const unacked = ctx.cloud.received.filter((r) =>
      !r.duplicate && !r.acked && r.envelope.data.messageType !== "ack"
    );
    if (unacked.length > 0) throw new Error(`${unacked.length} frames were not acked`);
    const count = ctx.cloud.messages("alerts").length;
    return {
      summary: `${alerts.length} progress alerts in ${count} messages and a unitStatus, ` +
        "each acked",
    };
  },
};
