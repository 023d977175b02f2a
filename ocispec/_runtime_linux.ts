// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The `linux` section of the runtime config: read and write.
import { type JsonOut, nonEmpty } from "./_common.ts";
import { fail, type Obj, toObject } from "./_reader.ts";
import type {
  LinuxCPU,
  LinuxDevice,
  LinuxDeviceCgroup,
  LinuxMemory,
  LinuxNamespace,
  LinuxNamespaceType,
  LinuxResources,
  RuntimeLinux,
} from "./runtime_types.ts";

const NAMESPACE_TYPES: readonly LinuxNamespaceType[] = [
  "pid",
  "network",
  "mount",
  "ipc",
  "uts",
  "user",
  "cgroup",
  "time",
];

type Field<T> = readonly [key: keyof T & string, type: "int64" | "uint64" | "boolean" | "string"];

const MEMORY: readonly Field<LinuxMemory>[] = [
  ["limit", "int64"],
  ["reservation", "int64"],
  ["swap", "int64"],
  ["kernel", "int64"],
  ["kernelTCP", "int64"],
  ["swappiness", "uint64"],
  ["disableOOMKiller", "boolean"],
  ["useHierarchy", "boolean"],
  ["checkBeforeUpdate", "boolean"],
];

const CPU: readonly Field<LinuxCPU>[] = [
  ["shares", "uint64"],
  ["quota", "int64"],
  ["burst", "uint64"],
  ["period", "uint64"],
  ["realtimeRuntime", "int64"],
  ["realtimePeriod", "uint64"],
  ["cpus", "string"],
  ["mems", "string"],
  ["idle", "int64"],
];

/** Reads members that are each optional, in a table's order. */
function readFields<T extends object>(obj: Obj, fields: readonly Field<T>[]): T {
  const out: Record<string, unknown> = {};
  for (const [key, type] of fields) {
    const value = type === "boolean"
      ? obj.boolean(key)
      : type === "string"
      ? obj.string(key, "shortPath")
      : obj.integer(key, type);
    if (value !== undefined) out[key] = value;
  }
  return out as T;
}

function writeFields<T extends object>(value: T, fields: readonly Field<T>[]): JsonOut {
  const out: JsonOut = {};
  for (const [key] of fields) {
    const v = value[key as keyof T];
    if (v !== undefined) out[key] = v;
  }
  return out;
}

function readNamespace(obj: Obj): LinuxNamespace {
  const type = obj.string("type");
  if (!NAMESPACE_TYPES.includes(type as LinuxNamespaceType)) {
    const got = type === undefined ? "nothing" : `"${type}"`;
    fail(
      obj.ctx,
      "invalidArgument",
      obj.at("type"),
      `want one of ${NAMESPACE_TYPES.join(", ")}, got ${got}`,
    );
  }
  return { type: type as LinuxNamespaceType, path: obj.string("path", "shortPath") ?? "" };
}

function readDevice(obj: Obj): LinuxDevice {
  const out: LinuxDevice = {
    path: obj.string("path", "path") ?? "",
    type: obj.string("type", "deviceText") ?? "",
    major: obj.integer("major", "int64") ?? 0,
    minor: obj.integer("minor", "int64") ?? 0,
  };
  for (const key of ["fileMode", "uid", "gid"] as const) {
    const value = obj.integer(key, "uint32");
    if (value !== undefined) out[key] = value;
  }
  return out;
}

function readDeviceRule(obj: Obj): LinuxDeviceCgroup {
  const out: LinuxDeviceCgroup = {
    allow: obj.boolean("allow") ?? false,
    type: obj.string("type", "deviceText") ?? "",
    access: obj.string("access", "deviceText") ?? "",
  };
  for (const key of ["major", "minor"] as const) {
    const value = obj.integer(key, "int64");
    if (value !== undefined) out[key] = value;
  }
  return out;
}

function readResources(obj: Obj): LinuxResources {
  const out: LinuxResources = {
    devices: obj.list("devices", "devices", (v, p) => readDeviceRule(toObject(obj.ctx, v, p))) ??
      [],
  };
  const memory = obj.object("memory");
  if (memory !== undefined) out.memory = readFields(memory, MEMORY);
  const cpu = obj.object("cpu");
  if (cpu !== undefined) out.cpu = readFields(cpu, CPU);
  const pids = obj.object("pids");
  if (pids !== undefined) out.pids = { limit: pids.integer("limit", "int64") ?? 0 };
  return out;
}

export function readLinux(obj: Obj): RuntimeLinux {
  const out: RuntimeLinux = {
    sysctl: obj.stringMap("sysctl", "sysctl", "sysctlText") ?? {},
    cgroupsPath: obj.string("cgroupsPath", "path") ?? "",
    namespaces:
      obj.list("namespaces", "namespaces", (v, p) => readNamespace(toObject(obj.ctx, v, p))) ??
        [],
    devices: obj.list("devices", "devices", (v, p) => readDevice(toObject(obj.ctx, v, p))) ?? [],
    maskedPaths: obj.strings("maskedPaths", "paths", "path") ?? [],
    readonlyPaths: obj.strings("readonlyPaths", "paths", "path") ?? [],
  };
  const resources = obj.object("resources");
  if (resources !== undefined) out.resources = readResources(resources);
  return out;
}

function resourcesToJSON(v: LinuxResources): JsonOut {
  const out: JsonOut = {};
  if (nonEmpty(v.devices)) {
    out.devices = v.devices.map((d) => {
      const rule: JsonOut = { allow: d.allow };
      if (nonEmpty(d.type)) rule.type = d.type;
      if (d.major !== undefined) rule.major = d.major;
      if (d.minor !== undefined) rule.minor = d.minor;
      if (nonEmpty(d.access)) rule.access = d.access;
      return rule;
    });
  }
  const memory = v.memory === undefined ? {} : writeFields(v.memory, MEMORY);
  if (Object.keys(memory).length > 0) out.memory = memory;
  const cpu = v.cpu === undefined ? {} : writeFields(v.cpu, CPU);
  if (Object.keys(cpu).length > 0) out.cpu = cpu;
  if (v.pids !== undefined) out.pids = { limit: v.pids.limit };
  return out;
}

export function linuxToJSON(v: RuntimeLinux): JsonOut {
  const out: JsonOut = {};
  if (v.sysctl !== undefined && Object.keys(v.sysctl).length > 0) out.sysctl = { ...v.sysctl };
  if (v.resources !== undefined) out.resources = resourcesToJSON(v.resources);
  if (nonEmpty(v.cgroupsPath)) out.cgroupsPath = v.cgroupsPath;
  if (nonEmpty(v.namespaces)) {
    out.namespaces = v.namespaces.map((
      n,
    ) => (nonEmpty(n.path) ? { type: n.type, path: n.path } : { type: n.type }));
  }
  if (nonEmpty(v.devices)) {
    out.devices = v.devices.map((d) => {
      const device: JsonOut = { path: d.path, type: d.type, major: d.major, minor: d.minor };
      if (d.fileMode !== undefined) device.fileMode = d.fileMode;
      if (d.uid !== undefined) device.uid = d.uid;
      if (d.gid !== undefined) device.gid = d.gid;
      return device;
    });
  }
  if (nonEmpty(v.maskedPaths)) out.maskedPaths = [...v.maskedPaths];
  if (nonEmpty(v.readonlyPaths)) out.readonlyPaths = [...v.readonlyPaths];
  return out;
}
