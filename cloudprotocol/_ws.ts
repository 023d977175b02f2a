// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The part of the npm package `ws` this module uses, typed here. `ws` ships
// no types, and @types/ws pulls in @types/node, which Deno has built in
// already (its copy breaks `deno doc`).
import type { Buffer } from "node:buffer";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocket as WsWebSocket, WebSocketServer as WsWebSocketServer } from "ws";

/** One end of a WebSocket. */
export interface WsSocket {
  readonly readyState: number;
  send(data: Uint8Array | string, options?: { binary?: boolean }): void;
  ping(data?: string): void;
  /** Starts the close handshake. */
  close(code?: number): void;
  /** Destroys the socket at once. */
  terminate(): void;
  on(event: "message", listener: (data: Uint8Array, isBinary: boolean) => void): this;
  on(event: "pong", listener: (data: Uint8Array) => void): this;
  on(event: "close", listener: () => void): this;
  on(event: "error", listener: (err: Error) => void): this;
  once(event: "open" | "close", listener: () => void): this;
  once(event: "error", listener: (err: Error) => void): this;
  once(
    event: "unexpected-response",
    listener: (request: unknown, response: IncomingMessage) => void,
  ): this;
}

/** Options of a client socket. */
export interface WsClientOptions {
  headers?: Record<string, string>;
  /** Time limit of the upgrade, ms. */
  handshakeTimeout?: number;
  ca?: string;
  cert?: string;
  key?: string;
}

/** The `WebSocket` client class of `ws`. */
export const WebSocket: {
  new (url: string, options?: WsClientOptions): WsSocket;
  readonly CLOSED: number;
} = WsWebSocket;

/** A server that takes upgrades from a `node:http` server. */
export interface WsServer {
  readonly clients: Set<WsSocket>;
  handleUpgrade(
    request: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    done: (socket: WsSocket) => void,
  ): void;
  close(): void;
}

/** The `WebSocketServer` class of `ws`. */
export const WebSocketServer: new (options: { noServer: true }) => WsServer = WsWebSocketServer;
