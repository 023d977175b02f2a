// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Step 1: the cloud simulator starts on 127.0.0.1 and the unit connects to
 * it as AosCore's communication manager does: `POST /sd` (service
 * discovery) names the WebSocket and hands out a token, then the WebSocket
 * upgrade carries it. Discovery names a counting relay in front of the
 * simulator's WebSocket, so the summary can show the bytes of each step.
 *
 * @module
 */
import { WebSocketCloudConnection } from "../../cloudprotocol/mod.ts";
import { CloudSimulator } from "../../cloudprotocol/testing.ts";
import type { DemoContext } from "./context.ts";
import { Relay } from "./relay.ts";
import type { Step } from "./runner.ts";
import { detail } from "./ui.ts";

/** Step 1. */
export const cloudStep: Step = {
  title: "cloud connection",
  async run(ctx: DemoContext, signal: AbortSignal) {
    const cloud = ctx.use(await CloudSimulator.start({ systemId: ctx.systemId }));
    const simulated = new URL(cloud.webSocketUrl);
    const relay = ctx.use(await Relay.start(Number(simulated.port)));
    ctx.relays.push(relay);
    cloud.connectionInfo = [`ws://127.0.0.1:${relay.port}${simulated.pathname}`];
    detail(`cloud simulator on ${simulated.host}: discovery /sd, WebSocket /ws`);
    detail(`discovery answers the relay ws://127.0.0.1:${relay.port}/ws (counts bytes)`);

    const conn = ctx.use(
      new WebSocketCloudConnection({
        discoveryUrl: cloud.discoveryUrl,
        systemId: ctx.systemId,
        responseTimeoutMs: 5_000,
        reconnect: { initialDelayMs: 200, maxDelayMs: 2_000 },
      }),
    );
    ctx.setCloud(cloud, conn);
    const started = performance.now();
    await conn.connect({ signal });
    await cloud.waitForConnections(1, { signal });
    const ms = performance.now() - started;
    detail(
      `unit ${ctx.systemId.slice(0, 8)}... sent ${cloud.discoveries.length} discovery request`,
    );
    return {
      summary: `connected through service discovery in ${ms.toFixed(0)} ms ` +
        `(WebSocket upgrade ${cloud.upgrades.join(", ")})`,
    };
  },
};
