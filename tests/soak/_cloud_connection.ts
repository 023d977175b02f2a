// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Soak: the unit's {@linkcode WebSocketCloudConnection} against a cloud that
 * misbehaves, checking at-least-once delivery both ways.
 *
 * The run is cut into epochs of `EPOCH_MS`, each with a fresh
 * {@linkcode CloudSimulator} and connection, so what the simulator records
 * stays bounded. In an epoch, senders send alerts, monitoringData and
 * unitStatus messages, each carrying a unique marker (its correlationId,
 * repeated in its content); the cloud pushes desiredStatus messages with a
 * marker and pushes each again with the same txn until the unit acks it;
 * and a fault loop drops connections (at once or at the n-th frame), sends
 * garbage frames, withholds acks for a while, nacks with a `retryAfter`,
 * slows acks down past the response timeout (so they cross resends and
 * their nacks), and restarts the server on the same port (discovery
 * included). Short response timeouts make resends and give-ups happen all
 * the time.
 *
 * At the end of an epoch the faults stop, every send settles, and:
 * - a send that resolved reached the cloud's application layer (the
 *   simulator's first deliveries, deduplicated by txn) exactly once, with
 *   its content intact;
 * - a send that rejected did so with a {@linkcode CloudDeliveryError} saying
 *   it was given up (`noAck`, `queueFull`), and reached the cloud at most
 *   once. "Given up" cannot mean "not delivered": the cloud may have taken a
 *   frame whose acks were all withheld or lost, and at-least-once delivery
 *   has no way to tell the unit; those are counted, not hidden. But a
 *   frame given up for want of an ack must not have had an ack written
 *   before its last copy went out, unless the connection dropped after it
 *   or this process's event loop stalled (the cloud runs in it too, so a
 *   stall holds the ack back behind the resend timer);
 * - no send is left unsettled, and no marker reaches the cloud twice;
 * - a cloud message reaches the unit's subscriber at most once, exactly
 *   once when the unit acked it, and garbage never does.
 *
 * @module
 */
import {
  CloudDeliveryError,
  type CloudMessage,
  WebSocketCloudConnection,
} from "../../cloudprotocol/mod.ts";
import { CloudSimulator, type ReceivedFrame } from "../../cloudprotocol/testing.ts";
import { encodeFrame, PROTOCOL_VERSION } from "../../cloudprotocol/frame.ts";
import { delay } from "../../utils/abort.ts";
import { AosError } from "../../utils/errors.ts";
import { desiredStatus, monitoring } from "../cloudprotocol/_connection.ts";
import {
  count,
  emptyTally,
  lost,
  type Random,
  type Scenario,
  type SoakContext,
  type Tally,
} from "./_scenario.ts";

const SYSTEM_ID = "soak-unit";
const EPOCH_MS = 20_000;
const SENDERS = 6;
/** Sends waiting for their ack or give-up, at most; more than the queue holds, so it overflows. */
const MAX_IN_FLIGHT = 20;
const QUEUE_LIMIT = 16;
const RESPONSE_TIMEOUT_MS = 200;
const MAX_RESENDS = 2;
/** Time every send gets to settle once the faults stop; far more than a resend cycle. */
const DRAIN_MS = 30_000;
const PUSH_ATTEMPTS = 6;
/** An event loop this late has kept the timers waiting long enough to matter. */
const STALL_MS = 50;

/**
 * Watches this process's event loop for stalls. The simulated cloud runs in
 * the soak's own process, so a stall (a busy machine, a full GC) holds an
 * ack that arrived in time back behind the resend timer: the unit then gives
 * up a frame the cloud acked, which is the protocol working as specified,
 * not a bug. The stalls of an epoch are kept to tell those cases apart.
 */
class StallWatch implements Disposable {
  /** Times the loop woke up late, with how late, ms. */
  readonly stalls: { at: number; ms: number }[] = [];
  #last = performance.now();
  readonly #timer = setInterval(() => {
    const now = performance.now();
    const late = now - this.#last - 10;
    this.#last = now;
    if (late >= STALL_MS) this.stalls.push({ at: now, ms: late });
  }, 10);

  /** Whether the loop stalled between `from` and `to` (the stall seen when it ended). */
  stalledBetween(from: number, to: number): boolean {
    return this.stalls.some((stall) => stall.at >= from && stall.at - stall.ms <= to);
  }

  [Symbol.dispose](): void {
    clearInterval(this.#timer);
  }
}

type SentType = "alerts" | "monitoringData" | "unitStatus";
const SENT_TYPES: readonly SentType[] = ["alerts", "monitoringData", "unitStatus"];

