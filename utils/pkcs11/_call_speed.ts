// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Where C_SignInit, C_Sign, C_DecryptInit and C_Decrypt run. By default on a
// worker thread (a nonblocking FFI call), so a token that takes 100 ms per
// signature never stalls the event loop. But each hand-off costs from tens to
// hundreds of microseconds (waking a thread on an idle vCPU is slow in a VM),
// more than a SoftHSM ECDSA signature takes (about 0.1 ms). So each function,
// key and mechanism keeps a record: after `needed` off-thread calls in a row
// that all came back within the inline limit, the next ones run on the
// calling thread, as long as no other call of the module is in flight
// (parallel sessions keep their parallelism, and the main thread's share of
// the work stays small). An inline call that overruns the limit sends the
// record back to the worker thread and doubles `needed`, so a token that is
// only sometimes slow blocks the loop ever more rarely. A limit of 0 disables
// inline calls.

import type { LoadedModule } from "./_module.ts";

const FIRST_STREAK = 8;
const LONGEST_STREAK = 4096;

/** The record of one function, key and mechanism. */
export class CallSpeed {
  inline = false;
  streak = 0;
  needed = FIRST_STREAK;
}

/**
 * One call placed by the record `speed`: `inline` runs it on the calling
 * thread, `offThread` on a worker thread. Without a record it goes off thread.
 */
export async function placeCall<A extends unknown[]>(
  module: LoadedModule,
  speed: CallSpeed | undefined,
  offThread: (...args: A) => Promise<bigint>,
  inline: (...args: A) => bigint,
  ...args: A
): Promise<bigint> {
  const limit = module.inlineLimitMs;
  if (speed !== undefined && speed.inline && module.inFlight === 0) {
    const start = performance.now();
    const rv = inline(...args);
    if (performance.now() - start > limit) {
      speed.inline = false;
      speed.streak = 0;
      speed.needed = Math.min(speed.needed * 2, LONGEST_STREAK);
    }
    return rv;
  }
  module.inFlight++;
  const start = performance.now();
  let rv: bigint;
  try {
    rv = await offThread(...args);
  } finally {
    module.inFlight--;
  }
  if (speed !== undefined && limit > 0) {
    if (performance.now() - start <= limit) {
      if (++speed.streak >= speed.needed) speed.inline = true;
    } else {
      speed.streak = 0;
    }
  }
  return rv;
}
