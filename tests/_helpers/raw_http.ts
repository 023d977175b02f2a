// Copyright 2026 the aos-common authors. Apache-2.0 license.
// A raw HTTP/1.1 client over node:net: sends exactly the bytes given (fetch
// would normalise `..` and percent escapes away) and reads the response until
// the server closes the connection. Portable (Deno and Node).
import { connect } from "node:net";

/** A response as read off the wire. */
export interface RawResponse {
  /** Status code, 0 when the server closed without a status line. */
  status: number;
  /** Header fields, names lower-cased. */
  headers: Map<string, string>;
  /** Everything after the header block (not de-chunked). */
  body: Uint8Array;
  /** The whole response. */
  raw: Uint8Array;
}

/**
 * Sends one request to 127.0.0.1 and reads the response until EOF. Give the
 * request a `Connection: close` header so the server ends the connection.
 */
export function rawRequest(port: number, request: string | Uint8Array): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    const socket = connect({ host: "127.0.0.1", port });
    socket.setTimeout(10_000, () => socket.destroy(new Error("raw request timed out")));
    socket.on("data", (chunk: Uint8Array) => chunks.push(chunk));
    socket.on("error", reject);
    socket.on("close", () => resolve(parseResponse(concat(chunks))));
    socket.end(request);
  });
}

/** A GET of `target` sent as is, with `Connection: close`. */
export function rawGet(port: number, target: string, method = "GET"): Promise<RawResponse> {
  return rawRequest(
    port,
    `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`,
  );
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

function parseResponse(raw: Uint8Array): RawResponse {
  const text = new TextDecoder("latin1").decode(raw);
  const end = text.indexOf("\r\n\r\n");
  const head = end < 0 ? text : text.slice(0, end);
  const [statusLine = "", ...lines] = head.split("\r\n");
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0);
  const headers = new Map<string, string>();
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon > 0) {
      headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
  }
  return { status, headers, body: end < 0 ? new Uint8Array() : raw.subarray(end + 4), raw };
}
