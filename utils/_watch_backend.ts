// Copyright 2026 the aos-common authors. Apache-2.0 license.
// What FSWatcher needs from a platform: watches per path and a stream of
// events for them. Two implementations: `_inotify.ts` (Deno FFI, every
// event) and `_node_watch.ts` (node:fs.watch, modify/create/delete only).

/** A file-system event a watcher reports. */
export type FSEvent = "access" | "modify" | "close" | "create" | "delete";

/** Every event, in the order they are reported within one notification. */
export const FS_EVENTS: readonly FSEvent[] = ["access", "modify", "close", "create", "delete"];

/** Receives the events of one watched path. */
export type RecordSink = (path: string, events: FSEvent[]) => void;

/** One platform watch mechanism, started and stopped by its FSWatcher. */
export interface WatchBackend {
  /** Starts delivering; `add`/`remove` only work between `start` and `stop`. */
  start(sink: RecordSink, onError: (err: unknown) => void): void;
  /** Watches a path. Throws a `failed` AosError with the errno when it cannot. */
  add(path: string): void;
  /** Stops watching a path. */
  remove(path: string): void;
  /** Stops delivering and releases every watch. */
  stop(): Promise<void>;
}
