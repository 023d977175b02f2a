// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Resident memory through a soak run, and whether it grew after warm-up.
 *
 * Samples are taken once a second after a full garbage collection when the
 * runner has `--expose-gc`, so what is left is what the process really holds.
 * The first quarter of the run is warm-up (caches, pools and JIT fill up);
 * after it the median of the first and of the last fifth of the samples are
 * compared, which a single spike cannot move.
 *
 * @module
 */

/** The verdict on a series of RSS samples. */
export interface MemoryVerdict {
  /** Median RSS, bytes, just after warm-up. */
  startBytes: number;
  /** Median RSS, bytes, at the end of the run. */
  endBytes: number;
  /** Highest sample, bytes. */
  peakBytes: number;
  /** `(end - start) / start`, as a fraction. */
  growth: number;
  /** True when the growth is within the allowance. */
  flat: boolean;
}

/**
 * Growth allowed after warm-up: 10 % and at least 16 MiB, since a run of a
 * few hundred samples of a process near 150 MiB moves by a few MiB from
 * allocator noise alone.
 */
const ALLOWED_FRACTION = 0.10;
const ALLOWED_BYTES = 16 << 20;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Judges RSS samples taken at a steady pace through a run.
 *
 * @param samples RSS in bytes, oldest first; at least 10.
 */
export function judgeMemory(samples: readonly number[]): MemoryVerdict {
  if (samples.length < 10) throw new RangeError(`${samples.length} RSS samples are too few`);
  const steady = samples.slice(Math.floor(samples.length / 4));
  const window = Math.max(2, Math.floor(steady.length / 5));
  const startBytes = median(steady.slice(0, window));
  const endBytes = median(steady.slice(-window));
  const growth = (endBytes - startBytes) / startBytes;
  const flat = endBytes - startBytes <= Math.max(ALLOWED_BYTES, startBytes * ALLOWED_FRACTION);
  return { startBytes, endBytes, peakBytes: Math.max(...samples), growth, flat };
}

/** Samples this process's RSS every `periodMs` until stopped. */
export class RssSampler {
  readonly samples: number[] = [];
  /** V8 heap in use at each sample, to tell a JavaScript leak from native growth. */
  readonly heap: number[] = [];
  #timer: ReturnType<typeof setInterval>;

  constructor(periodMs = 1000) {
    this.#timer = setInterval(() => this.sample(), periodMs);
  }

  /** Takes one sample now (after a full GC when `gc` is exposed). */
  sample(): void {
    (globalThis as { gc?: () => void }).gc?.();
    const usage = Deno.memoryUsage();
    this.samples.push(usage.rss);
    this.heap.push(usage.heapUsed);
  }

  /** Stops sampling. */
  stop(): void {
    clearInterval(this.#timer);
  }
}
