// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * A pool of numeric identifiers (UIDs, GIDs, ports) handed out lowest first.
 *
 * Deviation from AosCore: the validator is optional (every id in range is
 * then usable); AosCore fails `acquire` without one.
 *
 * @module
 */

import { AosError } from "./errors.ts";

/** Options of the {@linkcode IdentifierPool} constructor. */
export interface IdentifierPoolOptions {
  /** The first id of the range. */
  start: number;
  /** One past the last id of the range. */
  end: number;
  /** How many ids may be locked at once. */
  maxLocked: number;
  /**
   * Whether a free id may be handed out by {@linkcode IdentifierPool.acquire}
   * (for example: no OS user has it). Not consulted by `tryAcquire`.
   * @default {every id is usable}
   */
  validator?: (id: number) => boolean;
}

/**
 * Hands out the lowest free, valid id of a range and takes ids back.
 *
 * @example
 * ```ts
 * import { IdentifierPool } from "@aoscore/common/utils";
 * import assert from "node:assert/strict";
 *
 * const pool = new IdentifierPool({ start: 5000, end: 6000, maxLocked: 100 });
 * assert.equal(pool.acquire(), 5000);
 * pool.tryAcquire(5001);
 * assert.equal(pool.acquire(), 5002);
 * pool.release(5001);
 * assert.equal(pool.acquire(), 5001);
 * ```
 */
export class IdentifierPool {
  readonly #start: number;
  readonly #end: number;
  readonly #maxLocked: number;
  readonly #validator: (id: number) => boolean;
  readonly #locked = new Set<number>();

  /**
   * Creates a pool with no id locked.
   *
   * @param options The range, the capacity and the validator.
   * @throws {AosError} `invalidArgument` for a range or capacity that is not made of safe integers.
   */
  constructor(options: IdentifierPoolOptions) {
    const { start, end, maxLocked, validator = () => true } = options;
    if (![start, end, maxLocked].every(Number.isSafeInteger) || end < start || maxLocked < 0) {
      throw new AosError(
        "invalidArgument",
        `Cannot create identifier pool: invalid range [${start}, ${end}) or capacity ${maxLocked}`,
      );
    }
    this.#start = start;
    this.#end = end;
    this.#maxLocked = maxLocked;
    this.#validator = validator;
  }

  /** How many ids are locked. */
  get size(): number {
    return this.#locked.size;
  }

  /**
   * Locks and returns the lowest id that is free and valid.
   *
   * @returns The id.
   * @throws {AosError} `noMemory` when `maxLocked` ids are locked; `notFound` when no id is left.
   */
  acquire(): number {
    this.#checkCapacity();
    for (let id = this.#start; id < this.#end; id++) {
      if (!this.#locked.has(id) && this.#validator(id)) {
        this.#locked.add(id);
        return id;
      }
    }
    throw new AosError(
      "notFound",
      `Cannot acquire id: none free in [${this.#start}, ${this.#end})`,
    );
  }

  /**
   * Locks a given id, without asking the validator.
   *
   * @param id The id.
   * @throws {AosError} `outOfRange` outside the range; `failed` when already locked; `noMemory` when full.
   */
  tryAcquire(id: number): void {
    if (!Number.isSafeInteger(id) || id < this.#start || id >= this.#end) {
      throw new AosError(
        "outOfRange",
        `Cannot acquire id ${id}: outside [${this.#start}, ${this.#end})`,
      );
    }
    if (this.#locked.has(id)) {
      throw new AosError("failed", `Cannot acquire id ${id}: already locked`);
    }
    this.#checkCapacity();
    this.#locked.add(id);
  }

  /**
   * Unlocks an id.
   *
   * @param id The id.
   * @throws {AosError} `notFound` when it is not locked.
   */
  release(id: number): void {
    if (!this.#locked.delete(id)) {
      throw new AosError("notFound", `Cannot release id ${id}: not locked`);
    }
  }

  /** Unlocks every id. */
  clear(): void {
    this.#locked.clear();
  }

  #checkCapacity(): void {
    if (this.#locked.size >= this.#maxLocked) {
      throw new AosError("noMemory", `Cannot acquire id: ${this.#maxLocked} ids already locked`);
    }
  }
}
