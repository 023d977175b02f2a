// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Shared by the watcher tests: a subscriber that records what it is told and
// lets a test wait (with a generous guard against hangs) for a condition.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FSEvent } from "../../utils/fs_watcher.ts";

export interface Recorder {
  (path: string, events: FSEvent[]): void;
  calls: [string, FSEvent[]][];
  events(): FSEvent[];
  waitFor(check: (calls: [string, FSEvent[]][]) => boolean, what: string): Promise<void>;
}

export function recorder(): Recorder {
  const waiters: (() => void)[] = [];
  const fn = ((path: string, events: FSEvent[]) => {
    fn.calls.push([path, events]);
    for (const wake of waiters.splice(0)) wake();
  }) as Recorder;
  fn.calls = [];
  fn.events = () => fn.calls.flatMap(([, events]) => events);
  fn.waitFor = async (check, what) => {
    const deadline = Date.now() + 10_000;
    while (!check(fn.calls)) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(fn.calls)}`);
      }
      let timer: ReturnType<typeof setTimeout> | undefined;
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        timer = setTimeout(resolve, Math.min(remaining, 200));
      });
      clearTimeout(timer);
    }
  };
  return fn;
}

export async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "watch_test"));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
