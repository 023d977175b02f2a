// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The part of the npm package `ws` this module uses, typed here. `ws` ships
// no types, and @types/ws pulls in @types/node, which Deno has built in
// already (its copy breaks `deno doc`).
//
// Loaded on first use, not at import: `ws` reads the environment as it loads
// (WS_NO_BUFFER_UTIL, WS_NO_UTF_8_VALIDATE), which on Deno needs
// --allow-env, and users of the codec alone should not need that.
import type { Buffer } from "node:buffer";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";

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
  /** The server took the upgrade; `response.socket` is the socket the WebSocket uses. */
  once(event: "upgrade", listener: (response: IncomingMessage) => void): this;
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

/** The classes of `ws` this module uses. */
export interface WsModule {
  /** The client. */
  WebSocket: {
    new (url: string, options?: WsClientOptions): WsSocket;
    readonly CLOSED: number;
  };
  /** The server. */
  WebSocketServer: new (options: { noServer: true }) => WsServer;
}

let loading: Promise<WsModule> | undefined;

/** Loads `ws` (once). */
export function loadWs(): Promise<WsModule> {
  loading ??= import("ws").then((ws) => ({
    WebSocket: ws.WebSocket,
    WebSocketServer: ws.WebSocketServer,
  }));
  return loading;
}
