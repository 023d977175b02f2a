// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * The channel and server options AosCore's components use: keepalive pings
 * every 10 s (also without calls), reconnect backoff from 1 s to 3 s, and
 * servers that accept pings every 10 s without striking the client.
 *
 * @module
 */

import type { ChannelOptions } from "./types.ts";

/** Client channel options of AosCore. */
export const CLIENT_CHANNEL_OPTIONS: Readonly<ChannelOptions> = Object.freeze({
  "grpc.keepalive_time_ms": 10_000,
  "grpc.keepalive_timeout_ms": 3_000,
  "grpc.keepalive_permit_without_calls": 1,
  "grpc.http2.max_pings_without_data": 0,
  "grpc.initial_reconnect_backoff_ms": 1_000,
  "grpc.min_reconnect_backoff_ms": 1_000,
  "grpc.max_reconnect_backoff_ms": 3_000,
  "grpc.dns_ares_query_timeout": 1_000,
});

/** Server options of AosCore. */
export const SERVER_OPTIONS: Readonly<ChannelOptions> = Object.freeze({
  "grpc.http2.min_ping_interval_without_data_ms": 10_000,
  "grpc.http2.max_ping_strikes": 0,
});

/**
 * The options of a client channel to `target`: {@linkcode CLIENT_CHANNEL_OPTIONS}
 * and `overrides`. For a target given by IP address, TLS is told a server
 * name (`localhost`) to send instead: TLS may not name a server by its
 * address (RFC 6066), which Deno refuses and Node warns about. The name is
 * never checked: AosCore's clients verify the server's chain, not its name.
 *
 * @example
 * ```ts
 * import { clientChannelOptions } from "@aoscore/common/utils/grpc";
 * import assert from "node:assert/strict";
 *
 * assert.equal(clientChannelOptions("127.0.0.1:8089")["grpc.ssl_target_name_override"], "localhost");
 * assert.equal(clientChannelOptions("iam.local:8089")["grpc.ssl_target_name_override"], undefined);
 * assert.equal(clientChannelOptions("iam:8089")["grpc.keepalive_time_ms"], 10_000);
 * ```
 *
 * @param target The channel target (`host:port`, `[v6]:port`, `dns:host:port`).
 * @param overrides Options to set or replace.
 * @returns The channel options.
 */
export function clientChannelOptions(
  target: string,
  overrides: ChannelOptions = {},
): ChannelOptions {
  const options: ChannelOptions = { ...CLIENT_CHANNEL_OPTIONS };
  if (isIpTarget(target)) options["grpc.ssl_target_name_override"] = "localhost";
  return { ...options, ...overrides };
}

function isIpTarget(target: string): boolean {
  const host = target.replace(/^(dns|ipv4|ipv6):(\/\/[^/]*\/)?/, "");
  if (host.startsWith("[")) return true;
  return /^\d{1,3}(\.\d{1,3}){3}(:\d+)?$/.test(host);
}
