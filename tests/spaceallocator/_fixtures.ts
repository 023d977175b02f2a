// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Shared pieces of the space allocator tests.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AosError, type ErrorKind } from "../../utils/errors.ts";
import {
  type ItemRemover,
  type PartitionRegistry,
  SpaceAllocator,
  type SpaceAllocatorOptions,
} from "../../spaceallocator/mod.ts";
import type { FakeFSPlatform } from "../_helpers/fake_fs_platform.ts";

/** Creates an allocator on a fake platform and a given registry. */
export function create(
  fs: FakeFSPlatform,
  registry: PartitionRegistry,
  path: string,
  options: Partial<SpaceAllocatorOptions> = {},
): Promise<SpaceAllocator> {
  return SpaceAllocator.create({ path, platformFS: fs, registry, ...options });
}

/** Runs `fn` with a fresh temp directory that is removed afterwards. */
export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "spacealloc-"));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Asserts that `err` is an AosError of `kind` whose message starts with `message`. */
export function assertAosError(err: unknown, kind: ErrorKind, message?: string): true {
  assert.ok(err instanceof AosError, `expected an AosError, got ${String(err)}`);
  assert.equal(err.kind, kind, err.message);
  if (message !== undefined) {
    assert.ok(err.message.startsWith(message), `"${err.message}" should start with "${message}"`);
  }
  return true;
}

/** Asserts that `promise` rejects with an AosError of `kind`. */
export async function rejectsWith(
  promise: Promise<unknown>,
  kind: ErrorKind,
  message?: string,
): Promise<void> {
  await assert.rejects(promise, (err) => assertAosError(err, kind, message));
}

/** Asserts that `fn` throws an AosError of `kind`. */
export function throwsWith(fn: () => unknown, kind: ErrorKind, message?: string): void {
  assert.throws(fn, (err) => assertAosError(err, kind, message));
}

/**
 * A remover that records its calls and returns each item's size from
 * `sizes` (0 when unknown); `failOn` ids reject; `during` runs inside.
 */
export class RecordingRemover implements ItemRemover {
  readonly sizes = new Map<string, number>();
  readonly calls: [string, string][] = [];
  readonly failOn = new Set<string>();
  during: ((id: string, version: string) => void | Promise<void>) | undefined;

  constructor(sizes: Record<string, number> = {}) {
    for (const [id, size] of Object.entries(sizes)) this.sizes.set(id, size);
  }

  get removed(): string[] {
    return this.calls.map(([id]) => id);
  }

  async removeItem(id: string, version: string): Promise<number> {
    this.calls.push([id, version]);
    await this.during?.(id, version);
    if (this.failOn.has(id)) throw new Error(`cannot remove ${id}`);
    return this.sizes.get(id) ?? 0;
  }
}

/** A date `hours` hours before a fixed instant. */
export function hoursAgo(hours: number): Date {
  return new Date(Date.UTC(2026, 0, 1) - hours * 3_600_000);
}
