// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The socket a manager works through: one lazily opened socket in the
// manager's namespace, or a socket opened for one call in another namespace.

import type { NetworkErrorContext } from "../errors.ts";
import { settle } from "../_settle.ts";
import { RouteSocket } from "./socket.ts";

/** Runs requests in a namespace; {@linkcode close} releases its socket. */
export class NetlinkSession {
  readonly netnsPath: string | undefined;
  #socket: RouteSocket | undefined;

  /** @param netnsPath The namespace file to work in; the current namespace when omitted or `""`. */
  constructor(netnsPath?: string) {
    this.netnsPath = netnsPath === "" ? undefined : netnsPath;
  }

  /**
   * Runs `fn` with the socket of `netnsPath` (the session's namespace when
   * omitted or `""`); a throw becomes a rejection.
   */
  run<T>(
    context: NetworkErrorContext,
    netnsPath: string | undefined,
    fn: (socket: RouteSocket) => T,
  ): Promise<T> {
    return settle(() => {
      if (netnsPath === undefined || netnsPath === "" || netnsPath === this.netnsPath) {
        this.#socket ??= RouteSocket.open(context, this.netnsPath);
        return fn(this.#socket);
      }
      const socket = RouteSocket.open(context, netnsPath);
      try {
        return fn(socket);
      } finally {
        socket.close();
      }
    });
  }

  /** Closes the socket; a later call opens a new one. */
  close(): void {
    this.#socket?.close();
    this.#socket = undefined;
  }
}
