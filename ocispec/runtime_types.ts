// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * The OCI runtime config (`config.json`) subset AosCore hands to crun, runc
 * and Xen, with its `vm.hwConfig` extension. Fields the parser always fills
 * are required; optional fields are absent when the JSON lacks them.
 *
 * @module
 */

/** The runtime config of a container or VM. */
export interface RuntimeConfig {
  /** Runtime-spec version (`1.2.0`). */
  ociVersion: string;
  /** The process to run. */
  process?: RuntimeProcess;
  /** The root filesystem. */
  root?: RuntimeRoot;
  /** Hostname; `""` when unset. */
  hostname: string;
  /** Mounts (at most 16). */
  mounts: RuntimeMount[];
  /** Linux specifics. */
  linux?: RuntimeLinux;
  /** VM specifics. */
  vm?: RuntimeVM;
}

/** The container process. */
export interface RuntimeProcess {
  /** Attach a terminal. */
  terminal: boolean;
  /** The user it runs as. */
  user: RuntimeUser;
  /** Arguments, program first. */
  args: string[];
  /** Environment, `NAME=value`. */
  env: string[];
  /** Working directory. */
  cwd: string;
  /** Capabilities. */
  capabilities?: LinuxCapabilities;
  /** Resource limits. */
  rlimits: PosixRlimit[];
  /** Set `no_new_privs`. */
  noNewPrivileges: boolean;
}

/** The user of the process. */
export interface RuntimeUser {
  /** User ID. */
  uid: number;
  /** Group ID. */
  gid: number;
  /** umask; a umask of 0 is not written (as in AosCore). */
  umask?: number;
  /** Supplementary group IDs. */
  additionalGids: number[];
  /** User name; `""` when unset. */
  username: string;
}

/** Capability sets of the process. */
export interface LinuxCapabilities {
  /** Bounding set. */
  bounding: string[];
  /** Effective set. */
  effective: string[];
  /** Inheritable set. */
  inheritable: string[];
  /** Permitted set. */
  permitted: string[];
  /** Ambient set. */
  ambient: string[];
}

/** A POSIX resource limit. */
export interface PosixRlimit {
  /** `RLIMIT_NOFILE` and so on. */
  type: string;
  /** Hard limit. */
  hard: number;
  /** Soft limit. */
  soft: number;
}

/** The root filesystem. */
export interface RuntimeRoot {
  /** Path, relative to the bundle. */
  path: string;
  /** Mount it read-only. */
  readonly: boolean;
}

/** A mount. */
export interface RuntimeMount {
  /** Mount point in the container. */
  destination: string;
  /** Filesystem type; `""` when unset. */
  type: string;
  /** Source; `""` when unset. */
  source: string;
  /** Mount options. */
  options: string[];
}

/** Linux namespace kinds. */
export type LinuxNamespaceType =
  | "pid"
  | "network"
  | "mount"
  | "ipc"
  | "uts"
  | "user"
  | "cgroup"
  | "time";

/** A namespace to create or join. */
export interface LinuxNamespace {
  /** Kind. */
  type: LinuxNamespaceType;
  /** Namespace file to join; `""` to create one. */
  path: string;
}

/** A device node to create. */
export interface LinuxDevice {
  /** Path in the container. */
  path: string;
  /** `c`, `b`, `u` or `p`. */
  type: string;
  /** Major number. */
  major: number;
  /** Minor number. */
  minor: number;
  /** File mode. */
  fileMode?: number;
  /** Owner. */
  uid?: number;
  /** Group. */
  gid?: number;
}

/** A device cgroup rule. */
export interface LinuxDeviceCgroup {
  /** Allow (or deny) access. */
  allow: boolean;
  /** Device type; `""` for all. */
  type: string;
  /** Major number; absent for all. */
  major?: number;
  /** Minor number; absent for all. */
  minor?: number;
  /** Access, `"rwm"`; `""` when unset. */
  access: string;
}

/** Memory cgroup settings; each is optional. */
export interface LinuxMemory {
  /** Limit in bytes. */
  limit?: number;
  /** Soft limit in bytes. */
  reservation?: number;
  /** Memory plus swap limit in bytes. */
  swap?: number;
  /** Kernel memory limit in bytes. */
  kernel?: number;
  /** Kernel TCP buffer limit in bytes. */
  kernelTCP?: number;
  /** Swappiness, 0 to 100. */
  swappiness?: number;
  /** Disable the OOM killer. */
  disableOOMKiller?: boolean;
  /** Use hierarchical accounting. */
  useHierarchy?: boolean;
  /** Check usage before lowering the limit. */
  checkBeforeUpdate?: boolean;
}

/** CPU cgroup settings; each is optional. */
export interface LinuxCPU {
  /** Relative share. */
  shares?: number;
  /** Quota per period, in µs. */
  quota?: number;
  /** Burst, in µs. */
  burst?: number;
  /** Period, in µs. */
  period?: number;
  /** Real-time runtime, in µs. */
  realtimeRuntime?: number;
  /** Real-time period, in µs. */
  realtimePeriod?: number;
  /** CPUs allowed (`0-3`). */
  cpus?: string;
  /** Memory nodes allowed. */
  mems?: string;
  /** SCHED_IDLE. */
  idle?: number;
}

/** PID cgroup settings. */
export interface LinuxPids {
  /** Process limit. */
  limit: number;
}

/** Cgroup resources. */
export interface LinuxResources {
  /** Device rules. */
  devices: LinuxDeviceCgroup[];
  /** Memory settings. */
  memory?: LinuxMemory;
  /** CPU settings. */
  cpu?: LinuxCPU;
  /** PID settings. */
  pids?: LinuxPids;
}

/** Linux specifics. */
export interface RuntimeLinux {
  /** Kernel parameters. */
  sysctl: Record<string, string>;
  /** Cgroup resources. */
  resources?: LinuxResources;
  /** Cgroup path; `""` when unset. */
  cgroupsPath: string;
  /** Namespaces. */
  namespaces: LinuxNamespace[];
  /** Device nodes. */
  devices: LinuxDevice[];
  /** Paths masked in the container. */
  maskedPaths: string[];
  /** Paths made read-only. */
  readonlyPaths: string[];
}

/** A hypervisor or kernel to start. */
export interface VMBinary {
  /** Path. */
  path: string;
  /** Command-line parameters. */
  parameters: string[];
}

/** An I/O memory range passed through to a VM. */
export interface VMIomem {
  /** First guest frame number. */
  firstGFN: number;
  /** First machine frame number. */
  firstMFN: number;
  /** Number of machine frames. */
  nrMFNs: number;
}

/** Aos extension: the hardware a VM gets. Zero and empty members are not written. */
export interface VMHWConfig {
  /** Device tree path. */
  deviceTree: string;
  /** Virtual CPUs. */
  vCPUs: number;
  /** Memory in KiB. */
  memKB: number;
  /** Device-tree devices passed through. */
  dtDevs: string[];
  /** IRQs passed through. */
  irqs: number[];
  /** I/O memory passed through. */
  iomems: VMIomem[];
}

/** VM specifics. */
export interface RuntimeVM {
  /** The hypervisor. */
  hypervisor: VMBinary;
  /** The kernel. */
  kernel: VMBinary;
  /** The hardware. */
  hwConfig?: VMHWConfig;
}
