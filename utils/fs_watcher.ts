// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * File-system watchers: subscribers of a path are told which events
 * happened to it (for a directory, to its entries).
 *
 * Two backends, picked when the watcher is created:
 * - `inotify` (Deno on Linux with `--allow-ffi`): the kernel's inotify
 *   through FFI, with every event: `access`, `modify`, `close`, `create`,
 *   `delete`.
 * - `node` (Node, or Deno without FFI): `node:fs.watch`, which sees only
 *   `modify`, `create` and `delete`. A watcher asked for `access` or `close`
 *   on it throws `notSupported`.
 *
 * Deviations from AosCore: subscriptions survive `stop()`, and `start()`
 * re-arms a watch for every subscribed path (AosCore kept stale watch
 * descriptors, so a restarted watcher silently received nothing);
 * `subscribe()` works before `start()`; a throwing subscriber does not stop
 * the others.
 *
 * @module
 */

import { AosError } from "./errors.ts";
import { FS_EVENTS, type FSEvent, type WatchBackend } from "./_watch_backend.ts";
import { inotifyAvailable, InotifyBackend } from "./_inotify.ts";
import { NODE_EVENTS, NodeWatchBackend } from "./_node_watch.ts";

export type { FSEvent };

/** An object told about the events of the paths it subscribed to. */
export interface FSEventSubscriber {
  /**
   * Called with the watched path (not the name of the entry that changed)
   * and the events, in the order access, modify, close, create, delete.
   *
   * @param path The path as given to {@linkcode FSWatcher.subscribe}.
   * @param events What happened.
   */
  onFSEvent(path: string, events: FSEvent[]): void;
}

/** A subscriber object or function. */
export type FSEventListener = FSEventSubscriber | ((path: string, events: FSEvent[]) => void);

/** The watch mechanisms; see the module doc. */
export type FSWatcherBackend = "inotify" | "node";

/** Options of the {@linkcode FSWatcher} constructor. */
export interface FSWatcherOptions {
  /** The events to report; unknown names are ignored. */
  events: readonly FSEvent[];
  /**
   * Longest wait of the inotify poll loop, in milliseconds (stop wakes it at once).
   *
   * @default {1000}
   */
  pollTimeoutMs?: number;
  /** The mechanism; `inotify` when Deno FFI is usable, else `node`. */
  backend?: FSWatcherBackend;
  /**
   * Receives what subscribers throw and failures of the watch itself.
   * Without it such errors are rethrown asynchronously (as an unhandled error).
   */
  onError?: (err: unknown) => void;
}

/**
 * Tells subscribers about file-system events of the paths they subscribed to.
 *
 * @example
 * ```ts
 * import { FSWatcher, mkTmpDir } from "@aoscore/common/utils";
 * import { rm, writeFile } from "node:fs/promises";
 * import assert from "node:assert/strict";
 *
 * const dir = await mkTmpDir();
 * await using watcher = new FSWatcher({ events: ["create"] });
 * const { promise, resolve } = Promise.withResolvers<string>();
 * watcher.subscribe(dir, (path) => resolve(path));
 * await watcher.start();
 * await writeFile(`${dir}/new`, "x");
 * assert.equal(await promise, dir);
 * await watcher.stop();
 * await rm(dir, { recursive: true });
 * ```
 */
export class FSWatcher implements AsyncDisposable {
  /** The mechanism in use. */
  readonly backend: FSWatcherBackend;
  readonly #events: readonly FSEvent[];
  readonly #pollTimeoutMs: number;
  readonly #onError: (err: unknown) => void;
  readonly #subscriptions = new Map<string, FSEventListener[]>();
  #active: WatchBackend | undefined;

