// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Request/response over one message stream (a gRPC bidi stream, a
 * WebSocket): send a request, then wait for the response that matches it.
 *
 * As in AosCore, response handlers say which incoming messages are
 * responses; a response goes to the first waiting request it matches, and
 * every write on the stream is serialised. Beyond AosCore: a request may
 * match its response with a function (by correlation id, say) instead of a
 * template; waits take an `AbortSignal`; `close()` fails pending requests.
 *
 * @module
 */

import { canceledError } from "./abort.ts";
import { AosError } from "./errors.ts";

/** Writes one message; `false` (or a throw) means it was not sent. */
export type MessageWriter<Req> = (message: Req) => boolean | void | Promise<boolean | void>;

/** Options of the {@linkcode SyncMessageSender} constructor. */
export interface SyncMessageSenderOptions<Req> {
  /** The stream's writer; can also be set (or replaced) later with {@linkcode SyncMessageSender.init}. */
  write?: MessageWriter<Req>;
  /**
   * How long {@linkcode SyncMessageSender.sendSync} waits for a response.
   *
   * @default {5000}
   */
  timeoutMs?: number;
}

/** Options of {@linkcode SyncMessageSender.sendSync}. */
export interface SendSyncOptions {
  /** Overrides the sender's response timeout, in milliseconds. */
  timeoutMs?: number;
  /** Stops waiting with a `canceled` error. */
  signal?: AbortSignal;
}

interface Waiter<Res> {
  expected: Res | ((message: Res) => boolean);
  resolve(message: Res): void;
  reject(err: unknown): void;
}

/**
 * Sends requests and pairs incoming responses with them.
 *
 * @example Match responses by correlation id
 * ```ts
 * import { SyncMessageSender } from "@aoscore/common/utils";
 * import assert from "node:assert/strict";
 *
 * type Msg = { id: string; body: string };
 * const sender = new SyncMessageSender<Msg, Msg>({
 *   // The "stream" answers each request at once.
 *   write: (req) => void queueMicrotask(() => sender.processResponse({ id: req.id, body: "pong" })),
 * });
 * const res = await sender.sendSync({ id: "42", body: "ping" }, (r) => r.id === "42");
 * assert.equal(res.body, "pong");
 * ```
 *
 * @typeParam Req The type of requests.
 * @typeParam Res The type of incoming messages.
 */
export class SyncMessageSender<Req, Res> implements Disposable {
  #write: MessageWriter<Req> | undefined;
  #timeoutMs: number;
  #handlers: ((message: Res) => boolean)[] = [];
  #waiters: Waiter<Res>[] = [];
  #writing: Promise<unknown> = Promise.resolve();

  /**
   * Creates a sender.
   *
   * @param options The writer and the response timeout.
   */
  constructor(options: SyncMessageSenderOptions<Req> = {}) {
    this.#write = options.write;
    this.#timeoutMs = options.timeoutMs ?? 5000;
  }

  /**
   * Sets the stream's writer (after a reconnect, say).
   *
   * @param write The writer.
   * @param timeoutMs A new response timeout.
   */
  init(write: MessageWriter<Req>, timeoutMs?: number): void {
    this.#write = write;
    if (timeoutMs !== undefined) this.#timeoutMs = timeoutMs;
  }

  /**
   * Declares a kind of incoming message as a response. A request waiting with
   * a template receives the first message whose handler also accepts the
   * template.
   *
   * @param check Whether a message is a response of this kind.
   */
  registerResponseHandler(check: (message: Res) => boolean): void {
    this.#handlers.push(check);
  }

  /**
   * Writes a message that expects no response, in turn with every other write.
   *
   * @param message The message.
   * @throws {AosError} `failed` when there is no writer or the write fails.
   */
  send(message: Req): Promise<void> {
    const write = this.#write;
    if (write === undefined) {
      return Promise.reject(new AosError("failed", "stream not initialized"));
    }
    const result = this.#writing.then(() => write(message)).then(
      (ok) => {
        if (ok === false) throw new AosError("failed", "failed to send message");
      },
      (err) => {
        throw AosError.wrap(err, "failed", "failed to send message");
      },
    );
    this.#writing = result.catch(() => {});
    return result;
  }

  /**
   * Writes a request and waits for its response.
   *
   * @param request The request.
   * @param expected A template that a registered handler accepts, or a
   *   function that picks the response (then no handler is needed).
   * @param options Timeout and abort signal.
   * @returns The response.
   * @throws {AosError} `failed` when there is no writer or the write fails; `timeout` when no
   *   response comes in time; `canceled` on abort; `wrongState` after `close()`.
   */
  sendSync(
    request: Req,
    expected: Res | ((message: Res) => boolean),
    options: SendSyncOptions = {},
  ): Promise<Res> {
    const { signal, timeoutMs = this.#timeoutMs } = options;
    if (this.#write === undefined) {
      return Promise.reject(new AosError("failed", "stream not initialized"));
    }
    if (signal?.aborted) return Promise.reject(canceledError(signal));
    return new Promise<Res>((resolve, reject) => {
      const settle = (err: unknown, message?: Res) => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        const index = this.#waiters.indexOf(waiter);
        if (index >= 0) this.#waiters.splice(index, 1);
        if (err === undefined) resolve(message as Res);
        else reject(err);
      };
      const waiter: Waiter<Res> = {
        expected,
        resolve: (message) => settle(undefined, message),
        reject: (err) => settle(err),
      };
      const onAbort = () => waiter.reject(canceledError(signal!));
      const timer = setTimeout(
        () => waiter.reject(new AosError("timeout", "response timeout")),
        timeoutMs,
      );
      signal?.addEventListener("abort", onAbort, { once: true });
      // Registered before the write: the response may beat the write's promise.
      this.#waiters.push(waiter);
      this.send(request).catch(waiter.reject);
    });
  }

  /**
   * Offers an incoming message to the waiting requests.
   *
   * @param message The message.
   * @returns `"delivered"` when a request took it; `"unhandled"` when no handler claims it (the
   *   caller processes it as a normal message); an `AosError` (`failed`, "no matching request
   *   found") when it is a response that no request waits for.
   */
  processResponse(message: Res): "unhandled" | "delivered" | AosError {
    const handler = this.#handlers.find((check) => check(message));
    const waiter = this.#waiters.find(({ expected }) =>
      typeof expected === "function"
        ? (expected as (message: Res) => boolean)(message)
        : handler !== undefined && handler(expected)
    );
    if (waiter !== undefined) {
      waiter.resolve(message);
      return "delivered";
    }
    return handler === undefined
      ? "unhandled"
      : new AosError("failed", "no matching request found");
  }

  /** Fails every pending request with `wrongState`; the sender stays usable. */
  close(): void {
    for (const waiter of [...this.#waiters]) {
      waiter.reject(new AosError("wrongState", "Cannot wait for response: sender closed"));
    }
  }

  /** Fails every pending request (see {@linkcode SyncMessageSender.close}). */
  [Symbol.dispose](): void {
    this.close();
  }
}