interface Sent {
  marker: string;
  seq: number;
  outcome: "pending" | "acked" | { error: unknown; at: number };
}

interface Pushed {
  marker: string;
  acked: boolean;
}

/** A unit-to-cloud message carrying `marker` both as correlationId and in its content. */
function unitMessage(type: SentType, marker: string, seq: number): CloudMessage {
  switch (type) {
    case "alerts":
      return {
        messageType: "alerts",
        correlationId: marker,
        items: [{ tag: "systemAlert", timestamp: new Date(), nodeId: "main", message: marker }],
      };
    case "monitoringData":
      return { ...monitoring(seq), correlationId: marker };
    case "unitStatus":
      return {
        messageType: "unitStatus",
        correlationId: marker,
        isDeltaInfo: true,
        subjects: [marker],
      };
  }
}

/** Whether a message the cloud got still says what was sent with `marker`. */
function intact(message: CloudMessage, sent: Sent): boolean {
  switch (message.messageType) {
    case "alerts":
      return message.items.length === 1 && message.items[0]!.tag === "systemAlert" &&
        message.items[0]!.message === sent.marker;
    case "monitoringData":
      return message.nodes[0]?.items[0]?.cpu === sent.seq;
    case "unitStatus":
      return message.subjects?.length === 1 && message.subjects[0] === sent.marker;
    default:
      return false;
  }
}

/** Undecodable or misaddressed frames; the marked ones must never reach a subscriber. */
function garbage(random: Random, marker: string): { payload: Uint8Array | string; text: boolean } {
  const frame = (header: Record<string, unknown>) =>
    new TextEncoder().encode(JSON.stringify({
      header: { version: PROTOCOL_VERSION, systemId: SYSTEM_ID, txn: marker, ...header },
      data: { ...desiredStatus(marker), correlationId: marker },
    }));
  switch (random.int(0, 4)) {
    case 0:
      return { payload: random.bytes(random.int(1, 512)), text: false };
    case 1:
      return { payload: '{"header":', text: true };
    case 2:
      return { payload: frame({ systemId: "another-unit" }), text: false };
    case 3:
      return { payload: frame({ version: PROTOCOL_VERSION - 1 }), text: false };
    default: {
      const whole = encodeFrame({
        header: { version: PROTOCOL_VERSION, systemId: SYSTEM_ID, txn: marker },
        data: { ...desiredStatus(marker), correlationId: marker },
      });
      return { payload: whole.subarray(0, random.int(1, whole.length - 1)), text: false };
    }
  }
}

