// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Codec of the runtime config (the `linux` section is in _runtime_linux.ts).
import { type JsonOut, nonEmpty } from "./_common.ts";
import type { Codec } from "./_files.ts";
import { type Obj, toInteger, toObject } from "./_reader.ts";
import { linuxToJSON, readLinux } from "./_runtime_linux.ts";
import type {
  LinuxCapabilities,
  RuntimeConfig,
  RuntimeProcess,
  RuntimeUser,
  RuntimeVM,
  VMBinary,
  VMHWConfig,
} from "./runtime_types.ts";

const CAPABILITY_SETS = [
  "bounding",
  "effective",
  "inheritable",
  "permitted",
  "ambient",
] as const satisfies readonly (keyof LinuxCapabilities)[];

function readUser(obj: Obj | undefined): RuntimeUser {
  const out: RuntimeUser = {
    uid: obj?.integer("uid", "uint32") ?? 0,
    gid: obj?.integer("gid", "uint32") ?? 0,
    additionalGids: obj?.list("additionalGids", "additionalGids", (v, p) => {
      return toInteger(obj.ctx, v, p, "uint32");
    }) ?? [],
    username: obj?.string("username", "username") ?? "",
  };
  const umask = obj?.integer("umask", "uint32");
  if (umask !== undefined) out.umask = umask;
  return out;
}

function readProcess(obj: Obj): RuntimeProcess {
  const out: RuntimeProcess = {
    terminal: obj.boolean("terminal") ?? false,
    user: readUser(obj.object("user")),
    args: obj.strings("args", "args", "arg") ?? [],
    env: obj.strings("env", "env", "envVar") ?? [],
    cwd: obj.string("cwd", "shortPath") ?? "",
    rlimits: obj.list("rlimits", "args", (v, p) => {
      const limit = toObject(obj.ctx, v, p);
      return {
        type: limit.string("type", "arg") ?? "",
        hard: limit.integer("hard", "uint64") ?? 0,
        soft: limit.integer("soft", "uint64") ?? 0,
      };
    }) ?? [],
    noNewPrivileges: obj.boolean("noNewPrivileges") ?? false,
  };
  const caps = obj.object("capabilities");
  if (caps !== undefined) {
    const sets: Partial<LinuxCapabilities> = {};
    for (const key of CAPABILITY_SETS) sets[key] = caps.strings(key, "args", "arg") ?? [];
    out.capabilities = sets as LinuxCapabilities;
  }
  return out;
}

function readBinary(obj: Obj | undefined): VMBinary {
  return {
    path: obj?.string("path", "path") ?? "",
    parameters: obj?.strings("parameters", "args", "arg") ?? [],
  };
}

function readHWConfig(obj: Obj): VMHWConfig {
  return {
    deviceTree: obj.string("deviceTree", "path") ?? "",
    vCPUs: obj.integer("vCPUs", "uint32") ?? 0,
    memKB: obj.integer("memKB", "uint64") ?? 0,
    dtDevs: obj.strings("dtDevs", "dtDevs", "dtDev") ?? [],
    irqs: obj.list("irqs", "irqs", (v, p) => toInteger(obj.ctx, v, p, "uint32")) ?? [],
    iomems: obj.list("iomems", "iomems", (v, p) => {
      const mem = toObject(obj.ctx, v, p);
      return {
        firstGFN: mem.integer("firstGFN", "uint64") ?? 0,
        firstMFN: mem.integer("firstMFN", "uint64") ?? 0,
        nrMFNs: mem.integer("nrMFNs", "uint64") ?? 0,
      };
    }) ?? [],
  };
}

function readVM(obj: Obj): RuntimeVM {
  const out: RuntimeVM = {
    hypervisor: readBinary(obj.object("hypervisor")),
    kernel: readBinary(obj.object("kernel")),
  };
  const hw = obj.object("hwConfig");
  if (hw !== undefined) out.hwConfig = readHWConfig(hw);
  return out;
}

