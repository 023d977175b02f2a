// Copyright 2026 the aos-common authors. Apache-2.0 license.
// A FIFO async mutex that lets code running on behalf of the holder (an item
// remover called during an eviction) enter again instead of deadlocking.

import { AsyncLocalStorage } from "node:async_hooks";

/** Identifies one holding of a {@linkcode Mutex}. */
export interface LockToken {
  /** False once the holder has released the mutex. */
  active: boolean;
}

let holders: AsyncLocalStorage<LockToken> | undefined;

function holderContext(): AsyncLocalStorage<LockToken> {
  return holders ??= new AsyncLocalStorage<LockToken>();
}

/**
 * Runs `fn` (a remover call) so that a {@linkcode Mutex.run} it makes on the
 * mutex held with `token` enters at once.
 */
export function runAsHolder<T>(token: LockToken, fn: () => Promise<T>): Promise<T> {
  return holderContext().run(token, fn);
}

/** Serialises async sections; waiters enter in arrival order. */
export class Mutex {
  #locked = false;
  #waiters: ((() => void) | undefined)[] = [];
  #head = 0;
  #holder: LockToken | undefined;

  /** Runs `fn` holding the mutex; `fn` gets the token to pass to {@linkcode runAsHolder}. */
  async run<T>(fn: (token: LockToken) => Promise<T>): Promise<T> {
    if (this.#locked) {
      // Only contended calls pay for the context lookup.
      const current = holders?.getStore();
      if (current !== undefined && current.active && current === this.#holder) {
        return await fn(current);
      }
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    } else {
      this.#locked = true;
    }
    const token: LockToken = { active: true };
    this.#holder = token;
    try {
      return await fn(token);
    } finally {
      token.active = false;
      this.#holder = undefined;
      this.#handOver();
    }
  }

  #handOver(): void {
    const next = this.#waiters[this.#head];
    if (next === undefined) {
      this.#locked = false;
      this.#waiters.length = 0;
      this.#head = 0;
      return;
    }
    this.#waiters[this.#head++] = undefined;
    if (this.#head > 1024 && this.#head * 2 > this.#waiters.length) {
      this.#waiters = this.#waiters.slice(this.#head);
      this.#head = 0;
    }
    // The mutex stays locked: ownership passes straight to the next waiter.
    next();
  }
}
