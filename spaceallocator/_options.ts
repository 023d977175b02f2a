// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Validation of the allocator's arguments.

import { AosError } from "../utils/errors.ts";
import type { Accounting, SpaceAllocatorOptions, SpaceAmount } from "./types.ts";

function invalid(action: string, what: string, value: unknown): AosError {
  const shown = typeof value === "string" ? JSON.stringify(value) : String(value);
  return new AosError("invalidArgument", `Cannot ${action}: ${what}, got ${shown}`);
}

/** Checks a byte count given by a caller. */
export function checkSize(size: unknown, action: string, name = "size"): asserts size is number {
  if (typeof size !== "number" || !Number.isSafeInteger(size) || size < 0) {
    throw invalid(action, `${name} must be a non-negative integer`, size);
  }
}

/** Checks the options of `SpaceAllocator.create` that need no file system. */
export function checkOptions(options: SpaceAllocatorOptions): void {
  const action = "create space allocator";
  if (typeof options?.path !== "string" || options.path === "") {
    throw invalid(action, "path must be a non-empty string", options?.path);
  }
  const limit = options.limitPercent ?? 0;
  if (!Number.isInteger(limit) || limit < 0 || limit > 100) {
    throw invalid(action, "limitPercent must be an integer from 0 to 100", limit);
  }
  if (options.remover !== undefined && typeof options.remover?.removeItem !== "function") {
    throw invalid(action, "remover must have a removeItem method", options.remover);
  }
  const accounting: Accounting = options.accounting ?? "apparent";
  if (accounting !== "apparent" && accounting !== "blocks") {
    throw invalid(action, `accounting must be "apparent" or "blocks"`, accounting);
  }
  checkAmount(options.safetyMargin, action, "safetyMargin");
  checkAmount(options.lowSpaceThreshold, action, "lowSpaceThreshold");
}

function checkAmount(amount: SpaceAmount | undefined, action: string, name: string): void {
  if (amount === undefined) return;
  if (typeof amount === "number") return checkSize(amount, action, name);
  const percent = (amount as { percent?: unknown })?.percent;
  if (typeof percent !== "number" || !(percent >= 0 && percent <= 100)) {
    throw invalid(action, `${name}.percent must be a number from 0 to 100`, percent);
  }
}

/** Bytes of an amount on a partition of `total` bytes. */
export function resolveAmount(amount: SpaceAmount | undefined, total: number): number {
  if (amount === undefined) return 0;
  if (typeof amount === "number") return amount;
  return Math.floor(total * amount.percent / 100);
}

/** Checks the arguments of `addOutdatedItem`; returns the timestamp in ms. */
export function checkItem(
  id: unknown,
  version: unknown,
  timestamp: unknown,
  expectedSize: unknown,
): number {
  const action = "add outdated item";
  if (typeof id !== "string" || id === "") {
    throw invalid(action, "id must be a non-empty string", id);
  }
  if (typeof version !== "string") throw invalid(action, "version must be a string", version);
  const time = timestamp instanceof Date ? timestamp.getTime() : NaN;
  if (Number.isNaN(time)) throw invalid(action, "timestamp must be a valid Date", timestamp);
  if (expectedSize !== undefined) checkSize(expectedSize, action, "expectedSize");
  return time;
}
