// Copyright 2026 the aos-common authors. Apache-2.0 license.
// deno-lint-ignore-file no-console
/**
 * Demo step: the unit reports its status to the cloud. A `unitStatus` is
 * built from plain values, encoded as the binary WebSocket payload AosCore
 * would send, read back the way the cloud reads it, and a damaged frame is
 * rejected with the protocol's error kind and the JSON path at fault.
 *
 * @module
 */
import {
  AosTime,
  CloudProtocolError,
  decodeFrame,
  encodeFrame,
  PROTOCOL_VERSION,
  UNIT_TO_CLOUD,
  type UnitStatus,
} from "../../cloudprotocol/mod.ts";
import { uuidV4 } from "../../utils/uuid.ts";

const SYSTEM_ID = "a3f1c9e0-5d2b-4c7e-8f10-6b4d2e9a7c51";

/** Builds, prints, sends and reads back a `unitStatus` frame. */
export async function cloudprotocolDemo(): Promise<void> {
  const status: UnitStatus = {
    messageType: "unitStatus",
    isDeltaInfo: false,
    unitConfig: [{ version: "2.0.0", state: "installed" }],
    nodes: [{
      nodeId: "main",
      nodeType: "head-unit",
      title: "Head unit",
      maxDMIPS: 30000,
      totalRAM: 8_000_000_000,
      osInfo: { os: "linux", version: "6.6.23", features: ["cgroup2"] },
      cpus: [{
        modelName: "Cortex-A76",
        numCores: 4,
        numThreads: 4,
        archInfo: { architecture: "arm64" },
      }],
      partitions: [],
      attrs: [{ name: "MainNode", value: "" }, { name: "AosComponents", value: "CM,IAM,SM" }],
      state: "provisioned",
      isConnected: true,
      runtimes: [],
      resources: [],
    }],
    items: [
      {
        itemId: "aos-diag",
        itemType: "service",
        preinstalled: true,
        version: "1.0.0",
        state: "installed",
      },
    ],
    instances: [{
      itemId: "aos-diag",
      itemType: "service",
      subjectId: "driver",
      preinstalled: true,
      version: "1.0.0",
      instances: [{
        nodeId: "main",
        runtimeId: "crun",
        instance: 0,
        stateChecksum: new Uint8Array(0),
        state: "failed",
        error: { aosCode: 2, exitCode: 12, message: "can't allocate memory" },
      }],
    }],
  };
  const createdAt = new AosTime(Date.now(), 123);
  const payload = encodeFrame({
    header: { version: PROTOCOL_VERSION, systemId: SYSTEM_ID, createdAt, txn: uuidV4() },
    data: status,
  });
  console.log(`unitStatus frame, ${payload.length} bytes of UTF-8 JSON:`);
  console.log(new TextDecoder().decode(payload));

  // A stream stands in for the WebSocket: one binary message per frame.
  const socket = new TransformStream<Uint8Array, Uint8Array>();
  const writer = socket.writable.getWriter();
  const sending = writer.write(payload).then(() => writer.close());
  for await (const received of socket.readable) {
    const frame = decodeFrame(received, { expectedSystemId: SYSTEM_ID, accept: UNIT_TO_CLOUD });
    const back = frame.data as UnitStatus;
    console.log(
      `the cloud reads it back: ${back.nodes?.length} node, ${back.items?.length} item, ` +
        `created ${(frame.header.createdAt as AosTime).toTimestamp()}`,
    );
  }
  await sending;

  const damaged = new TextDecoder().decode(payload).replace(
    '"state":"failed"',
    '"state":"crashed"',
  );
  try {
    decodeFrame(damaged);
  } catch (err) {
    if (!(err instanceof CloudProtocolError)) throw err;
    console.log(`a damaged frame is rejected: ${err.kind} at ${err.path} (aosCode ${err.aosCode})`);
  }
}
