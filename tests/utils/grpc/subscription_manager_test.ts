// Copyright 2026 the aos-common authors. Apache-2.0 license.
// SubscriptionManager on scripted streams, and on a real grpc-js stream whose
// server restarts.
import assert from "node:assert/strict";
import process from "node:process";
import {
  type MessageStream,
  SubscriptionManager,
} from "../../../utils/grpc/subscription_manager.ts";
import {
  createChannelCredentials,
  createServerCredentials,
} from "../../../utils/grpc/credentials.ts";
import { delay } from "../../../utils/abort.ts";
import { AosError, errorIs } from "../../../utils/errors.ts";
import { echoClient, EchoServer, type Msg } from "./_echo.ts";

/** A stream that yields `messages`, then ends (or fails with `error`), or waits until cancelled. */
function scripted<T>(
  messages: T[],
  end: "end" | "hang" | Error = "end",
): MessageStream<T> & { cancelled: boolean } {
  const { promise: cancelled, resolve: cancel } = Promise.withResolvers<void>();
  const stream = {
    cancelled: false,
    cancel() {
      stream.cancelled = true;
      cancel();
    },
    async *[Symbol.asyncIterator]() {
      for (const m of messages) yield m;
      if (end === "hang") {
        await cancelled;
        throw new AosError("canceled", "cancelled");
      }
      if (end instanceof Error) throw end;
    },
  };
  return stream;
}

/** Waits until `check()` holds; fails after 10 s. */
async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${check}`);
    await delay(2);
  }
}

Deno.test("messages reach every listener; the stream opens with the first and closes with the last", async () => {
  const streams: ReturnType<typeof scripted<number>>[] = [];
  const manager = new SubscriptionManager({
    open: () => {
      const stream = scripted([1, 2], "hang");
      streams.push(stream);
      return stream;
    },
  });
  const a: number[] = [];
  const b: number[] = [];
  const listenerA = { onMessage: (m: number) => void a.push(m) };
  const listenerB = { onMessage: (m: number) => void b.push(m) };
  assert.equal(manager.active, false);
  manager.subscribe(listenerA);
  assert.throws(() => manager.subscribe(listenerA), (e) => errorIs(e, "alreadyExist"));
  await until(() => a.length === 2);
  manager.subscribe(listenerB);
  assert.equal(streams.length, 1, "one stream for all listeners");
  assert.equal(await manager.unsubscribe(listenerA), false);
  assert.equal(streams[0]!.cancelled, false);
  assert.equal(await manager.unsubscribe(listenerB), true);
  assert.equal(streams[0]!.cancelled, true);
  assert.equal(manager.active, false);
  await assert.rejects(manager.unsubscribe(listenerB), (e) => errorIs(e, "notFound"));
  await manager.close();
  assert.throws(() => manager.subscribe(listenerA), (e) => errorIs(e, "wrongState"));
});

Deno.test("a stream that ends or fails is reopened after a pause that grows, then resets", async () => {
  const opened: number[] = [];
  const errors: unknown[] = [];
  let calls = 0;
  const manager = new SubscriptionManager<number>({
    open: () => {
      opened.push(performance.now());
      calls++;
      // Three failures, then a stream that delivers, then failures again.
      if (calls === 4) return scripted([calls]);
      return scripted([], calls === 5 ? "end" : new AosError("failed", "unavailable"));
    },
    retryDelayMs: 20,
    maxRetryDelayMs: 60,
    onError: (e) => errors.push(e),
  });
  const got: number[] = [];
  using _ = manager.subscribe({ onMessage: (m) => void got.push(m) });
  await until(() => opened.length >= 7);
  await manager.close();
  assert.deepEqual(got, [4]);
  assert.ok(
    errors.length >= 3 && errors.every((e) => /subscription stream failed/.test(String(e))),
  );
  const pauses = opened.slice(1).map((t, i) => t - opened[i]!);
  // 20, 40, 60 (capped); after the delivering stream: 20 again.
  assert.ok(pauses[0]! >= 19 && pauses[1]! >= 39 && pauses[2]! >= 59, pauses.join(", "));
  assert.ok(pauses[4]! < 59, `pause after a delivering stream: ${pauses[4]}`);
});

Deno.test("a message that fails to convert is skipped; a throwing listener does not stop others", async () => {
  const errors: unknown[] = [];
  const manager = new SubscriptionManager<number, string>({
    open: () => scripted([1, 2, 3], "hang"),
    convert: (m) => {
      if (m === 2) throw new Error("bad message");
      return `#${m}`;
    },
    onError: (e) => errors.push(e),
  });
  const got: string[] = [];
  manager.subscribe({
    onMessage: () => {
      throw new Error("listener broke");
    },
  });
  manager.subscribe({ onMessage: (m) => void got.push(m) });
  await until(() => got.length === 2);
  await manager.close();
  assert.deepEqual(got, ["#1", "#3"]);
  assert.ok(errors.some((e) => /can't convert/.test(String(e))));
  assert.equal(errors.filter((e) => /listener broke/.test(String(e))).length, 2);
});

