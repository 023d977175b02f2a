// Copyright 2026 the aos-common authors. Apache-2.0 license.
// deno-lint-ignore-file no-console
/**
 * Demo step: a node downloads an image layer from the file server, with a
 * progress bar, while the network cuts the connection at 40%; the download
 * resumes with `Range` / `If-Range` and the content is verified against its
 * sha256 digest. A bandwidth limit paces it so the bar is visible.
 *
 * @module
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { type DownloadProgress, HttpDownloader } from "../../downloader/mod.ts";
import { FileServer } from "../../fileserver/mod.ts";

const SIZE = 8 << 20;

/** Runs the downloader step of the device demo. */
export async function downloaderDemo(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "aos-demo-downloader-"));
  const layer = randomBytes(SIZE);
  const hex = createHash("sha256").update(layer).digest("hex");
  await mkdir(join(dir, "www"));
  await writeFile(join(dir, "www", `${hex}.tar`), layer);
  await using server = new FileServer({
    serverURL: "http://127.0.0.1:0",
    rootDir: join(dir, "www"),
    listenHostname: "127.0.0.1",
  });
  await server.start();
  const network = await flakyLink(Number(server.baseURL.port), SIZE * 0.4);
  try {
    const url = `http://127.0.0.1:${network.port}/${hex}.tar`;
    console.log(`downloading ${url.slice(0, 48)}... (${SIZE >> 20} MiB at 16 MiB/s)`);
    console.log("the link cuts the connection at 40%");
    await using downloader = new HttpDownloader({
      initialRetryDelayMs: 200,
      rateLimit: 16 << 20,
    });
    await downloader.download(`sha256:${hex}`, url, join(dir, "layer.tar"), {
      onProgress: progressBar(),
    });
    console.log("downloaded and verified: the file matches its digest");
  } finally {
    await network.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** A TCP relay to `port` that cuts its first connection once `dropAt` bytes went through. */
async function flakyLink(
  port: number,
  dropAt: number,
): Promise<{ port: number; close: () => Promise<void> }> {
  let first = true;
  const sockets = new Set<net.Socket>();
  const relay = net.createServer((client) => {
    const upstream = net.connect(port, "127.0.0.1");
    const drop = first ? dropAt : Infinity;
    first = false;
    let passed = 0;
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.on("data", (chunk: Uint8Array) => {
      const room = drop - passed;
      passed += chunk.length;
      if (room > chunk.length) return void client.write(chunk);
      // Cut mid-body: what was sent still arrives, then the connection ends early.
      client.end(chunk.subarray(0, room));
      upstream.destroy();
    });
    upstream.on("end", () => client.end());
  });
  await new Promise<void>((resolve) => relay.listen(0, "127.0.0.1", resolve));
  return {
    port: (relay.address() as net.AddressInfo).port,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => relay.close(() => resolve()));
    },
  };
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
