// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * A Go-style channel: a FIFO queue between async producers and consumers.
 *
 * @module
 */

import { canceledError } from "./abort.ts";
import { AosError } from "./errors.ts";

/** Options of {@linkcode Channel.send} and {@linkcode Channel.receive}. */
export interface ChannelWaitOptions {
  /** Stops waiting with a `canceled` error; the value is then not sent (or not taken). */
  signal?: AbortSignal;
}

interface Waiter {
  reject(err: unknown): void;
  cleanup(): void;
}
interface Sender<T> extends Waiter {
  value: T;
  resolve(): void;
}
interface Receiver<T> extends Waiter {
  resolve(value: T): void;
}

/**
 * A bounded FIFO channel. With a capacity of 0 it is unbuffered: `send`
 * waits until a receiver takes the value. `send` waits while the buffer is
 * full, `receive` while it is empty.
 *
 * As in AosCore, `close()` discards buffered values and wakes every waiter;
 * from then on both `send` and `receive` reject with `wrongState`. Async
 * iteration ends when the channel closes.
 *
 * @example
 * ```ts
 * import { Channel } from "@aoscore/common/utils";
 * import assert from "node:assert/strict";
 *
 * const ch = new Channel<string>(0);
 * const producer = (async () => {
 *   for (const word of ["a", "b"]) await ch.send(word);
 *   ch.close();
 * })();
 * const received: string[] = [];
 * for await (const word of ch) received.push(word);
 * await producer;
 * assert.deepEqual(received, ["a", "b"]);
 * ```
 *
 * @typeParam T The type of the values.
 */
export class Channel<T> implements AsyncIterable<T>, AsyncDisposable {
  /** How many values the channel buffers. */
  readonly capacity: number;
  #buffer: T[] = [];
  #senders: Sender<T>[] = [];
  #receivers: Receiver<T>[] = [];
  #closed = false;

  /**
   * Creates a channel.
   *
   * @param capacity How many values it buffers; 0 makes it unbuffered.
   * @throws {AosError} `invalidArgument` for a negative or fractional capacity.
   */
  constructor(capacity = 1) {
    if (!Number.isSafeInteger(capacity) || capacity < 0) {
      throw new AosError("invalidArgument", `Cannot create channel: invalid capacity ${capacity}`);
    }
    this.capacity = capacity;
  }

  /** How many values are buffered. */
  get size(): number {
    return this.#buffer.length;
  }

  /** Whether {@linkcode Channel.close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Sends a value, waiting while the buffer is full (or, unbuffered, until a
   * receiver takes it).
   *
   * @param value The value.
   * @param options An abort signal.
   * @throws {AosError} `wrongState` when the channel is or gets closed; `canceled` on abort.
   */
  send(value: T, options: ChannelWaitOptions = {}): Promise<void> {
    if (this.#closed) return Promise.reject(closedError("send"));
    const receiver = this.#receivers.shift();
    if (receiver !== undefined) {
      receiver.cleanup();
      receiver.resolve(value);
      return Promise.resolve();
    }
    if (this.#buffer.length < this.capacity) {
      this.#buffer.push(value);
      return Promise.resolve();
    }
    return this.#wait(this.#senders, options.signal, (resolve, reject) => ({
      value,
      resolve: () => resolve(undefined),
      reject,
    }));
  }

  /**
   * Receives the oldest value, waiting while there is none.
   *
   * @param options An abort signal.
   * @returns The value.
   * @throws {AosError} `wrongState` when the channel is or gets closed; `canceled` on abort.
   */
  receive(options: ChannelWaitOptions = {}): Promise<T> {
    if (this.#closed) return Promise.reject(closedError("receive"));
    if (this.#buffer.length > 0) {
      const value = this.#buffer.shift() as T;
      const sender = this.#senders.shift();
      if (sender !== undefined) {
        sender.cleanup();
        this.#buffer.push(sender.value);
        sender.resolve();
      }
      return Promise.resolve(value);
    }
    const sender = this.#senders.shift();
    if (sender !== undefined) {
      sender.cleanup();
      sender.resolve();
      return Promise.resolve(sender.value);
    }
    return this.#wait(this.#receivers, options.signal, (resolve, reject) => ({ resolve, reject }));
  }

  /** Closes the channel: buffered values are dropped and every waiter rejects with `wrongState`. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#buffer = [];
    const waiters: Waiter[] = [...this.#senders, ...this.#receivers];
    this.#senders = [];
    this.#receivers = [];
    for (const waiter of waiters) {
      waiter.cleanup();
      waiter.reject(closedError("wait on"));
    }
  }

  /**
   * Receives values until the channel closes.
   *
   * @returns An async iterator over the received values.
   */
  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    while (!this.#closed) {
      try {
        yield await this.receive();
      } catch (err) {
        if (this.#closed) return;
        throw err;
      }
    }
  }

  /**
   * Closes the channel.
   *
   * @returns A settled promise.
   */
  [Symbol.asyncDispose](): Promise<void> {
    this.close();
    return Promise.resolve();
  }

  #wait<R, W extends Waiter>(
    queue: W[],
    signal: AbortSignal | undefined,
    make: (resolve: (value: R) => void, reject: (err: unknown) => void) => Omit<W, "cleanup">,
  ): Promise<R> {
    if (signal?.aborted) return Promise.reject(canceledError(signal));
    return new Promise<R>((resolve, reject) => {
      const onAbort = () => {
        const index = queue.indexOf(waiter);
        if (index >= 0) queue.splice(index, 1);
        reject(canceledError(signal!));
      };
      const waiter = {
        ...make(resolve, reject),
        cleanup: () => signal?.removeEventListener("abort", onAbort),
      } as W;
      signal?.addEventListener("abort", onAbort, { once: true });
      queue.push(waiter);
    });
  }
}

function closedError(action: string): AosError {
  return new AosError("wrongState", `Cannot ${action} channel: it is closed`);
}
