// Copyright 2026 the aos-common authors. Apache-2.0 license.
import assert from "node:assert/strict";
import { Channel } from "../../utils/channel.ts";
import { errorIs } from "../../utils/errors.ts";

/** Lets every queued promise callback run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function tracked<T>(promise: Promise<T>): { done: () => boolean; promise: Promise<T> } {
  let done = false;
  promise.then(() => (done = true), () => (done = true));
  return { done: () => done, promise };
}

Deno.test("a channel of capacity 3 delivers values first in, first out", async () => {
  const ch = new Channel<number>(3);
  await ch.send(1);
  await ch.send(2);
  await ch.send(3);
  assert.equal(ch.size, 3);
  assert.deepEqual([await ch.receive(), await ch.receive(), await ch.receive()], [1, 2, 3]);
});

Deno.test("send blocks while the buffer is full until a receive makes room", async () => {
  const ch = new Channel<string>(2);
  await ch.send("a");
  await ch.send("b");
  const third = tracked(ch.send("c"));
  await settle();
  assert.equal(third.done(), false, "third send waits");
  assert.equal(await ch.receive(), "a");
  await third.promise;
  assert.deepEqual([await ch.receive(), await ch.receive()], ["b", "c"]);
});

Deno.test("receive blocks while empty and wakes on the next send", async () => {
  const ch = new Channel<number>();
  const first = tracked(ch.receive());
  const second = tracked(ch.receive());
  await settle();
  assert.equal(first.done(), false);
  await ch.send(1);
  await ch.send(2);
  assert.equal(await first.promise, 1);
  assert.equal(await second.promise, 2);
  assert.equal(ch.size, 0);
});

Deno.test("an unbuffered channel hands each value over only when received", async () => {
  const ch = new Channel<number>(0);
  const send = tracked(ch.send(7));
  await settle();
  assert.equal(send.done(), false, "no receiver yet");
  assert.equal(ch.size, 0);
  assert.equal(await ch.receive(), 7);
  await send.promise;
  const receive = ch.receive();
  await ch.send(8);
  assert.equal(await receive, 8);
});

Deno.test("send and receive after close reject with wrongState, buffered values dropped", async () => {
  const ch = new Channel<number>(2);
  await ch.send(1);
  ch.close();
  assert.ok(ch.closed);
  assert.equal(ch.size, 0);
  await assert.rejects(ch.send(2), (e) => errorIs(e, "wrongState"));
  await assert.rejects(ch.receive(), (e) => errorIs(e, "wrongState"));
  ch.close();
});

Deno.test("close wakes blocked senders and receivers with wrongState", async () => {
  const full = new Channel<number>(0);
  const empty = new Channel<number>(1);
  const send = full.send(1);
  const receive = empty.receive();
  full.close();
  empty.close();
  await assert.rejects(send, (e) => errorIs(e, "wrongState"));
  await assert.rejects(receive, (e) => errorIs(e, "wrongState"));
});

Deno.test("an aborted wait rejects with canceled and leaves the channel usable", async () => {
  const ch = new Channel<number>(0);
  const controller = new AbortController();
  const waiting = ch.receive({ signal: controller.signal });
  controller.abort();
  await assert.rejects(waiting, (e) => errorIs(e, "canceled"));
  const sendAbort = new AbortController();
  const sending = ch.send(1, { signal: sendAbort.signal });
  sendAbort.abort();
  await assert.rejects(sending, (e) => errorIs(e, "canceled"));
  const receive = ch.receive();
  await ch.send(2);
  assert.equal(await receive, 2, "the aborted send's value was withdrawn");
  await assert.rejects(ch.receive({ signal: AbortSignal.abort() }), (e) => errorIs(e, "canceled"));
});

Deno.test("async iteration yields values until the channel closes", async () => {
  const ch = new Channel<number>(1);
  const producer = (async () => {
    for (let i = 0; i < 5; i++) await ch.send(i);
    while (ch.size > 0) await settle();
    ch.close();
  })();
  const seen: number[] = [];
  for await (const value of ch) seen.push(value);
  await producer;
  assert.deepEqual(seen, [0, 1, 2, 3, 4]);
});

Deno.test("await using closes the channel", async () => {
  let ch: Channel<number>;
  {
    await using scoped = new Channel<number>();
    ch = scoped;
  }
  assert.ok(ch.closed);
  assert.throws(() => new Channel(-1), (e) => errorIs(e, "invalidArgument"));
  assert.throws(() => new Channel(1.5), (e) => errorIs(e, "invalidArgument"));
});
