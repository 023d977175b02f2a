// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Where C_Sign and C_Decrypt run. By default on a worker thread (a nonblocking
// FFI call), so a token that takes 100 ms per signature never stalls the
// event loop. But the hand-off costs a few tens of microseconds, a good part
// of a SoftHSM ECDSA signature (about 0.1 ms). So each key and mechanism
// keeps a record: after `needed` nonblocking calls in a row that all came back
// within the inline limit, the next ones run on the calling thread, as long as
// no other call of the module is in flight (parallel sessions keep their
// parallelism). An inline call that overruns the limit sends the key back to
// the worker thread and doubles `needed`, so a token that is only sometimes
// slow blocks the loop ever more rarely. A limit of 0 disables inline calls.

import type { LoadedModule } from "./_module.ts";

const FIRST_STREAK = 8;
const LONGEST_STREAK = 4096;

/** The record of one key and mechanism. */
export class CallSpeed {
  inline = false;
  streak = 0;
  needed = FIRST_STREAK;
}

/** A single-part function (C_Sign, C_Decrypt) returning R. */
export type OutputCall<R> = (
  session: bigint,
  input: Uint8Array,
  inputLength: bigint,
  output: Uint8Array | null,
  outputLength: Uint8Array,
) => R;

/** One call of a single-part function, placed by the record `speed`. */
export async function placeCall(
  module: LoadedModule,
  speed: CallSpeed | undefined,
  blocking: OutputCall<Promise<bigint>>,
  inline: OutputCall<bigint>,
  ...args: Parameters<OutputCall<bigint>>
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
    rv = await blocking(...args);
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
