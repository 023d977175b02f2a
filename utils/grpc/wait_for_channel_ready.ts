// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Waits until a client's channel is connected, as AosCore's
 * `WaitForChannelReady` does: the channel is asked to connect and watched
 * until it is ready, shut down, or the time is up.
 *
 * @module
 */

import type { Client } from "./types.ts";
import { canceledError } from "../abort.ts";
import { grpcJs } from "./_grpc_js.ts";

/** Options of {@linkcode waitForChannelReady}. */
export interface WaitForChannelReadyOptions {
  /** How long to wait, in ms. */
  timeoutMs: number;
  /** Stops waiting with a `canceled` error. */
  signal?: AbortSignal;
}

// The channel's state is looked at again at least this often (AosCore's step),
// so an abort is noticed soon.
const STEP_MS = 100;

/**
 * Connects a client's channel and waits until it is ready.
 *
 * @example
 * ```ts
 * import { createChannelCredentials, waitForChannelReady } from "@aoscore/common/utils/grpc";
 * import { Client } from "@grpc/grpc-js";
 * import assert from "node:assert/strict";
 *
 * // Nothing listens on port 9 of this machine.
 * const client = new Client("127.0.0.1:9", await createChannelCredentials({ security: "insecure" }));
 * assert.equal(await waitForChannelReady(client, { timeoutMs: 200 }), false);
 * client.close();
 * ```
 *
 * @param client The client.
 * @param options Timeout and abort signal.
 * @returns `true` when the channel is ready, `false` when it shut down or the time ran out.
 * @throws {AosError} `canceled` when the signal aborts.
 */
export async function waitForChannelReady(
  client: Client,
  options: WaitForChannelReadyOptions,
): Promise<boolean> {
  const { connectivityState } = await grpcJs();
  const { signal } = options;
  const channel = client.getChannel();
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    if (signal?.aborted) throw canceledError(signal);
    const state = channel.getConnectivityState(true);
    if (state === connectivityState.READY) return true;
    if (state === connectivityState.SHUTDOWN || Date.now() >= deadline) return false;
    await new Promise<void>((resolve) => {
      channel.watchConnectivityState(
        state,
        Math.min(deadline, Date.now() + STEP_MS),
        () => resolve(),
      );
    });
  }
}
