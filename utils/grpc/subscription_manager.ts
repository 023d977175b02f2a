// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Fan-out of a server-streaming call, as AosCore's subscription manager
 * runs it: the call is opened when the first listener subscribes, every
 * message goes to every listener, and when the stream ends or fails it is
 * opened again after a pause.
 *
 * Beyond AosCore: the pause doubles after each failure up to a cap (AosCore
 * waits 3 s each time) and starts over once a stream delivers; `close()`
 * cancels the call and waits for the loop.
 *
 * @module
 */

import { delay } from "../abort.ts";
import { AosError } from "../errors.ts";
import { ListenerSet } from "../_listeners.ts";

/** A server stream: messages until it ends, and a way to cancel it (grpc-js' `ClientReadableStream` is one). */
export interface MessageStream<T> extends AsyncIterable<T> {
  /** Cancels the call; the iteration then ends or fails. */
  cancel(): void;
}

/** Receives the messages of a subscription. */
export interface SubscriptionListener<T> {
  /**
   * One message.
   *
   * @param message The message, converted.
   */
  onMessage(message: T): void;
}

/** Options of the {@linkcode SubscriptionManager} constructor. */
export interface SubscriptionManagerOptions<Msg, Out> {
  /**
   * Opens the stream, such as `() => client.subscribeChanges(request)`.
   *
   * @returns The stream.
   */
  open(): MessageStream<Msg>;
  /**
   * Converts a message for the listeners; a message it throws on is reported
   * to `onError` and skipped.
   * @default {The message as it is.}
   */
  convert?: (message: Msg) => Out;
  /**
   * Pause before the first reopening, in ms.
   *
   * @default {1000}
   */
  retryDelayMs?: number;
  /**
   * Longest pause between reopenings, in ms.
   *
   * @default {3000, or `retryDelayMs` when longer}
   */
  maxRetryDelayMs?: number;
  /**
   * Receives stream failures, conversion failures and what listeners throw.
   * @default {Drops them: a stream that fails is reopened anyway.}
   */
  onError?: (err: unknown) => void;
}

/**
 * Shares one server-streaming call among listeners and keeps it open.
 *
 * @example
 * ```ts
 * import { type MessageStream, SubscriptionManager } from "@aoscore/common/utils/grpc";
 * import assert from "node:assert/strict";
 *
 * // A stream that sends two messages and ends, as a server restart would.
 * let opened = 0;
 * const open = (): MessageStream<number> => {
 *   const n = ++opened;
 *   return { cancel() {}, async *[Symbol.asyncIterator]() { yield n * 10; yield n * 10 + 1; } };
 * };
 * const manager = new SubscriptionManager({ open, retryDelayMs: 1 });
 * const got: number[] = [];
 * const { promise, resolve } = Promise.withResolvers<void>();
 * manager.subscribe({ onMessage: (m) => got.push(m) === 4 && resolve() });
 * await promise;
 * await manager.close();
 * assert.deepEqual(got, [10, 11, 20, 21]);
 * ```
 *
 * @typeParam Msg The messages of the stream.
 * @typeParam Out The messages listeners get.
 */
export class SubscriptionManager<Msg, Out = Msg> implements AsyncDisposable {
  #open: () => MessageStream<Msg>;
  readonly #convert: (message: Msg) => Out;
  readonly #retryDelayMs: number;
  readonly #maxRetryDelayMs: number;
  readonly #onError: (err: unknown) => void;
  readonly #listeners: ListenerSet<SubscriptionListener<Out>>;
  #loop: Promise<void> | undefined;
  #stop: AbortController | undefined;
  #stream: MessageStream<Msg> | undefined;
  #closed = false;

