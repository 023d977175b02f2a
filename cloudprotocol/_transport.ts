// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The network calls of the cloud connection: the discovery POST on
// node:http(s) and the WebSocket on `ws`, the same code on Deno and Node.
// Both take the CA and client certificate as PEM, which neither runtime's
// `fetch` nor Node's global `WebSocket` accepts, and `ws` reports the status
// of a refused upgrade (the client re-discovers on 401).
import http from "node:http";
import https from "node:https";
import type { Duplex } from "node:stream";
import { loadWs } from "./_ws.ts";
import { AosError } from "../utils/errors.ts";

/** CA and client certificate, PEM. */
export interface TlsOptions {
  ca?: string;
  cert?: string;
  key?: string;
}

/**
 * A failed HTTP exchange: an `AosError` whose `status` is the HTTP status of
 * the answer, left out when no answer came.
 */
export function httpError(status: number, message: string, cause?: unknown): AosError {
  return new AosError(status === 401 ? "failed" : "runtime", message, {
    ...(cause === undefined ? {} : { cause }),
    ...(status === 0 ? {} : { status }),
  });
}

/** What a POST answered. */
export interface PostResult {
  status: number;
  body: Uint8Array;
}

/**
 * POSTs a JSON body and reads the answer (up to `maxBytes`).
 *
 * @returns The status and the body.
 */
export function postJson(
  url: URL,
  body: string,
  options: { tls: TlsOptions; timeoutMs: number; maxBytes: number; signal: AbortSignal },
): Promise<PostResult> {
  const { tls, timeoutMs, maxBytes, signal } = options;
  const client = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const fail = (err: unknown) => {
      req.destroy();
      reject(httpError(0, `Cannot post to ${url.origin}${url.pathname}`, err));
    };
    // No keep-alive agent: a discovery is rare, and a pooled socket would outlive close().
    const req = client.request(url, {
      method: "POST",
      agent: false,
      headers: { "content-type": "application/json", accept: "application/json" },
      timeout: timeoutMs,
      signal,
      ...tls,
    }, (res) => {
      const chunks: Uint8Array[] = [];
      let size = 0;
      res.on("data", (chunk: Uint8Array) => {
        size += chunk.byteLength;
        if (size > maxBytes) fail(new Error(`answer over ${maxBytes} bytes`));
        else chunks.push(chunk);
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: concat(chunks, size) }));
      res.on("error", fail);
    });
    req.on("timeout", () => fail(new Error(`no answer in ${timeoutMs} ms`)));
    req.on("error", fail);
    req.end(body);
  });
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

/** An open WebSocket. */
export interface CloudSocket {
  /** Writes one binary frame. */
  send(bytes: Uint8Array): void;
  /** Closes the socket (close handshake, cut after `graceMs`). */
  close(graceMs: number): Promise<void>;
  /** Settles when the socket closed, for whatever reason. */
  readonly closed: Promise<void>;
}

/** Options of {@linkcode openSocket}. */
export interface OpenSocketOptions {
  headers: Record<string, string>;
  tls: TlsOptions;
  timeoutMs: number;
  signal: AbortSignal;
  /** Called for every frame; `binary` is `false` for text frames. */
  onMessage(data: Uint8Array, binary: boolean): void;
}

/**
 * Opens a WebSocket. `ws` answers pings by itself.
 *
 * @returns The socket once open.
 * @throws {AosError} When the upgrade failed; `status` is the HTTP status of a refusal.
 */
export async function openSocket(url: string, options: OpenSocketOptions): Promise<CloudSocket> {
  const { headers, tls, timeoutMs, signal, onMessage } = options;
  const { WebSocket } = await loadWs();
  const ws = new WebSocket(url, { headers, handshakeTimeout: timeoutMs, ...tls });
  const closed = new Promise<void>((resolve) => ws.once("close", () => resolve()));
  // The TCP or TLS socket under `ws`, known from the upgrade's response.
  let stream: Duplex | undefined;
  ws.once("upgrade", (res) => stream = res.socket);
  return new Promise<CloudSocket>((resolve, reject) => {
    let status = 0;
    const onAbort = () => ws.terminate();
    const cleanup = () => signal.removeEventListener("abort", onAbort);
    signal.addEventListener("abort", onAbort, { once: true });
    ws.once("unexpected-response", (_req, res) => {
      status = res.statusCode ?? 0;
      res.resume();
      ws.terminate();
    });
    ws.once("error", (err) => {
      cleanup();
      const why = status === 0 ? "" : `: HTTP ${status}`;
      reject(httpError(status, `Cannot open WebSocket ${redact(url)}${why}`, err));
    });
    ws.once("open", () => {
      cleanup();
      ws.on("error", () => {}); // the close event that follows is what counts
      ws.on("message", (data, binary) => onMessage(data as Uint8Array, binary));
      // Frames written in one turn go out together: the socket is corked at
      // the first and uncorked when the turn's code is done, or sooner once
      // BATCH_BYTES wait.
      let corked = false;
      let waiting = 0;
      const flush = () => {
        if (!corked) return;
        corked = false;
        waiting = 0;
        stream!.uncork();
      };
      resolve({
        send(bytes) {
          if (stream === undefined) return ws.send(bytes);
          if (!corked) {
            stream.cork();
            corked = true;
            queueMicrotask(flush);
          }
          ws.send(bytes);
          waiting += bytes.byteLength;
          if (waiting >= BATCH_BYTES) flush();
        },
        async close(graceMs) {
          if (ws.readyState === WebSocket.CLOSED) return;
          ws.close(1000);
          const timer = setTimeout(() => ws.terminate(), graceMs);
          await closed;
          clearTimeout(timer);
        },
        closed,
      });
    });
  });
}

/**
 * About the most bytes gathered into one socket write. A write
 * per frame costs a system call and a wake-up of the peer each, over a tenth
 * of a busy connection's CPU time; the bound lets the peer work on the first
 * frames of a long burst while later ones are made, which one write for the
 * whole turn would not (see BENCHMARKS.md).
 */
const BATCH_BYTES = 16 * 1024;

/** A URL without its query, which may carry credentials. */
function redact(url: string): string {
  const i = url.indexOf("?");
  return i < 0 ? url : url.slice(0, i);
}
