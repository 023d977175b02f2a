// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The txns of the last frames received, to deliver a frame the peer sends
// again (its ack was lost) only once. A Set keeps insertion order, so the
// oldest txn is the first one.

/** A bounded set of recently seen txns. */
export class RecentTxns {
  readonly #seen = new Set<string>();
  readonly #limit: number;

  constructor(limit: number) {
    this.#limit = limit;
  }

  /**
   * Records a txn.
   *
   * @returns `false` when it was seen already.
   */
  add(txn: string): boolean {
    if (this.#seen.has(txn)) return false;
    this.#seen.add(txn);
    if (this.#seen.size > this.#limit) {
      this.#seen.delete(this.#seen.values().next().value!);
    }
    return true;
  }
}
