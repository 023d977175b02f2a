// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * A registry of deferred cleanups that run in reverse order.
 *
 * Deviation from AosCore: `run()` empties the registry (AosCore's list is
 * kept, so a second run repeats every cleanup) and runs every cleanup even
 * when some fail (AosCore stops at the first exception), then throws an
 * `AggregateError` of the failures.
 *
 * @module
 */

/** A cleanup step. */
export type Cleanup = () => void | Promise<void>;

/**
 * Collects cleanups while something is being set up, to undo it in reverse
 * (LIFO) order if a later step fails, or at shutdown.
 *
 * @example Undo a half-done setup
 * ```ts
 * import { CleanupManager } from "@aoscore/common/utils";
 * import assert from "node:assert/strict";
 *
 * const order: number[] = [];
 * const cleanup = new CleanupManager();
 * cleanup.add(() => void order.push(1));
 * cleanup.add(() => void order.push(2));
 * cleanup.add(() => void order.push(3));
 * await cleanup.run();
 * assert.deepEqual(order, [3, 2, 1]);
 * ```
 */
export class CleanupManager implements AsyncDisposable {
  #steps: Cleanup[] = [];

  /** How many cleanups are registered. */
  get size(): number {
    return this.#steps.length;
  }

  /**
   * Registers a cleanup; it runs before every cleanup registered earlier.
   *
   * @param cleanup The step.
   */
  add(cleanup: Cleanup): void {
    this.#steps.push(cleanup);
  }

  /**
   * Forgets every registered cleanup without running it (the setup
   * succeeded and its resources now belong to someone else).
   */
  clear(): void {
    this.#steps = [];
  }

  /**
   * Runs and removes every registered cleanup, last registered first, one at
   * a time. Cleanups added while it runs are kept for the next run.
   *
   * @throws {AggregateError} Of every failure, in the order they happened, once all cleanups ran.
   */
  async run(): Promise<void> {
    const steps = this.#steps;
    this.#steps = [];
    const errors: unknown[] = [];
    for (let i = steps.length - 1; i >= 0; i--) {
      try {
        await steps[i]!();
      } catch (err) {
        errors.push(err);
      }
    }
    if (errors.length > 0) {
      throw new AggregateError(errors, `${errors.length} of ${steps.length} cleanups failed`);
    }
  }

  /**
   * Runs the cleanups (see {@linkcode CleanupManager.run}).
   *
   * @returns A promise that settles when they have run.
   */
  [Symbol.asyncDispose](): Promise<void> {
    return this.run();
  }
}
