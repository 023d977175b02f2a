// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Netlink message framing: a writer that builds one request (header, fixed
// struct, attributes, nested attributes) in a reused buffer, and readers for
// replies. Integers are host-endian, addresses are network-order bytes.

import { AosError } from "../../utils/errors.ts";
import { NLA_F_NESTED, NLA_TYPE_MASK, NLM_F_REQUEST, NLMSG_HDRLEN } from "./constants.ts";

/** Whether this machine stores integers least significant byte first. */
const LITTLE = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

const align4 = (n: number) => (n + 3) & ~3;

/** Builds one netlink request at a time in a buffer that grows and is reused. */
export class NlWriter {
  #bytes = new Uint8Array(1024);
  #view = new DataView(this.#bytes.buffer);
  #length = 0;
  readonly #nests: number[] = [];

  /** Starts a request: the header, with its length and sequence filled in by {@linkcode finish}. */
  begin(type: number, flags: number): this {
    this.#length = 0;
    this.#nests.length = 0;
    this.#reserve(NLMSG_HDRLEN);
    this.#view.setUint16(4, type, LITTLE);
    this.#view.setUint16(6, flags | NLM_F_REQUEST, LITTLE);
    this.#view.setUint32(12, 0, LITTLE);
    return this;
  }

  /** Appends a byte. */
  u8(value: number): this {
    const at = this.#reserve(1);
    this.#view.setUint8(at, value);
    return this;
  }

  /** Appends a host-endian u16. */
  u16(value: number): this {
    const at = this.#reserve(2);
    this.#view.setUint16(at, value, LITTLE);
    return this;
  }

  /** Appends a host-endian u32 (negative values are written as their two's complement). */
  u32(value: number): this {
    const at = this.#reserve(4);
    this.#view.setUint32(at, value >>> 0, LITTLE);
    return this;
  }

  /** Appends a host-endian u64. */
  u64(value: bigint): this {
    const at = this.#reserve(8);
    this.#view.setBigUint64(at, value, LITTLE);
    return this;
  }

  /** Appends raw bytes. */
  bytes(data: Uint8Array): this {
    const at = this.#reserve(data.length);
    this.#bytes.set(data, at);
    return this;
  }

  /** Appends `count` zero bytes. */
  zeros(count: number): this {
    const at = this.#reserve(count);
    this.#bytes.fill(0, at, this.#length);
    return this;
  }

  /** Appends an attribute with raw bytes. */
  attr(type: number, data: Uint8Array): this {
    this.#attrHeader(type, data.length);
    this.bytes(data);
    return this.#pad();
  }

  /** Appends a u8 attribute. */
  attrU8(type: number, value: number): this {
    this.#attrHeader(type, 1);
    return this.u8(value).#pad();
  }

  /** Appends a u16 attribute. */
  attrU16(type: number, value: number): this {
    this.#attrHeader(type, 2);
    return this.u16(value).#pad();
  }

  /** Appends a u32 attribute. */
  attrU32(type: number, value: number): this {
    this.#attrHeader(type, 4);
    return this.u32(value);
  }

  /** Appends a u64 attribute. */
  attrU64(type: number, value: bigint): this {
    this.#attrHeader(type, 8);
    return this.u64(value);
  }

  /** Appends a NUL-terminated string attribute. */
  attrString(type: number, value: string): this {
    const data = encoder.encode(value);
    this.#attrHeader(type, data.length + 1);
    this.bytes(data).u8(0);
    return this.#pad();
  }

  /** Opens a nested attribute; {@linkcode end} closes it. */
  nest(type: number): this {
    this.#nests.push(this.#length);
    this.#attrHeader(type | NLA_F_NESTED, 0);
    return this;
  }

  /** Closes the innermost nested attribute. */
  end(): this {
    const start = this.#nests.pop()!;
    this.#view.setUint16(start, this.#length - start, LITTLE);
    return this;
  }

  /**
   * The finished request, valid until the next {@linkcode begin}.
   *
   * @param seq The sequence number to stamp.
   * @param flags Flags to add to the header's (acknowledgement, dump).
   */
  finish(seq: number, flags = 0): Uint8Array {
    this.#view.setUint32(0, this.#length, LITTLE);
    this.#view.setUint16(6, this.#view.getUint16(6, LITTLE) | flags, LITTLE);
    this.#view.setUint32(8, seq, LITTLE);
    return this.#bytes.subarray(0, this.#length);
  }

