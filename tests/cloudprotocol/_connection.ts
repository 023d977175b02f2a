// Copyright 2026 the aos-common authors. Apache-2.0 license.
// A simulated cloud and a connection to it, with timeouts short enough for
// tests, and the messages the tests send and push.
import {
  type CloudDeliveryError,
  type DesiredStatus,
  type MonitoringMessage,
  WebSocketCloudConnection,
  type WebSocketCloudConnectionOptions,
} from "../../cloudprotocol/mod.ts";
import { CloudSimulator, type CloudSimulatorOptions } from "../../cloudprotocol/testing.ts";
import type { AosError } from "../../utils/errors.ts";

export const SYSTEM_ID = "a3f1c9e0-5d2b-4c7e-8f10-6b4d2e9a7c51";

/** A simulator, a connection to it, and what the connection reported. */
export interface Rig extends AsyncDisposable {
  cloud: CloudSimulator;
  conn: WebSocketCloudConnection;
  errors: AosError[];
  drops: CloudDeliveryError[];
}

/**
 * Starts a simulator and makes a connection to it (not connected yet).
 * Close both with `await using`.
 */
export async function rig(
  options: Partial<WebSocketCloudConnectionOptions> = {},
  simulator: CloudSimulatorOptions = {},
): Promise<Rig> {
  const cloud = await CloudSimulator.start({ systemId: SYSTEM_ID, ...simulator });
  const errors: AosError[] = [];
  const drops: CloudDeliveryError[] = [];
  const conn = new WebSocketCloudConnection({
    discoveryUrl: cloud.discoveryUrl,
    systemId: SYSTEM_ID,
    responseTimeoutMs: 200,
    reconnect: { initialDelayMs: 10, maxDelayMs: 100 },
    onError: (err) => errors.push(err),
    onDrop: (err) => drops.push(err),
    ...options,
  });
  return {
    cloud,
    conn,
    errors,
    drops,
    async [Symbol.asyncDispose]() {
      await conn.close();
      await cloud.close();
    },
  };
}

/** A small monitoringData message. */
export function monitoring(cpu = 10): MonitoringMessage {
  return {
    messageType: "monitoringData",
    nodes: [{
      nodeId: "main",
      states: [],
      items: [{
        timestamp: new Date("2026-05-07T06:10:00Z"),
        ram: 1024,
        cpu,
        download: 0,
        upload: 0,
        partitions: [],
      }],
    }],
    instances: [],
  };
}

/** A desiredStatus for one node. */
export function desiredStatus(nodeId = "main"): DesiredStatus {
  return {
    messageType: "desiredStatus",
    nodes: [{ nodeId, state: "provisioned" }],
    items: [],
    instances: [],
    subjects: [],
    certificates: [],
    certificateChains: [],
  };
}

/** Resolves when `fn` returns true, polling every few ms; rejects after `ms`. */
export async function eventually(fn: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
