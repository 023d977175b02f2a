// Copyright 2026 the aos-common authors. Apache-2.0 license.
// A TCP proxy on 127.0.0.1 in front of a real server that can cut
// connections: the first `drops.length` connections are reset after passing
// that many response bytes, as a flaky network would. It records the request
// head of every connection. Portable (node:net).
import { connect, createServer, type Socket } from "node:net";

/** A running proxy. */
export interface DropProxy {
  /** The port to connect to. */
  port: number;
  /** The request head (up to the blank line) of each connection, in order. */
  requests: string[];
  /** Response bytes passed to the client on each connection, in order. */
  responseBytes: number[];
  /** Stops listening and ends every connection. */
  close(): Promise<void>;
}

/**
 * Starts a proxy to `127.0.0.1:targetPort`.
 *
 * @param targetPort The real server's port.
 * @param drops Response bytes passed before cutting the 1st, 2nd... connection.
 */
export function startDropProxy(targetPort: number, drops: readonly number[]): Promise<DropProxy> {
  const requests: string[] = [];
  const responseBytes: number[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createServer((client) => {
    const dropAfter = drops[connections++];
    const index = requests.push("") - 1;
    responseBytes.push(0);
    const upstream = connect({ host: "127.0.0.1", port: targetPort });
    sockets.add(client).add(upstream);
    const cut = () => {
      client.resetAndDestroy();
      upstream.destroy();
    };
    client.on("data", (data: Uint8Array) => {
      if (!requests[index]!.includes("\r\n\r\n")) {
        requests[index] += new TextDecoder("latin1").decode(data);
      }
      upstream.write(data);
    });
    let passed = 0;
    upstream.on("data", (data: Uint8Array) => {
      if (dropAfter !== undefined && passed + data.byteLength >= dropAfter) {
        client.write(data.subarray(0, dropAfter - passed), cut);
        passed = responseBytes[index] = dropAfter;
        upstream.pause();
        return;
      }
      passed = responseBytes[index] = passed + data.byteLength;
      // Backpressure: a slow client must not make the proxy buffer the whole body.
      if (!client.write(data)) {
        upstream.pause();
        client.once("drain", () => upstream.resume());
      }
    });
    // A normal close ends the other side after what it still has buffered;
    // only an error cuts (a reset would throw away bytes not yet delivered).
    client.on("end", () => upstream.end());
    upstream.on("end", () => client.end());
    for (const socket of [client, upstream]) {
      socket.on("error", () => cut());
      socket.on("close", () => sockets.delete(socket));
    }
    client.on("close", () => upstream.destroy());
  });
  return new Promise((resolve) => {
    server.listen({ host: "127.0.0.1", port: 0 }, () => {
      const address = server.address();
      resolve({
        port: typeof address === "object" && address !== null ? address.port : 0,
        requests,
        responseBytes,
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
