// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The downloader's private HTTP client interface. Deno's `fetch` is the fast
// path on Deno (TLS options through `Deno.createHttpClient`); Node's global
// `fetch` cannot take a CA or client certificate without undici's own API, so
// Node uses `node:http`/`node:https`. Redirects are followed here, by hand,
// so the same policy applies to both.
import { AosError } from "../utils/errors.ts";
import { createFetchTransport, denoHttpClientFactory } from "./_fetch_transport.ts";
import { createNodeTransport } from "./_node_transport.ts";
import type { DownloaderTlsOptions } from "./types.ts";

/** One GET request. */
export interface TransportRequest {
  /** Absolute http: or https: URL. */
  url: URL;
  /** Request headers. */
  headers: Record<string, string>;
  /** Aborts the request and its body. */
  signal: AbortSignal;
}

/**
 * A response body read into the caller's buffers, so a download allocates
 * nothing per chunk (Deno's fetch body is a byte stream read in BYOB mode).
 */
export interface BodyReader {
  /**
   * Reads the next bytes into `target`. The memory of `target` may be
   * transferred: use the returned view (and its `buffer`) from then on.
   * Rejects on a transport error or abort.
   *
   * @returns The filled part of the buffer; empty at the end of the body.
   */
  readInto(target: Uint8Array): Promise<Uint8Array>;
  /** Drops the rest of the body and releases the connection. */
  cancel(): Promise<void>;
}

/** A response whose body has not been read yet. */
export interface TransportResponse {
  /** HTTP status code. */
  status: number;
  /** Reason phrase, possibly empty. */
  statusText: string;
  /** Response headers. */
  headers: Headers;
  /** The body; read it or cancel it. */
  body: BodyReader;
}

/** An HTTP client. */
export interface Transport {
  /** Sends a GET and resolves when the response headers arrived. */
  get(request: TransportRequest): Promise<TransportResponse>;
  /** Releases pooled connections. */
  close(): void;
}

/** What selects and configures a transport. */
export interface TransportOptions {
  /** CA and client certificates. */
  tls?: DownloaderTlsOptions | undefined;
  /** A `fetch` to use instead of the runtime's HTTP client. */
  fetch?: typeof fetch | undefined;
}

/**
 * Creates the transport for the current runtime.
 *
 * @param options TLS settings or a custom `fetch`.
 * @returns The transport.
 */
export function createTransport(options: TransportOptions): Transport {
  if (options.fetch !== undefined) {
    if (options.tls !== undefined) {
      throw new AosError("invalidArgument", "Cannot combine the fetch and tls options");
    }
    return createFetchTransport(options.fetch);
  }
  const denoClient = denoHttpClientFactory();
  if (denoClient !== undefined) return createFetchTransport(globalThis.fetch, options.tls);
  return createNodeTransport(options.tls);
}

/**
 * A {@linkcode BodyReader} over chunks that arrive in buffers of their own:
 * each read copies into the target, keeping what does not fit for the next.
 *
 * @param next Yields the next chunk, or `null` at the end.
 * @param cancel Releases the source.
 * @returns The reader.
 */
export function copyingReader(
  next: () => Promise<Uint8Array | null>,
  cancel: () => Promise<void>,
): BodyReader {
  let pending: Uint8Array | null = null;
  return {
    async readInto(target) {
      while (pending === null || pending.length === 0) {
        pending = await next();
        if (pending === null) return target.subarray(0, 0);
      }
      const n = Math.min(pending.length, target.length);
      target.set(pending.subarray(0, n));
      pending = pending.subarray(n);
      return target.subarray(0, n);
    },
    cancel,
  };
}

/** A final response and the URL that produced it. */
export interface FollowedResponse {
  /** The response: not a redirect. */
  response: TransportResponse;
  /** The URL of the last request. */
  url: URL;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const CREDENTIAL_HEADERS = ["authorization", "cookie", "proxy-authorization"];

/**
 * Sends a GET and follows redirects: at most `maxRedirects` hops, only to
 * http: or https:, never from https: down to http:. Credentials are dropped
 * when a hop leaves the original origin.
 *
 * @param transport The client.
 * @param request The first request.
 * @param maxRedirects How many redirects to follow.
 * @returns The final response.
 * @throws {AosError} `failed` on a refused or endless redirect.
 */
export async function getFollowingRedirects(
  transport: Transport,
  request: TransportRequest,
  maxRedirects: number,
): Promise<FollowedResponse> {
  let url = request.url;
  let headers = request.headers;
  for (let hops = 0;; hops++) {
    const response = await transport.get({ url, headers, signal: request.signal });
    if (!REDIRECTS.has(response.status)) return { response, url };
    await response.body.cancel();
    const location = response.headers.get("location");
    if (location === null) {
      throw new AosError("failed", `HTTP ${response.status} redirect from ${url} has no Location`);
    }
    if (hops >= maxRedirects) {
      throw new AosError(
        "failed",
        `Too many redirects: more than ${maxRedirects} from ${request.url}`,
      );
    }
    let next: URL;
    try {
      next = new URL(location, url);
    } catch (cause) {
      throw new AosError("failed", `Cannot follow redirect to "${location}"`, { cause });
    }
    if (next.protocol !== "http:" && next.protocol !== "https:") {
      throw new AosError("failed", `Refused redirect from ${url} to ${next.protocol} URL`);
    }
    if (url.protocol === "https:" && next.protocol === "http:") {
      throw new AosError("failed", `Refused redirect from https to http: ${next}`);
    }
    if (next.origin !== request.url.origin) {
      headers = Object.fromEntries(
        Object.entries(headers).filter(([name]) =>
          !CREDENTIAL_HEADERS.includes(name.toLowerCase())
        ),
      );
    }
    url = next;
  }
}
