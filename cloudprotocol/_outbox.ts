// Copyright 2026 the aos-common authors. Apache-2.0 license.
// At-least-once delivery of the unit's frames: a bounded queue while
// disconnected, then one record per frame on the wire until its ack.
//
// All frames wait the same time for their ack, so the frames on the wire,
// kept in a Map in the order they were written, are also in deadline order:
// one timer for the earliest deadline serves them all, and an ack is a Map
// delete. A frame written again moves to the end.
import { CloudDeliveryError, type DeliveryFailure } from "./delivery_error.ts";
import type { MessageType } from "./types.ts";

/** One unit-to-cloud frame until the cloud acked it or it was given up. */
export interface OutgoingFrame {
  readonly txn: string;
  readonly messageType: MessageType;
  /** The encoded frame; every send writes these same bytes. */
  readonly bytes: Uint8Array;
  /** Position in send order, kept when the frame is queued again. */
  seq: number;
  resends: number;
  deadline: number;
  state: "new" | "queued" | "onWire" | "nacked" | "done";
  nackTimer?: ReturnType<typeof setTimeout>;
  resolve(): void;
  reject(err: CloudDeliveryError): void;
}

/** Where a dropped frame is reported. */
export type DropListener = (frame: OutgoingFrame, error: CloudDeliveryError) => void;

/** Settings of an {@linkcode Outbox}. */
export interface OutboxSettings {
  responseTimeoutMs: number;
  maxResends: number;
  queueLimit: number;
  /** Types dropped only when the queue holds nothing else. */
  keepOnOverflow: ReadonlySet<MessageType>;
  onDrop: DropListener;
}

/** The delivery bookkeeping of a connection. */
export class Outbox {
  readonly #settings: OutboxSettings;
  /** Frames not on the wire, in send order. */
  #queue: OutgoingFrame[] = [];
  /** Frames on the wire, in deadline order. */
  readonly #onWire = new Map<string, OutgoingFrame>();
  /** Frames waiting out a nack's retryAfter, by txn. */
  readonly #nacked = new Map<string, OutgoingFrame>();
  #write: ((bytes: Uint8Array) => void) | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #expiring = false;
  #seq = 0;

  constructor(settings: OutboxSettings) {
    this.#settings = settings;
  }

  /** Frames waiting for a connection. */
  get queued(): number {
    return this.#queue.length;
  }

