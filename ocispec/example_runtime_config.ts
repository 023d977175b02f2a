// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * The example runtime config of AosCore (as `runc spec` makes it): the base
 * runners adjust for each instance.
 *
 * @module
 */

import { OCI_RUNTIME_VERSION } from "./constants.ts";
import type { LinuxNamespaceType, RuntimeConfig, RuntimeMount } from "./runtime_types.ts";

/** Options of {@linkcode createExampleRuntimeConfig}. */
export interface ExampleRuntimeConfigOptions {
  /**
   * Add a cgroup namespace (cgroup v2 hosts).
   *
   * @default {true}
   */
  cgroupV2?: boolean;
}

const CAPS = ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"];

function mount(source: string, destination: string, type: string, options: string): RuntimeMount {
  return { destination, type, source, options: options === "" ? [] : options.split(",") };
}

/**
 * A new copy of AosCore's example runtime config: `sh` as root in `rootfs`
 * (read-only), the usual `/proc`, `/dev` and `/sys` mounts, masked and
 * read-only paths, all devices denied, and pid, network, ipc, uts and mount
 * namespaces (plus cgroup with `cgroupV2`).
 *
 * @example
 * ```ts
 * import { createExampleRuntimeConfig } from "@aoscore/common/ocispec";
 * import assert from "node:assert/strict";
 *
 * const config = createExampleRuntimeConfig({ cgroupV2: false });
 * assert.equal(config.ociVersion, "1.2.0");
 * assert.equal(config.linux?.namespaces.length, 5);
 * ```
 *
 * @param options Whether the host runs cgroup v2.
 * @returns The config; each call returns a new object.
 */
export function createExampleRuntimeConfig(
  options: ExampleRuntimeConfigOptions = {},
): RuntimeConfig {
  const namespaces: LinuxNamespaceType[] = ["pid", "network", "ipc", "uts", "mount"];
  if (options.cgroupV2 ?? true) namespaces.push("cgroup");
  return {
    ociVersion: OCI_RUNTIME_VERSION,
    process: {
      terminal: true,
      user: { uid: 0, gid: 0, additionalGids: [], username: "" },
      args: ["sh"],
      env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"],
      cwd: "/",
      capabilities: {
        bounding: [...CAPS],
        effective: [...CAPS],
        inheritable: [],
        permitted: [...CAPS],
        ambient: [],
      },
      rlimits: [{ type: "RLIMIT_NOFILE", hard: 1024, soft: 1024 }],
      noNewPrivileges: true,
    },
    root: { path: "rootfs", readonly: true },
    hostname: "runc",
    mounts: [
      mount("proc", "/proc", "proc", ""),
      mount("tmpfs", "/dev", "tmpfs", "nosuid,strictatime,mode=755,size=65536k"),
      mount(
        "devpts",
        "/dev/pts",
        "devpts",
        "nosuid,noexec,newinstance,ptmxmode=0666,mode=0620,gid=5",
      ),
      mount("shm", "/dev/shm", "tmpfs", "nosuid,noexec,nodev,mode=1777,size=65536k"),
      mount("mqueue", "/dev/mqueue", "mqueue", "nosuid,noexec,nodev"),
      mount("sysfs", "/sys", "sysfs", "nosuid,noexec,nodev,ro"),
      mount("cgroup", "/sys/fs/cgroup", "cgroup", "nosuid,noexec,nodev,relatime,ro"),
    ],
    linux: {
      sysctl: {},
      resources: { devices: [{ allow: false, type: "", access: "rwm" }] },
      cgroupsPath: "",
      namespaces: namespaces.map((type) => ({ type, path: "" })),
      devices: [],
      maskedPaths: [
        "/proc/acpi",
        "/proc/asound",
        "/proc/kcore",
        "/proc/keys",
        "/proc/latency_stats",
        "/proc/timer_list",
        "/proc/timer_stats",
        "/proc/sched_debug",
        "/proc/scsi",
        "/sys/firmware",
      ],
      readonlyPaths: ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"],
    },
  };
}
