// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Service definitions from `.proto` files, loaded at run time with
 * `@grpc/proto-loader`: AosCore's API files work as they are, without a
 * code generation step, and messages are plain objects.
 *
 * @module
 */

import type { GrpcObject } from "./types.ts";
import type { Options } from "@grpc/proto-loader";
import { AosError } from "../errors.ts";
import { grpcJs, grpcProtoLoader } from "./_grpc_js.ts";

/** Options of {@linkcode loadProtoPackage}: `@grpc/proto-loader`'s. */
export type LoadProtoOptions = Options;

/**
 * The proto-loader options AosCore's messages read best with: field names
 * as written in the `.proto` file, enums as their names, 64-bit integers as
 * numbers, default values filled in, and `oneof` members named.
 */
export const AOS_PROTO_OPTIONS: Readonly<LoadProtoOptions> = Object.freeze({
  keepCase: true,
  enums: String,
  longs: Number,
  defaults: true,
  oneofs: true,
});

/**
 * Loads `.proto` files and returns their packages, with a client
 * constructor for each service.
 *
 * @example
 * ```ts
 * import { loadProtoPackage } from "@aoscore/common/utils/grpc";
 * import { writeFile, mkdtemp, rm } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import assert from "node:assert/strict";
 *
 * const dir = await mkdtemp(join(tmpdir(), "proto-"));
 * const file = join(dir, "echo.proto");
 * await writeFile(file, 'syntax = "proto3"; package echo; message Msg { string text = 1; }' +
 *   " service Echo { rpc Say (Msg) returns (Msg); }");
 * const { echo } = await loadProtoPackage(file);
 * assert.equal(typeof (echo as Record<string, unknown>).Echo, "function");
 * await rm(dir, { recursive: true });
 * ```
 *
 * @param files The `.proto` file or files (imports are found through `includeDirs`).
 * @param options proto-loader options; {@linkcode AOS_PROTO_OPTIONS} when left out.
 * @returns The packages: nested objects keyed by package name parts.
 * @throws {AosError} `notFound` when a file cannot be read, `invalidArgument` when it cannot
 *   be parsed.
 */
export async function loadProtoPackage(
  files: string | string[],
  options: LoadProtoOptions = AOS_PROTO_OPTIONS,
): Promise<GrpcObject> {
  const [grpc, loader] = await Promise.all([grpcJs(), grpcProtoLoader()]);
  let definition;
  try {
    definition = await loader.load(files, options);
  } catch (err) {
    const missing = (err as { code?: unknown }).code === "ENOENT" ||
      /no such file|ENOENT/i.test(String(err));
    throw AosError.wrap(err, missing ? "notFound" : "invalidArgument", `can't load proto ${files}`);
  }
  return grpc.loadPackageDefinition(definition);
}
