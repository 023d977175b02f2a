// Copyright 2026 the aos-common authors. Apache-2.0 license.
// A NETLINK_ROUTE socket over libc. Requests are synchronous: rtnetlink handles
// a request inside send(), so its replies are queued by the time send returns
// and recv never waits in practice (a receive timeout bounds it if it ever
// does). Being synchronous, a request never interleaves with another on the
// same socket and costs no thread hop. A socket opened inside a namespace
// works in that namespace for its whole life, whatever thread uses it.

import { AosError } from "../../utils/errors.ts";
import { errno, libc } from "../../utils/_libc.ts";
import { NetworkError, type NetworkErrorContext } from "../errors.ts";
import {
  AF_NETLINK,
  EAGAIN,
  EINTR,
  NETLINK_CAP_ACK,
  NETLINK_EXT_ACK,
  NETLINK_ROUTE,
  NLM_F_ACK,
  NLM_F_ACK_TLVS,
  NLM_F_CAPPED,
  NLM_F_DUMP,
  NLMSG_DONE,
  NLMSG_ERROR,
  NLMSG_HDRLEN,
  NLMSGERR_ATTR_MSG,
  SO_RCVTIMEO,
  SOCK_CLOEXEC,
  SOCK_RAW,
  SOL_NETLINK,
  SOL_SOCKET,
} from "./constants.ts";
import {
  HOST_LITTLE_ENDIAN,
  type NlMessage,
  NlWriter,
  parseAttrs,
  readI32,
  readString,
  readU32,
  splitMessages,
} from "./codec.ts";
import { inNetns, inNewNetns } from "./netns.ts";

const RECEIVE_BUFFER = 64 * 1024;
const MSG_TRUNC = 0x20;
const RECEIVE_TIMEOUT_S = 10;

/** A kernel error answer to one request. */
export interface NetlinkFailure {
  errno: number;
  kernelText: string;
}

/**
 * One NETLINK_ROUTE socket; {@linkcode close} it when done. The socket itself
 * is opened by the first request, so a caller checks its arguments before any
 * system call is made.
 */
export class RouteSocket {
  #fd = -1;
  readonly #open: () => number;
  #seq = Math.floor(Math.random() * 0x7fffffff);
  readonly #rx = new Uint8Array(RECEIVE_BUFFER);
  /** The writer for the next request; its result is valid until the next begin(). */
  readonly writer: NlWriter = new NlWriter();

  private constructor(open: () => number) {
    this.#open = open;
  }

  /**
   * A socket in the calling thread's namespace, or inside the namespace file
   * `netnsPath` (the thread goes there only to open it and returns at once).
   */
  static open(context: NetworkErrorContext, netnsPath?: string): RouteSocket {
    return new RouteSocket(() =>
      netnsPath === undefined || netnsPath === ""
        ? openFd(context)
        : inNetns(netnsPath, context, () => openFd(context))
    );
  }

  /** Opens a socket in a new, unnamed namespace that lives as long as the socket. */
  static openInNewNamespace(context: NetworkErrorContext): RouteSocket {
    const socket = new RouteSocket(() => inNewNetns(context, () => openFd(context)));
    socket.#fd = socket.#open();
    return socket;
  }

