// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * {@linkcode CloudSimulator}: a scriptable AosCloud on 127.0.0.1 for tests
 * and demos. It answers service discovery, upgrades to a WebSocket after
 * checking the bearer token, decodes every frame with this package's codec,
 * acks it, records it, and can push any message or misbehave on request.
 * On Deno it needs `--allow-net` and, for the `ws` package it serves with,
 * `--allow-env=WS_NO_BUFFER_UTIL,WS_NO_UTF_8_VALIDATE`.
 *
 * @example Answer a request and push a desired status
 * ```ts
 * import { WebSocketCloudConnection } from "@aoscore/common/cloudprotocol";
 * import { CloudSimulator } from "@aoscore/common/cloudprotocol/testing";
 * import assert from "node:assert/strict";
 *
 * await using cloud = await CloudSimulator.start({ systemId: "unit-1" });
 * using _blobs = cloud.handle("requestBlobUrls", () => ({ messageType: "blobUrls", items: [] }));
 * await using conn = new WebSocketCloudConnection({ discoveryUrl: cloud.discoveryUrl, systemId: "unit-1" });
 * await conn.connect();
 *
 * const reply = await conn.request({ messageType: "requestBlobUrls", digests: ["sha256:0b1c"] });
 * assert.equal(reply.messageType, "blobUrls");
 * assert.deepEqual(cloud.messages("requestBlobUrls")[0]?.digests, ["sha256:0b1c"]);
 * ```
 *
 * @module
 */

import type { WsSocket } from "./_ws.ts";
import { canceledError, delay } from "../utils/abort.ts";
import { AosError } from "../utils/errors.ts";
import { uuidV4 } from "../utils/uuid.ts";
import { decodeFrame, encodeFrame, type Envelope, PROTOCOL_VERSION } from "./frame.ts";
import { type CloudMessage, type MessageOf, UNIT_TO_CLOUD } from "./message.ts";
import type { MessageType } from "./types.ts";
import {
  DISCOVERY_PATH,
  type ServerHandlers,
  type ServerSettings,
  SimulatorServer,
  WEBSOCKET_PATH,
} from "./_simulator_server.ts";

/** `WebSocket.OPEN`: the only state in which `ws` writes a frame. */
const OPEN = 1;

/** Options of {@linkcode CloudSimulator.start}. */
export interface CloudSimulatorOptions {
  /** The unit's system ID: frames with another one are invalid; any is taken when unset. */
  systemId?: string;
  /**
   * The token discovery hands out and the upgrade must carry.
   *
   * @default {a random UUID}
   */
  authToken?: string;
  /** Serve HTTPS and WSS with this certificate and key (PEM). */
  cert?: string;
  /** Private key of {@linkcode CloudSimulatorOptions.cert}, PEM. */
  key?: string;
  /** When set (with `cert`), clients must present a certificate issued by this CA (PEM). */
  clientCa?: string;
  /**
   * `nextRequestDelay` of the discovery answer, ms.
   *
   * @default {0}
   */
  nextRequestDelay?: number;
  /**
   * Address to listen on.
   *
   * @default {"127.0.0.1"}
   */
  hostname?: string;
  /**
   * Port to listen on.
   *
   * @default {0 (any free port)}
   */
  port?: number;
}

/** A valid frame the simulator received. */
export interface ReceivedFrame {
  /** The decoded frame. */
  envelope: Envelope;
  /** `true` when a frame with this txn arrived before (a resend). */
  duplicate: boolean;
  /** Whether the simulator acked it (or will, after {@linkcode CloudSimulator.delay}). */
  acked: boolean;
  /**
   * `performance.now()` when the ack went out on an open socket; unset
   * while it has not, or when the socket closed first.
   */
  ackedAt?: number;
}

/** A payload the simulator could not decode. */
export interface InvalidFrame {
  /** The payload as received. */
  payload: Uint8Array;
  /** Why it was rejected. */
  error: AosError;
}

/**
 * Answers a message the simulator received (first delivery of a txn only,
 * after the ack). Messages it returns are pushed to the unit, with the
 * request's `correlationId` when they have none.
 *
 * @typeParam M The message type it handles.
 */
export type SimulatorHandler<M extends CloudMessage = CloudMessage> = (
  message: M,
  envelope: Envelope<M>,
) => CloudMessage | CloudMessage[] | void | Promise<CloudMessage | CloudMessage[] | void>;

