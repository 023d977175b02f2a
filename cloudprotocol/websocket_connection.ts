// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * {@linkcode WebSocketCloudConnection}: the unit's connection to AosCloud
 * over a WebSocket, as AosCore's communication manager makes it.
 *
 * The WebSocket client is the npm package `ws`, on Deno as on Node. The
 * upgrade must carry `Authorization: Bearer <token>`, trust a private CA and
 * present a client certificate, and the client must see the HTTP status of
 * a refused upgrade (a 401 means discover again). Node 24's global
 * `WebSocket` takes no TLS options, and neither runtime's global
 * `WebSocket` reports that status; `ws` does all of it, is the well-kept
 * standard on Node, and runs unchanged on Deno through its `node:https`
 * layer (the test suite runs on both). Discovery uses `node:https` for the
 * same reason. BENCHMARKS.md compares it with a bare client. `ws` is loaded
 * on the first connect, not at import; as it loads it reads two environment
 * variables, so on Deno the connection needs `--allow-net` and
 * `--allow-env=WS_NO_BUFFER_UTIL,WS_NO_UTF_8_VALIDATE` (or `--allow-env`).
 *
 * Where this differs from AosCore: a `nack` for an unknown txn is ignored
 * (AosCore blocks a thread waiting for it); frames that went out but were
 * not acked when the connection dropped go out again after the reconnect
 * without counting as a resend; the send queue is bounded (`queueLimit`)
 * and drops the oldest frames other than alerts and status first; incoming
 * txns are deduplicated (AosCore hands a resent frame to its handler again);
 * reconnect waits have jitter.
 *
 * @module
 */

import { canceledError, delay } from "../utils/abort.ts";
import { AosError } from "../utils/errors.ts";
import { uuidV4 } from "../utils/uuid.ts";
import type {
  CloudConnection,
  ConnectionListener,
  MessageHandler,
  RequestOptions,
  SendOptions,
} from "./connection.ts";
import { CloudDeliveryError } from "./delivery_error.ts";
import { frameBytes, PROTOCOL_VERSION } from "./_frame_text.ts";
import { CLOUD_TO_UNIT, type CloudMessage, type MessageOf, UNIT_TO_CLOUD } from "./message.ts";
import type { MessageType } from "./types.ts";
import { type ConnectionSettings, resolveSettings } from "./_connection_settings.ts";
import { DiscoveryClient } from "./_discovery_client.ts";
import { Inbox } from "./_inbox.ts";
import { Outbox, type OutgoingFrame } from "./_outbox.ts";
import { type CloudSocket, openSocket } from "./_transport.ts";

/** How {@linkcode WebSocketCloudConnection} waits between connection attempts. */
export interface ReconnectOptions {
  /**
   * First wait after a lost connection or a failed attempt, ms. A discovery
   * answer's `nextRequestDelay` replaces it when more than 0.
   *
   * @default {1000}
   */
  initialDelayMs?: number;
  /**
   * Longest wait, ms; the wait doubles after each failed attempt up to it.
   *
   * @default {600000}
   */
  maxDelayMs?: number;
  /**
   * Failed attempts in a row after which the discovery is done again (a
   * "round" in AosCore).
   *
   * @default {5}
   */
  triesPerRound?: number;
  /**
   * Share of each wait that is random, 0 to 1: a wait `d` becomes a uniform
   * pick in `[d × (1 − jitter), d]`, so that units that lost the cloud
   * together do not come back together.
   *
   * @default {0.25}
   */
  jitter?: number;
}

