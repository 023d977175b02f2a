// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Every exported parser of every module, fed a value of the wrong type, throws
// an `invalidArgument` AosError naming the parameter and the type it got, never
// a bare TypeError. The parsers are found by walking the exports of every
// module of deno.json, so a new one cannot be forgotten: it fails here until
// it is listed below.
import assert from "node:assert/strict";
import config from "../deno.json" with { type: "json" };
import { AosError, errorIs } from "../utils/errors.ts";
import { parseDuration } from "../utils/time.ts";

type Probe = "undefined" | "null" | "number" | "object" | "symbol";

const PROBES: Readonly<Record<Probe, unknown>> = {
  undefined: undefined,
  null: null,
  number: 10,
  object: {},
  symbol: Symbol("probe"),
};

/** A parser: the name of its input parameter, and the probes that are valid input for it. */
interface Parser {
  param: string;
  accepts?: readonly Probe[];
}

/** Every parser, by `<module>.<export>` (`<module>.<class>.<static>` for static methods). */
const PARSERS: Readonly<Record<string, Parser>> = {
  "cloudprotocol.decodeDiscoveryResponse": { param: "body" },
  "cloudprotocol.decodeFrame": { param: "payload" },
  // The JSON value of a message: any object is of the right type.
  "cloudprotocol.decodeMessage": { param: "data", accepts: ["object"] },
  "cloudprotocol.AosTime.fromTimestamp": { param: "text" },
  "ocispec.parseImageConfig": { param: "input", accepts: ["object"] },
  "ocispec.parseImageIndex": { param: "input", accepts: ["object"] },
  "ocispec.parseImageManifest": { param: "input", accepts: ["object"] },
  "ocispec.parseItemConfig": { param: "input", accepts: ["object"] },
  "ocispec.parseRuntimeConfig": { param: "input", accepts: ["object"] },
  "migration.parseScriptName": { param: "name" },
  "network.parseCidr": { param: "text" },
  "network.parseIp": { param: "text" },
  "utils.crypto.decodeName": { param: "name" },
  "utils.crypto.parseCertificate": { param: "input" },
  "utils.crypto.parseCertificates": { param: "pem" },
  "utils.crypto.parseCsr": { param: "input" },
  "utils.crypto.parsePrivateKeyPem": { param: "pem" },
  "utils.crypto.pemDecode": { param: "text" },
  "utils.pkcs11.parsePkcs11Uri": { param: "text" },
  "utils.base64Decode": { param: "text" },
  // No info is success; an object is of the right type.
  "utils.fromErrorInfo": { param: "info", accepts: ["undefined", "object"] },
  "utils.fromHex": { param: "text" },
  "utils.nameUuid": { param: "name" },
  "utils.parseDigest": { param: "digest" },
  "utils.parseDuration": { param: "text" },
  "utils.parseJson": { param: "text" },
  "utils.parseJsonStream": { param: "input" },
  "utils.parseKeyValue": { param: "line" },
  "utils.parseSemver": { param: "version" },
  "utils.parseTimestamp": { param: "text" },
  "utils.parseUuid": { param: "text" },
  "utils.validateDigest": { param: "digest" },
  "utils.validateSemver": { param: "version" },
};

/** Exports whose names look like parsers but that take any value by design. */
const NOT_PARSERS: Readonly<Record<string, string>> = {
  "utils.AosError.from": "converts anything thrown into an error",
  "utils.AosError.fromErrno": "builds the error of a failed system call",
};

/** Named in issue 12 beside the name patterns. */
const NAMED = new Set(["nameUuid"]);

function looksLikeParser(name: string): boolean {
  return /^(parse|validate|decode|from)|Decode$/.test(name) || NAMED.has(name);
}

/** Every parser-like export of every module, once each (re-exports are the same function). */
async function findParsers(): Promise<Map<string, (input: unknown) => unknown>> {
  const found = new Map<string, (input: unknown) => unknown>();
  const seen = new Set<unknown>();
  for (const [subpath, file] of Object.entries(config.exports)) {
    const module = subpath === "." ? "root" : subpath.slice(2).replaceAll("/", ".");
    const exports: Record<string, unknown> = await import(
      new URL(`../${file}`, import.meta.url).href
    );
    for (const [name, value] of Object.entries(exports)) {
      if (typeof value !== "function") continue;
      if (looksLikeParser(name) && !seen.has(value)) {
        seen.add(value);
        found.set(`${module}.${name}`, value as (input: unknown) => unknown);
      }
      for (const key of Object.getOwnPropertyNames(value)) {
        const method = (value as unknown as Record<string, unknown>)[key];
        if (typeof method !== "function" || !looksLikeParser(key) || seen.has(method)) continue;
        seen.add(method);
        found.set(`${module}.${name}.${key}`, (input) => method.call(value, input));
      }
    }
  }
  return found;
}

/** Calls `fn`, turning a synchronous throw and a rejection alike into the error. */
async function outcome(fn: () => unknown): Promise<{ error: unknown } | undefined> {
  try {
    await fn();
    return undefined;
  } catch (error) {
    return { error };
  }
}

Deno.test("every parser-like export is listed, and every listed parser exists", async () => {
  const names = [...(await findParsers()).keys()];
  const unlisted = names.filter((name) => !(name in PARSERS) && !(name in NOT_PARSERS));
  assert.deepEqual(unlisted, [], "add these to PARSERS (or NOT_PARSERS, with a reason)");
  const stale = [...Object.keys(PARSERS), ...Object.keys(NOT_PARSERS)].filter(
    (name) => !names.includes(name),
  );
  assert.deepEqual(stale, [], "these are no longer exported");
});

Deno.test("every exported parser rejects a wrong input type with invalidArgument naming it", async () => {
  const failures: string[] = [];
  for (const [name, parse] of await findParsers()) {
    const parser = PARSERS[name];
    if (parser === undefined) continue;
    for (const [probe, value] of Object.entries(PROBES) as [Probe, unknown][]) {
      const result = await outcome(() => parse(value));
      const error = result?.error;
      const shown = `${name}(${probe}): ${String(error)}`;
      if (parser.accepts?.includes(probe)) {
        // Valid input may still fail, but with a typed error.
        if (result !== undefined && !(error instanceof AosError)) failures.push(shown);
        continue;
      }
      const message = error instanceof Error ? error.message : "";
      const named = new RegExp(`\\b${parser.param}\\b`).test(message) &&
        new RegExp(`\\b${probe}\\b`).test(message);
      if (!(error instanceof AosError) || !errorIs(error, "invalidArgument") || !named) {
        failures.push(result === undefined ? `${name}(${probe}): returned` : shown);
      }
    }
  }
  assert.deepEqual(failures, []);
});

Deno.test("a numeric duration from a config file says what it got", () => {
  assert.throws(
    () => parseDuration(10 as unknown as string),
    (err) =>
      errorIs(err, "invalidArgument") &&
      (err as Error).message === "Cannot parse duration: text must be a string, got number",
  );
});