/** Options of {@linkcode CloudSimulator.push}. */
export interface PushOptions {
  /**
   * The frame's txn; reuse one to send a frame again.
   *
   * @default {a fresh UUID}
   */
  txn?: string;
  /**
   * Resolve only once the unit acked the frame.
   *
   * @default {true}
   */
  awaitAck?: boolean;
  /**
   * How long to wait for the ack, ms.
   *
   * @default {10000}
   */
  timeoutMs?: number;
}

/** Options of the waiting methods. */
export interface WaitOptions {
  /**
   * Give up after this long, ms (`timeout` error).
   *
   * @default {10000}
   */
  timeoutMs?: number;
  /** Stops the wait (`canceled` error). */
  signal?: AbortSignal;
}

/** Where {@linkcode CloudSimulator.refuse} refuses. */
export type RefusePoint = "discovery" | "upgrade";

/** What {@linkcode CloudSimulator.delay} slows down. */
export type DelayPoint = "discovery" | "upgrade" | "ack";

/**
 * A simulated AosCloud: discovery on `POST /sd`, the WebSocket on `/ws`.
 *
 * By default it acks every valid frame, answers discovery with its own
 * WebSocket URL, and records everything: {@linkcode CloudSimulator.received}
 * (every valid frame, resends and acks included),
 * {@linkcode CloudSimulator.messages} (first deliveries), and
 * {@linkcode CloudSimulator.invalid}. The fault methods change the next
 * answers: {@linkcode CloudSimulator.withholdAcks}, {@linkcode CloudSimulator.nack},
 * {@linkcode CloudSimulator.refuse}, {@linkcode CloudSimulator.delay},
 * {@linkcode CloudSimulator.dropConnections}, {@linkcode CloudSimulator.dropAfter},
 * {@linkcode CloudSimulator.restart} and {@linkcode CloudSimulator.sendRaw}.
 *
 * @example Withhold an ack: the unit sends the frame again with the same txn
 * ```ts
 * import { WebSocketCloudConnection } from "@aoscore/common/cloudprotocol";
 * import { CloudSimulator } from "@aoscore/common/cloudprotocol/testing";
 * import assert from "node:assert/strict";
 *
 * await using cloud = await CloudSimulator.start();
 * await using conn = new WebSocketCloudConnection({
 *   discoveryUrl: cloud.discoveryUrl,
 *   systemId: "unit-1",
 *   responseTimeoutMs: 50,
 * });
 * await conn.connect();
 * cloud.withholdAcks(1);
 * await conn.send({ messageType: "alerts", items: [] });
 * const [first, second] = cloud.received;
 * assert.equal(second?.envelope.header.txn, first?.envelope.header.txn);
 * assert.deepEqual([first?.acked, second?.duplicate], [false, true]);
 * ```
 */
export class CloudSimulator implements AsyncDisposable {
  /** The token discovery hands out and the upgrade must carry. */
  readonly authToken: string;
  /**
   * The WebSocket URLs discovery answers, first to last. Starts as
   * `[webSocketUrl]`; put a dead URL first to test the fallback.
   */
  connectionInfo: string[];
  /** Every valid frame from the unit, in arrival order: resends and acks included. */
  readonly received: ReceivedFrame[] = [];
  /** Every payload that did not decode, text frames included. */
  readonly invalid: InvalidFrame[] = [];
  /** The bodies of the discovery requests, parsed. */
  readonly discoveries: unknown[] = [];
  /** HTTP status of every upgrade request, 101 for the accepted ones. */
  readonly upgrades: number[] = [];
  /** What the handlers threw, and replies that could not be pushed. */
  readonly errors: AosError[] = [];

