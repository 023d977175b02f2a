// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The transport used on Node: its global `fetch` cannot take a CA or a client
// certificate without undici's own API, and `node:http` allocates a buffer
// per socket read. Each GET gets its own `node:net`/`node:tls` connection,
// read into a reused buffer (see `exchange.ts`); each request asks for
// `Connection: close`, as a download reads one long body per request.
import net from "node:net";
import tls from "node:tls";
import { requestHead } from "./http1_codec.ts";
import { type Connect, exchange } from "./exchange.ts";
import type { Transport, TransportResponse } from "../_transport.ts";
import type { DownloaderTlsOptions } from "../types.ts";

/**
 * Creates a transport on `node:net` and `node:tls`.
 *
 * @param options Certificates; extra CAs are added to Node's bundled roots.
 * @returns The transport.
 */
export function createNodeTransport(options?: DownloaderTlsOptions): Transport {
  const secureContext: tls.ConnectionOptions = {
    ALPNProtocols: ["http/1.1"],
    ...(options?.caCerts === undefined
      ? {}
      : { ca: [...tls.rootCertificates, ...options.caCerts] }),
    ...(options?.cert === undefined ? {} : { cert: options.cert }),
    ...(options?.key === undefined ? {} : { key: options.key }),
  };
  const sockets = new Set<net.Socket>();
  return {
    get({ url, headers, signal }): Promise<TransportResponse> {
      let head: string;
      try {
        head = requestHead(url, headers);
      } catch (err) {
        return Promise.reject(err);
      }
      const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
      const secure = url.protocol === "https:";
      const port = Number(url.port) || (secure ? 443 : 80);
      const connect: Connect = (onread) => {
        const socket = secure
          ? tls.connect({
            ...secureContext,
            host,
            port,
            // SNI takes names only; an address is checked against the certificate's IP entries.
            ...(net.isIP(host) === 0 ? { servername: host } : {}),
            onread,
          } as tls.ConnectionOptions)
          : net.connect({ host, port, onread });
        sockets.add(socket);
        socket.once("close", () => sockets.delete(socket));
        return socket;
      };
      return exchange(connect, head, signal);
    },
    close() {
      for (const socket of sockets) socket.destroy();
      sockets.clear();
    },
  };
}