function processToJSON(v: RuntimeProcess): JsonOut {
  const user: JsonOut = { uid: v.user.uid, gid: v.user.gid };
  if (v.user.umask !== undefined && v.user.umask > 0) user.umask = v.user.umask;
  if (nonEmpty(v.user.additionalGids)) user.additionalGids = [...v.user.additionalGids];
  if (nonEmpty(v.user.username)) user.username = v.user.username;
  const out: JsonOut = { terminal: v.terminal, user };
  if (nonEmpty(v.args)) out.args = [...v.args];
  if (nonEmpty(v.env)) out.env = [...v.env];
  out.cwd = v.cwd;
  if (v.capabilities !== undefined) {
    const caps: JsonOut = {};
    for (const key of CAPABILITY_SETS) {
      if (nonEmpty(v.capabilities[key])) caps[key] = [...v.capabilities[key]];
    }
    if (Object.keys(caps).length > 0) out.capabilities = caps;
  }
  if (nonEmpty(v.rlimits)) {
    out.rlimits = v.rlimits.map(({ type, hard, soft }) => ({ type, hard, soft }));
  }
  out.noNewPrivileges = v.noNewPrivileges;
  return out;
}

function binaryToJSON(v: VMBinary): JsonOut {
  return nonEmpty(v.parameters)
    ? { path: v.path, parameters: [...v.parameters] }
    : { path: v.path };
}

function vmToJSON(v: RuntimeVM): JsonOut {
  const out: JsonOut = { hypervisor: binaryToJSON(v.hypervisor), kernel: binaryToJSON(v.kernel) };
  const hw = v.hwConfig;
  if (hw !== undefined) {
    const json: JsonOut = {};
    if (nonEmpty(hw.deviceTree)) json.deviceTree = hw.deviceTree;
    if (hw.vCPUs > 0) json.vCPUs = hw.vCPUs;
    if (hw.memKB > 0) json.memKB = hw.memKB;
    if (nonEmpty(hw.dtDevs)) json.dtDevs = [...hw.dtDevs];
    if (nonEmpty(hw.irqs)) json.irqs = [...hw.irqs];
    if (nonEmpty(hw.iomems)) {
      json.iomems = hw.iomems.map(({ firstGFN, firstMFN, nrMFNs }) => ({
        firstGFN,
        firstMFN,
        nrMFNs,
      }));
    }
    if (Object.keys(json).length > 0) out.hwConfig = json;
  }
  return out;
}

export const runtimeConfigCodec: Codec<RuntimeConfig> = {
  doc: "runtime config",
  read(obj) {
    const out: RuntimeConfig = {
      ociVersion: obj.string("ociVersion", "version") ?? "",
      hostname: obj.string("hostname", "hostname") ?? "",
      mounts: obj.list("mounts", "mounts", (v, p) => {
        const mount = toObject(obj.ctx, v, p);
        return {
          destination: mount.string("destination", "path") ?? "",
          type: mount.string("type", "mountType") ?? "",
          source: mount.string("source", "path") ?? "",
          options: mount.strings("options", "mountOptions", "mountOption") ?? [],
        };
      }) ?? [],
    };
    const process = obj.object("process");
    if (process !== undefined) out.process = readProcess(process);
    const root = obj.object("root");
    if (root !== undefined) {
      out.root = {
        path: root.string("path", "path") ?? "",
        readonly: root.boolean("readonly") ?? false,
      };
    }
    const linux = obj.object("linux");
    if (linux !== undefined) out.linux = readLinux(linux);
    const vm = obj.object("vm");
    if (vm !== undefined) out.vm = readVM(vm);
    return out;
  },
  toJSON(v) {
    const out: JsonOut = { ociVersion: v.ociVersion };
    if (v.process !== undefined) out.process = processToJSON(v.process);
    if (v.root !== undefined) out.root = { path: v.root.path, readonly: v.root.readonly };
    if (nonEmpty(v.hostname)) out.hostname = v.hostname;
    if (nonEmpty(v.mounts)) {
      out.mounts = v.mounts.map((m) => {
        const mount: JsonOut = { destination: m.destination };
        if (nonEmpty(m.type)) mount.type = m.type;
        if (nonEmpty(m.source)) mount.source = m.source;
        if (nonEmpty(m.options)) mount.options = [...m.options];
        return mount;
      });
    }
    if (v.linux !== undefined) out.linux = linuxToJSON(v.linux);
    if (v.vm !== undefined) out.vm = vmToJSON(v.vm);
    return out;
  },
};