Deno.test("reconnect() reopens at once with the new opener", async () => {
  const manager = new SubscriptionManager<string>({
    open: () => scripted(["old"], "hang"),
    retryDelayMs: 60_000,
  });
  const got: string[] = [];
  manager.subscribe({ onMessage: (m) => void got.push(m) });
  await until(() => got.length === 1);
  await manager.reconnect(() => scripted(["new"], "hang"));
  await until(() => got.length === 2);
  assert.deepEqual(got, ["old", "new"]);
  await manager.close();
  await manager.close();
});

Deno.test("invalid delays are refused", () => {
  for (const [retryDelayMs, maxRetryDelayMs] of [[-1, 10], [10, 5], [0, Infinity]] as const) {
    assert.throws(
      () => new SubscriptionManager({ open: () => scripted([]), retryDelayMs, maxRetryDelayMs }),
      (e) => errorIs(e, "invalidArgument"),
    );
  }
});

Deno.test("a grpc-js stream subscription survives the server restarting", async () => {
  const credentials = await createServerCredentials({ security: "insecure" });
  let server = await EchoServer.start(credentials, "first-");
  const port = server.port;
  const client = echoClient(port, await createChannelCredentials({ security: "insecure" }));
  const manager = new SubscriptionManager<Msg, string>({
    open: () => client.Watch({}),
    convert: (m) => m.text,
    retryDelayMs: 20,
    maxRetryDelayMs: 100,
  });
  try {
    const got: string[] = [];
    manager.subscribe({ onMessage: (m) => void got.push(m) });
    await until(() => got.length >= 3);
    assert.deepEqual(got.slice(0, 3), ["first-1", "first-2", "first-3"]);

    server.stop();
    server = await EchoServer.start(credentials, "second-", port);
    await until(() => got.some((m) => m.startsWith("second-")));
    const second = got.filter((m) => m.startsWith("second-"));
    assert.equal(second[0], "second-1", "the stream was opened again from the start");
  } finally {
    await manager.close();
    client.close();
    server.stop();
  }
});

Deno.test("closing a subscription cancels the call on the server and leaves no open handles", async () => {
  const before = activeHandles();
  {
    await using server = await EchoServer.start(
      await createServerCredentials({ security: "insecure" }),
    );
    const client = echoClient(
      server.port,
      await createChannelCredentials({ security: "insecure" }),
    );
    const manager = new SubscriptionManager<Msg>({ open: () => client.Watch({}) });
    const got: Msg[] = [];
    manager.subscribe({ onMessage: (m) => void got.push(m) });
    await until(() => got.length >= 2);
    await manager.close();
    await until(() => server.cancelled === 1);
    const count = got.length;
    await delay(50);
    assert.equal(got.length, count, "no message after close()");
    client.close();
  }
  // Deno's sanitizers check ops and resources per test; under Node look at the handles.
  if (before !== undefined) {
    await until(() => activeHandles()!.length <= before.length);
    assert.deepEqual(activeHandles(), before);
  }
});

/** Node's active sockets, servers and timers; `undefined` on Deno, whose sanitizers check. */
function activeHandles(): string[] | undefined {
  if (
    "Deno" in globalThis &&
    typeof (globalThis as { Deno?: { version?: unknown } }).Deno?.version === "object"
  ) {
    return undefined;
  }
  return process.getActiveResourcesInfo().filter((r) => /TCP|TLS|Timeout/.test(r)).sort();
}