/** Options of the {@linkcode WebSocketCloudConnection} constructor. */
export interface WebSocketCloudConnectionOptions {
  /**
   * The service discovery URL, `http:` or `https:`. After an `https:` discovery only the
   * answer's `wss:` URLs are used, so the bearer token is never sent in clear.
   */
  discoveryUrl: string;
  /** The unit's system ID; incoming frames must carry it. */
  systemId: string;
  /** CA certificate(s) to trust for discovery and WebSocket, PEM; the system's CAs when unset. */
  caCert?: string;
  /** Client certificate, PEM (with {@linkcode WebSocketCloudConnectionOptions.clientKey}). */
  clientCert?: string;
  /** Private key of the client certificate, PEM. */
  clientKey?: string;
  /**
   * How long a frame waits for its ack before it is sent again, ms; also the
   * default time a request waits for its response once acked.
   *
   * @default {10000}
   */
  responseTimeoutMs?: number;
  /**
   * Resends of an unacked frame before it is given up (a `nack` does not count).
   *
   * @default {3}
   */
  maxResends?: number;
  /**
   * Frames kept while disconnected. When one more comes, the oldest frame
   * whose type is not in {@linkcode WebSocketCloudConnectionOptions.keepOnOverflow}
   * is dropped (the oldest frame of all when every one is).
   *
   * @default {1000}
   */
  queueLimit?: number;
  /**
   * Message types dropped from a full queue only when nothing else is left.
   *
   * @default {["alerts", "unitStatus", "overrideEnvVarsStatus"]}
   */
  keepOnOverflow?: readonly MessageType[];
  /** Waits between connection attempts. */
  reconnect?: ReconnectOptions;
  /**
   * Time limit of a discovery request and of a WebSocket upgrade, ms.
   *
   * @default {30000}
   */
  connectTimeoutMs?: number;
  /**
   * Number of recent incoming txns remembered to deliver a frame sent again only once.
   *
   * @default {4096}
   */
  dedupWindow?: number;
  /**
   * Largest incoming frame, bytes; bigger ones are dropped.
   *
   * @default {DEFAULT_MAX_FRAME_BYTES}
   */
  maxFrameBytes?: number;
  /**
   * Told about what goes wrong without a caller to tell: an incoming frame
   * that does not decode (dropped, not acked), a failed discovery or
   * connection attempt (retried), a message handler or listener that threw.
   * Never given tokens or keys.
   */
  onError?: (error: AosError) => void;
  /**
   * Told about every frame given up without the caller's doing: `queueFull`
   * (dropped from the full queue) or `noAck` (no ack after the last resend).
   * The frame's `send` promise rejects with the same error.
   */
  onDrop?: (error: CloudDeliveryError) => void;
}

/** Options of {@linkcode WebSocketCloudConnection.connect}. */
export interface ConnectOptions {
  /**
   * Stops waiting for the first connection (`canceled`). The connection
   * keeps trying in the background; {@linkcode WebSocketCloudConnection.close} stops it.
   */
  signal?: AbortSignal;
}

/** Time the cloud gets to answer our close frame before the socket is cut, ms. */
const CLOSE_GRACE_MS = 1000;

/** Unit-to-cloud types a caller may send: acks and nacks are the connection's own. */
const SENDABLE: ReadonlySet<MessageType> = new Set(
  [...UNIT_TO_CLOUD].filter((t) => t !== "ack" && t !== "nack"),
);

interface PendingRequest extends PromiseWithResolvers<CloudMessage> {
  messageType: MessageType;
  /** Set once the request frame is made. */
  txn: string;
}

