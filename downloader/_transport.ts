// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The downloader's private HTTP client interface, and the choice of client.
// Deno's `fetch` is the fast path on Deno (TLS options through
// `Deno.createHttpClient`). Node's global `fetch` cannot take a CA or client
// certificate without undici's own API, and `node:http` allocates a buffer
// per socket read, so Node uses our own HTTP/1.1 client on `node:net` and
// `node:tls` (`_node/`). Transports do not follow redirects: `_request.ts`
// does, so the same policy applies to all.
import { AosError } from "../utils/errors.ts";
import { createFetchTransport, denoHttpClientFactory } from "./_fetch_transport.ts";
import { createNodeTransport } from "./_node/transport.ts";
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