  readonly #options: CloudSimulatorOptions;
  readonly #settings: ServerSettings;
  readonly #serverHandlers: ServerHandlers;
  #server: SimulatorServer;
  #restarting: Promise<void> | undefined;
  readonly #lifetime = new AbortController();
  readonly #sockets = new Set<WsSocket>();
  readonly #seen = new Set<string>();
  readonly #handlers = new Map<MessageType, SimulatorHandler[]>();
  readonly #unitAcks = new Set<string>();
  readonly #watchers = new Set<() => void>();
  readonly #refusals: Record<RefusePoint, { count: number; status: number }> = {
    discovery: { count: 0, status: 0 },
    upgrade: { count: 0, status: 0 },
  };
  readonly #delays: Record<DelayPoint, number> = { discovery: 0, upgrade: 0, ack: 0 };
  /** The unit's ID: the configured one, or the last one the unit sent. */
  #systemId: string;
  #withhold = 0;
  #nacks = { count: 0, retryAfterMs: 0 };
  #dropAfter = Infinity;
  #opened = 0;

  private constructor(
    options: CloudSimulatorOptions,
    settings: ServerSettings,
    handlers: ServerHandlers,
    server: SimulatorServer,
  ) {
    this.#options = options;
    this.#settings = settings;
    this.#serverHandlers = handlers;
    this.#server = server;
    this.authToken = options.authToken ?? uuidV4();
    this.#systemId = options.systemId ?? "";
    this.connectionInfo = [this.webSocketUrl];
  }

  /**
   * Starts a simulator.
   *
   * @param options System ID, token, certificates, address.
   * @returns The listening simulator; close it when done.
   */
  static async start(options: CloudSimulatorOptions = {}): Promise<CloudSimulator> {
    const handlers: ServerHandlers = {
      discovery: (body) => self.#answerDiscovery(body),
      upgrade: (authorization) => self.#decideUpgrade(authorization),
      open: (ws) => self.#open(ws),
    };
    const settings: ServerSettings = {
      hostname: options.hostname ?? "127.0.0.1",
      port: options.port ?? 0,
      ...(options.cert === undefined ? {} : { cert: options.cert }),
      ...(options.key === undefined ? {} : { key: options.key }),
      ...(options.clientCa === undefined ? {} : { clientCa: options.clientCa }),
    };
    const server = await SimulatorServer.listen(settings, handlers);
    // A restart listens on the port picked now, so the unit's URLs stay valid.
    settings.port = server.port;
    // No request can arrive before this line: nothing awaits in between.
    const self = new CloudSimulator(options, settings, handlers, server);
    return self;
  }

  /** The discovery URL to give the unit. */
  get discoveryUrl(): string {
    return `${this.#server.origin}${DISCOVERY_PATH}`;
  }

  /** The simulator's own WebSocket URL. */
  get webSocketUrl(): string {
    return `${this.#server.origin.replace(/^http/, "ws")}${WEBSOCKET_PATH}`;
  }

  /** WebSockets open now. */
  get connections(): number {
    return this.#sockets.size;
  }

  /** WebSockets opened since the start. */
  get connectionsOpened(): number {
    return this.#opened;
  }

  /**
   * The messages received, first delivery of each txn only, acks left out.
   *
   * @typeParam T The message type.
   * @param messageType Only messages of this type; all when unset.
   * @returns The messages in arrival order.
   */
  messages<T extends MessageType>(messageType?: T): MessageOf<T>[] {
    return this.received
      .filter((r) =>
        !r.duplicate && r.envelope.data.messageType !== "ack" &&
        (messageType === undefined || r.envelope.data.messageType === messageType)
      )
      .map((r) => r.envelope.data as MessageOf<T>);
  }

  /**
   * Answers every message of one type with what `handler` returns.
   *
   * @typeParam T The message type.
   * @param messageType The type to answer.
   * @param handler Returns the messages to push back.
   * @returns A handle whose disposal removes the handler.
   */
  handle<T extends MessageType>(
    messageType: T,
    handler: SimulatorHandler<MessageOf<T>>,
  ): Disposable {
    const entry = handler as SimulatorHandler;
    this.#handlers.set(messageType, [...(this.#handlers.get(messageType) ?? []), entry]);
    return {
      [Symbol.dispose]: () => {
        const list = this.#handlers.get(messageType) ?? [];
        this.#handlers.set(messageType, list.filter((h) => h !== entry));
      },
    };
  }

  /**
   * Waits until `count` messages of a type arrived (first deliveries).
   *
   * @typeParam T The message type.
   * @param messageType The type.
   * @param count How many.
   * @param options Timeout and signal.
   * @returns The messages of that type received so far.
   * @throws {AosError} `timeout` or `canceled`.
   */
  waitFor<T extends MessageType>(
    messageType: T,
    count = 1,
    options: WaitOptions = {},
  ): Promise<MessageOf<T>[]> {
    return this.#until(
      () => {
        const found = this.messages(messageType);
        return found.length >= count ? found : undefined;
      },
      `${count} × ${messageType}`,
      options,
    );
  }

  /**
   * Waits until `count` WebSockets were opened since the start.
   *
   * @param count How many.
   * @param options Timeout and signal.
   * @returns A promise that resolves when they were.
   * @throws {AosError} `timeout` or `canceled`.
   */
  async waitForConnections(count = 1, options: WaitOptions = {}): Promise<void> {
    await this.#until(() => this.#opened >= count || undefined, `${count} connections`, options);
  }

  /**
   * Sends a message to the unit on every open WebSocket.
   *
   * @param message The message (a cloud-to-unit type, usually).
   * @param options The txn, and whether to wait for the unit's ack.
   * @returns The frame's txn.
   * @throws {AosError} `wrongState` when no unit is connected, `timeout` when no ack came.
   */
  async push(message: CloudMessage, options: PushOptions = {}): Promise<string> {
    const { txn = uuidV4(), awaitAck = true, timeoutMs = 10_000 } = options;
    const frame = this.#frame(txn, message);
    this.#unitAcks.delete(txn);
    this.sendRaw(frame);
    if (awaitAck) {
      await this.#until(() => this.#unitAcks.has(txn) || undefined, `the ack of ${txn}`, {
        timeoutMs,
      });
    }
    return txn;
  }

  /**
   * Writes a payload as it is: garbage, a hand-made frame, a text frame.
   *
   * @param payload The bytes (or text) to send.
   * @param text Send a text frame instead of a binary one.
   * @throws {AosError} `wrongState` when no unit is connected.
   */
  sendRaw(payload: Uint8Array | string, text = false): void {
    if (this.#sockets.size === 0) {
      throw new AosError("wrongState", "Cannot send to the unit: no unit is connected");
    }
    for (const ws of this.#sockets) ws.send(payload, { binary: !text });
  }

  /**
   * Pings every open WebSocket.
   *
   * @param options Timeout and signal.
   * @returns A promise that resolves when every socket answered with a pong.
   */
  async ping(options: WaitOptions = {}): Promise<void> {
    const pongs = [...this.#sockets].map((ws) => {
      const payload = uuidV4();
      let answered = false;
      ws.on("pong", (data) => {
        if (String(data) === payload) answered = true;
        this.#changed();
      });
      ws.ping(payload);
      return () => answered;
    });
    await this.#until(() => pongs.every((answered) => answered()) || undefined, "pongs", options);
  }

  /**
   * Does not ack the next `count` frames (acks from the unit do not count).
   *
   * @param count How many; `Infinity` until {@linkcode CloudSimulator.withholdAcks}(0).
   */
  withholdAcks(count = Infinity): void {
    this.#withhold = count;
  }

  /**
   * Nacks the next `count` frames instead of acking them.
   *
   * @param count How many.
   * @param retryAfterMs The `retryAfter` to send.
   */
  nack(count = 1, retryAfterMs = 500): void {
    this.#nacks = { count, retryAfterMs };
  }

  /**
   * Refuses the next `count` discovery or upgrade requests with an HTTP status.
   *
   * @param status The status, 401 by default.
   * @param at Where to refuse.
   * @param count How many requests.
   */
  refuse(status = 401, at: RefusePoint = "upgrade", count = 1): void {
    this.#refusals[at] = { count, status };
  }

  /**
   * Slows down discovery answers, upgrades or acks.
   *
   * @param at What to slow down.
   * @param ms By how much; 0 for no delay.
   */
  delay(at: DelayPoint, ms: number): void {
    this.#delays[at] = ms;
  }

  /** Cuts every open WebSocket at once, without a close frame. */
  dropConnections(): void {
    for (const ws of this.#sockets) ws.terminate();
  }

  /**
   * Cuts the WebSocket when the `count`-th frame from now arrives, before
   * acking it (a connection lost mid-stream).
   *
   * @param count Frames to take first, the cut one included.
   */
  dropAfter(count: number): void {
    this.#dropAfter = count;
  }

  /**
   * Goes down and comes back, as a cloud server restarting: stops listening
   * and cuts every connection, then listens again on the same address and
   * port after `downMs`, discovery included. What a real cloud keeps in its
   * store is kept: the records, the fault settings and the txns seen, so a
   * frame the unit sends again after the restart is still a duplicate.
   * Pending waits go on waiting.
   *
   * @example Restart, and the unit reconnects on its own
   * ```ts
   * import { WebSocketCloudConnection } from "@aoscore/common/cloudprotocol";
   * import { CloudSimulator } from "@aoscore/common/cloudprotocol/testing";
   * import assert from "node:assert/strict";
   *
   * await using cloud = await CloudSimulator.start();
   * await using conn = new WebSocketCloudConnection({
   *   discoveryUrl: cloud.discoveryUrl,
   *   systemId: "unit-1",
   *   reconnect: { initialDelayMs: 10 },
   * });
   * await conn.connect();
   * await cloud.restart(50);
   * await cloud.waitForConnections(2);
   * await conn.send({ messageType: "alerts", items: [] });
   * assert.equal(cloud.messages("alerts").length, 1);
   * ```
   *
   * @param downMs How long the server stays down, ms.
   * @returns A promise that resolves when the server listens again (or the
   *   simulator was closed meanwhile).
   * @throws {AosError} `wrongState` when the simulator is closed or restarting
   *   already; `failed` when the port cannot be bound again.
   */
  async restart(downMs = 0): Promise<void> {
    if (this.#lifetime.signal.aborted) {
      throw new AosError("wrongState", "Cannot restart the simulator: it is closed");
    }
    if (this.#restarting !== undefined) {
      throw new AosError("wrongState", "Cannot restart the simulator: it is restarting already");
    }
    this.#restarting = this.#comeBack(downMs);
    try {
      await this.#restarting;
    } finally {
      this.#restarting = undefined;
    }
  }

  /**
   * Stops the server and cuts every connection; pending waits reject.
   *
   * @returns A promise that resolves when everything is closed.
   */
  async close(): Promise<void> {
    if (this.#lifetime.signal.aborted) return;
    this.#lifetime.abort();
    this.#changed();
    // A restart under way ends first, so the server it may have started is the one closed.
    await this.#restarting?.catch(() => {});
    await this.#server.close();
  }

  async #comeBack(downMs: number): Promise<void> {
    await this.#server.close();
    this.#changed();
    await delay(downMs, { signal: this.#lifetime.signal }).catch(() => {});
    if (this.#lifetime.signal.aborted) return;
    try {
      this.#server = await SimulatorServer.listen(this.#settings, this.#serverHandlers);
    } catch (err) {
      throw new AosError(
        "failed",
        `Cannot restart the simulator: port ${this.#settings.port} cannot be bound again`,
        { cause: err },
      );
    }
  }

  /**
   * Same as {@linkcode CloudSimulator.close}.
   *
   * @returns A promise that resolves when closed.
   */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #answerDiscovery(body: string): Promise<{ status: number; body: string }> {
    try {
      const request = JSON.parse(body);
      this.discoveries.push(request);
      if (this.#options.systemId === undefined && typeof request?.systemId === "string") {
        this.#systemId = request.systemId;
      }
    } catch {
      this.discoveries.push(body);
    }
    await this.#pause("discovery");
    const refused = this.#refusal("discovery");
    if (refused !== undefined) return { status: refused, body: "" };
    return {
      status: 200,
      body: JSON.stringify({
        version: PROTOCOL_VERSION,
        systemId: this.#systemId,
        nextRequestDelay: this.#options.nextRequestDelay ?? 0,
        connectionInfo: this.connectionInfo,
        authToken: this.authToken,
        errorCode: 0,
      }),
    };
  }

  async #decideUpgrade(authorization: string | undefined): Promise<"accept" | { status: number }> {
    await this.#pause("upgrade");
    const status = this.#refusal("upgrade") ??
      (authorization === `Bearer ${this.authToken}` ? 101 : 401);
    this.upgrades.push(status);
    return status === 101 ? "accept" : { status };
  }

  #refusal(at: RefusePoint): number | undefined {
    const refusal = this.#refusals[at];
    if (refusal.count <= 0) return undefined;
    refusal.count--;
    return refusal.status;
  }

  async #pause(at: DelayPoint): Promise<void> {
    const ms = this.#delays[at];
    if (ms > 0) await delay(ms, { signal: this.#lifetime.signal }).catch(() => {});
  }

  #open(ws: WsSocket): void {
    if (this.#lifetime.signal.aborted) {
      ws.terminate();
      return;
    }
    this.#sockets.add(ws);
    this.#opened++;
    ws.on("message", (data, binary) => this.#receive(ws, data as Uint8Array, binary));
    ws.on("close", () => {
      this.#sockets.delete(ws);
      this.#changed();
    });
    ws.on("error", () => {});
    this.#changed();
  }

  #receive(ws: WsSocket, payload: Uint8Array, binary: boolean): void {
    let envelope: Envelope;
    try {
      if (!binary) throw new AosError("invalidArgument", "text frame");
      envelope = decodeFrame(payload, {
        accept: UNIT_TO_CLOUD,
        ...(this.#options.systemId === undefined
          ? {}
          : { expectedSystemId: this.#options.systemId }),
      });
    } catch (err) {
      this.invalid.push({ payload, error: AosError.from(err) });
      this.#changed();
      return;
    }
    const { header, data } = envelope;
    this.#systemId = header.systemId;
    if (data.messageType === "ack" || data.messageType === "nack") {
      this.received.push({ envelope, duplicate: false, acked: false });
      if (data.messageType === "ack") this.#unitAcks.add(header.txn);
      this.#changed();
      return;
    }
    const duplicate = this.#seen.has(header.txn);
    this.#seen.add(header.txn);
    const record: ReceivedFrame = { envelope, duplicate, acked: false };
    this.received.push(record);
    if (--this.#dropAfter <= 0) {
      this.#dropAfter = Infinity;
      ws.terminate();
    } else if (this.#withhold > 0) {
      this.#withhold--;
    } else if (this.#nacks.count > 0) {
      this.#nacks.count--;
      ws.send(
        this.#frame(header.txn, { messageType: "nack", retryAfter: this.#nacks.retryAfterMs }),
      );
    } else {
      record.acked = true;
      this.#ack(ws, record);
    }
    if (!duplicate) this.#dispatch(envelope);
    this.#changed();
  }

  async #ack(ws: WsSocket, record: ReceivedFrame): Promise<void> {
    await this.#pause("ack");
    if (this.#lifetime.signal.aborted || ws.readyState !== OPEN) return;
    ws.send(this.#frame(record.envelope.header.txn, { messageType: "ack" }));
    record.ackedAt = performance.now();
  }

  async #dispatch(envelope: Envelope): Promise<void> {
    const { data } = envelope;
    for (const handler of this.#handlers.get(data.messageType) ?? []) {
      try {
        const answer = await handler(data, envelope);
        const replies = answer === undefined ? [] : Array.isArray(answer) ? answer : [answer];
        for (const reply of replies) {
          const withId = reply.correlationId === undefined && data.correlationId !== undefined
            ? { ...reply, correlationId: data.correlationId }
            : reply;
          await this.push(withId, { awaitAck: false });
        }
      } catch (err) {
        this.errors.push(AosError.from(err));
        this.#changed();
      }
    }
  }

  #frame(txn: string, data: CloudMessage): Uint8Array {
    return encodeFrame({
      header: {
        version: PROTOCOL_VERSION,
        systemId: this.#systemId,
        createdAt: new Date(),
        txn,
      },
      data,
    });
  }

  #changed(): void {
    for (const watcher of [...this.#watchers]) watcher();
  }

  /** Resolves with `check()` once it is defined, re-checked after every event. */
  #until<R>(check: () => R | undefined, what: string, options: WaitOptions): Promise<R> {
    const { timeoutMs = 10_000, signal } = options;
    const { promise, resolve, reject } = Promise.withResolvers<R>();
    const watcher = () => {
      if (this.#lifetime.signal.aborted) {
        return finish(() =>
          reject(new AosError("canceled", `Stopped waiting for ${what}: simulator closed`))
        );
      }
      if (signal?.aborted) return finish(() => reject(canceledError(signal)));
      const result = check();
      if (result !== undefined) finish(() => resolve(result));
    };
    const timer = setTimeout(() => {
      finish(() => reject(new AosError("timeout", `No ${what} in ${timeoutMs} ms`)));
    }, timeoutMs);
    const finish = (settle: () => void) => {
      clearTimeout(timer);
      this.#watchers.delete(watcher);
      signal?.removeEventListener("abort", watcher);
      settle();
    };
    this.#watchers.add(watcher);
    signal?.addEventListener("abort", watcher, { once: true });
    watcher();
    return promise;
  }
}
