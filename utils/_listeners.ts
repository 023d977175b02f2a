// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The subscription rules every provider of the collection follows (AosCore's
// implementations): the same listener twice is `alreadyExist`, removing an
// unknown one is `notFound`, listeners are told in subscription order, and
// one that throws or rejects does not keep the others from being told.

import { AosError } from "./errors.ts";

/** An ordered set of listeners with AosCore's subscription rules. */
export class ListenerSet<L extends object> {
  readonly #listeners = new Set<L>();
  readonly #what: string;
  readonly #onError: (err: unknown) => void;

  /**
   * @param what What the listeners listen to, for errors ("node info").
   * @param onError Receives what a listener throws or rejects with.
   */
  constructor(what: string, onError: (err: unknown) => void) {
    this.#what = what;
    this.#onError = onError;
  }

  /** How many listeners are subscribed. */
  get size(): number {
    return this.#listeners.size;
  }

  /** Adds a listener; the handle's disposal removes it (if it still is subscribed). */
  add(listener: L): Disposable {
    if (this.#listeners.has(listener)) {
      throw new AosError("alreadyExist", `${this.#what} listener already subscribed`);
    }
    this.#listeners.add(listener);
    return { [Symbol.dispose]: () => void this.#listeners.delete(listener) };
  }

  /** Removes a listener. */
  delete(listener: L): void {
    if (!this.#listeners.delete(listener)) {
      throw new AosError("notFound", `${this.#what} listener not subscribed`);
    }
  }

  /** Whether `listener` is subscribed. */
  has(listener: L): boolean {
    return this.#listeners.has(listener);
  }

  /** Calls `notify` for each listener subscribed now, in order, without awaiting them. */
  notify(notify: (listener: L) => unknown): void {
    for (const listener of [...this.#listeners]) {
      try {
        const result = notify(listener);
        if (result instanceof Promise) result.catch(this.#onError);
      } catch (err) {
        this.#onError(err);
      }
    }
  }
}
