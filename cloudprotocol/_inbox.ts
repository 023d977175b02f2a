// Copyright 2026 the aos-common authors. Apache-2.0 license.
// What comes from the cloud: every frame decoded, acks and nacks handed to
// the outbox, every other valid frame acked, then delivered once per txn to
// the request waiting for it or to the handlers of its type.
import type { MessageHandler } from "./connection.ts";
import { decodeFrame, type Envelope } from "./frame.ts";
import { frameBytes, PROTOCOL_VERSION } from "./_frame_text.ts";
import { CLOUD_TO_UNIT, type CloudMessage } from "./message.ts";
import type { MessageType } from "./types.ts";
import type { Outbox } from "./_outbox.ts";

/** Settings of an {@linkcode Inbox}. */
export interface InboxSettings {
  systemId: string;
  maxFrameBytes: number;
  /** Recent txns remembered to deliver a frame sent again only once. */
  dedupWindow: number;
  outbox: Outbox;
  /** Hands a message to the request waiting for its correlationId; `false` when none waits. */
  claim(correlationId: string, message: CloudMessage): boolean;
  /** Calls user code, reporting what it throws. */
  call(fn: () => unknown): void;
  /** Reports a frame that did not decode. */
  report(error: unknown): void;
}

/** The receiving side of a connection. */
export class Inbox {
  readonly #settings: InboxSettings;
  readonly #handlers = new Map<MessageType, MessageHandler[]>();
  /** Insertion-ordered, so the first txn is the oldest. */
  readonly #recent = new Set<string>();

  constructor(settings: InboxSettings) {
    this.#settings = settings;
  }

  /** Adds a handler; the returned handle removes it. */
  subscribe(messageType: MessageType, handler: MessageHandler): Disposable {
    // Copied on change, so a delivery in progress is not disturbed.
    this.#handlers.set(messageType, [...(this.#handlers.get(messageType) ?? []), handler]);
    return {
      [Symbol.dispose]: () => {
        const list = this.#handlers.get(messageType) ?? [];
        this.#handlers.set(messageType, list.filter((h) => h !== handler));
      },
    };
  }

  /** Takes one WebSocket frame; `writeAck` sends the ack of a valid one. */
  receive(data: Uint8Array, binary: boolean, writeAck: (bytes: Uint8Array) => void): void {
    if (!binary) return; // AosCore ignores text frames
    const { systemId, maxFrameBytes, outbox } = this.#settings;
    let frame: Envelope;
    try {
      frame = decodeFrame(data, {
        expectedSystemId: systemId,
        accept: CLOUD_TO_UNIT,
        maxBytes: maxFrameBytes,
      });
    } catch (err) {
      this.#settings.report(err);
      return;
    }
    const { header, data: message } = frame;
    if (message.messageType === "ack") return outbox.ack(header.txn);
    if (message.messageType === "nack") return outbox.nack(header.txn, message.retryAfter);
    // Acked before anything else, so a failing handler is never reported as a nack.
    writeAck(frameBytes({
      header: { version: PROTOCOL_VERSION, systemId, createdAt: new Date(), txn: header.txn },
      data: { messageType: "ack" },
    }));
    if (header.txn !== "" && !this.#firstTime(header.txn)) return;
    this.#deliver(frame);
  }

  #firstTime(txn: string): boolean {
    const recent = this.#recent;
    if (recent.has(txn)) return false;
    recent.add(txn);
    if (recent.size > this.#settings.dedupWindow) recent.delete(recent.values().next().value!);
    return true;
  }

  #deliver(frame: Envelope): void {
    const message = frame.data;
    const { correlationId } = message;
    if (correlationId !== undefined && correlationId !== "") {
      if (this.#settings.claim(correlationId, message)) return;
    }
    for (const handler of this.#handlers.get(message.messageType) ?? []) {
      this.#settings.call(() => handler(message, frame));
    }
  }
}
