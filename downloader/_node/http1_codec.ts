// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The HTTP/1.1 of the Node transport (RFC 9112): the request head of a GET,
// the response head, and the body framing (Content-Length, chunked, or until
// the connection closes). Pure functions over bytes, so that the transport
// can parse straight out of the socket's reused read buffer.
import { AosError } from "../../utils/errors.ts";

/** The largest response head accepted, status line and fields together. */
export const MAX_HEAD = 64 * 1024;

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * The head of a GET request. The connection closes after the response.
 *
 * @param url The URL (http: or https:).
 * @param headers Caller's fields; `Host` and `Connection` are ours unless given.
 * @returns The head, ending with the empty line.
 * @throws {AosError} `invalidArgument` for a field that cannot be sent.
 */
export function requestHead(url: URL, headers: Record<string, string>): string {
  const lines = [`GET ${url.pathname}${url.search} HTTP/1.1`];
  const names = new Set(Object.keys(headers).map((name) => name.toLowerCase()));
  if (!names.has("host")) lines.push(`Host: ${url.host}`);
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() === "connection") continue;
    if (!TOKEN.test(name) || /[\r\n\0]/.test(value)) {
      throw new AosError("invalidArgument", `Cannot send header ${JSON.stringify(name)}`);
    }
    lines.push(`${name}: ${value}`);
  }
  lines.push("Connection: close", "", "");
  return lines.join("\r\n");
}

/** A parsed response head. */
export interface ResponseHead {
  /** Status code. */
  status: number;
  /** Reason phrase. */
  statusText: string;
  /** Header fields. */
  headers: Headers;
}

/**
 * Parses a response head (without the empty line that ends it).
 *
 * @param text The head, decoded as Latin-1.
 * @returns Status, reason and fields.
 * @throws {AosError} `failed` for a malformed head.
 */
export function parseHead(text: string): ResponseHead {
  const lines = text.split(/\r?\n/);
  const match = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(lines[0]!);
  if (match === null) throw malformed(`bad status line ${JSON.stringify(lines[0]!.slice(0, 80))}`);
  const headers = new Headers();
  let last: [string, string] | undefined;
  const flush = () => {
    if (last === undefined) return;
    try {
      headers.append(last[0], last[1].trim());
    } catch {
      throw malformed(`bad field ${JSON.stringify(last[0].slice(0, 80))}`);
    }
  };
  for (const line of lines.slice(1)) {
    if ((line.startsWith(" ") || line.startsWith("\t")) && last !== undefined) {
      // An obsolete folded line continues the field before it.
      last[1] += " " + line.trim();
      continue;
    }
    flush();
    const colon = line.indexOf(":");
    if (colon <= 0) throw malformed(`bad field line ${JSON.stringify(line.slice(0, 80))}`);
    last = [line.slice(0, colon), line.slice(colon + 1)];
  }
  flush();
  return { status: Number(match[1]), statusText: match[2] ?? "", headers };
}

/** How a response body ends. */
export type Framing =
  | { kind: "none" }
  | { kind: "length"; length: number }
  | { kind: "chunked" }
  | { kind: "close" };

/**
 * How the body of a response to a GET is delimited.
 *
 * @param head The response head.
 * @returns The framing.
 * @throws {AosError} `failed` for an unusable Content-Length.
 */
export function framingOf(head: ResponseHead): Framing {
  if (head.status === 204 || head.status === 304) return { kind: "none" };
  const coding = head.headers.get("transfer-encoding");
  if (coding !== null) {
    const last = coding.split(",").at(-1)!.trim().toLowerCase();
    return last === "chunked" ? { kind: "chunked" } : { kind: "close" };
  }
  const length = head.headers.get("content-length");
  if (length === null) return { kind: "close" };
  const values = new Set(length.split(",").map((value) => value.trim()));
  const [value] = values;
  if (values.size !== 1 || !/^\d{1,15}$/.test(value!)) {
    throw malformed(`bad Content-Length ${JSON.stringify(length.slice(0, 80))}`);
  }
  return { kind: "length", length: Number(value) };
}

type ChunkState = "size" | "data" | "dataEnd" | "trailer";

/** Longest chunk-size or trailer line accepted. */
const MAX_LINE = 8 * 1024;

/**
 * Takes the body bytes out of what follows the response head, as they
 * arrive, in any split: passes content on, drops the chunked framing, and
 * says when the body is complete.
 */
export class BodyDecoder {
  readonly #framing: Framing;
  #left: number;
  #state: ChunkState = "size";
  #line = "";
  #done: boolean;

  /**
   * Creates a decoder.
   *
   * @param framing How the body ends.
   */
  constructor(framing: Framing) {
    this.#framing = framing;
    this.#left = framing.kind === "length" ? framing.length : 0;
    this.#done = framing.kind === "none" || (framing.kind === "length" && framing.length === 0);
  }

  /** Whether the whole body was seen (never, for a body that ends with the connection). */
  get done(): boolean {
    return this.#done;
  }

  /** Whether the body ends when the connection does. */
  get untilClose(): boolean {
    return this.#framing.kind === "close";
  }

  /**
   * Decodes the next bytes. Bytes after the end of the body are ignored.
   *
   * @param input The bytes (only read during the call).
   * @param content Receives each piece of content, a view into `input`.
   * @throws {AosError} `failed` for a malformed chunked body.
   */
  feed(input: Uint8Array, content: (piece: Uint8Array) => void): void {
    if (this.#done || input.length === 0) return;
    if (this.#framing.kind === "close") return content(input);
    if (this.#framing.kind === "length") {
      const piece = input.subarray(0, this.#left);
      this.#left -= piece.length;
      this.#done = this.#left === 0;
      return content(piece);
    }
    let at = 0;
    while (at < input.length && !this.#done) {
      if (this.#state === "data") {
        const piece = input.subarray(at, at + this.#left);
        at += piece.length;
        this.#left -= piece.length;
        if (this.#left === 0) this.#state = "dataEnd";
        content(piece);
        continue;
      }
      const newline = input.indexOf(10, at);
      const end = newline < 0 ? input.length : newline;
      this.#line += String.fromCharCode(...input.subarray(at, Math.min(end, at + MAX_LINE + 1)));
      if (this.#line.length > MAX_LINE) throw malformed("chunked body line too long");
      at = end;
      if (newline < 0) break;
      at++;
      this.#endLine(this.#line.endsWith("\r") ? this.#line.slice(0, -1) : this.#line);
      this.#line = "";
    }
  }

  #endLine(line: string): void {
    if (this.#state === "size") {
      const size = /^([0-9a-fA-F]{1,12})[ \t]*(?:;.*)?$/.exec(line)?.[1];
      if (size === undefined) {
        throw malformed(`bad chunk size ${JSON.stringify(line.slice(0, 80))}`);
      }
      this.#left = parseInt(size, 16);
      this.#state = this.#left === 0 ? "trailer" : "data";
    } else if (this.#state === "dataEnd") {
      if (line !== "") throw malformed("chunk data longer than its size");
      this.#state = "size";
    } else if (line === "") {
      this.#done = true;
    }
  }
}

function malformed(what: string): AosError {
  return new AosError("failed", `Malformed HTTP response: ${what}`);
}
