// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Shared set-up of the downloader tests: a fault server, a temp dir, an
// alert sink and a downloader with short back-off waits; all disposed together.
import { HttpDownloader, type HttpDownloaderConfig } from "../../downloader/mod.ts";
import type { DownloadAlert } from "../../cloudprotocol/mod.ts";
import type { DownloadProgress } from "../../downloader/mod.ts";
import { FaultServer } from "../_helpers/fault_server.ts";
import { type TempDir, tempDir } from "../_helpers/temp_dir.ts";

/** One test's world. */
export interface Env extends AsyncDisposable {
  server: FaultServer;
  dir: TempDir;
  alerts: DownloadAlert[];
  downloader: HttpDownloader;
}

/**
 * Starts a server, makes a temp dir and a downloader with an alert sink.
 *
 * @param config Overrides of the test defaults (10 ms first back-off).
 * @returns The environment; `await using` it.
 */
export async function setup(config: HttpDownloaderConfig = {}): Promise<Env> {
  const server = await FaultServer.start();
  const dir = await tempDir();
  const alerts: DownloadAlert[] = [];
  const downloader = new HttpDownloader({
    initialRetryDelayMs: 10,
    maxRetryDelayMs: 100,
    alertSender: { sendAlert: (alert) => void alerts.push(alert as DownloadAlert) },
    ...config,
  });
  return {
    server,
    dir,
    alerts,
    downloader,
    async [Symbol.asyncDispose]() {
      await downloader.close();
      await server.close();
      await dir[Symbol.asyncDispose]();
    },
  };
}

/**
 * Collects progress events, and resolves waiters when bytes pass a mark.
 *
 * @returns The event list and helpers.
 */
export function progressLog(): {
  events: DownloadProgress[];
  onProgress: (p: DownloadProgress) => void;
  reached: (bytes: number) => Promise<void>;
} {
  const events: DownloadProgress[] = [];
  const waiting: { bytes: number; resolve: () => void }[] = [];
  return {
    events,
    onProgress(p) {
      events.push(p);
      for (const w of [...waiting]) {
        if (p.downloadedBytes >= w.bytes) {
          waiting.splice(waiting.indexOf(w), 1);
          w.resolve();
        }
      }
    },
    reached(bytes) {
      if (events.some((e) => e.downloadedBytes >= bytes)) return Promise.resolve();
      return new Promise((resolve) => waiting.push({ bytes, resolve }));
    },
  };
}

/**
 * The states of a list of alerts.
 *
 * @param alerts The alerts.
 * @returns Their `state`s in order.
 */
export function states(alerts: DownloadAlert[]): string[] {
  return alerts.map((a) => a.state);
}
