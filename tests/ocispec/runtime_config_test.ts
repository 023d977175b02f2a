// Copyright 2026 the aos-common authors. Apache-2.0 license.
import assert from "node:assert/strict";
import { join } from "node:path";
import { createExampleRuntimeConfig } from "../../ocispec/example_runtime_config.ts";
import {
  loadRuntimeConfig,
  parseRuntimeConfig,
  runtimeConfigToJSON,
  saveRuntimeConfig,
} from "../../ocispec/runtime_config.ts";
import type { RuntimeConfig } from "../../ocispec/runtime_types.ts";
import { assertOciError, withTempDir } from "./_helpers.ts";

type Json = Record<string, unknown>;

Deno.test("example runtime config with resources and a device round-trips through a file", () =>
  withTempDir(async (dir) => {
    const config = createExampleRuntimeConfig();
    assert.equal(config.linux?.namespaces.length, 6);
    config.linux!.resources = {
      devices: [{ allow: true, type: "c", major: 10, minor: 200, access: "rwm" }],
      memory: {
        limit: 1024,
        reservation: 512,
        swap: 2048,
        kernel: 100,
        kernelTCP: 50,
        swappiness: 60,
        disableOOMKiller: true,
        useHierarchy: false,
        checkBeforeUpdate: true,
      },
      cpu: {
        shares: 1024,
        quota: 50000,
        burst: 10000,
        period: 100000,
        realtimeRuntime: 950,
        realtimePeriod: 1000,
        cpus: "0-1",
        mems: "0",
        idle: 1,
      },
      pids: { limit: 20 },
    };
    config.linux!.devices = [{
      path: "/dev/fuse",
      type: "c",
      major: 10,
      minor: 229,
      fileMode: 0o666,
      uid: 0,
      gid: 0,
    }];
    const path = join(dir, "config.json");
    await saveRuntimeConfig(path, config);
    assert.deepEqual(await loadRuntimeConfig(path), config);
    assert.equal(createExampleRuntimeConfig({ cgroupV2: false }).linux?.namespaces.length, 5);
    assert.notEqual(createExampleRuntimeConfig().process, createExampleRuntimeConfig().process);
  }));

Deno.test("runtime config writes AosCore's member order and fixed members", () => {
  const json = runtimeConfigToJSON(createExampleRuntimeConfig());
  assert.deepEqual(Object.keys(json), [
    "ociVersion",
    "process",
    "root",
    "hostname",
    "mounts",
    "linux",
  ]);
  const process = json.process as Json;
  assert.deepEqual(Object.keys(process), [
    "terminal",
    "user",
    "args",
    "env",
    "cwd",
    "capabilities",
    "rlimits",
    "noNewPrivileges",
  ]);
  assert.deepEqual(Object.keys(process.capabilities as Json), [
    "bounding",
    "effective",
    "permitted",
  ]);
  assert.deepEqual(Object.keys(json.linux as Json), [
    "resources",
    "namespaces",
    "maskedPaths",
    "readonlyPaths",
  ]);
  assert.deepEqual((json.linux as Json).resources, { devices: [{ allow: false, access: "rwm" }] });
  assert.deepEqual((json.mounts as Json[])[0], {
    destination: "/proc",
    type: "proc",
    source: "proc",
  });
  assert.deepEqual((json.mounts as Json[])[6]?.options, [
    "nosuid",
    "noexec",
    "nodev",
    "relatime",
    "ro",
  ]);
});

Deno.test("runtime config omissions follow AosCore", () => {
  const config: RuntimeConfig = {
    ociVersion: "1.2.0",
    hostname: "",
    mounts: [],
    process: {
      terminal: false,
      user: { uid: 1, gid: 2, umask: 0, additionalGids: [], username: "" },
      args: [],
      env: [],
      cwd: "",
      rlimits: [],
      noNewPrivileges: false,
      capabilities: { bounding: [], effective: [], inheritable: [], permitted: [], ambient: [] },
    },
    linux: {
      sysctl: {},
      cgroupsPath: "",
      namespaces: [{ type: "pid", path: "" }, { type: "network", path: "/run/netns/x" }],
      devices: [],
      maskedPaths: [],
      readonlyPaths: [],
      resources: { devices: [], memory: {}, cpu: {} },
    },
    vm: {
      hypervisor: { path: "", parameters: [] },
      kernel: { path: "/boot/zImage", parameters: [] },
      hwConfig: { deviceTree: "", vCPUs: 0, memKB: 0, dtDevs: [], irqs: [], iomems: [] },
    },
  };
  assert.deepEqual(runtimeConfigToJSON(config), {
    ociVersion: "1.2.0",
    process: {
      terminal: false,
      user: { uid: 1, gid: 2 },
      cwd: "",
      noNewPrivileges: false,
    },
    linux: {
      resources: {},
      namespaces: [{ type: "pid" }, { type: "network", path: "/run/netns/x" }],
    },
    vm: { hypervisor: { path: "" }, kernel: { path: "/boot/zImage" } },
  });
  config.process!.user.umask = 0o22;
  config.vm!.hwConfig = {
    deviceTree: "/dt.dtb",
    vCPUs: 2,
    memKB: 4096,
    dtDevs: ["/soc/eth"],
    irqs: [42],
    iomems: [{ firstGFN: 1, firstMFN: 2, nrMFNs: 3 }],
  };
  const json = runtimeConfigToJSON(config);
  assert.deepEqual((json.process as Json).user, { uid: 1, gid: 2, umask: 0o22 });
  assert.deepEqual((json.vm as Json).hwConfig, {
    deviceTree: "/dt.dtb",
    vCPUs: 2,
    memKB: 4096,
    dtDevs: ["/soc/eth"],
    irqs: [42],
    iomems: [{ firstGFN: 1, firstMFN: 2, nrMFNs: 3 }],
  });
  assert.deepEqual(parseRuntimeConfig(json).vm, config.vm);
});

Deno.test("runtime config rejects unknown namespace types and out-of-range integers", () => {
  for (const type of ["net", "unknown", "PID"]) {
    assertOciError(() => parseRuntimeConfig({ linux: { namespaces: [{ type }] } }), {
      kind: "invalidArgument",
      field: "/linux/namespaces/0/type",
      message: /want one of pid, network/,
    });
  }
  assertOciError(() => parseRuntimeConfig({ linux: { namespaces: [{}] } }), {
    kind: "invalidArgument",
    field: "/linux/namespaces/0/type",
  });
  assertOciError(() => parseRuntimeConfig({ process: { user: { uid: 2 ** 32 } } }), {
    kind: "invalidArgument",
    field: "/process/user/uid",
    message: /32-bit/,
  });
  assertOciError(() => parseRuntimeConfig({ vm: { hwConfig: { irqs: [-1] } } }), {
    kind: "invalidArgument",
    field: "/vm/hwConfig/irqs/0",
  });
  assertOciError(() => parseRuntimeConfig({ mounts: [{ options: Array(9).fill("ro") }] }), {
    kind: "outOfRange",
    field: "/mounts/0/options",
  });
  assert.equal(
    parseRuntimeConfig({ linux: { resources: { memory: { limit: -1 } } } }).linux?.resources?.memory
      ?.limit,
    -1,
  );
});
