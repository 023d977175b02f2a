// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The reservation handle given out by SpaceAllocator.allocateSpace.

import { AosError } from "../utils/errors.ts";
import type { Space } from "./types.ts";

/** What a handle needs from its allocator. */
export interface SpaceHost {
  /** Ends the reservation; `release` gives the bytes back. */
  finish(space: SpaceHandle, release: boolean): void;
  resize(space: SpaceHandle, newSize: number): Promise<void>;
}

/** The error of finishing a reservation that is not open. */
export function noAllocation(): AosError {
  return new AosError("notFound", "no allocation");
}

/** A reservation; see {@linkcode Space}. */
export class SpaceHandle implements Space {
  readonly #host: SpaceHost;
  #size: number;
  #charged: number;
  #open = true;

  constructor(host: SpaceHost, size: number, charged: number) {
    this.#host = host;
    this.#size = size;
    this.#charged = charged;
  }

  get size(): number {
    return this.#size;
  }

  /** Bytes deducted from the budgets (the size rounded up to blocks, if so accounted). */
  get charged(): number {
    return this.#charged;
  }

  get open(): boolean {
    return this.#open;
  }

  accept(): void {
    this.#host.finish(this, false);
  }

  release(): void {
    this.#host.finish(this, true);
  }

  resize(newSize: number): Promise<void> {
    return this.#host.resize(this, newSize);
  }

  [Symbol.dispose](): void {
    if (this.#open) this.release();
  }

  /** Marks the reservation finished; false when it already was. */
  close(): boolean {
    if (!this.#open) return false;
    this.#open = false;
    return true;
  }

  update(size: number, charged: number): void {
    this.#size = size;
    this.#charged = charged;
  }
}
