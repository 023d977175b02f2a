// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The `node:http`/`node:https` transport, used on Node: its global `fetch`
// has no way to take a CA or a client certificate without undici's own API.
import http from "node:http";
import https from "node:https";
import { rootCertificates } from "node:tls";
import {
  type BodyReader,
  copyingReader,
  type Transport,
  type TransportResponse,
} from "./_transport.ts";
import type { DownloaderTlsOptions } from "./types.ts";

/**
 * Creates a transport on Node's HTTP client, with keep-alive agents.
 *
 * @param tls Certificates; extra CAs are added to Node's bundled roots.
 * @returns The transport.
 */
export function createNodeTransport(tls?: DownloaderTlsOptions): Transport {
  const httpAgent = new http.Agent({ keepAlive: true });
  const httpsAgent = new https.Agent({
    keepAlive: true,
    ...(tls?.caCerts === undefined ? {} : { ca: [...rootCertificates, ...tls.caCerts] }),
    ...(tls?.cert === undefined ? {} : { cert: tls.cert }),
    ...(tls?.key === undefined ? {} : { key: tls.key }),
  });
  return {
    get({ url, headers, signal }): Promise<TransportResponse> {
      return new Promise((resolve, reject) => {
        if (signal.aborted) return reject(signal.reason);
        const secure = url.protocol === "https:";
        const request = (secure ? https : http).request(url, {
          method: "GET",
          headers,
          agent: secure ? httpsAgent : httpAgent,
        });
        const onAbort = () => request.destroy(signal.reason);
        signal.addEventListener("abort", onAbort, { once: true });
        request.on("error", (err) => {
          signal.removeEventListener("abort", onAbort);
          reject(signal.aborted ? signal.reason : err);
        });
        request.on("response", (res) => {
          const responseHeaders = new Headers();
          for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
            responseHeaders.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
          }
          resolve({
            status: res.statusCode ?? 0,
            statusText: res.statusMessage ?? "",
            headers: responseHeaders,
            body: bodyReader(res, signal, onAbort),
          });
        });
        request.end();
      });
    },
    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}

function bodyReader(
  res: http.IncomingMessage,
  signal: AbortSignal,
  onAbort: () => void,
): BodyReader {
  const chunks = res[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>;
  const release = () => {
    signal.removeEventListener("abort", onAbort);
    res.destroy();
  };
  return copyingReader(async () => {
    try {
      const { value, done } = await chunks.next();
      if (!done) return value;
      // Node ends quietly when a body with a promised length is cut short.
      if (!res.complete) throw new Error("connection closed before the body was complete");
      release();
      return null;
    } catch (err) {
      release();
      throw signal.aborted ? signal.reason : err;
    }
  }, () => {
    release();
    return Promise.resolve();
  });
}
