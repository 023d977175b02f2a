// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Serves the reply core with `node:http`. Requests are read straight from
// `IncomingMessage` and files written to `ServerResponse` from two reused
// buffers (`NodeOpenFile.sendTo`), with no web `Request`/`Response` or stream
// in between: that is Node's fastest path.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { NodeOpenFile } from "./_files.ts";
import type { Replier, Reply } from "./_reply.ts";

/** A bound server, as both adapters return it. */
export interface Listener {
  /** The bound port. */
  readonly port: number;
  /** Stops accepting, lets in-flight responses finish for `graceMs`, then cuts them. */
  close(graceMs: number): Promise<void>;
}

/** Binds and serves; rejects when the address cannot be bound. */
export function listenNode(replier: Replier, hostname: string, port: number): Promise<Listener> {
  let stopping = false;
  const server = createServer((req, res) => {
    // While stopping, a connection whose response ended is closed at once
    // rather than kept alive until its idle timeout.
    res.on("finish", () => {
      if (stopping) setImmediate(() => server.closeIdleConnections());
    });
    const reply = replier.reply({
      method: req.method ?? "GET",
      target: req.url ?? "/",
      headers: { get: (name) => headerOf(req, name) },
    });
    if (reply instanceof Promise) reply.then((r) => send(r, res), () => res.destroy());
    else send(reply, res);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen({ port, host: hostname }, () => {
      server.off("error", reject);
      const address = server.address();
      resolve({
        port: typeof address === "object" && address !== null ? address.port : port,
        close: (graceMs) =>
          new Promise<void>((done) => {
            stopping = true;
            const timer = setTimeout(() => server.closeAllConnections(), graceMs);
            server.close(() => {
              clearTimeout(timer);
              done();
            });
            server.closeIdleConnections();
          }),
      });
    });
  });
}

function headerOf(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
}

function send(reply: Reply, res: ServerResponse): void {
  res.writeHead(reply.status, reply.headers);
  const { file, start = 0, length = 0 } = reply;
  if (file === undefined) {
    res.end(reply.body);
    return;
  }
  if (!(file instanceof NodeOpenFile)) {
    file.close();
    res.destroy();
    return;
  }
  // One write is pending at a time; a closed connection fails it, since a
  // destroyed socket may never call back.
  let closed = false;
  let settle: ((err?: Error | null) => void) | undefined;
  res.on("close", () => {
    closed = true;
    settle?.(new Error("connection closed"));
  });
  const write = (chunk: Uint8Array) =>
    new Promise<void>((resolve, reject) => {
      if (closed) return reject(new Error("connection closed"));
      settle = (err) => {
        settle = undefined;
        if (err) reject(err);
        else resolve();
      };
      res.write(chunk, (err) => settle?.(err));
    });
  file.sendTo(write, start, length).then(
    () => res.end(),
    // Headers are out: closing the connection is the only way left to say
    // the body is incomplete (the file failed or ended early).
    () => res.destroy(),
  );
}
