// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * The {@linkcode CloudConnection} interface: how the modules of a unit talk
 * to AosCloud, whatever carries the frames. {@linkcode WebSocketCloudConnection}
 * is the implementation; tests and other transports can supply their own.
 *
 * @module
 */

import type { Envelope } from "./frame.ts";
import type { CloudMessage, MessageOf } from "./message.ts";
import type { MessageType } from "./types.ts";

/** Told when the cloud connection comes and goes. */
export interface ConnectionListener {
  /** The cloud became reachable. */
  onConnect(): void;
  /** The cloud was lost. */
  onDisconnect(): void;
}

/**
 * Receives the incoming messages of one type. It runs after the frame was
 * acknowledged; what it throws or rejects with is reported, never acked or
 * nacked, and does not stop the other handlers.
 *
 * @typeParam M The message type it handles.
 * @param message The message.
 * @param envelope The whole frame, header included.
 */
export type MessageHandler<M extends CloudMessage = CloudMessage> = (
  message: M,
  envelope: Envelope<M>,
) => void | Promise<void>;

/** Options of {@linkcode CloudConnection.send}. */
export interface SendOptions {
  /**
   * Stops the delivery: a frame still queued is removed, one on the wire is
   * no longer resent, and the promise rejects with `canceled`.
   */
  signal?: AbortSignal;
}

/** Options of {@linkcode CloudConnection.request}. */
export interface RequestOptions extends SendOptions {
  /**
   * How long to wait for the response once the cloud acknowledged the
   * request, ms. The implementation's response timeout when unset.
   */
  timeoutMs?: number;
}

/**
 * The unit's connection to AosCloud, as the modules that use it see it.
 *
 * Connection notifications alternate (never two `onConnect` in a row); a new
 * listener is not told the current state and should ask
 * {@linkcode CloudConnection.isConnected}. Messages are delivered at least
 * once: {@linkcode CloudConnection.send} resolves when the cloud acknowledged
 * the frame, and each incoming frame reaches the handlers once even when the
 * cloud sends it again.
 */
export interface CloudConnection {
  /**
   * Adds a connection listener. Listeners are called in the order they were
   * added; one that throws does not keep the others from being called.
   *
   * @param listener The listener.
   * @returns A handle whose disposal unsubscribes.
   * @throws {AosError} `alreadyExist` when the listener is subscribed already.
   */
  subscribeListener(listener: ConnectionListener): Disposable;
  /**
   * Removes a connection listener.
   *
   * @param listener The listener.
   * @throws {AosError} `notFound` when the listener is not subscribed.
   */
  unsubscribeListener(listener: ConnectionListener): void;
  /**
   * Reports the last transition (`false` before the first connect).
   *
   * @returns `true` while connected.
   */
  isConnected(): boolean;
  /**
   * Sends a message to the cloud (queued while disconnected).
   *
   * @param message The message (a unit-to-cloud type, not `ack` or `nack`).
   * @param options The abort signal.
   * @returns A promise that resolves when the cloud acknowledged the frame.
   * @throws {CloudDeliveryError} When the frame was given up (no ack after the
   *   resends, dropped from a full queue, connection closed, aborted).
   * @throws {CloudProtocolError} When the message cannot be encoded.
   */
  send(message: CloudMessage, options?: SendOptions): Promise<void>;
  /**
   * Sends a request and waits for the message that answers it: the next
   * incoming message with the same `correlationId` (a fresh UUID when the
   * request has none). That message goes to the caller, not to the handlers.
   *
   * @param message The request.
   * @param options The response timeout and the abort signal.
   * @returns The response.
   * @throws {CloudDeliveryError} As {@linkcode CloudConnection.send}, or with
   *   reason `noResponse` when no response came in time.
   */
  request(message: CloudMessage, options?: RequestOptions): Promise<CloudMessage>;
  /**
   * Calls `handler` for every incoming message of one type, in arrival order.
   *
   * @typeParam T The message type.
   * @param messageType A cloud-to-unit type other than `ack` and `nack`.
   * @param handler The handler.
   * @returns A handle whose disposal unsubscribes.
   * @throws {AosError} `invalidArgument` for a type the cloud never sends.
   */
  subscribe<T extends MessageType>(
    messageType: T,
    handler: MessageHandler<MessageOf<T>>,
  ): Disposable;
}