  /** Closes the socket. */
  close(): void {
    if (this.#fd >= 0) libc().close(this.#fd);
    this.#fd = -1;
  }

  /**
   * Sends the writer's request with an acknowledgement asked for, and waits
   * for the acknowledgement. Replies before it are returned (an echo).
   *
   * @returns `undefined` on success, else the kernel's errno and text.
   */
  tryAck(): NetlinkFailure | undefined {
    const seq = this.#send(NLM_F_ACK);
    for (;;) {
      for (const message of this.#receive()) {
        if (message.seq !== seq) continue;
        if (message.type === NLMSG_ERROR) return failureOf(message);
      }
    }
  }

  /** Like {@linkcode tryAck}, throwing a {@linkcode NetworkError} on failure. */
  ack(context: NetworkErrorContext): void {
    const failure = this.tryAck();
    if (failure !== undefined) throw errorOf(failure, context);
  }

  /**
   * Sends the writer's request and returns its single reply (a GET by name or
   * index), or the kernel's failure.
   */
  tryGet(): NlMessage | NetlinkFailure {
    const seq = this.#send(NLM_F_ACK);
    let reply: NlMessage | undefined;
    for (;;) {
      for (const message of this.#receive()) {
        if (message.seq !== seq) continue;
        if (message.type !== NLMSG_ERROR) {
          reply ??= message;
          continue;
        }
        const failure = failureOf(message);
        if (failure !== undefined) return failure;
        if (reply === undefined) {
          throw new AosError("failed", "netlink: acknowledged without reply");
        }
        return reply;
      }
    }
  }

  /** Sends the writer's request as a dump and returns every part of the answer. */
  dump(context: NetworkErrorContext): NlMessage[] {
    const seq = this.#send(NLM_F_DUMP);
    const out: NlMessage[] = [];
    for (;;) {
      for (const message of this.#receive()) {
        if (message.seq !== seq) continue;
        if (message.type === NLMSG_DONE) return out;
        if (message.type === NLMSG_ERROR) {
          const failure = failureOf(message);
          if (failure !== undefined) throw errorOf(failure, context);
          return out;
        }
        out.push(message);
      }
    }
  }

  #send(flags: number): number {
    this.#seq = (this.#seq + 1) >>> 0;
    const seq = this.#seq;
    const request = this.writer.finish(seq, flags);
    if (this.#fd < 0) this.#fd = this.#open();
    for (;;) {
      const sent = libc().send(this.#fd, request, BigInt(request.length), 0);
      if (sent >= 0n) return seq;
      const code = errno();
      if (code !== EINTR) throw NetworkError.forErrno(code, { operation: "netlink send" });
    }
  }

  #receive(): NlMessage[] {
    for (;;) {
      const got = libc().recv(this.#fd, this.#rx, BigInt(this.#rx.length), MSG_TRUNC);
      if (got >= 0n) {
        if (got > BigInt(this.#rx.length)) {
          throw new AosError("failed", `netlink: a reply of ${got} bytes did not fit the buffer`);
        }
        return splitMessages(this.#rx.subarray(0, Number(got)));
      }
      const code = errno();
      if (code === EINTR) continue;
      if (code === EAGAIN) {
        throw new AosError("timeout", `netlink: no answer within ${RECEIVE_TIMEOUT_S} s`);
      }
      throw NetworkError.forErrno(code, { operation: "netlink receive" });
    }
  }
}

/** The error of a kernel failure. */
export function errorOf(failure: NetlinkFailure, context: NetworkErrorContext): NetworkError {
  return NetworkError.forErrno(failure.errno, context, { kernelText: failure.kernelText });
}

/** Whether a value returned by {@linkcode RouteSocket.tryGet} is a failure. */
export function isFailure(value: NlMessage | NetlinkFailure): value is NetlinkFailure {
  return "errno" in value;
}

/** The kernel's failure in an NLMSG_ERROR reply, or `undefined` for an acknowledgement. */
export function failureOf(message: NlMessage): NetlinkFailure | undefined {
  const error = readI32(message.payload, 0);
  if (error === 0) return undefined;
  let kernelText = "";
  if ((message.flags & NLM_F_ACK_TLVS) !== 0) {
    // With NETLINK_CAP_ACK the echoed request is its header alone.
    const echoedLength = (message.flags & NLM_F_CAPPED) !== 0
      ? NLMSG_HDRLEN
      : readU32(message.payload, 4);
    const text = parseAttrs(message.payload, 4 + echoedLength).get(NLMSGERR_ATTR_MSG);
    if (text !== undefined) kernelText = readString(text);
  }
  return { errno: -error, kernelText };
}

function openFd(context: NetworkErrorContext): number {
  const c = libc();
  const fd = c.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (fd < 0) throw NetworkError.forErrno(errno(), context, { what: "failed to open netlink" });
  const one = Uint8Array.of(1, 0, 0, 0);
  // Both are optional: without them errors carry no text and echo the whole request.
  c.setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, one, 4);
  c.setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, one, 4);
  const timeout = new Uint8Array(16);
  new DataView(timeout.buffer).setBigInt64(0, BigInt(RECEIVE_TIMEOUT_S), HOST_LITTLE_ENDIAN);
  if (c.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, timeout, 16) !== 0) {
    const err = NetworkError.forErrno(errno(), context, { what: "failed to set up netlink" });
    c.close(fd);
    throw err;
  }
  return fd;
}