  /**
   * Creates a manager; nothing is opened until the first subscription.
   *
   * @param options How to open the stream, convert messages, pause and report errors.
   * @throws {AosError} `invalidArgument` for a negative or non-finite delay.
   */
  constructor(options: SubscriptionManagerOptions<Msg, Out>) {
    const { retryDelayMs = 1000 } = options;
    const { maxRetryDelayMs = Math.max(3000, retryDelayMs) } = options;
    if (
      !(retryDelayMs >= 0) || !(maxRetryDelayMs >= retryDelayMs) ||
      !Number.isFinite(maxRetryDelayMs)
    ) {
      throw new AosError(
        "invalidArgument",
        `Cannot create subscription manager: invalid delays ${retryDelayMs}/${maxRetryDelayMs} ms`,
      );
    }
    this.#open = options.open;
    this.#convert = options.convert ?? ((message) => message as unknown as Out);
    this.#retryDelayMs = retryDelayMs;
    this.#maxRetryDelayMs = maxRetryDelayMs;
    this.#onError = options.onError ?? (() => {});
    this.#listeners = new ListenerSet("subscription", this.#onError);
  }

  /** Whether the stream loop runs (there are listeners and the manager is open). */
  get active(): boolean {
    return this.#loop !== undefined;
  }

  /**
   * Adds a listener; the first one opens the stream.
   *
   * @param listener The listener.
   * @returns A handle whose disposal unsubscribes.
   * @throws {AosError} `alreadyExist` "subscriber already exists"; `wrongState` after `close()`.
   */
  subscribe(listener: SubscriptionListener<Out>): Disposable {
    if (this.#closed) throw new AosError("wrongState", "subscription manager is closed");
    if (this.#listeners.has(listener)) {
      throw new AosError("alreadyExist", "subscriber already exists");
    }
    this.#listeners.add(listener);
    if (this.#loop === undefined) this.#start();
    return { [Symbol.dispose]: () => void this.unsubscribe(listener).catch(this.#onError) };
  }

  /**
   * Removes a listener; when it was the last one, the stream is cancelled.
   *
   * @param listener The listener.
   * @returns `true` when it was the last listener and the stream is closed now.
   * @throws {AosError} `notFound` when the listener is not subscribed.
   */
  async unsubscribe(listener: SubscriptionListener<Out>): Promise<boolean> {
    this.#listeners.delete(listener);
    if (this.#listeners.size > 0 || this.#loop === undefined) return false;
    await this.#halt();
    return true;
  }

  /**
   * Opens streams with `open` from now on (a client on a new channel, say),
   * and reopens the stream at once when listeners are subscribed.
   *
   * @param open How to open the stream from now on; the current way when omitted.
   */
  async reconnect(open?: () => MessageStream<Msg>): Promise<void> {
    if (open !== undefined) this.#open = open;
    if (this.#loop === undefined) return;
    await this.#halt();
    if (!this.#closed && this.#listeners.size > 0) this.#start();
  }

  /** Cancels the stream and waits for the loop to end; idempotent. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#halt();
  }

  /** Closes the manager. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #start(): void {
    const stop = new AbortController();
    this.#stop = stop;
    this.#loop = this.#run(stop.signal);
  }

  async #halt(): Promise<void> {
    const loop = this.#loop;
    if (loop === undefined) return;
    this.#stop!.abort();
    this.#stream?.cancel();
    await loop;
    this.#loop = undefined;
  }

  async #run(signal: AbortSignal): Promise<void> {
    let pause = this.#retryDelayMs;
    while (!signal.aborted) {
      let delivered = false;
      try {
        const stream = this.#open();
        this.#stream = stream;
        for await (const message of stream) {
          if (signal.aborted) break;
          delivered = true;
          this.#deliver(message);
        }
      } catch (err) {
        if (!signal.aborted) {
          this.#onError(AosError.wrap(err, undefined, "subscription stream failed"));
        }
      } finally {
        this.#stream = undefined;
      }
      if (signal.aborted) break;
      if (delivered) pause = this.#retryDelayMs;
      try {
        await delay(pause, { signal });
      } catch {
        break;
      }
      pause = Math.min(pause * 2, this.#maxRetryDelayMs);
    }
  }

  #deliver(message: Msg): void {
    let converted: Out;
    try {
      converted = this.#convert(message);
    } catch (err) {
      this.#onError(AosError.wrap(err, undefined, "can't convert subscription message"));
      return;
    }
    this.#listeners.notify((listener) => listener.onMessage(converted));
  }
}
