// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Environment variable overrides: the cloud sets them (`overrideEnvVars`,
 * the complete set each time) and the unit reports each one
 * (`overrideEnvVarsStatus`, one entry per variable per instance).
 *
 * @module
 */

import { arrayOf, type Codecs, optional, required, struct, withDefault } from "./_codec.ts";
import { ERROR, INSTANCE_FILTER, instanceIdent, messageRows } from "./_common.ts";
import { LIMITS } from "./_limits.ts";
import { str, timestamp } from "./_scalars.ts";
import type { ErrorInfo, InstanceFilter, InstanceIdent, MessageBase } from "./types.ts";

/** An environment variable override. */
export interface EnvVarInfo {
  /** Name (≤ 64 bytes). */
  name: string;
  /** Value (≤ 256 bytes). */
  value: string;
  /** When the override expires (an instant, despite the wire name `ttl`). */
  ttl?: Date;
}

/** Overrides for the instances a filter selects. */
export interface EnvVarsInstanceInfo extends InstanceFilter {
  /** The variables (≤ 16). */
  variables: EnvVarInfo[];
}

/** `overrideEnvVars` (cloud → unit): the complete set of overrides. */
export interface OverrideEnvVars extends MessageBase<"overrideEnvVars"> {
  /** Overrides per instance filter (≤ 256). */
  items: EnvVarsInstanceInfo[];
}

/** Result of applying one variable to one instance. */
export interface EnvVarStatus extends InstanceIdent {
  /** Variable name (≤ 64 bytes). */
  name: string;
  /** Why it was not applied. */
  error?: ErrorInfo;
}

/** `overrideEnvVarsStatus` (unit → cloud): one status per variable per instance, in order. */
export interface OverrideEnvVarsStatus extends MessageBase<"overrideEnvVarsStatus"> {
  /** The statuses; the variables of one instance are consecutive. */
  statuses: EnvVarStatus[];
}

const NAME = str(LIMITS.envVarName);

const VARIABLE = struct<EnvVarInfo>("EnvVar", [
  withDefault("name", "name", NAME),
  withDefault("value", "value", str(LIMITS.envVarValue)),
  optional("ttl", "ttl", timestamp),
]);

const INSTANCE_VARIABLES = struct<EnvVarsInstanceInfo>("EnvVarsForInstances", [
  ...INSTANCE_FILTER,
  withDefault("variables", "variables", arrayOf(VARIABLE, LIMITS.envVars)),
]);

const STATUS = struct<EnvVarStatus>("EnvVarStatus", [
  instanceIdent({ instance: "required" }),
  required("name", "name", NAME),
  ERROR,
]);

/** Codecs of this family. */
export const ENV_VARS_CODECS: Codecs<"overrideEnvVars" | "overrideEnvVarsStatus"> = {
  overrideEnvVars: struct<OverrideEnvVars>("overrideEnvVars", [
    ...messageRows("overrideEnvVars"),
    withDefault("items", "items", arrayOf(INSTANCE_VARIABLES, LIMITS.instances)),
  ]),
  overrideEnvVarsStatus: struct<OverrideEnvVarsStatus>("overrideEnvVarsStatus", [
    ...messageRows("overrideEnvVarsStatus"),
    required("statuses", "statuses", arrayOf(STATUS, LIMITS.envVarStatuses)),
  ]),
};
