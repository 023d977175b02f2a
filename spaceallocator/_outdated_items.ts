// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The outdated items of one partition, ordered oldest first, per partition and
// per owner. Lookups by id are O(1); finding the next eviction candidate is a
// binary search, never a scan of all items.

/** An outdated item. `O` is the owning allocator's internal handle. */
export interface OutdatedItem<O> {
  readonly id: string;
  readonly version: string;
  /** Milliseconds since the epoch. */
  readonly time: number;
  /** Insertion order: breaks timestamp ties and marks items added during an eviction. */
  readonly seq: number;
  readonly owner: O;
  readonly expectedSize: number | undefined;
  /** Set while its remover runs, so that no nested eviction picks it again. */
  removing: boolean;
}

/** Sum of expected sizes, and how many items have none. */
export interface Hints {
  known: number;
  unknown: number;
}

class Ordered<O> {
  readonly items: OutdatedItem<O>[] = [];
  readonly hints: Hints = { known: 0, unknown: 0 };

  insert(item: OutdatedItem<O>): void {
    const at = upperBound(this.items, item.time, item.seq);
    if (at === this.items.length) this.items.push(item);
    else this.items.splice(at, 0, item);
    count(this.hints, item, 1);
  }

  remove(item: OutdatedItem<O>): void {
    const at = upperBound(this.items, item.time, item.seq) - 1;
    if (this.items[at] !== item) return;
    if (at === 0) this.items.shift();
    else this.items.splice(at, 1);
    count(this.hints, item, -1);
  }
}

function count<O>(hints: Hints, item: OutdatedItem<O>, sign: 1 | -1): void {
  if (item.expectedSize === undefined) hints.unknown += sign;
  else hints.known += sign * item.expectedSize;
}

/** First index whose item sorts after (time, seq). */
function upperBound<O>(items: OutdatedItem<O>[], time: number, seq: number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const item = items[mid]!;
    if (item.time < time || (item.time === time && item.seq <= seq)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The outdated items of a partition. */
export class OutdatedItems<O> {
  readonly #byId = new Map<string, OutdatedItem<O>>();
  readonly #all = new Ordered<O>();
  readonly #byOwner = new Map<O, Ordered<O>>();
  #seq = 0;

  get size(): number {
    return this.#byId.size;
  }

  /** The sequence number the next added item gets. */
  get nextSeq(): number {
    return this.#seq;
  }

  get(id: string): OutdatedItem<O> | undefined {
    return this.#byId.get(id);
  }

  /** Adds an item; an item with the same id must have been deleted first. */
  add(
    id: string,
    version: string,
    time: number,
    owner: O,
    expectedSize: number | undefined,
  ): OutdatedItem<O> {
    const item: OutdatedItem<O> = {
      id,
      version,
      time,
      seq: this.#seq++,
      owner,
      expectedSize,
      removing: false,
    };
    this.#byId.set(id, item);
    this.#all.insert(item);
    let own = this.#byOwner.get(owner);
    if (own === undefined) this.#byOwner.set(owner, own = new Ordered());
    own.insert(item);
    return item;
  }

  /** Deletes this very item if it is still listed; an item with its id added since stays. */
  delete(item: OutdatedItem<O>): boolean {
    if (this.#byId.get(item.id) !== item) return false;
    this.#byId.delete(item.id);
    this.#all.remove(item);
    const own = this.#byOwner.get(item.owner)!;
    own.remove(item);
    if (own.items.length === 0) this.#byOwner.delete(item.owner);
    return true;
  }

  /** Deletes every item of `owner`. */
  deleteOwner(owner: O): void {
    for (const item of [...this.#byOwner.get(owner)?.items ?? []]) this.delete(item);
  }

  hasOwner(owner: O): boolean {
    return this.#byOwner.has(owner);
  }

  /** Expected sizes of all items, or of one owner's. */
  hints(owner?: O): Hints {
    if (owner === undefined) return { ...this.#all.hints };
    return { ...this.#byOwner.get(owner)?.hints ?? { known: 0, unknown: 0 } };
  }

  /**
   * The oldest item that sorts after `after`, was added before `beforeSeq`
   * and is not being removed; of `owner` only when given. An eviction walks
   * the items with it, so items restored meanwhile are skipped and items
   * added meanwhile wait for the next eviction.
   */
  next(
    after: OutdatedItem<O> | undefined,
    beforeSeq: number,
    owner?: O,
  ): OutdatedItem<O> | undefined {
    const list = owner === undefined ? this.#all.items : this.#byOwner.get(owner)?.items;
    if (list === undefined) return undefined;
    let at = after === undefined ? 0 : upperBound(list, after.time, after.seq);
    while (at < list.length && (list[at]!.seq >= beforeSeq || list[at]!.removing)) at++;
    return list[at];
  }

  /** All items, oldest first. */
  list(): readonly OutdatedItem<O>[] {
    return this.#all.items;
  }
}