  #attrHeader(type: number, payload: number): void {
    const at = this.#reserve(4);
    this.#view.setUint16(at, 4 + payload, LITTLE);
    this.#view.setUint16(at + 2, type, LITTLE);
  }

  #pad(): this {
    const padded = align4(this.#length);
    if (padded > this.#length) this.zeros(padded - this.#length);
    return this;
  }

  /** Claims `count` bytes (growing the buffer) and returns their offset; read #bytes and #view after it. */
  #reserve(count: number): number {
    const at = this.#length;
    if (at + count > this.#bytes.length) {
      const grown = new Uint8Array(Math.max(this.#bytes.length * 2, at + count));
      grown.set(this.#bytes);
      this.#bytes = grown;
      this.#view = new DataView(grown.buffer);
    }
    this.#length = at + count;
    return at;
  }
}

/** One reply message: its header fields and its payload (a copy). */
export interface NlMessage {
  type: number;
  flags: number;
  seq: number;
  /** The payload after the 16-byte header. */
  payload: Uint8Array;
}

/**
 * Splits a received datagram into messages. Payloads are copies, so the
 * receive buffer can be reused.
 */
export function splitMessages(data: Uint8Array): NlMessage[] {
  const view = viewOf(data);
  const out: NlMessage[] = [];
  let at = 0;
  while (at + NLMSG_HDRLEN <= data.length) {
    const length = view.getUint32(at, LITTLE);
    if (length < NLMSG_HDRLEN || at + length > data.length) break;
    out.push({
      type: view.getUint16(at + 4, LITTLE),
      flags: view.getUint16(at + 6, LITTLE),
      seq: view.getUint32(at + 8, LITTLE),
      payload: data.slice(at + NLMSG_HDRLEN, at + length),
    });
    at += align4(length);
  }
  return out;
}

/**
 * The attributes of a payload from `offset` on, by type (flags masked off).
 * A repeated type keeps its last value; {@linkcode attrList} keeps them all.
 */
export function parseAttrs(data: Uint8Array, offset = 0): Map<number, Uint8Array> {
  const out = new Map<number, Uint8Array>();
  for (const [type, value] of attrList(data, offset)) out.set(type, value);
  return out;
}

/** The attributes of a payload from `offset` on, in order, as `[type, value]` pairs. */
export function attrList(data: Uint8Array, offset = 0): [number, Uint8Array][] {
  const view = viewOf(data);
  const out: [number, Uint8Array][] = [];
  let at = offset;
  while (at + 4 <= data.length) {
    const length = view.getUint16(at, LITTLE);
    if (length < 4 || at + length > data.length) break;
    out.push([view.getUint16(at + 2, LITTLE) & NLA_TYPE_MASK, data.subarray(at + 4, at + length)]);
    at += align4(length);
  }
  return out;
}

/** A DataView over exactly `data`. */
export function viewOf(data: Uint8Array): DataView {
  return new DataView(data.buffer, data.byteOffset, data.byteLength);
}

/** Reads a host-endian u16 at `offset`. */
export function readU16(data: Uint8Array, offset = 0): number {
  return viewOf(data).getUint16(within(data, offset, 2), LITTLE);
}

/** Reads a host-endian u32 at `offset`. */
export function readU32(data: Uint8Array, offset = 0): number {
  return viewOf(data).getUint32(within(data, offset, 4), LITTLE);
}

/** Reads a host-endian i32 at `offset`. */
export function readI32(data: Uint8Array, offset = 0): number {
  return viewOf(data).getInt32(within(data, offset, 4), LITTLE);
}

/** Reads a host-endian u64 at `offset`. */
export function readU64(data: Uint8Array, offset = 0): bigint {
  return viewOf(data).getBigUint64(within(data, offset, 8), LITTLE);
}

/**
 * Checks that a reply holds `size` bytes at `offset`, so that a short reply
 * is a typed error rather than a RangeError.
 *
 * @returns `offset`.
 * @throws {AosError} `failed` when the bytes are not all there.
 */
export function within(data: Uint8Array, offset: number, size: number): number {
  if (offset + size > data.length) {
    throw new AosError(
      "failed",
      `netlink: a reply of ${data.length} bytes has no ${size} bytes at offset ${offset}`,
    );
  }
  return offset;
}

/** Reads a string attribute, without its NUL terminator. */
export function readString(data: Uint8Array): string {
  const nul = data.indexOf(0);
  return decoder.decode(nul < 0 ? data : data.subarray(0, nul));
}

/** Whether integers are little-endian here (for fixed structs built by hand). */
export const HOST_LITTLE_ENDIAN: boolean = LITTLE;
