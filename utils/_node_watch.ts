// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The portable watch backend, on node:fs.watch. It sees changes ("modify")
// and names appearing or disappearing ("create", "delete"); it cannot see
// reads or closes, so FSWatcher refuses "access" and "close" with it.

import { existsSync, type FSWatcher as NodeWatcher, statSync, watch } from "node:fs";
import { join } from "node:path";
import { AosError } from "./errors.ts";
import type { FSEvent, RecordSink, WatchBackend } from "./_watch_backend.ts";

/** The events node:fs.watch can report. */
export const NODE_EVENTS: readonly FSEvent[] = ["modify", "create", "delete"];

/** The node:fs.watch backend; one instance per running watcher. */
export class NodeWatchBackend implements WatchBackend {
  readonly #events: ReadonlySet<FSEvent>;
  readonly #watchers = new Map<string, NodeWatcher>();
  #sink: RecordSink | undefined;
  #onError: (err: unknown) => void = () => {};

  constructor(events: readonly FSEvent[]) {
    this.#events = new Set(events);
  }

  start(sink: RecordSink, onError: (err: unknown) => void): void {
    this.#sink = sink;
    this.#onError = onError;
  }

  add(path: string): void {
    let watcher: NodeWatcher;
    try {
      const isDir = statSync(path).isDirectory();
      watcher = watch(path, { persistent: true }, (type, name) => {
        // For a directory the name is the child's; for a file, its own base name.
        this.#record(path, type, isDir && name ? join(path, name) : path);
      });
    } catch (err) {
      throw AosError.wrap(err, "failed", `can't watch "${path}"`);
    }
    watcher.on("error", (err) => {
      this.remove(path);
      this.#onError(AosError.wrap(err, "failed", `watch of "${path}" failed`));
    });
    this.#watchers.set(path, watcher);
  }

  remove(path: string): void {
    this.#watchers.get(path)?.close();
    this.#watchers.delete(path);
  }

  stop(): Promise<void> {
    for (const watcher of this.#watchers.values()) watcher.close();
    this.#watchers.clear();
    this.#sink = undefined;
    return Promise.resolve();
  }

  #record(path: string, type: string, target: string): void {
    // "rename" means a name came or went: only the file system can tell which.
    const event: FSEvent = type !== "rename" ? "modify" : existsSync(target) ? "create" : "delete";
    if (this.#events.has(event)) this.#sink?.(path, [event]);
  }
}
