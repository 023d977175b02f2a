// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * aos-common: the common infrastructure of AosCore edge components, one
 * namespace per module. Import a sub-path (`@aoscore/common/downloader`) to
 * load only what you use.
 *
 * @example
 * ```ts
 * import { utils } from "@aoscore/common";
 * import assert from "node:assert/strict";
 *
 * assert.equal(new utils.AosError("timeout").message, "timeout");
 * ```
 *
 * @module
 */
export * as cloudprotocol from "./cloudprotocol/mod.ts";
export * as downloader from "./downloader/mod.ts";
export * as fileserver from "./fileserver/mod.ts";
export * as logging from "./logging/mod.ts";
export * as migration from "./migration/mod.ts";
export * as network from "./network/mod.ts";
export * as ocispec from "./ocispec/mod.ts";
export * as spaceallocator from "./spaceallocator/mod.ts";
export * as utils from "./utils/mod.ts";
export * as cryptography from "./utils/crypto/mod.ts";
export * as grpc from "./utils/grpc/mod.ts";
export * as iam from "./utils/iam/mod.ts";
export * as monitoring from "./utils/monitoring/mod.ts";
export * as pkcs11 from "./utils/pkcs11/mod.ts";
