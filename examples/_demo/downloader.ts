// Copyright 2026 the aos-common authors. Apache-2.0 license.
// deno-lint-ignore-file no-console
/**
 * Demo step: download an image layer with a progress bar while the server
 * drops the connection at 40%; the download resumes with `Range` and the
 * content is verified against its sha256 digest.
 *
 * @module
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { type DownloadProgress, HttpDownloader } from "../../downloader/mod.ts";

const SIZE = 8 << 20;
const CHUNK = 64 << 10;

/** Runs the downloader step of the device demo. */
export async function downloaderDemo(): Promise<void> {
  const layer = randomBytes(SIZE);
  const digest = "sha256:" + createHash("sha256").update(layer).digest("hex");
  const server = await serveOnce(layer, SIZE * 0.4);
  const dir = await mkdtemp(join(tmpdir(), "aos-demo-"));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/layer.tar`;
    console.log(`downloading ${url} (${SIZE >> 20} MiB, ${digest.slice(0, 19)}...)`);
    console.log("the server drops the connection at 40%");
    await using downloader = new HttpDownloader({ initialRetryDelayMs: 200 });
    const bar = progressBar();
    await downloader.download(digest, url, join(dir, "layer.tar"), { onProgress: bar });
    console.log("downloaded and verified: the file matches its digest");
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  }
}

/** A server that honours Range, paces its body, and resets its first response at `dropAt`. */
async function serveOnce(body: Uint8Array, dropAt: number): Promise<http.Server> {
  let dropped = false;
  const server = http.createServer(async (req, res) => {
    const start = Number(/^bytes=(\d+)-$/.exec(req.headers.range ?? "")?.[1] ?? 0);
    const headers = { "accept-ranges": "bytes", etag: '"layer-1"' };
    if (start > 0 && req.headers["if-range"] === '"layer-1"') {
      res.writeHead(206, {
        ...headers,
        "content-length": body.length - start,
        "content-range": `bytes ${start}-${body.length - 1}/${body.length}`,
      });
    } else {
      res.writeHead(200, { ...headers, "content-length": body.length });
    }
    const drop = dropped ? Infinity : dropAt;
    dropped = true;
    for (let pos = start; pos < body.length && !res.destroyed; pos += CHUNK) {
      if (pos >= drop) return void res.socket?.destroy();
      res.write(body.subarray(pos, pos + CHUNK));
      await new Promise((resolve) => setTimeout(resolve, 4));
    }
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

/** Draws a bar on a terminal; prints a line per quarter elsewhere (CI logs). */
function progressBar(): (p: DownloadProgress) => void {
  const tty = process.stdout.isTTY === true;
  let lastQuarter = -1;
  return (p) => {
    const total = p.totalBytes || SIZE;
    const ratio = Math.min(1, p.downloadedBytes / total);
    const line = `[${"#".repeat(Math.round(ratio * 30)).padEnd(30, ".")}] ` +
      `${(ratio * 100).toFixed(0).padStart(3)}% ${(p.downloadedBytes / 2 ** 20).toFixed(1)} MiB`;
    if (p.state === "interrupted") {
      const again = p.retryInMs === undefined ? "" : `, resuming in ${p.retryInMs} ms`;
      console.log(`${tty ? "\n" : ""}${line}  interrupted: ${p.error?.message}${again}`);
      lastQuarter = Math.floor(ratio * 4);
    } else if (tty) {
      process.stdout.write(`\r${line}${p.state === "finished" ? "\n" : ""}`);
    } else if (Math.floor(ratio * 4) > lastQuarter) {
      lastQuarter = Math.floor(ratio * 4);
      console.log(line);
    }
  };
}