/**
 * The unit's connection to AosCloud: service discovery over HTTP(S), then a
 * WebSocket to the first server that takes it, with at-least-once delivery
 * both ways (cloud protocol spec §1.1–1.3).
 *
 * Outgoing frames are kept by `txn` until the cloud acks them, and written
 * again with the same bytes when no ack comes within `responseTimeoutMs`
 * (`maxResends` times, then given up), or after `retryAfter` when the cloud
 * nacks them. While disconnected they wait in a bounded queue and go out in
 * order after the reconnect. Every valid incoming frame is acked before the
 * handlers see it; one whose txn was seen lately is acked again but not
 * delivered twice; an invalid one is dropped and reported, never acked.
 *
 * The connection reconnects on its own with exponential backoff and jitter,
 * discovering again after a 401 or a round of failed attempts. Connection
 * changes reach the {@linkcode ConnectionListener}s and are also dispatched
 * as `connect` and `disconnect` events. {@linkcode WebSocketCloudConnection.close}
 * stops everything at once.
 *
 * @example Connect, send, subscribe (against the simulated cloud)
 * ```ts
 * import { WebSocketCloudConnection } from "@aoscore/common/cloudprotocol";
 * import { CloudSimulator } from "@aoscore/common/cloudprotocol/testing";
 * import assert from "node:assert/strict";
 *
 * await using cloud = await CloudSimulator.start({ systemId: "unit-1" });
 * await using conn = new WebSocketCloudConnection({
 *   discoveryUrl: cloud.discoveryUrl,
 *   systemId: "unit-1",
 * });
 * const desired = Promise.withResolvers<string[]>();
 * using _sub = conn.subscribe("desiredStatus", (message) => {
 *   desired.resolve(message.nodes.map((node) => node.nodeId));
 * });
 * await conn.connect();
 * await conn.send({ messageType: "alerts", items: [] }); // resolves once acked
 * assert.equal(cloud.messages("alerts").length, 1);
 *
 * await cloud.push({
 *   messageType: "desiredStatus",
 *   nodes: [{ nodeId: "main", state: "provisioned" }],
 *   items: [],
 *   instances: [],
 *   subjects: [],
 *   certificates: [],
 *   certificateChains: [],
 * });
 * assert.deepEqual(await desired.promise, ["main"]);
 * ```
 */
