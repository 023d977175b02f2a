// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Inputs of the cloudprotocol benchmark: the largest desiredStatus the limits
// allow and a 256-instance unitStatus, as frames a cloud or a unit would send.

const SYSTEM_ID = "a3f1c9e0-5d2b-4c7e-8f10-6b4d2e9a7c51";

function uuid(n: number, salt = 0): string {
  const hex = ((n * 2654435761 + salt * 97) >>> 0).toString(16).padStart(8, "0");
  return `${hex}-5d2b-4c7e-8f10-${(n + salt).toString(16).padStart(12, "0")}`;
}

function frame(data: Record<string, unknown>): string {
  return JSON.stringify({
    header: {
      version: 7,
      systemId: SYSTEM_ID,
      createdAt: "2026-05-07T06:00:00.000000Z",
      txn: uuid(1, 9),
    },
    data,
  });
}

function base64Of(size: number, seed: number): string {
  const bytes = Uint8Array.from({ length: size }, (_, i) => (i * 31 + seed) & 0xff);
  let text = "";
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text);
}

const rule = (timeout: string, lo: number, hi: number) => ({
  minTimeout: timeout,
  minThreshold: lo,
  maxThreshold: hi,
});

/** A desiredStatus at every count limit: 16 nodes, 64 items, 256 instances, 64 subjects, 32 certificates. */
export function desiredStatusFrame(): string {
  const nodes = Array.from(
    { length: 16 },
    (_, i) => ({ item: { codename: `node-${i}` }, state: i % 5 ? "provisioned" : "paused" }),
  );
  const nodeConfigs = Array.from({ length: 16 }, (_, i) => ({
    version: "2.0.0",
    node: { codename: `node-${i}` },
    nodeGroupSubject: { codename: `type-${i % 4}` },
    alertRules: {
      ram: rule("PT10S", 70, 90),
      cpu: rule("PT10S", 75, 95.5),
      download: rule("PT1M", 1_000_000, 5_000_000),
      upload: rule("PT1M", 500_000, 2_000_000),
      partitions: ["workdirs", "states", "storages", "services"].map((name) => ({
        ...rule("PT30S", 80, 95),
        name,
      })),
    },
    resourceRatios: { cpu: 60, ram: 55.5, storage: 40, state: 10 },
    labels: ["infotainment", "display", `zone-${i}`, "rear"],
    priority: i * 10,
  }));
  const items = Array.from({ length: 64 }, (_, i) => ({
    item: { id: uuid(i, 1), type: i % 8 ? "service" : "component" },
    version: `1.${i}.0`,
    owner: { id: uuid(i % 4, 2) },
    indexDigest: `sha256:${uuid(i, 3).replaceAll("-", "").padEnd(64, "a")}`,
  }));
  const instances = Array.from({ length: 256 }, (_, i) => ({
    item: { id: uuid(i % 64, 1) },
    subject: { id: uuid(i % 64, 4) },
    priority: i % 100,
    numInstances: 1 + (i % 3),
    labels: ["infotainment", `zone-${i % 16}`],
  }));
  const subjects = Array.from({ length: 64 }, (_, i) => ({
    identity: { id: uuid(i, 4) },
    type: i % 2 ? "group" : "user",
    isReportedFromUnit: i % 7 === 0,
  }));
  const certificates = Array.from({ length: 32 }, (_, i) => ({
    certificate: base64Of(2048, i),
    fingerprint: uuid(i, 5).replaceAll("-", "") + uuid(i, 6).replaceAll("-", ""),
  }));
  const certificateChains = Array.from({ length: 8 }, (_, i) => ({
    name: `chain-${i}`,
    fingerprints: certificates.slice(i * 4, i * 4 + 4).map((c) => c.fingerprint),
  }));
  return frame({
    messageType: "desiredStatus",
    correlationId: uuid(7, 7),
    nodes,
    unitConfig: { formatVersion: "7", version: "2.0.0", nodes: nodeConfigs },
    items,
    instances,
    subjects,
    certificates,
    certificateChains,
  });
}

/** A full unitStatus with 16 nodes, 128 item statuses and 256 instances in 64 groups of 4. */
export function unitStatusFrame(): string {
  const nodes = Array.from({ length: 16 }, (_, i) => ({
    identity: { codename: `node-${i}`, title: `Node ${i}` },
    nodeGroupSubject: { codename: `type-${i % 4}` },
    maxDmips: 30000,
    physicalRam: 8589934592,
    totalRam: 8000000000,
    osInfo: { os: "linux", version: "6.6.23", features: ["cgroup2", "seccomp"] },
    cpus: [{
      modelName: "Cortex-A76",
      totalNumCores: 4,
      totalNumThreads: 4,
      archInfo: { architecture: "arm64", variant: "v8" },
      maxDmips: 30000,
    }],
    attrs: i === 0 ? { MainNode: "", AosComponents: "CM,IAM,SM" } : { AosComponents: "SM" },
    partitions: [{
      name: "workdirs",
      path: "/var/aos/workdirs",
      types: ["generic", "states", "storages"],
      totalSize: 17179869184,
    }],
    state: "provisioned",
    isConnected: true,
    runtimes: [{
      identity: { codename: "crun" },
      runtimeType: "crun",
      archInfo: { architecture: "arm64" },
      osInfo: { os: "linux" },
      allowedDmips: 25000,
      allowedRam: 6000000000,
      maxInstances: 16,
    }],
    resources: [{ name: "audio", sharedCount: 2 }],
  }));
  const items = Array.from({ length: 128 }, (_, i) => ({
    item: { id: uuid(i % 64, 1), type: "service" },
    version: `1.${i % 64}.${i < 64 ? 0 : 1}`,
    state: i < 64 ? "installed" : "pending",
  }));
  const instances = Array.from({ length: 64 }, (_, g) => ({
    item: { id: uuid(g, 1), type: "service" },
    subject: { id: uuid(g, 4) },
    version: `1.${g}.0`,
    instances: Array.from({ length: 4 }, (_, i) => ({
      node: { codename: `node-${(g + i) % 16}` },
      runtime: { codename: "crun" },
      instance: i,
      stateChecksum: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      state: i === 3 ? "failed" : "active",
      ...(i === 3
        ? { errorInfo: { aosCode: 2, exitCode: 12, message: "can't allocate memory" } }
        : {}),
    })),
  }));
  return frame({
    messageType: "unitStatus",
    isDeltaInfo: false,
    unitConfig: [{ version: "2.0.0", state: "installed" }],
    nodes,
    items,
    instances,
    subjects: [{ codename: "driver" }, { codename: "passenger" }],
  });
}
