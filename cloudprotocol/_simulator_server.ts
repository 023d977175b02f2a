// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The network side of the cloud simulator: one node:http(s) server on
// 127.0.0.1 that answers the discovery POST and upgrades to a WebSocket
// with `ws` (the same stack on Deno and Node). What to answer is the
// simulator's business: this file only carries bytes.
import { Buffer } from "node:buffer";
import http from "node:http";
import https from "node:https";
import type { Duplex } from "node:stream";
import { loadWs, type WsServer, type WsSocket } from "./_ws.ts";

/** What the simulator decides about one upgrade request. */
export type UpgradeVerdict = { status: number } | "accept";

/** The simulator's side of the server. */
export interface ServerHandlers {
  /** Answers a discovery POST: status and JSON body. */
  discovery(body: string): Promise<{ status: number; body: string }>;
  /** Decides about an upgrade, given its `Authorization` header. */
  upgrade(authorization: string | undefined): Promise<UpgradeVerdict>;
  /** A WebSocket was opened. */
  open(socket: WsSocket): void;
}

/** Server settings. */
export interface ServerSettings {
  hostname: string;
  port: number;
  /** Server certificate and key, PEM; plain HTTP without them. */
  cert?: string;
  key?: string;
  /** When set, clients must present a certificate issued by this CA. */
  clientCa?: string;
}

/** Paths the server answers on. */
export const DISCOVERY_PATH = "/sd";
/** Path of the WebSocket. */
export const WEBSOCKET_PATH = "/ws";

/** A listening simulator server. */
export class SimulatorServer {
  readonly #server: http.Server;
  readonly #wss: WsServer;
  readonly #pendingUpgrades = new Set<Duplex>();
  #closed: Promise<void> | undefined;
  readonly origin: string;
  /** The port listened on (the one picked when asked for port 0). */
  readonly port: number;

  private constructor(server: http.Server, wss: WsServer, origin: string, port: number) {
    this.#server = server;
    this.#wss = wss;
    this.origin = origin;
    this.port = port;
  }

  static async listen(
    settings: ServerSettings,
    handlers: ServerHandlers,
  ): Promise<SimulatorServer> {
    const { WebSocketServer } = await loadWs();
    const wss = new WebSocketServer({ noServer: true });
    const tls = settings.cert !== undefined;
    const server = tls
      ? https.createServer({
        cert: settings.cert,
        key: settings.key,
        ...(settings.clientCa === undefined
          ? {}
          : { ca: settings.clientCa, requestCert: true, rejectUnauthorized: true }),
      })
      : http.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(settings.port, settings.hostname, () => resolve());
    });
    const { port } = server.address() as { port: number };
    const self = new SimulatorServer(
      server,
      wss,
      `${tls ? "https" : "http"}://${settings.hostname}:${port}`,
      port,
    );
    server.on("request", (req, res) => self.#onRequest(req, res, handlers));
    server.on("upgrade", (req, socket, head) => self.#onUpgrade(req, socket, head, handlers));
    return self;
  }

  #onRequest(req: http.IncomingMessage, res: http.ServerResponse, handlers: ServerHandlers): void {
    if (req.method !== "POST" || req.url !== DISCOVERY_PATH) {
      res.writeHead(404).end();
      return;
    }
    const chunks: Uint8Array[] = [];
    req.on("data", (chunk: Uint8Array) => chunks.push(chunk));
    req.on("end", async () => {
      const text = new TextDecoder().decode(Buffer.concat(chunks));
      const answer = await handlers.discovery(text);
      if (!res.destroyed) {
        res.writeHead(answer.status, { "content-type": "application/json" }).end(answer.body);
      }
    });
  }

  async #onUpgrade(
    req: http.IncomingMessage,
    socket: Duplex,
    head: Buffer,
    handlers: ServerHandlers,
  ): Promise<void> {
    this.#pendingUpgrades.add(socket);
    socket.on("error", () => {});
    try {
      const verdict = req.url === WEBSOCKET_PATH
        ? await handlers.upgrade(req.headers.authorization)
        : { status: 404 };
      if (socket.destroyed) return;
      if (verdict !== "accept") {
        const reason = http.STATUS_CODES[verdict.status] ?? "";
        socket.end(
          `HTTP/1.1 ${verdict.status} ${reason}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`,
        );
        return;
      }
      this.#wss.handleUpgrade(req, socket, head, (ws) => handlers.open(ws));
    } finally {
      this.#pendingUpgrades.delete(socket);
    }
  }

  /** Cuts every connection and stops listening; again, waits for the first close. */
  close(): Promise<void> {
    this.#closed ??= this.#shutDown();
    return this.#closed;
  }

  async #shutDown(): Promise<void> {
    for (const ws of this.#wss.clients) ws.terminate();
    for (const socket of this.#pendingUpgrades) socket.destroy();
    this.#wss.close();
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeAllConnections();
    await closed;
  }
}
