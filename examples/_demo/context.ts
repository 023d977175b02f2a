// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * What the demo's steps share: the temporary directory, the simulated cloud
 * and the unit's connection to it, the relays that count bytes, the
 * desired status the unit received, and the clean-up to run at the end.
 * Each step sets what later steps read; a getter throws a plain
 * error when a step before it did not run.
 *
 * @module
 */
import { mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import type { DesiredStatus, WebSocketCloudConnection } from "../../cloudprotocol/mod.ts";
import type { CloudSimulator } from "../../cloudprotocol/testing.ts";
import { tempDir } from "../../utils/mod.ts";
import type { Relay } from "./relay.ts";

/** The demo's shared state; see the module doc. */
export class DemoContext implements AsyncDisposable {
  /** The temporary directory everything is written under. */
  readonly workDir: string;
  /** Keep {@linkcode DemoContext.workDir} at the end. */
  readonly keep: boolean;
  /** The unit's system ID. */
  readonly systemId = "a3f1c9e0-5d2b-4c7e-8f10-6b4d2e9a7c51";
  /** The unit's (only) node. */
  readonly nodeId = "main";
  /** Relays whose bytes count for the step that runs (cloud, blobs). */
  readonly relays: Relay[] = [];
  /** Alerts on their way to the cloud: each settles when the cloud acked it. */
  readonly pendingAlerts: Promise<void>[] = [];
  #cloud: CloudSimulator | undefined;
  #conn: WebSocketCloudConnection | undefined;
  /** Set by step 3: the desired status the unit received. */
  desired: DesiredStatus | undefined;
  readonly #cleanup = new AsyncDisposableStack();

  private constructor(workDir: string, keep: boolean) {
    this.workDir = workDir;
    this.keep = keep;
  }

  /**
   * Makes the temporary directory.
   *
   * @param keep Keep it at the end.
   * @returns The context.
   */
  static async create(keep: boolean): Promise<DemoContext> {
    return new DemoContext(await mkdtemp(join(tempDir(), "aos-demo-")), keep);
  }

  /** The cloud simulator (step 1). */
  get cloud(): CloudSimulator {
    if (this.#cloud === undefined) throw new Error("the cloud simulator is not running");
    return this.#cloud;
  }

  /** The unit's cloud connection (step 1). */
  get conn(): WebSocketCloudConnection {
    if (this.#conn === undefined) throw new Error("the unit is not connected");
    return this.#conn;
  }

  /** Sets the simulator and the connection; both are closed at the end. */
  setCloud(cloud: CloudSimulator, conn: WebSocketCloudConnection): void {
    this.#cloud = cloud;
    this.#conn = conn;
  }

  /** Bytes carried by every relay so far. */
  relayedBytes(): number {
    return this.relays.reduce((sum, relay) => sum + relay.bytes, 0);
  }

  /** Runs `fn` at the end, before the directory is removed; last added runs first. */
  defer(fn: () => unknown): void {
    this.#cleanup.defer(async () => void await fn());
  }

  /** Adds a resource to close at the end. */
  use<T extends AsyncDisposable | Disposable>(resource: T): T {
    return this.#cleanup.use(resource);
  }

  /** Closes everything, then removes the directory unless kept. */
  async [Symbol.asyncDispose](): Promise<void> {
    try {
      await this.#cleanup.disposeAsync();
    } finally {
      if (!this.keep) await rm(this.workDir, { recursive: true, force: true });
    }
  }
}