/** One epoch: a simulator, a connection, load and faults, then the checks. */
async function epoch(
  context: SoakContext,
  tally: Tally,
  index: number,
  end: number,
): Promise<void> {
  const { random, signal } = context;
  const running = () => performance.now() < end && !signal.aborted;
  const pause = (min: number, max: number) =>
    delay(random.int(min, max), { signal }).catch(() => {});
  using watch = new StallWatch();
  const cloud = await CloudSimulator.start({ systemId: SYSTEM_ID });
  const conn = new WebSocketCloudConnection({
    discoveryUrl: cloud.discoveryUrl,
    systemId: SYSTEM_ID,
    responseTimeoutMs: RESPONSE_TIMEOUT_MS,
    maxResends: MAX_RESENDS,
    queueLimit: QUEUE_LIMIT,
    connectTimeoutMs: 5_000,
    reconnect: { initialDelayMs: 20, maxDelayMs: 500, triesPerRound: 3 },
    onError: () => count(tally, "errors reported by the unit"),
  });
  const sent = new Map<string, Sent>();
  const pushed: Pushed[] = [];
  const garbageMarkers = new Set<string>();
  const deliveries = new Map<string, number>();
  const problemsBefore = tally.dataLost;
  let faults = 0;
  let inFlight = 0;
  let settled = Promise.withResolvers<void>();
  const fault = (name: string) => {
    faults++;
    tally.faultsInjected++;
    count(tally, `fault: ${name}`);
  };

  // When the unit lost the connection: an ack may be lost with it.
  const downs: number[] = [];
  conn.addEventListener("disconnect", () => downs.push(performance.now()));
  using _sub = conn.subscribe("desiredStatus", (message) => {
    const marker = message.correlationId ?? "";
    deliveries.set(marker, (deliveries.get(marker) ?? 0) + 1);
  });

  const send = async (sender: number) => {
    let n = 0;
    while (running()) {
      while (inFlight >= MAX_IN_FLIGHT) await settled.promise;
      if (!running()) break;
      const seq = n++ * SENDERS + sender;
      const marker = `u${index}-${seq}`;
      const record: Sent = { marker, seq, outcome: "pending" };
      sent.set(marker, record);
      inFlight++;
      conn.send(unitMessage(random.pick(SENT_TYPES), marker, seq)).then(
        () => (record.outcome = "acked"),
        (error: unknown) => (record.outcome = { error, at: performance.now() }),
      ).finally(() => {
        inFlight--;
        settled.resolve();
        settled = Promise.withResolvers();
      });
      await pause(20, 100);
    }
  };

  const push = async () => {
    for (let n = 0; running(); n++) {
      const marker = `c${index}-${n}`;
      const record: Pushed = { marker, acked: false };
      pushed.push(record);
      const message = { ...desiredStatus("main"), correlationId: marker };
      for (let attempt = 0; attempt < PUSH_ATTEMPTS && !record.acked && running(); attempt++) {
        try {
          // The same txn each time: a cloud resending a frame the unit did not ack.
          await cloud.push(message, { txn: marker, timeoutMs: 4 * RESPONSE_TIMEOUT_MS });
          record.acked = true;
        } catch (error) {
          if (!(error instanceof AosError)) throw error;
          count(tally, "pushes sent again");
          await pause(20, 200);
        }
      }
      // Now and then the cloud's copy of the ack is lost and it sends once more.
      if (record.acked && random.chance(0.1)) {
        await cloud.push(message, { txn: marker, awaitAck: false }).catch(() => {});
        count(tally, "pushes repeated after the ack");
      }
      await pause(10, 80);
    }
  };

  const misbehave = async () => {
    while (running()) {
      await pause(100, 700);
      if (!running()) break;
      switch (random.int(0, 7)) {
        case 0:
          cloud.dropConnections();
          fault("connection dropped");
          break;
        case 1:
          cloud.dropAfter(random.int(1, 20));
          fault("connection dropped at a frame");
          break;
        case 2:
          for (let i = random.int(1, 3); i > 0 && cloud.connections > 0; i--) {
            const marker = `g${index}-${faults}-${i}`;
            garbageMarkers.add(marker);
            const { payload, text } = garbage(random, marker);
            cloud.sendRaw(payload, text);
            fault("garbage frame");
          }
          break;
        case 3:
          // Long enough, at times, for a frame's every resend to go unacked.
          cloud.withholdAcks();
          fault("acks withheld");
          await pause(50, 1000);
          cloud.withholdAcks(0);
          break;
        case 4:
          cloud.withholdAcks(random.int(1, 5));
          fault("acks withheld");
          break;
        case 5:
          cloud.nack(random.int(1, 8), random.int(0, 400));
          fault("nack with retryAfter");
          break;
        case 6: {
          // Acks slower than the response timeout cross the resends, and
          // now and then the nack of a resend crosses the ack of a copy
          // before it.
          cloud.delay("ack", random.int(RESPONSE_TIMEOUT_MS / 2, 3 * RESPONSE_TIMEOUT_MS));
          fault("slow acks");
          const until = performance.now() + random.int(200, 1500);
          while (performance.now() < until && running()) {
            cloud.nack(1, random.int(RESPONSE_TIMEOUT_MS, 3 * RESPONSE_TIMEOUT_MS));
            await pause(10, 100);
          }
          cloud.nack(0);
          cloud.delay("ack", 0);
          break;
        }
        default:
          fault("server restart");
          await cloud.restart(random.int(0, 1500));
      }
    }
    cloud.delay("ack", 0);
    cloud.withholdAcks(0);
    cloud.nack(0);
    cloud.dropAfter(Infinity);
  };

  try {
    await conn.connect({ signal });
    await Promise.all([
      misbehave(),
      push(),
      ...Array.from({ length: SENDERS }, (_, i) => send(i)),
    ]);
    // The faults are over: everything in flight must now be acked or given up.
    const deadline = performance.now() + DRAIN_MS;
    while (inFlight > 0 && performance.now() < deadline && !signal.aborted) {
      await Promise.race([settled.promise, delay(100)]);
    }
  } finally {
    await conn.close();
    await cloud.close();
  }
  if (signal.aborted) return;
  check(tally, index, { cloud, sent, pushed, garbageMarkers, deliveries, watch, downs });
  count(tally, `event loop stalls over ${STALL_MS} ms`, watch.stalls.length);
  count(tally, "discoveries", cloud.discoveries.length);
  count(tally, "connections", cloud.connectionsOpened);
  if (tally.dataLost === problemsBefore) tally.faultsSurvived += faults;
}

