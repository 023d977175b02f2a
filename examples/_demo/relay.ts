// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * A TCP relay on 127.0.0.1 in front of a local server. It counts the bytes
 * it carries both ways (the summary's "bytes" column) and can end one
 * connection in the middle of a response, as a flaky mobile link would: the
 * demo puts one in front of the cloud simulator and one in front of the file
 * server. Portable (`node:net`).
 *
 * @module
 */
import { connect, createServer, type Socket } from "node:net";

/** When to cut: once, in the response to the first request for `path`. */
export interface CutRule {
  /** The request path whose response is cut. */
  path: string;
  /** Response bytes passed on before the cut. */
  afterBytes: number;
}

/** A running relay. */
export class Relay implements AsyncDisposable {
  /** The port to connect to instead of the server's. */
  readonly port: number;
  readonly #server: ReturnType<typeof createServer>;
  readonly #sockets = new Set<Socket>();
  #bytes = 0;
  #cut: CutRule | undefined;

  private constructor(server: ReturnType<typeof createServer>, port: number) {
    this.#server = server;
    this.port = port;
  }

  /**
   * Starts a relay to `127.0.0.1:targetPort`.
   *
   * @param targetPort The server's port.
   * @returns The listening relay.
   */
  static start(targetPort: number): Promise<Relay> {
    let relay: Relay;
    const server = createServer((client) => relay.#relay(client, targetPort));
    return new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen({ host: "127.0.0.1", port: 0 }, () => {
        const address = server.address();
        relay = new Relay(
          server,
          typeof address === "object" && address !== null ? address.port : 0,
        );
        resolve(relay);
      });
    });
  }

  /** Bytes carried so far, both directions together. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Cuts the response to the next request for `rule.path` after `rule.afterBytes` bytes. */
  cutOnce(rule: CutRule): void {
    this.#cut = rule;
  }

  /** Stops listening and ends every connection. */
  close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  /** Same as {@linkcode Relay.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #relay(client: Socket, targetPort: number): void {
    const upstream = connect({ host: "127.0.0.1", port: targetPort });
    this.#sockets.add(client).add(upstream);
    // Response bytes left before the cut, once this connection asked for the path.
    let left = Infinity;
    const cut = () => {
      client.resetAndDestroy();
      upstream.destroy();
    };
    client.on("data", (data: Uint8Array) => {
      this.#bytes += data.byteLength;
      const rule = this.#cut;
      if (rule !== undefined && new TextDecoder().decode(data).includes(` ${rule.path} `)) {
        this.#cut = undefined;
        left = rule.afterBytes;
      }
      upstream.write(data);
    });
    upstream.on("data", (data: Uint8Array) => {
      if (data.byteLength >= left) {
        this.#bytes += left;
        // End early rather than reset: a reset would also throw away what
        // the client has not read yet, and the cut would land before the mark.
        upstream.destroy();
        client.end(data.subarray(0, left));
        left = Infinity;
        return;
      }
      left -= data.byteLength;
      this.#bytes += data.byteLength;
      // Backpressure: a slow (rate-limited) client must not make the relay buffer the body.
      if (!client.write(data)) {
        upstream.pause();
        client.once("drain", () => upstream.resume());
      }
    });
    client.on("end", () => upstream.end());
    upstream.on("end", () => client.end());
    for (const socket of [client, upstream]) {
      socket.on("error", cut);
      socket.on("close", () => this.#sockets.delete(socket));
    }
    client.on("close", () => upstream.destroy());
  }
}
