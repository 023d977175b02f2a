// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Codec of the Aos item config.
import { formatDuration, formatTimestamp } from "../utils/time.ts";
import { epoch, type JsonOut, keysToJSON, nonEmpty } from "./_common.ts";
import type { Codec } from "./_files.ts";
import { checkCount, fail, type Obj, toObject, toText } from "./_reader.ts";
import type {
  AlertRulePercents,
  AlertRulePoints,
  AlertRules,
  BalancingPolicy,
  FunctionServicePermissions,
  ItemConfig,
  RequestedResources,
  RunParameters,
  ServiceQuotas,
} from "./types.ts";

const QUOTAS = [
  "cpuDMIPSLimit",
  "ramLimit",
  "pidsLimit",
  "noFileLimit",
  "tmpLimit",
  "stateLimit",
  "storageLimit",
  "uploadSpeed",
  "downloadSpeed",
  "uploadLimit",
  "downloadLimit",
] as const satisfies readonly (keyof ServiceQuotas)[];

const REQUESTED = ["cpu", "ram", "storage", "state"] as const satisfies readonly (
  keyof RequestedResources
)[];

function readOptionalNumbers<K extends string>(
  obj: Obj | undefined,
  keys: readonly K[],
): Partial<Record<K, number>> {
  const out: Partial<Record<K, number>> = {};
  for (const key of keys) {
    const value = obj?.integer(key, "uint64");
    if (value !== undefined) out[key] = value;
  }
  return out;
}

function writeOptionalNumbers<K extends string>(
  value: Partial<Record<K, number>>,
  keys: readonly K[],
): JsonOut {
  const out: JsonOut = {};
  for (const key of keys) if (value[key] !== undefined) out[key] = value[key];
  return out;
}

function readBalancing(obj: Obj): BalancingPolicy {
  const policy = obj.string("balancingPolicy") ?? "enabled";
  if (policy !== "enabled" && policy !== "disabled") {
    fail(
      obj.ctx,
      "invalidArgument",
      obj.at("balancingPolicy"),
      `want "enabled" or "disabled", got "${policy}"`,
    );
  }
  return policy;
}

function readRunParameters(obj: Obj | undefined): RunParameters {
  const out: RunParameters = {};
  const startInterval = obj?.duration("startInterval");
  if (startInterval !== undefined) out.startInterval = startInterval;
  const startBurst = obj?.integer("startBurst", "uint64");
  if (startBurst !== undefined) out.startBurst = startBurst;
  const restartInterval = obj?.duration("restartInterval");
  if (restartInterval !== undefined) out.restartInterval = restartInterval;
  return out;
}

function readPermissions(obj: Obj): FunctionServicePermissions[] {
  const services = obj.object("permissions");
  if (services === undefined) return [];
  const ctx = obj.ctx;
  const names = Object.keys(services.raw);
  checkCount(ctx, names.length, services.pointer, "permissionServices");
  return names.map((name) => {
    const pointer = services.at(name);
    toText(ctx, name, pointer, "permissionText");
    const functions = toObject(ctx, services.raw[name], pointer);
    const entries = Object.entries(functions.raw);
    checkCount(ctx, entries.length, pointer, "permissionFunctions");
    return {
      name,
      permissions: entries.map(([fn, access]) => {
        const at = functions.at(fn);
        toText(ctx, fn, at, "permissionText");
        return { function: fn, permissions: toText(ctx, access, at, "permissionText") };
      }),
    };
  });
}

function readPercents(obj: Obj): AlertRulePercents {
  return {
    minTimeoutMs: obj.duration("minTimeout") ?? 0,
    minThreshold: obj.number("minThreshold") ?? 0,
    maxThreshold: obj.number("maxThreshold") ?? 0,
  };
}

function readPoints(obj: Obj): AlertRulePoints {
  return {
    minTimeoutMs: obj.duration("minTimeout") ?? 0,
    minThreshold: obj.integer("minThreshold", "uint64") ?? 0,
    maxThreshold: obj.integer("maxThreshold", "uint64") ?? 0,
  };
}

function readAlertRules(obj: Obj): AlertRules {
  const out: AlertRules = {
    partitions: obj.list("partitions", "partitions", (v, p) => {
      const rule = toObject(obj.ctx, v, p);
      return { ...readPercents(rule), name: rule.string("name", "partitionName") ?? "" };
    }) ?? [],
  };
  for (const key of ["ram", "cpu"] as const) {
    const rule = obj.object(key);
    if (rule !== undefined) out[key] = readPercents(rule);
  }
  for (const key of ["download", "upload"] as const) {
    const rule = obj.object(key);
    if (rule !== undefined) out[key] = readPoints(rule);
  }
  return out;
}