function check(
  tally: Tally,
  index: number,
  seen: {
    cloud: CloudSimulator;
    sent: Map<string, Sent>;
    pushed: Pushed[];
    garbageMarkers: Set<string>;
    deliveries: Map<string, number>;
    watch: StallWatch;
    downs: number[];
  },
): void {
  const { cloud, sent, pushed, garbageMarkers, deliveries, watch, downs } = seen;
  // Every copy the cloud got, resends included, by marker.
  const copies = new Map<string, ReceivedFrame[]>();
  for (const frame of cloud.received) {
    const message = frame.envelope.data;
    if (message.messageType === "ack" || message.messageType === "nack") continue;
    const marker = message.correlationId ?? "";
    copies.set(marker, [...(copies.get(marker) ?? []), frame]);
  }
  for (const [marker, frames] of copies) {
    if (!sent.has(marker)) lost(tally, `epoch ${index}: the cloud got ${marker}, never sent`);
    // The cloud's application layer sees first deliveries only (dedup by txn).
    const delivered = frames.filter((f) => !f.duplicate).length;
    if (delivered > 1) {
      lost(tally, `epoch ${index}: ${marker} reached the cloud ${delivered} times`);
    }
  }
  for (const record of sent.values()) {
    tally.operations++;
    const frames = copies.get(record.marker) ?? [];
    const first = frames.find((f) => !f.duplicate);
    const { outcome } = record;
    if (outcome === "pending") {
      lost(tally, `epoch ${index}: send of ${record.marker} never settled`);
    } else if (outcome === "acked") {
      count(tally, "acked");
      if (first === undefined) {
        lost(tally, `epoch ${index}: ${record.marker} acked but never reached the cloud`);
      } else if (!intact(first.envelope.data, record)) {
        lost(tally, `epoch ${index}: ${record.marker} reached the cloud altered`);
      }
    } else {
      const { error } = outcome;
      if (
        !(error instanceof CloudDeliveryError) ||
        (error.reason !== "noAck" && error.reason !== "queueFull")
      ) {
        lost(tally, `epoch ${index}: send of ${record.marker} failed with ${error}`);
        continue;
      }
      count(tally, `given up (${error.reason})`);
      if (first === undefined) continue;
      count(tally, `given up after reaching the cloud (${error.reason})`);
      if (error.reason !== "noAck") continue;
      // Given up for want of an ack, though the cloud had written one
      // before the unit wrote its last copy (the give-up comes a response
      // timeout after that copy): the ack must have been lost with the
      // connection, or held back by a stalled event loop; otherwise the
      // unit lost it. An ack written during the last wait may still be on
      // its way through this busy process when the timer fires.
      const ackedAt = Math.min(...frames.map((f) => f.ackedAt ?? Infinity));
      if (ackedAt > outcome.at - RESPONSE_TIMEOUT_MS) {
        if (ackedAt !== Infinity) count(tally, "given up, the ack written during the last wait");
      } else if (downs.some((t) => t >= ackedAt && t <= outcome.at)) {
        count(tally, "given up, the ack lost with the connection");
      } else if (watch.stalledBetween(ackedAt, outcome.at)) {
        count(tally, "given up, the ack held back by a stalled event loop");
      } else {
        lost(
          tally,
          `epoch ${index}: ${record.marker} given up ` +
            `${(outcome.at - ackedAt).toFixed(0)} ms after the cloud acked it`,
        );
      }
    }
  }
  for (const { marker, acked } of pushed) {
    tally.operations++;
    const n = deliveries.get(marker) ?? 0;
    if (n > 1) lost(tally, `epoch ${index}: ${marker} delivered to the unit ${n} times`);
    if (acked && n === 0) lost(tally, `epoch ${index}: ${marker} acked by the unit, not delivered`);
    count(tally, acked ? "pushes acked" : "pushes given up");
  }
  for (const marker of garbageMarkers) {
    if (deliveries.has(marker)) lost(tally, `epoch ${index}: garbage ${marker} was delivered`);
  }
  for (const marker of deliveries.keys()) {
    if (!marker.startsWith(`c${index}-`) && !garbageMarkers.has(marker)) {
      lost(tally, `epoch ${index}: the unit got ${JSON.stringify(marker)}, never pushed`);
    }
  }
}

async function run(context: SoakContext): Promise<Tally> {
  const tally = emptyTally();
  let index = 0;
  // An epoch shorter than a few seconds would be all connecting and draining.
  while (performance.now() < context.until - 3_000 && !context.signal.aborted) {
    await epoch(context, tally, index++, Math.min(performance.now() + EPOCH_MS, context.until));
  }
  context.log(`${index} epochs, ${tally.operations} messages`);
  return tally;
}

/** The cloud connection scenario. */
export const cloudConnectionScenario: Scenario = { name: "cloud-connection", run };
