// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * A small HTTP/1.1 file server for download tests that misbehaves on request.
 *
 * It is written on `node:net` / `node:tls` rather than `Deno.serve` or
 * `node:http` so that it can do what real servers and proxies do wrong (drop a
 * connection after N bytes, stall, lie about `Content-Length`, answer a range
 * request with the wrong range) byte for byte the same way on Deno and on
 * Node. It listens on 127.0.0.1, port 0, answers every request with
 * `Connection: close`, and records every request it receives.
 *
 * @module
 */
import net from "node:net";
import tls from "node:tls";

/** How a resource answers `Range` requests. */
export type RangeMode =
  /** Advertise `Accept-Ranges: bytes` and honour ranges (and `If-Range`). */
  | "honour"
  /** Advertise `Accept-Ranges: bytes` but answer every request with the full `200`. */
  | "ignore"
  /** Neither advertise nor honour ranges. */
  | "none";

/** A file the server serves at one path. */
export interface ResourceOptions {
  /** The content. */
  body: Uint8Array;
  /**
   * Range behaviour.
   *
   * @default {"honour"}
   */
  ranges?: RangeMode;
  /**
   * Spelling of the `Accept-Ranges` header name.
   *
   * @default {"Accept-Ranges"}
   */
  acceptRangesName?: string;
  /**
   * Send `Content-Length` (otherwise the body is close-delimited).
   *
   * @default {true}
   */
  contentLength?: boolean;
  /**
   * Strong ETag to send; `null` sends none.
   *
   * @default {a fresh `"v<n>"` per `set`}
   */
  etag?: string | null;
  /** `Last-Modified` value to send, if any. */
  lastModified?: string;
  /**
   * Body bytes written per chunk.
   *
   * @default {65536}
   */
  chunkSize?: number;
  /**
   * Pause after every chunk, in milliseconds (a slow body).
   *
   * @default {0}
   */
  chunkDelayMs?: number;
  /** Awaited before every chunk is written; lets a test release the body chunk by chunk. */
  gate?: () => Promise<void>;
  /**
   * Most bytes a `206` carries, as CDNs that cap ranges do: a request for
   * `bytes=N-` gets `N` to `N + rangeBytes - 1`. With 0 the `206` is empty
   * and its `Content-Range` ends before it starts.
   *
   * @default {Infinity}
   */
  rangeBytes?: number;
}

/** A one-shot misbehaviour, used by the next request of a path (see {@linkcode FaultServer.plan}). */
export type Fault =
  /** Serve normally (to let earlier requests pass before a fault). */
  | { kind: "ok" }
  /**
   * Send the headers and `afterBytes` of the body, then reset the connection.
   * With `short`, the last byte of a non-empty body is never sent, so the
   * body is cut whatever its length (a ranged answer may be shorter than
   * `afterBytes`). `then` is called once the request is over, also when the
   * client hung up first.
   */
  | { kind: "drop"; afterBytes: number; short?: boolean; then?: () => void }
  /** Send the headers and `afterBytes` of the body, then send nothing more; `short` as for `drop`. */
  | { kind: "stall"; afterBytes: number; short?: boolean }
  /** Answer with this status (and `Retry-After` when given) instead of the resource. */
  | { kind: "status"; status: number; retryAfter?: string }
  /** Answer a range request with `206` for a range that starts somewhere else. */
  | { kind: "wrongRange"; start: number }
  /** Answer with a redirect. */
  | { kind: "redirect"; location: string; status?: number }
  /** Announce this `Content-Length`, send the body as is, then close. */
  | { kind: "lieLength"; contentLength: number }
  /** Accept the request and never answer it. */
  | { kind: "hang" };

/** A request as the server saw it. */
export interface RecordedRequest {
  /** `GET`, `HEAD`, ... */
  method: string;
  /** The request target, e.g. `/file.bin?x=1`. */
  path: string;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  /** Status sent, 0 while none was. */
  status: number;
  /** Body bytes sent so far. */
  bodyBytes: number;
}

/** TLS settings of an HTTPS fault server (PEM strings). */
export interface FaultServerTls {
  /** Server private key. */
  key: string;
  /** Server certificate chain. */
  cert: string;
  /** CAs that client certificates must chain to; setting it requires a client certificate. */
  clientCa?: string;
}

