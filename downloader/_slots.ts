// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The concurrency cap: a counting semaphore whose waiters are served in FIFO
// order and can leave the queue when their signal aborts.

/** Hands out at most `limit` slots at once (0: no limit). */
export class Slots {
  readonly #limit: number;
  #used = 0;
  readonly #queue: { grant: () => void }[] = [];

  /**
   * Creates the semaphore.
   *
   * @param limit Slots available; 0 for no limit.
   */
  constructor(limit: number) {
    this.#limit = limit;
  }

  /**
   * Waits for a slot.
   *
   * @param signal Leaves the queue and rejects with its reason.
   * @returns Gives the slot back; call it exactly once.
   */
  acquire(signal: AbortSignal): Promise<() => void> {
    if (signal.aborted) return Promise.reject(signal.reason);
    if (this.#limit === 0 || this.#used < this.#limit) {
      this.#used++;
      return Promise.resolve(() => this.#release());
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        grant: () => {
          signal.removeEventListener("abort", onAbort);
          this.#used++;
          resolve(() => this.#release());
        },
      };
      const onAbort = () => {
        this.#queue.splice(this.#queue.indexOf(waiter), 1);
        reject(signal.reason);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      this.#queue.push(waiter);
    });
  }

  #release(): void {
    this.#used--;
    this.#queue.shift()?.grant();
  }
}