export class WebSocketCloudConnection extends EventTarget
  implements CloudConnection, AsyncDisposable {
  readonly #settings: ConnectionSettings;
  readonly #onError: ((error: AosError) => void) | undefined;
  readonly #discovery: DiscoveryClient;
  readonly #outbox: Outbox;
  readonly #inbox: Inbox;
  readonly #lifetime = new AbortController();
  readonly #listeners: ConnectionListener[] = [];
  readonly #requests = new Map<string, PendingRequest>();
  readonly #connectWaiters = new Set<PromiseWithResolvers<void>>();
  #state: "idle" | "running" | "closed" = "idle";
  #socket: CloudSocket | undefined;
  #loop: Promise<void> | undefined;
  #closing: Promise<void> | undefined;

  /**
   * Creates a connection; nothing happens on the network until
   * {@linkcode WebSocketCloudConnection.connect}.
   *
   * @param options The discovery URL, the system ID, certificates, timeouts and limits.
   * @throws {AosError} `invalidArgument` for a bad URL, system ID or number.
   */
  constructor(options: WebSocketCloudConnectionOptions) {
    super();
    const settings = resolveSettings(options);
    this.#settings = settings;
    this.#onError = options.onError;
    const { onDrop } = options;
    this.#discovery = new DiscoveryClient({
      url: settings.discoveryUrl,
      systemId: settings.systemId,
      tls: settings.tls,
      timeoutMs: settings.connectTimeoutMs,
    });
    this.#outbox = new Outbox({
      ...settings,
      onDrop: (_frame, error) => {
        if (onDrop !== undefined) this.#callBack(() => onDrop(error));
      },
    });
    this.#inbox = new Inbox({
      ...settings,
      outbox: this.#outbox,
      claim: (correlationId, message) => {
        const request = this.#requests.get(correlationId);
        if (request === undefined) return false;
        this.#requests.delete(correlationId);
        request.resolve(message);
        return true;
      },
      call: (fn) => this.#callBack(fn),
      report: (err) => this.#report(err),
    });
  }

  /**
   * Starts connecting (discovery, then the WebSocket) and waits for the
   * first connection. Failed attempts are retried with backoff, and each is
   * reported to `onError`. After the first connection the connection
   * reconnects on its own; calling `connect` again just waits for it.
   *
   * @param options Stops the wait.
   * @returns A promise that resolves once connected.
   * @throws {AosError} `canceled` when the signal aborts or the connection is closed first.
   */
  connect(options: ConnectOptions = {}): Promise<void> {
    if (this.#state === "closed") return Promise.reject(closedError());
    if (this.isConnected()) return Promise.resolve();
    if (this.#state === "idle") {
      this.#state = "running";
      this.#loop = this.#run();
    }
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(stoppedWaiting(signal));
    const waiter = Promise.withResolvers<void>();
    this.#connectWaiters.add(waiter);
    if (signal === undefined) return waiter.promise;
    const onAbort = () => {
      this.#connectWaiters.delete(waiter);
      waiter.reject(stoppedWaiting(signal));
    };
    signal.addEventListener("abort", onAbort, { once: true });
    return waiter.promise.finally(() => signal.removeEventListener("abort", onAbort));
  }

  /**
   * Reports the last transition (`false` before the first connect).
   *
   * @returns `true` while the WebSocket is open.
   */
  isConnected(): boolean {
    return this.#socket !== undefined;
  }

  /**
   * Adds a connection listener.
   *
   * @param listener The listener.
   * @returns A handle whose disposal unsubscribes.
   * @throws {AosError} `alreadyExist` when the listener is subscribed already.
   */
  subscribeListener(listener: ConnectionListener): Disposable {
    if (this.#listeners.includes(listener)) {
      throw new AosError(
        "alreadyExist",
        "Cannot subscribe connection listener: subscribed already",
      );
    }
    this.#listeners.push(listener);
    return {
      [Symbol.dispose]: () => {
        if (this.#listeners.includes(listener)) this.unsubscribeListener(listener);
      },
    };
  }

  /**
   * Removes a connection listener.
   *
   * @param listener The listener.
   * @throws {AosError} `notFound` when the listener is not subscribed.
   */
  unsubscribeListener(listener: ConnectionListener): void {
    const i = this.#listeners.indexOf(listener);
    if (i < 0) {
      throw new AosError("notFound", "Cannot unsubscribe connection listener: not subscribed");
    }
    this.#listeners.splice(i, 1);
  }

  /**
   * Sends a message: now when connected, after the reconnect otherwise.
   *
   * @param message A unit-to-cloud message other than `ack` and `nack`.
   * @param options The abort signal.
   * @returns A promise that resolves when the cloud acked the frame.
   * @throws {CloudDeliveryError} `noAck`, `queueFull`, `closed` or `aborted`.
   * @throws {CloudProtocolError} When the message cannot be encoded.
   * @throws {AosError} `invalidArgument` for a type the unit does not send.
   */
  send(message: CloudMessage, options: SendOptions = {}): Promise<void> {
    // Not async: one promise per frame, not two (10,000 sends a round in the benchmark).
    try {
      return this.#submit(message, options.signal).promise;
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /**
   * Sends a request and waits for the message carrying its `correlationId`
   * (a fresh UUID when the request has none). The response goes to the
   * caller only, not to the subscribers.
   *
   * @param message The request, e.g. `requestBlobUrls`.
   * @param options The response timeout (from the ack on) and the abort signal.
   * @returns The response.
   * @throws {CloudDeliveryError} As {@linkcode WebSocketCloudConnection.send},
   *   or `noResponse` when no response came in time.
   */
  async request(message: CloudMessage, options: RequestOptions = {}): Promise<CloudMessage> {
    const { signal, timeoutMs = this.#settings.responseTimeoutMs } = options;
    const correlationId = message.correlationId || uuidV4();
    if (this.#requests.has(correlationId)) {
      throw new AosError(
        "alreadyExist",
        `Cannot send request: correlationId ${correlationId} is waiting already`,
      );
    }
    const pending: PendingRequest = {
      ...Promise.withResolvers<CloudMessage>(),
      messageType: message.messageType,
      txn: "",
    };
    // Settled by close() or a timer perhaps before it is awaited.
    pending.promise.catch(() => {});
    this.#requests.set(correlationId, pending);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onAbort = () => pending.reject(deliveryError("aborted", pending, signal?.reason));
    try {
      const sent = this.#submit({ ...message, correlationId }, signal);
      pending.txn = sent.txn;
      await sent.promise;
      timer = setTimeout(() => pending.reject(deliveryError("noResponse", pending)), timeoutMs);
      if (signal?.aborted) onAbort();
      signal?.addEventListener("abort", onAbort, { once: true });
      return await pending.promise;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      this.#requests.delete(correlationId);
    }
  }

  /**
   * Calls `handler` for every incoming message of one type, once per txn,
   * after the frame was acked. What a handler throws goes to `onError`.
   *
   * @typeParam T The message type.
   * @param messageType A cloud-to-unit type other than `ack` and `nack`.
   * @param handler The handler.
   * @returns A handle whose disposal unsubscribes.
   * @throws {AosError} `invalidArgument` for a type the cloud does not send.
   */
  subscribe<T extends MessageType>(
    messageType: T,
    handler: MessageHandler<MessageOf<T>>,
  ): Disposable {
    if (!CLOUD_TO_UNIT.has(messageType) || messageType === "ack" || messageType === "nack") {
      throw new AosError(
        "invalidArgument",
        `Cannot subscribe to ${JSON.stringify(messageType)}: the cloud does not send it`,
      );
    }
    return this.#inbox.subscribe(messageType, handler as MessageHandler);
  }

  /**
   * Stops everything at once: the reconnect loop and its wait, the socket
   * (close frame, cut after a second), the resend timers. Pending sends and
   * requests reject with `closed`, a pending `connect` with `canceled`;
   * listeners get their last `onDisconnect` when connected.
   *
   * @returns A promise that resolves when nothing is left running.
   */
  close(): Promise<void> {
    this.#closing ??= this.#shutDown();
    return this.#closing;
  }

  /**
   * Same as {@linkcode WebSocketCloudConnection.close}.
   *
   * @returns A promise that resolves when closed.
   */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #shutDown(): Promise<void> {
    this.#state = "closed";
    this.#lifetime.abort();
    await this.#socket?.close(CLOSE_GRACE_MS);
    await this.#loop;
    this.#outbox.close();
    for (const request of this.#requests.values()) request.reject(deliveryError("closed", request));
    this.#requests.clear();
    for (const waiter of this.#connectWaiters) waiter.reject(closedError());
    this.#connectWaiters.clear();
  }

  #submit(message: CloudMessage, signal: AbortSignal | undefined) {
    const { messageType } = message;
    if (!SENDABLE.has(messageType)) {
      throw new AosError(
        "invalidArgument",
        `Cannot send ${JSON.stringify(messageType)}: not a unit-to-cloud message`,
      );
    }
    const txn = uuidV4();
    const bytes = frameBytes({
      header: {
        version: PROTOCOL_VERSION,
        systemId: this.#settings.systemId,
        createdAt: new Date(),
        txn,
      },
      data: message,
    });
    const { promise, resolve, reject } = Promise.withResolvers<void>();
    const frame: OutgoingFrame = {
      txn,
      messageType,
      bytes,
      seq: 0,
      resends: 0,
      deadline: 0,
      state: "new",
      resolve,
      reject,
    };
    if (this.#state === "closed") {
      this.#outbox.cancel(frame, "closed");
    } else if (signal?.aborted) {
      this.#outbox.cancel(frame, "aborted", signal.reason);
    } else {
      if (signal !== undefined) {
        const onAbort = () => this.#outbox.cancel(frame, "aborted", signal.reason);
        signal.addEventListener("abort", onAbort, { once: true });
        promise.then(
          () => signal.removeEventListener("abort", onAbort),
          () => signal.removeEventListener("abort", onAbort),
        );
      }
      this.#outbox.submit(frame);
    }
    return { txn, promise };
  }

  /** Connects, serves the socket until it closes, waits, and again, until closed. */
  async #run(): Promise<void> {
    const signal = this.#lifetime.signal;
    let failures = 0;
    while (!signal.aborted) {
      let socket: CloudSocket;
      try {
        socket = await this.#open(signal);
      } catch (err) {
        if (signal.aborted) return;
        failures++;
        this.#report(err);
        if (failures % this.#settings.reconnect.triesPerRound === 0) this.#discovery.forget();
        await this.#pause(failures, signal);
        continue;
      }
      failures = 0;
      if (signal.aborted) {
        await socket.close(CLOSE_GRACE_MS);
        return;
      }
      this.#up(socket);
      await socket.closed;
      this.#down();
      await this.#pause(0, signal);
    }
  }

  /** Discovers (or takes the cached answer) and opens the first URL that works. */
  async #open(signal: AbortSignal): Promise<CloudSocket> {
    const { urls, authToken } = await this.#discovery.get(signal);
    let last: unknown;
    for (const url of [...urls]) {
      try {
        return await openSocket(url, {
          headers: { authorization: `Bearer ${authToken}`, accept: "application/json" },
          tls: this.#settings.tls,
          timeoutMs: this.#settings.connectTimeoutMs,
          signal,
          onMessage: (data, binary) => this.#inbox.receive(data, binary, this.#writeAck),
        });
      } catch (err) {
        if (signal.aborted) throw err;
        if (err instanceof AosError && err.status === 401) {
          this.#discovery.forget();
          throw err;
        }
        this.#discovery.dropUrl(url);
        last = err;
      }
    }
    throw last;
  }

  /** Waits before the next attempt; `failures` is the count of failed attempts in a row. */
  async #pause(failures: number, signal: AbortSignal): Promise<void> {
    const { initialDelayMs, maxDelayMs, jitter } = this.#settings.reconnect;
    const base = this.#discovery.nextRequestDelay || initialDelayMs;
    const ms = Math.min(base * 2 ** Math.max(0, failures - 1), maxDelayMs);
    await delay(ms * (1 - jitter * Math.random()), { signal }).catch(() => {});
  }

  #up(socket: CloudSocket): void {
    this.#socket = socket;
    this.#outbox.connected((bytes) => socket.send(bytes));
    for (const waiter of this.#connectWaiters) waiter.resolve();
    this.#connectWaiters.clear();
    this.#notify("onConnect");
  }

  #down(): void {
    this.#socket = undefined;
    this.#outbox.disconnected();
    this.#notify("onDisconnect");
  }

  #notify(method: "onConnect" | "onDisconnect"): void {
    for (const listener of [...this.#listeners]) this.#callBack(() => listener[method]());
    this.dispatchEvent(new Event(method === "onConnect" ? "connect" : "disconnect"));
  }

  /** Writes an ack while connected; an ack lost with the socket is sent again by the cloud's resend. */
  readonly #writeAck = (bytes: Uint8Array): void => this.#socket?.send(bytes);

  /** Calls user code: a throw or a rejection goes to `onError`. */
  #callBack(fn: () => unknown): void {
    try {
      const result = fn();
      if (result instanceof Promise) result.catch((err) => this.#report(err));
    } catch (err) {
      this.#report(err);
    }
  }

  #report(err: unknown): void {
    const onError = this.#onError;
    if (onError === undefined) return;
    const error = AosError.from(err);
    try {
      onError(error);
    } catch (thrown) {
      // An onError that throws is a bug of the caller: let it surface as unhandled.
      queueMicrotask(() => {
        throw thrown;
      });
    }
  }
}

function closedError(): AosError {
  return new AosError("canceled", "Cannot connect to the cloud: the connection was closed");
}

function stoppedWaiting(signal: AbortSignal): AosError {
  return canceledError(signal, "Stopped waiting for the cloud connection");
}

function deliveryError(
  reason: "noResponse" | "aborted" | "closed",
  request: PendingRequest,
  cause?: unknown,
): CloudDeliveryError {
  return new CloudDeliveryError(reason, {
    messageType: request.messageType,
    txn: request.txn,
    ...(cause === undefined ? {} : { cause }),
  });
}
