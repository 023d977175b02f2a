// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * IAM client interfaces: certificates, identity, node information and
 * control, permissions and provisioning, as AosCore's components use them,
 * and {@linkcode InMemoryIamProvider}, an IAM kept in memory for tests,
 * demos and small set-ups.
 *
 * @example Certificates by type, with change notifications
 * ```ts
 * import { type CertInfo, InMemoryIamProvider } from "@aoscore/common/utils/iam";
 * import assert from "node:assert/strict";
 *
 * const cert = (serial: number, notAfter: string): CertInfo => ({
 *   certType: "sm", issuer: new Uint8Array([0x30, 0]), serial: new Uint8Array([serial]),
 *   certUrl: `file:/var/aos/sm-${serial}.pem`, keyUrl: `file:/var/aos/sm-${serial}.key`,
 *   notAfter: new Date(notAfter),
 * });
 * const iam = new InMemoryIamProvider({
 *   nodeInfo: {
 *     nodeId: "main", nodeType: "main", title: "Main", maxDMIPS: 10_000, totalRAM: 8 << 30,
 *     osInfo: { os: "linux", features: [] }, cpus: [], partitions: [], attrs: [],
 *     state: "provisioned", isConnected: true,
 *   },
 *   certs: [cert(1, "2027-01-01")],
 * });
 * const seen: string[] = [];
 * using _ = iam.certProvider.subscribeListener("sm", { onCertChanged: (c) => seen.push(c.certUrl) });
 * iam.setCert(cert(2, "2028-01-01"));
 * assert.deepEqual(seen, ["file:/var/aos/sm-2.pem"]);
 * // Without a serial, the certificate that stays valid longest.
 * assert.equal((await iam.certProvider.getCert("sm")).certUrl, "file:/var/aos/sm-2.pem");
 * ```
 *
 * @module
 */
export * from "./types.ts";
export * from "./in_memory_iam_provider.ts";
