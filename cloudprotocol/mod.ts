// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Wire codec for every JSON message between a unit and AosCloud (protocol
 * version 7), the alert types with the {@linkcode AlertSender} interface, and
 * the {@linkcode CloudConnection} interface.
 *
 * @example Build an alert for an AlertSender
 * ```ts
 * import type { AlertSender, DownloadAlert } from "@aoscore/common/cloudprotocol";
 *
 * const sent: DownloadAlert[] = [];
 * const sender: AlertSender = { sendAlert: (alert) => void sent.push(alert as DownloadAlert) };
 * await sender.sendAlert({
 *   tag: "downloadProgressAlert",
 *   timestamp: new Date(),
 *   digest: "sha256:4b227777d4dd1fc61c6f884f48641d02b4d121d3fd328cb08b5531fcacdabf8a",
 *   url: "https://blobs.example/4b227777",
 *   downloadedBytes: 1024,
 *   totalBytes: 2048,
 *   state: "started",
 * });
 * ```
 *
 * @module
 */
export * from "./types.ts";
export * from "./error.ts";
export * from "./alerts.ts";
export * from "./log.ts";