  /** Takes a new frame: written now when connected and nothing waits before it. */
  submit(frame: OutgoingFrame): void {
    frame.seq = this.#seq++;
    if (this.#write !== undefined && this.#queue.length === 0) this.#put(frame);
    else this.#enqueue([frame]);
  }

  /** The connection is up: writes the queue in order, then new frames at once. */
  connected(write: (bytes: Uint8Array) => void): void {
    this.#write = write;
    const queue = this.#queue;
    this.#queue = [];
    for (const frame of queue) this.#put(frame);
  }

  /** The connection is down: unacked frames go back to the queue, in send order. */
  disconnected(): void {
    this.#write = undefined;
    this.#stopTimer();
    const back = [...this.#onWire.values()];
    this.#onWire.clear();
    back.sort((a, b) => a.seq - b.seq);
    this.#enqueue(back);
  }

  /**
   * The cloud acked `txn`. Unknown txns are ignored. A nacked frame counts:
   * the ack of an earlier copy can come after the nack of a resend.
   */
  ack(txn: string): void {
    const frame = this.#onWire.get(txn) ?? this.#nacked.get(txn);
    if (frame === undefined) return;
    if (frame.state === "nacked") {
      clearTimeout(frame.nackTimer);
      this.#nacked.delete(txn);
    } else {
      this.#onWire.delete(txn);
    }
    frame.state = "done";
    frame.resolve();
  }

  /** The cloud asked for `txn` again after `retryAfterMs`; not counted as a resend. */
  nack(txn: string, retryAfterMs: number): void {
    const frame = this.#onWire.get(txn);
    if (frame === undefined) return;
    this.#onWire.delete(txn);
    frame.state = "nacked";
    this.#nacked.set(txn, frame);
    frame.nackTimer = setTimeout(() => {
      this.#nacked.delete(txn);
      delete frame.nackTimer;
      if (this.#write !== undefined) this.#put(frame);
      else this.#enqueue([frame]);
    }, retryAfterMs);
  }

  /** Forgets a frame wherever it is and rejects it. */
  cancel(frame: OutgoingFrame, reason: DeliveryFailure, cause?: unknown): void {
    switch (frame.state) {
      case "done":
        return;
      case "queued":
        this.#queue.splice(this.#queue.indexOf(frame), 1);
        break;
      case "onWire":
        this.#onWire.delete(frame.txn);
        break;
      case "nacked":
        clearTimeout(frame.nackTimer);
        this.#nacked.delete(frame.txn);
        break;
    }
    this.#fail(frame, reason, cause);
  }

  /** Rejects every frame with `closed` and stops all timers. */
  close(): void {
    this.#write = undefined;
    this.#stopTimer();
    const all = [...this.#queue, ...this.#onWire.values(), ...this.#nacked.values()];
    this.#queue = [];
    this.#onWire.clear();
    for (const frame of this.#nacked.values()) clearTimeout(frame.nackTimer);
    this.#nacked.clear();
    for (const frame of all) this.#fail(frame, "closed");
  }

  #put(frame: OutgoingFrame): void {
    frame.state = "onWire";
    frame.deadline = Date.now() + this.#settings.responseTimeoutMs;
    this.#onWire.set(frame.txn, frame);
    this.#write!(frame.bytes);
    if (this.#timer === undefined && !this.#expiring) this.#startTimer(frame.deadline);
  }

  /** Adds frames to the queue in send order, then drops what is over the limit. */
  #enqueue(frames: OutgoingFrame[]): void {
    if (frames.length === 0) return;
    for (const frame of frames) frame.state = "queued";
    const queue = this.#queue;
    const last = queue.at(-1);
    if (last === undefined || last.seq < frames[0]!.seq) queue.push(...frames);
    else {
      queue.push(...frames);
      queue.sort((a, b) => a.seq - b.seq);
    }
    const { queueLimit, keepOnOverflow } = this.#settings;
    while (queue.length > queueLimit) {
      let i = queue.findIndex((f) => !keepOnOverflow.has(f.messageType));
      if (i < 0) i = 0;
      const [dropped] = queue.splice(i, 1);
      this.#fail(dropped!, "queueFull", undefined, true);
    }
  }

  #fail(frame: OutgoingFrame, reason: DeliveryFailure, cause?: unknown, report = false): void {
    frame.state = "done";
    const error = new CloudDeliveryError(reason, {
      messageType: frame.messageType,
      txn: frame.txn,
      ...(cause === undefined ? {} : { cause }),
    });
    if (report) this.#settings.onDrop(frame, error);
    frame.reject(error);
  }

  #startTimer(at: number): void {
    this.#timer = setTimeout(() => this.#expire(), Math.max(0, at - Date.now()));
  }

  #stopTimer(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Resends or gives up the frames whose ack is overdue, then waits for the next deadline. */
  #expire(): void {
    this.#timer = undefined;
    this.#expiring = true;
    const now = Date.now();
    const { maxResends } = this.#settings;
    try {
      // A frame written again moves to the end with a later deadline, where
      // this loop meets it again and stops.
      for (const frame of this.#onWire.values()) {
        if (frame.deadline > now) {
          this.#startTimer(frame.deadline);
          return;
        }
        this.#onWire.delete(frame.txn);
        if (frame.resends >= maxResends) {
          this.#fail(frame, "noAck", undefined, true);
        } else {
          frame.resends++;
          this.#put(frame);
        }
      }
    } finally {
      this.#expiring = false;
    }
  }
}