  /**
   * Creates a stopped watcher.
   *
   * @param options The events, backend, poll timeout and error handler.
   * @throws {AosError} `invalidArgument` without a valid event; `notSupported` for events or a
   *   backend the platform lacks.
   */
  constructor(options: FSWatcherOptions) {
    this.#events = FS_EVENTS.filter((e) => options.events.includes(e));
    if (this.#events.length === 0) {
      throw new AosError("invalidArgument", "no valid fs event specified");
    }
    this.backend = options.backend ?? (inotifyAvailable() ? "inotify" : "node");
    if (this.backend === "inotify" && !inotifyAvailable()) {
      throw new AosError("notSupported", "inotify needs Deno on Linux with --allow-ffi");
    }
    const missing = this.backend === "node"
      ? this.#events.filter((e) => !NODE_EVENTS.includes(e))
      : [];
    if (missing.length > 0) {
      throw new AosError(
        "notSupported",
        `Cannot watch for ${missing.join(", ")}: node:fs.watch reports only modify, create, delete`,
      );
    }
    this.#pollTimeoutMs = options.pollTimeoutMs ?? 1000;
    this.#onError = options.onError ?? ((err) =>
      queueMicrotask(() => {
        throw err;
      }));
  }

  /** Whether the watcher is started. */
  get running(): boolean {
    return this.#active !== undefined;
  }

  /**
   * Starts watching every subscribed path.
   *
   * @throws {AosError} `wrongState` when running; `failed` (with the errno) when a subscribed path
   *   cannot be watched, the watcher then stays stopped.
   */
  async start(): Promise<void> {
    if (this.#active !== undefined) throw new AosError("wrongState", "fs watcher already started");
    const backend: WatchBackend = this.backend === "inotify"
      ? new InotifyBackend(this.#events, this.#pollTimeoutMs)
      : new NodeWatchBackend(this.#events);
    backend.start((path, events) => this.#record(path, events), this.#onError);
    try {
      for (const path of this.#subscriptions.keys()) backend.add(path);
    } catch (err) {
      await backend.stop();
      throw err;
    }
    this.#active = backend;
  }

  /**
   * Stops watching; the subscriptions are kept for the next start.
   *
   * @throws {AosError} `wrongState` when not running.
   */
  async stop(): Promise<void> {
    const backend = this.#active;
    if (backend === undefined) throw new AosError("wrongState", "fs watcher not started");
    this.#active = undefined;
    this.stopped();
    await backend.stop();
  }

  /**
   * Subscribes to the events of a path; when running, the watch starts now.
   *
   * @param path A file or directory.
   * @param listener The subscriber.
   * @returns A handle whose disposal unsubscribes (as {@linkcode FSWatcher.unsubscribe}, but
   *   quietly when already unsubscribed).
   * @throws {AosError} `alreadyExist` when this subscriber already watches the path; `failed`
   *   (with the errno) when the path cannot be watched.
   */
  subscribe(path: string, listener: FSEventListener): Disposable {
    const listeners = this.#subscriptions.get(path);
    if (listeners?.includes(listener)) {
      throw new AosError("alreadyExist", `subscriber already watches "${path}"`);
    }
    if (listeners !== undefined) {
      listeners.push(listener);
    } else {
      this.#active?.add(path);
      this.#subscriptions.set(path, [listener]);
    }
    return {
      [Symbol.dispose]: () => {
        if (this.#subscriptions.get(path)?.includes(listener)) this.unsubscribe(path, listener);
      },
    };
  }

  /**
   * Unsubscribes from a path; the last subscriber's leaving ends the watch.
   *
   * @param path The path as subscribed.
   * @param listener The subscriber.
   * @throws {AosError} `notFound` when the subscriber does not watch the path.
   */
  unsubscribe(path: string, listener: FSEventListener): void {
    const listeners = this.#subscriptions.get(path);
    const index = listeners?.indexOf(listener) ?? -1;
    if (listeners === undefined || index < 0) {
      throw new AosError("notFound", `subscriber does not watch "${path}"`);
    }
    listeners.splice(index, 1);
    this.unsubscribed(path, listener);
    if (listeners.length === 0) {
      this.#subscriptions.delete(path);
      this.#active?.remove(path);
    }
  }

  /**
   * Stops the watcher if it runs and drops every subscription.
   *
   * @returns A promise that settles when the watch has ended.
   */
  async close(): Promise<void> {
    if (this.#active !== undefined) await this.stop();
    this.#subscriptions.clear();
  }

  /**
   * Closes the watcher (see {@linkcode FSWatcher.close}).
   *
   * @returns A promise that settles when the watch has ended.
   */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /**
   * Hands events to subscribers; {@linkcode FSBufferedWatcher} overrides it.
   *
   * @param path The watched path.
   * @param events The events.
   * @param listeners The path's subscribers at the time of the events.
   */
  protected deliver(path: string, events: FSEvent[], listeners: readonly FSEventListener[]): void {
    for (const listener of listeners) {
      try {
        const result: unknown = typeof listener === "function"
          ? listener(path, events)
          : listener.onFSEvent(path, events);
        // An async subscriber is not awaited, but its failure is reported.
        if (result instanceof Promise) result.catch(this.#onError);
      } catch (err) {
        this.#onError(err);
      }
    }
  }

  /**
   * Hook for subclasses: a subscriber left a path.
   *
   * @param _path The path.
   * @param _listener The subscriber.
   */
  protected unsubscribed(_path: string, _listener: FSEventListener): void {}

  /** Hook for subclasses: the watcher stopped. */
  protected stopped(): void {}

  #record(path: string, events: FSEvent[]): void {
    const listeners = this.#subscriptions.get(path);
    if (listeners !== undefined && listeners.length > 0) this.deliver(path, events, [...listeners]);
  }
}

/** Options of the {@linkcode FSBufferedWatcher} constructor. */
export interface FSBufferedWatcherOptions extends FSWatcherOptions {
  /** Quiet time after a path's last event before its subscribers are told, in milliseconds. */
  notifyTimeoutMs: number;
}

interface Pending {
  events: FSEvent[];
  listeners: readonly FSEventListener[];
  timer: ReturnType<typeof setTimeout>;
}

/**
 * A watcher that gathers the events of a path until it has been quiet for
 * `notifyTimeoutMs` (a trailing debounce), then tells its subscribers once
 * with every event in arrival order, duplicates kept. Events still pending
 * at `stop()` are dropped.
 *
 * @example
 * ```ts
 * import { type FSEvent, FSBufferedWatcher, mkTmpDir } from "@aoscore/common/utils";
 * import { rm, writeFile } from "node:fs/promises";
 * import assert from "node:assert/strict";
 *
 * const dir = await mkTmpDir();
 * await using watcher = new FSBufferedWatcher({ events: ["create"], notifyTimeoutMs: 500 });
 * const { promise, resolve } = Promise.withResolvers<FSEvent[]>();
 * watcher.subscribe(dir, (_path, events) => resolve(events));
 * await watcher.start();
 * // Two files created together: one notification with both events.
 * await Promise.all([writeFile(`${dir}/a`, "x"), writeFile(`${dir}/b`, "y")]);
 * assert.deepEqual(await promise, ["create", "create"]);
 * await watcher.stop();
 * await rm(dir, { recursive: true });
 * ```
 */
export class FSBufferedWatcher extends FSWatcher {
  readonly #notifyTimeoutMs: number;
  readonly #pending = new Map<string, Pending>();

  /**
   * Creates a stopped watcher.
   *
   * @param options The watcher options and the quiet time.
   * @throws {AosError} `invalidArgument` for a quiet time that is not positive; as {@linkcode FSWatcher}.
   */
  constructor(options: FSBufferedWatcherOptions) {
    super(options);
    if (!(options.notifyTimeoutMs > 0) || !Number.isFinite(options.notifyTimeoutMs)) {
      throw new AosError("invalidArgument", `invalid notify timeout ${options.notifyTimeoutMs} ms`);
    }
    this.#notifyTimeoutMs = options.notifyTimeoutMs;
  }

  /**
   * Buffers the events and restarts the path's quiet-time timer.
   *
   * @param path The watched path.
   * @param events The events.
   * @param listeners The path's subscribers at the time of the events.
   */
  protected override deliver(
    path: string,
    events: FSEvent[],
    listeners: readonly FSEventListener[],
  ): void {
    const pending = this.#pending.get(path);
    if (pending !== undefined) clearTimeout(pending.timer);
    const timer = setTimeout(() => {
      const flushed = this.#pending.get(path)!;
      this.#pending.delete(path);
      if (flushed.listeners.length > 0) super.deliver(path, flushed.events, flushed.listeners);
    }, this.#notifyTimeoutMs);
    this.#pending.set(path, { events: [...(pending?.events ?? []), ...events], listeners, timer });
  }

  /**
   * Removes the subscriber from the path's pending notification.
   *
   * @param path The path.
   * @param listener The subscriber.
   */
  protected override unsubscribed(path: string, listener: FSEventListener): void {
    const pending = this.#pending.get(path);
    if (pending !== undefined) pending.listeners = pending.listeners.filter((l) => l !== listener);
  }

  /** Drops the pending notifications. */
  protected override stopped(): void {
    for (const pending of this.#pending.values()) clearTimeout(pending.timer);
    this.#pending.clear();
  }
}