const STATUS_TEXT: Record<number, string> = {
  200: "OK",
  206: "Partial Content",
  301: "Moved Permanently",
  302: "Found",
  303: "See Other",
  307: "Temporary Redirect",
  308: "Permanent Redirect",
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  408: "Request Timeout",
  416: "Range Not Satisfiable",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

/** The misbehaving server. Close it (or `await using` it) at the end of the test. */
export class FaultServer implements AsyncDisposable {
  /** Every request received, in order. */
  readonly requests: RecordedRequest[] = [];
  /** `http://127.0.0.1:<port>` or `https://...`. */
  readonly origin: string;
  readonly #server: net.Server;
  readonly #sockets = new Set<net.Socket>();
  readonly #resources = new Map<
    string,
    Required<Omit<ResourceOptions, "gate" | "lastModified">> & {
      gate?: () => Promise<void>;
      lastModified?: string;
    }
  >();
  readonly #faults = new Map<string, Fault[]>();
  readonly #timers = new Map<ReturnType<typeof setTimeout>, (err: Error) => void>();
  #version = 0;
  #inFlight = 0;
  /** Most bodies that were being sent at the same time. */
  peakInFlight = 0;

  private constructor(server: net.Server, origin: string) {
    this.#server = server;
    this.origin = origin;
  }

  /**
   * Starts a server on 127.0.0.1 with a free port.
   *
   * @param options TLS settings; without them the server speaks plain HTTP.
   * @returns The running server.
   */
  static async start(options: { tls?: FaultServerTls } = {}): Promise<FaultServer> {
    const server = options.tls === undefined ? net.createServer() : tls.createServer({
      key: options.tls.key,
      cert: options.tls.cert,
      ...(options.tls.clientCa === undefined
        ? {}
        : { ca: [options.tls.clientCa], requestCert: true, rejectUnauthorized: true }),
    });
    // A client that rejects our certificate is part of some tests.
    server.on("tlsClientError", () => {});
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as net.AddressInfo;
    const self = new FaultServer(server, `${options.tls ? "https" : "http"}://127.0.0.1:${port}`);
    server.on(
      options.tls === undefined ? "connection" : "secureConnection",
      (socket: net.Socket) => self.#accept(socket),
    );
    return self;
  }

  /**
   * The full URL of a path on this server.
   *
   * @param path A path starting with `/`.
   * @returns The URL.
   */
  url(path: string): string {
    return this.origin + path;
  }

  /**
   * Adds or replaces the resource at `path`. Replacing gives it a new ETag
   * (unless one is given), as a changed file on a real server would.
   *
   * @param path The request path (query strings are ignored when matching).
   * @param options The content and its behaviour.
   */
  set(path: string, options: ResourceOptions): void {
    this.#version++;
    this.#resources.set(path, {
      ranges: "honour",
      acceptRangesName: "Accept-Ranges",
      contentLength: true,
      etag: `"v${this.#version}"`,
      chunkSize: 65536,
      chunkDelayMs: 0,
      rangeBytes: Infinity,
      ...options,
    });
  }

  /**
   * Queues faults for the next requests of `path`: each request takes the
   * next fault; when the queue is empty, requests are served normally.
   *
   * @param path The request path.
   * @param faults The faults, in order.
   */
  plan(path: string, ...faults: Fault[]): void {
    const queue = this.#faults.get(path) ?? [];
    queue.push(...faults);
    this.#faults.set(path, queue);
  }

  /**
   * Forgets a path: its resource, its faults not used yet and its recorded
   * requests, so a server that serves many short-lived paths (a soak run)
   * does not grow.
   *
   * @param path The request path.
   * @returns How many planned faults were never used, and the requests of the path.
   */
  remove(path: string): { unusedFaults: number; requests: RecordedRequest[] } {
    const unusedFaults = this.#faults.get(path)?.length ?? 0;
    this.#resources.delete(path);
    this.#faults.delete(path);
    const mine: RecordedRequest[] = [];
    const others: RecordedRequest[] = [];
    for (const r of this.requests) (r.path.split("?")[0] === path ? mine : others).push(r);
    this.requests.splice(0, this.requests.length, ...others);
    return { unusedFaults, requests: mine };
  }

  /**
   * Body bytes sent for a path, over all requests.
   *
   * @param path The request path.
   * @returns The byte count.
   */
  bodyBytesOf(path: string): number {
    return this.requestsOf("GET", path).reduce((sum, r) => sum + r.bodyBytes, 0);
  }

  /**
   * The recorded requests with this method (and path, when given).
   *
   * @param method `GET`, `HEAD`, ...
   * @param path Only requests of this path.
   * @returns The matching requests.
   */
  requestsOf(method: string, path?: string): RecordedRequest[] {
    return this.requests.filter((r) =>
      r.method === method && (path === undefined || r.path.split("?")[0] === path)
    );
  }

  /** Resets every open connection and stops listening. */
  async close(): Promise<void> {
    for (const [timer, reject] of this.#timers) {
      clearTimeout(timer);
      reject(new Error("server closed"));
    }
    this.#timers.clear();
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** Same as {@linkcode FaultServer.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #accept(socket: net.Socket): void {
    this.#sockets.add(socket);
    socket.on("close", () => this.#sockets.delete(socket));
    socket.on("error", () => {});
    let head = "";
    const onData = (data: Buffer) => {
      head += data.toString("latin1");
      const end = head.indexOf("\r\n\r\n");
      if (end < 0) return;
      socket.off("data", onData);
      this.#respond(socket, head.slice(0, end)).catch(() => socket.destroy());
    };
    socket.on("data", onData);
  }

  async #respond(socket: net.Socket, head: string): Promise<void> {
    const [requestLine = "", ...lines] = head.split("\r\n");
    const [method = "", target = ""] = requestLine.split(" ");
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(":");
      if (colon > 0) {
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
    }
    const record: RecordedRequest = { method, path: target, headers, status: 0, bodyBytes: 0 };
    this.requests.push(record);
    const path = target.split("?")[0] ?? "";
    const fault = this.#faults.get(path)?.shift();
    try {
      await this.#answer(socket, record, method, path, headers, fault);
    } finally {
      // Also when the client hung up first: the fault was used either way.
      if (fault?.kind === "drop") fault.then?.();
    }
  }

  async #answer(
    socket: net.Socket,
    record: RecordedRequest,
    method: string,
    path: string,
    headers: Record<string, string>,
    fault: Fault | undefined,
  ): Promise<void> {
    if (fault?.kind === "hang") return;
    if (fault?.kind === "status") {
      const extra = fault.retryAfter === undefined ? {} : { "Retry-After": fault.retryAfter };
      return this.#simple(socket, record, fault.status, extra);
    }
    if (fault?.kind === "redirect") {
      return this.#simple(socket, record, fault.status ?? 302, { Location: fault.location });
    }
    const res = this.#resources.get(path);
    if (res === undefined) return this.#simple(socket, record, 404, {});

    const size = res.body.length;
    const out: [string, string][] = [];
    if (res.ranges !== "none") out.push([res.acceptRangesName, "bytes"]);
    if (res.etag !== null) out.push(["ETag", res.etag]);
    if (res.lastModified !== undefined) out.push(["Last-Modified", res.lastModified]);
    let status = 200;
    let start = 0;
    let end = size;
    const range = res.ranges === "honour" ? parseRange(headers["range"], size) : undefined;
    const ifRange = headers["if-range"];
    const validatorMatches = ifRange === undefined || ifRange === res.etag ||
      ifRange === res.lastModified;
    if (range !== undefined && validatorMatches) {
      if (range.start >= size) {
        out.push(["Content-Range", `bytes */${size}`]);
        return this.#simple(socket, record, 416, Object.fromEntries(out));
      }
      status = 206;
      start = fault?.kind === "wrongRange" ? fault.start : range.start;
      end = Math.min(range.end, start + res.rangeBytes);
      out.push(["Content-Range", `bytes ${start}-${end - 1}/${size}`]);
    }
    const body = res.body.subarray(start, end);
    const announced = fault?.kind === "lieLength" ? fault.contentLength : body.length;
    if (res.contentLength || fault?.kind === "lieLength") {
      out.push(["Content-Length", String(announced)]);
    }
    out.push(["Content-Type", "application/octet-stream"], ["Connection", "close"]);
    record.status = status;
    await write(
      socket,
      statusLine(status) + out.map(([k, v]) => `${k}: ${v}\r\n`).join("") + "\r\n",
    );
    if (method === "HEAD") return void socket.end();
    this.#inFlight++;
    this.peakInFlight = Math.max(this.peakInFlight, this.#inFlight);
    try {
      await this.#sendBody(socket, record, res, body, fault);
    } finally {
      this.#inFlight--;
    }
  }

  async #sendBody(
    socket: net.Socket,
    record: RecordedRequest,
    res: { chunkSize: number; chunkDelayMs: number; gate?: () => Promise<void> },
    body: Uint8Array,
    fault: Fault | undefined,
  ): Promise<void> {
    const limit = fault?.kind === "drop" || fault?.kind === "stall"
      ? Math.min(fault.afterBytes, fault.short ? Math.max(0, body.length - 1) : body.length)
      : body.length;
    for (let pos = 0; pos < limit && !socket.destroyed;) {
      await res.gate?.();
      const next = Math.min(pos + res.chunkSize, limit);
      await write(socket, body.subarray(pos, next));
      record.bodyBytes += next - pos;
      pos = next;
      if (res.chunkDelayMs > 0 && pos < limit) await this.#sleep(res.chunkDelayMs);
    }
    if (fault?.kind === "stall") return;
    if (fault?.kind === "drop") return void socket.destroy();
    socket.end();
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        resolve();
      }, ms);
      this.#timers.set(timer, reject);
    });
  }

  async #simple(
    socket: net.Socket,
    record: RecordedRequest,
    status: number,
    extra: Record<string, string>,
  ): Promise<void> {
    record.status = status;
    const body = `${status} ${STATUS_TEXT[status] ?? ""}\n`;
    const headers = { ...extra, "Content-Length": String(body.length), Connection: "close" };
    await write(
      socket,
      statusLine(status) + Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join("") +
        "\r\n" + body,
    );
    socket.end();
  }
}

function statusLine(status: number): string {
  return `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? "Status"}\r\n`;
}

/** The range of a `bytes=<start>-` or `bytes=<start>-<last>` header, end exclusive. */
function parseRange(
  value: string | undefined,
  size: number,
): { start: number; end: number } | undefined {
  const match = value === undefined ? null : /^bytes=(\d+)-(\d*)$/.exec(value);
  if (match === null) return undefined;
  const end = match[2] === "" ? size : Math.min(Number(match[2]) + 1, size);
  return { start: Number(match[1]), end };
}

function write(socket: net.Socket, data: string | Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    if (socket.destroyed) return reject(new Error("socket closed"));
    socket.write(data, (err) => err ? reject(err) : resolve());
  });
}