function ruleToJSON(rule: AlertRulePercents | AlertRulePoints): JsonOut {
  const out: JsonOut = {};
  if (rule.minTimeoutMs > 0) out.minTimeout = formatDuration(rule.minTimeoutMs);
  out.minThreshold = rule.minThreshold;
  out.maxThreshold = rule.maxThreshold;
  return out;
}

function alertRulesToJSON(rules: AlertRules): JsonOut {
  const out: JsonOut = {};
  for (const key of ["ram", "cpu", "download", "upload"] as const) {
    const rule = rules[key];
    if (rule !== undefined) out[key] = ruleToJSON(rule);
  }
  out.partitions = (rules.partitions ?? []).map((p) => ({ ...ruleToJSON(p), name: p.name }));
  return out;
}

export const itemConfigCodec: Codec<ItemConfig> = {
  doc: "item config",
  read(obj) {
    const out: ItemConfig = {
      created: obj.timestamp("created") ?? epoch(),
      author: obj.string("author", "author") ?? "",
      skipResourceLimits: obj.boolean("skipResourceLimits") ?? false,
      balancingPolicy: readBalancing(obj),
      runtimes: obj.list("runtimes", "runtimes", (v, p) => {
        return toObject(obj.ctx, v, p).string("codename", "runtime") ?? "";
      }) ?? [],
      runParameters: readRunParameters(obj.object("runParameters")),
      sysctl: obj.stringMap("sysctl", "sysctl", "sysctlText") ?? {},
      offlineTTL: obj.duration("offlineTTL") ?? 0,
      quotas: readOptionalNumbers(obj.object("quotas"), QUOTAS),
      allowedConnections:
        obj.keys("allowedConnections", "allowedConnections", "allowedConnection") ?? [],
      resources: obj.list("resources", "resources", (v, p) => {
        const resource = toObject(obj.ctx, v, p);
        return {
          name: resource.string("name", "resourceName") ?? "",
          mode: resource.string("mode", "resourceMode") ?? "",
        };
      }) ?? [],
      permissions: readPermissions(obj),
    };
    const hostname = obj.string("hostname", "hostname");
    if (hostname !== undefined) out.hostname = hostname;
    const requested = obj.object("requestedResources");
    if (requested !== undefined) out.requestedResources = readOptionalNumbers(requested, REQUESTED);
    const alertRules = obj.object("alertRules");
    if (alertRules !== undefined) out.alertRules = readAlertRules(alertRules);
    return out;
  },
  toJSON(v) {
    const out: JsonOut = {
      created: formatTimestamp(v.created ?? epoch()),
      author: v.author,
      skipResourceLimits: v.skipResourceLimits,
    };
    if (nonEmpty(v.hostname)) out.hostname = v.hostname;
    out.balancingPolicy = v.balancingPolicy;
    if (nonEmpty(v.runtimes)) out.runtimes = v.runtimes.map((codename) => ({ codename }));
    const run: JsonOut = {};
    const { startInterval, startBurst, restartInterval } = v.runParameters ?? {};
    if (startInterval !== undefined) run.startInterval = formatDuration(startInterval);
    if (startBurst !== undefined) run.startBurst = startBurst;
    if (restartInterval !== undefined) run.restartInterval = formatDuration(restartInterval);
    if (Object.keys(run).length > 0) out.runParameters = run;
    if (v.sysctl !== undefined && Object.keys(v.sysctl).length > 0) out.sysctl = { ...v.sysctl };
    if (v.offlineTTL > 0) out.offlineTTL = formatDuration(v.offlineTTL);
    out.quotas = writeOptionalNumbers(v.quotas ?? {}, QUOTAS);
    if (v.requestedResources !== undefined) {
      out.requestedResources = writeOptionalNumbers(v.requestedResources, REQUESTED);
    }
    if (nonEmpty(v.allowedConnections)) out.allowedConnections = keysToJSON(v.allowedConnections);
    if (nonEmpty(v.resources)) {
      out.resources = v.resources.map((
        { name, mode },
      ) => (mode === "" ? { name } : { name, mode }));
    }
    if (nonEmpty(v.permissions)) {
      out.permissions = Object.fromEntries(
        v.permissions.map((s) => [
          s.name,
          Object.fromEntries(s.permissions.map((f) => [f.function, f.permissions])),
        ]),
      );
    }
    if (v.alertRules !== undefined) out.alertRules = alertRulesToJSON(v.alertRules);
    return out;
  },
};
