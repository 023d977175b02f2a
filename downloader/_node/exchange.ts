// Copyright 2026 the aos-common authors. Apache-2.0 license.
// One GET on its own connection, read with `onread`: the socket reads into
// one reused 256 KiB buffer, and body bytes are copied from there straight
// into the reader's buffer. Node's HTTP client allocates a 64 KiB buffer per
// socket read instead, which V8 frees late (about 70 MiB of garbage during a
// large download) and costs a stream event and a promise per chunk. Bytes
// that arrive while no read waits are kept, and the socket pauses until they
// are taken, so memory stays flat.
import type net from "node:net";
import { AosError } from "../../utils/errors.ts";
import { concatBytes } from "../../utils/_bytes.ts";
import { BodyDecoder, framingOf, MAX_HEAD, parseHead } from "./http1_codec.ts";
import type { BodyReader, TransportResponse } from "../_transport.ts";

/** Size of the socket's read buffer. */
export const READ_SIZE = 256 << 10;

interface PendingRead {
  target: Uint8Array;
  filled: number;
  resolve(view: Uint8Array): void;
  reject(err: unknown): void;
}

/** Connects, given the `onread` option the socket must use. */
export type Connect = (onread: { buffer: Uint8Array; callback: OnRead }) => net.Socket;
type OnRead = (bytes: number, buffer: Uint8Array) => boolean;

/**
 * Sends a request and resolves with the response once its head arrived.
 *
 * @param connect Opens the connection with the given `onread`.
 * @param head The request head.
 * @param signal Aborts the exchange (its reason is the error).
 * @returns The response, its body still to be read.
 */
export function exchange(
  connect: Connect,
  head: string,
  signal: AbortSignal,
): Promise<TransportResponse> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    new Exchange(connect, head, signal, resolve, reject);
  });
}

class Exchange {
  readonly #socket: net.Socket;
  readonly #signal: AbortSignal;
  #respond: ((response: TransportResponse) => void) | undefined;
  #refuse: ((err: unknown) => void) | undefined;
  #head: Uint8Array[] = [];
  #headSize = 0;
  #decoder: BodyDecoder | undefined;
  // Body bytes that arrived while no read waited: `#kept[#keptStart..#keptEnd]`.
  #kept = new Uint8Array(READ_SIZE);
  #keptStart = 0;
  #keptEnd = 0;
  #pending: PendingRead | undefined;
  #error: unknown;
  #ended = false;
  #released = false;
  readonly #onAbort = () => this.#fail(this.#signal.reason);

