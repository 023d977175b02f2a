// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The options of WebSocketCloudConnection checked and with their defaults.
import { AosError } from "../utils/errors.ts";
import { DEFAULT_MAX_FRAME_BYTES } from "./frame.ts";
import type { MessageType } from "./types.ts";
import type { ReconnectOptions, WebSocketCloudConnectionOptions } from "./websocket_connection.ts";
import type { TlsOptions } from "./_transport.ts";

/** Everything a connection runs with. */
export interface ConnectionSettings {
  discoveryUrl: URL;
  systemId: string;
  tls: TlsOptions;
  responseTimeoutMs: number;
  maxResends: number;
  queueLimit: number;
  keepOnOverflow: ReadonlySet<MessageType>;
  reconnect: Required<ReconnectOptions>;
  connectTimeoutMs: number;
  dedupWindow: number;
  maxFrameBytes: number;
}

const DEFAULT_KEEP: readonly MessageType[] = ["alerts", "unitStatus", "overrideEnvVarsStatus"];

/**
 * Checks the options and fills in the defaults.
 *
 * @throws {AosError} `invalidArgument` naming the first bad option.
 */
export function resolveSettings(options: WebSocketCloudConnectionOptions): ConnectionSettings {
  const { systemId, caCert, clientCert, clientKey } = options;
  if (typeof systemId !== "string" || systemId === "") throw invalid("systemId", systemId);
  if ((clientCert === undefined) !== (clientKey === undefined)) {
    throw new AosError(
      "invalidArgument",
      "Invalid cloud connection options: clientCert and clientKey go together",
    );
  }
  const reconnect = options.reconnect ?? {};
  const jitter = reconnect.jitter ?? 0.25;
  if (!(jitter >= 0 && jitter <= 1)) throw invalid("reconnect.jitter", jitter);
  return {
    discoveryUrl: parseDiscoveryUrl(options.discoveryUrl),
    systemId,
    tls: {
      ...(caCert === undefined ? {} : { ca: caCert }),
      ...(clientCert === undefined ? {} : { cert: clientCert }),
      ...(clientKey === undefined ? {} : { key: clientKey }),
    },
    responseTimeoutMs: count("responseTimeoutMs", options.responseTimeoutMs, 10_000, 1),
    maxResends: count("maxResends", options.maxResends, 3, 0),
    queueLimit: count("queueLimit", options.queueLimit, 1000, 1),
    keepOnOverflow: new Set(options.keepOnOverflow ?? DEFAULT_KEEP),
    reconnect: {
      initialDelayMs: count("reconnect.initialDelayMs", reconnect.initialDelayMs, 1000, 0),
      maxDelayMs: count("reconnect.maxDelayMs", reconnect.maxDelayMs, 600_000, 0),
      triesPerRound: count("reconnect.triesPerRound", reconnect.triesPerRound, 5, 1),
      jitter,
    },
    connectTimeoutMs: count("connectTimeoutMs", options.connectTimeoutMs, 30_000, 1),
    dedupWindow: count("dedupWindow", options.dedupWindow, 4096, 1),
    maxFrameBytes: count("maxFrameBytes", options.maxFrameBytes, DEFAULT_MAX_FRAME_BYTES, 1),
  };
}

function parseDiscoveryUrl(text: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    // reported below
  }
  if (url === undefined || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw invalid("discoveryUrl", text);
  }
  return url;
}

function count(name: string, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < min) throw invalid(name, value);
  return value;
}

function invalid(name: string, value: unknown): AosError {
  return new AosError(
    "invalidArgument",
    `Invalid cloud connection options: ${name} is ${JSON.stringify(value)}`,
  );
}
