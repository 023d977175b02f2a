// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The `fetch` transport. On Deno, CA and client certificates go through
// `Deno.createHttpClient`, reached via `globalThis` so that this portable
// module type-checks without the Deno namespace.
import {
  type BodyReader,
  copyingReader,
  type Transport,
  type TransportResponse,
} from "./_transport.ts";
import type { DownloaderTlsOptions } from "./types.ts";

interface DenoHttpClient {
  close(): void;
}

type CreateHttpClient = (
  options: { caCerts?: string[]; cert?: string; key?: string },
) => DenoHttpClient;

/**
 * `Deno.createHttpClient` when running on Deno.
 *
 * @returns The factory, or `undefined` on other runtimes.
 */
export function denoHttpClientFactory(): CreateHttpClient | undefined {
  const deno = (globalThis as { Deno?: { createHttpClient?: CreateHttpClient } }).Deno;
  const create = deno?.createHttpClient;
  return typeof create === "function" ? create.bind(deno) : undefined;
}

/**
 * Creates a transport on a `fetch` function.
 *
 * @param fetchFn The fetch to call.
 * @param tls Certificates; needs Deno.
 * @returns The transport.
 */
export function createFetchTransport(
  fetchFn: typeof fetch,
  tls?: DownloaderTlsOptions,
): Transport {
  let client: DenoHttpClient | undefined;
  if (tls !== undefined) {
    const create = denoHttpClientFactory()!;
    client = create({
      ...(tls.caCerts === undefined ? {} : { caCerts: [...tls.caCerts] }),
      ...(tls.cert === undefined ? {} : { cert: tls.cert }),
      ...(tls.key === undefined ? {} : { key: tls.key }),
    });
  }
  return {
    async get({ url, headers, signal }): Promise<TransportResponse> {
      const init: RequestInit & { client?: DenoHttpClient } = {
        headers,
        signal,
        redirect: "manual",
      };
      if (client !== undefined) init.client = client;
      const res = await fetchFn(url, init);
      return {
        status: res.status,
        statusText: res.statusText,
        headers: res.headers,
        body: bodyReader(res.body),
      };
    },
    close() {
      client?.close();
      client = undefined;
    },
  };
}

function bodyReader(stream: ReadableStream<Uint8Array> | null): BodyReader {
  if (stream === null) return copyingReader(() => Promise.resolve(null), () => Promise.resolve());
  let byob: ReadableStreamBYOBReader | undefined;
  try {
    byob = stream.getReader({ mode: "byob" });
  } catch {
    // Not a byte stream (a custom fetch): read chunks and copy them.
  }
  if (byob !== undefined) {
    const reader = byob;
    return {
      async readInto(target) {
        const { value } = await reader.read(target as Uint8Array<ArrayBuffer>);
        // At the end the stream hands the memory back in an empty view.
        if (value === undefined) throw new Error("response body was canceled");
        return value;
      },
      cancel: () => reader.cancel().catch(() => {}),
    };
  }
  const reader = stream.getReader();
  return copyingReader(
    async () => {
      const { value, done } = await reader.read();
      return done ? null : value;
    },
    () => reader.cancel().catch(() => {}),
  );
}