  constructor(
    connect: Connect,
    head: string,
    signal: AbortSignal,
    respond: (response: TransportResponse) => void,
    refuse: (err: unknown) => void,
  ) {
    this.#signal = signal;
    this.#respond = respond;
    this.#refuse = refuse;
    this.#socket = connect({
      buffer: new Uint8Array(READ_SIZE),
      callback: (bytes, buffer) => this.#read(buffer.subarray(0, bytes)),
    });
    this.#socket.on("error", (err) => this.#fail(err));
    this.#socket.on("end", () => this.#end());
    this.#socket.on("close", () => this.#end());
    this.#socket.write(head);
    signal.addEventListener("abort", this.#onAbort, { once: true });
  }

  /** Takes what one socket read brought; `false` pauses the socket. */
  #read(data: Uint8Array): boolean {
    try {
      if (this.#decoder === undefined) data = this.#readHead(data);
      this.#decoder?.feed(data, (piece) => this.#take(piece));
      if (this.#decoder?.done) this.#finish();
      else this.#settleRead();
    } catch (err) {
      this.#fail(err);
    }
    return this.#keptStart === this.#keptEnd;
  }

  /** Gathers the response head; returns the bytes after it. */
  #readHead(data: Uint8Array): Uint8Array {
    this.#head.push(data.slice());
    this.#headSize += data.length;
    const all = this.#head.length === 1 ? this.#head[0]! : concatBytes(this.#head);
    const end = headEnd(all);
    if ((end?.start ?? this.#headSize) > MAX_HEAD) {
      throw new AosError("failed", `Malformed HTTP response: head over ${MAX_HEAD} bytes`);
    }
    if (end === undefined) return data.subarray(data.length);
    const head = parseHead(latin1(all.subarray(0, end.start)));
    const rest = all.subarray(end.after);
    this.#head = [];
    this.#headSize = 0;
    // 1xx answers come before the real one.
    if (head.status >= 100 && head.status < 200 && head.status !== 101) {
      return rest.length === 0 ? rest : this.#readHead(rest);
    }
    this.#decoder = new BodyDecoder(framingOf(head));
    const respond = this.#respond!;
    this.#respond = this.#refuse = undefined;
    respond({ ...head, body: this.#reader() });
    return rest;
  }

  /** Puts body bytes in the waiting read's buffer, and keeps the rest. */
  #take(piece: Uint8Array): void {
    const pending = this.#pending;
    if (pending !== undefined && this.#keptStart === this.#keptEnd) {
      const n = Math.min(piece.length, pending.target.length - pending.filled);
      pending.target.set(piece.subarray(0, n), pending.filled);
      pending.filled += n;
      piece = piece.subarray(n);
    }
    if (piece.length === 0) return;
    if (this.#keptEnd + piece.length > this.#kept.length) {
      const grown = new Uint8Array(Math.max(this.#kept.length, this.#keptEnd + piece.length));
      grown.set(this.#kept.subarray(this.#keptStart, this.#keptEnd));
      this.#kept = grown;
      this.#keptEnd -= this.#keptStart;
      this.#keptStart = 0;
    }
    this.#kept.set(piece, this.#keptEnd);
    this.#keptEnd += piece.length;
  }

  #settleRead(): void {
    const pending = this.#pending;
    if (pending === undefined || (pending.filled === 0 && !this.#ended && !this.#error)) return;
    this.#pending = undefined;
    if (pending.filled > 0 || this.#error === undefined) {
      pending.resolve(pending.target.subarray(0, pending.filled));
    } else {
      pending.reject(this.#error);
    }
  }

  #reader(): BodyReader {
    return {
      readInto: (target) => {
        if (this.#keptStart < this.#keptEnd) {
          const n = Math.min(target.length, this.#keptEnd - this.#keptStart);
          target.set(this.#kept.subarray(this.#keptStart, this.#keptStart + n));
          this.#keptStart += n;
          if (this.#keptStart === this.#keptEnd) {
            this.#keptStart = this.#keptEnd = 0;
            if (!this.#ended) this.#socket.resume();
          }
          return Promise.resolve(target.subarray(0, n));
        }
        if (this.#error !== undefined) return Promise.reject(this.#error);
        if (this.#ended) return Promise.resolve(target.subarray(0, 0));
        return new Promise((resolve, reject) => {
          this.#pending = { target, filled: 0, resolve, reject };
        });
      },
      cancel: () => {
        this.#error ??= new Error("response body was canceled");
        this.#release();
        this.#settleRead();
        return Promise.resolve();
      },
    };
  }

  /** The body is complete. */
  #finish(): void {
    this.#ended = true;
    this.#release();
    this.#settleRead();
  }

  /** The connection ended: the end of a body that lasts until then, else an error. */
  #end(): void {
    if (this.#ended || this.#error !== undefined) return;
    if (this.#decoder?.untilClose) {
      return this.#finish();
    }
    this.#fail(
      new Error(
        this.#decoder === undefined
          ? "connection closed before the response"
          : "connection closed before the body was complete",
      ),
    );
  }

  #fail(err: unknown): void {
    if (this.#ended || this.#error !== undefined) return;
    this.#error = this.#signal.aborted ? this.#signal.reason : err;
    this.#release();
    this.#refuse?.(this.#error);
    this.#respond = this.#refuse = undefined;
    this.#settleRead();
  }

  #release(): void {
    if (this.#released) return;
    this.#released = true;
    this.#signal.removeEventListener("abort", this.#onAbort);
    this.#socket.destroy();
  }
}

/** Where the empty line that ends a head is: its start and the first byte after it. */
function headEnd(bytes: Uint8Array): { start: number; after: number } | undefined {
  for (let at = bytes.indexOf(10); at >= 0; at = bytes.indexOf(10, at + 1)) {
    const start = bytes[at - 1] === 13 ? at - 1 : at;
    if (bytes[at + 1] === 10) return { start, after: at + 2 };
    if (bytes[at + 1] === 13 && bytes[at + 2] === 10) return { start, after: at + 3 };
  }
  return undefined;
}

function latin1(bytes: Uint8Array): string {
  let text = "";
  for (let at = 0; at < bytes.length; at += 8192) {
    text += String.fromCharCode(...bytes.subarray(at, at + 8192));
  }
  return text;
}
