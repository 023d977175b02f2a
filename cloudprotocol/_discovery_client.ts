// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Service discovery with its cache (spec §1.1): the answer is kept until a
// 401 on the upgrade, and a server URL that fails is dropped from it; when
// no URL is left, the next connect discovers again. An answer with no usable
// URL is an error and is not cached.
import { AosError } from "../utils/errors.ts";
import { decodeDiscoveryResponse, encodeDiscoveryRequest } from "./discovery.ts";
import { httpError, postJson, type TlsOptions } from "./_transport.ts";

/** The part of a discovery answer a connect uses. */
export interface Discovered {
  /** WebSocket URLs still worth trying, in the server's order. */
  urls: string[];
  /** Sent as the bearer token on the upgrade. */
  authToken: string;
}

/** Settings of a {@linkcode DiscoveryClient}. */
export interface DiscoverySettings {
  url: URL;
  systemId: string;
  tls: TlsOptions;
  timeoutMs: number;
}

/** Discovers the cloud's WebSocket URLs and remembers them. */
export class DiscoveryClient {
  readonly #settings: DiscoverySettings;
  #cached: Discovered | undefined;
  #nextRequestDelay = 0;

  constructor(settings: DiscoverySettings) {
    this.#settings = settings;
  }

  /** The server's `nextRequestDelay` of the last answer, ms (0 when none). */
  get nextRequestDelay(): number {
    return this.#nextRequestDelay;
  }

  /**
   * The cached answer, or a fresh one.
   *
   * @throws {AosError} When the server cannot be reached or answers other than 200.
   * @throws {CloudProtocolError} When the answer does not decode.
   * @throws {AosError} `notFound` when it names no URL; `invalidArgument` when an https
   *   discovery names only `ws:` URLs.
   */
  async get(signal: AbortSignal): Promise<Discovered> {
    if (this.#cached !== undefined) return this.#cached;
    const { url, systemId, tls, timeoutMs } = this.#settings;
    const { status, body } = await postJson(url, encodeDiscoveryRequest({ systemId }), {
      tls,
      timeoutMs,
      maxBytes: 1 << 20,
      signal,
    });
    if (status !== 200) {
      throw httpError(
        status,
        `Service discovery at ${url.origin} answered HTTP ${status}`,
      );
    }
    const answer = decodeDiscoveryResponse(body);
    this.#nextRequestDelay = answer.nextRequestDelay;
    const offered = answer.connectionInfo;
    // After an https discovery, a ws: URL would send the bearer token in clear.
    const urls = url.protocol === "https:" ? offered.filter((u) => /^wss:/i.test(u)) : [...offered];
    if (urls.length === 0) {
      throw offered.length === 0
        ? new AosError("notFound", `Service discovery at ${url.origin} named no WebSocket URL`)
        : new AosError(
          "invalidArgument",
          `Service discovery at ${url.origin} offered only unencrypted WebSocket URLs; ` +
            "refused after an https discovery, so the token is not sent in clear",
        );
    }
    this.#cached = { urls, authToken: answer.authToken };
    return this.#cached;
  }

  /** Drops the cached answer. */
  forget(): void {
    this.#cached = undefined;
  }

  /** Drops one URL from the cached answer, and the answer when none is left. */
  dropUrl(url: string): void {
    const cached = this.#cached;
    if (cached === undefined) return;
    cached.urls = cached.urls.filter((u) => u !== url);
    if (cached.urls.length === 0) this.#cached = undefined;
  }
}
