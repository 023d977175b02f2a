// Copyright 2026 the aos-common authors. Apache-2.0 license.
// deno-lint-ignore-file no-console
/**
 * Demo step: the CM publishes an image layer with the file server; a node
 * downloads it with the downloader, which resumes with a byte range after an
 * injected connection drop; the node revalidates with the ETag; a
 * path-traversal attempt gets nothing.
 *
 * @module
 */
import { createHash, randomFillSync } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HttpDownloader } from "../../downloader/mod.ts";
import { FileServer } from "../../fileserver/mod.ts";

/** Runs the file server demo step. */
export async function fileserverDemo(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "aos-demo-fileserver-"));
  const root = join(dir, "download");
  const layer = randomFillSync(new Uint8Array(2 * 1024 * 1024));
  const digest = createHash("sha256").update(layer).digest("hex");
  const file = join(root, "blobs", "sha256", digest);
  await mkdir(join(root, "blobs", "sha256"), { recursive: true });
  await writeFile(file, layer);
  await writeFile(join(dir, "secret.txt"), "not for the nodes");

  await using server = new FileServer({
    serverURL: "http://127.0.0.1:0",
    rootDir: root,
    listenHostname: "127.0.0.1",
  });
  await server.start();
  const url = server.translateFilePathURL(file);
  console.log(`serving ${root} at ${server.baseURL.href}`);
  console.log(`layer URL: ${url}`);

  // The node downloads it with the downloader; the network drops the first
  // attempt after 512 KiB and the second resumes with a byte range.
  const out = join(dir, "node", digest);
  await mkdir(join(dir, "node"));
  await using downloader = new HttpDownloader({
    initialRetryDelayMs: 50,
    fetch: dropOnce(512 * 1024),
  });
  await downloader.download(`sha256:${digest}`, url, out, {
    onProgress: (p) => {
      if (p.state === "interrupted") {
        console.log(`attempt ${p.attempt} interrupted at ${p.downloadedBytes} bytes: ${p.error}`);
      } else if (p.state === "finished") {
        console.log(`finished after ${p.attempt} attempts: ${p.downloadedBytes} bytes`);
      }
    },
  });
  const whole = createHash("sha256").update(await readFile(out)).digest("hex");
  console.log(`downloaded digest matches the layer: ${whole === digest}`);

  const etag = (await fetch(url, { method: "HEAD" })).headers.get("etag");
  const again = await fetch(url, { headers: { "if-none-match": etag ?? "" } });
  console.log(`revalidation with ETag ${etag}: ${again.status}`);
  await again.body?.cancel();

  const escape = await rawStatus(Number(server.baseURL.port), "/%2e%2e/secret.txt");
  console.log(`GET /%2e%2e/secret.txt: ${escape}`);
  await server.stop();
  await rm(dir, { recursive: true, force: true });
}

// A fetch that prints each request's range and status, and whose first
// response body fails after `bytes`, like a reset connection.
function dropOnce(bytes: number): typeof fetch {
  let dropped = false;
  return async (input, init) => {
    const res = await fetch(input, init);
    const range = new Headers(init?.headers).get("range") ?? "none";
    console.log(
      `GET with Range: ${range} -> ${res.status} ${res.headers.get("content-range") ?? ""}`,
    );
    if (dropped || res.body === null) return res;
    dropped = true;
    let passed = 0;
    const cut = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        passed += chunk.byteLength;
        if (passed > bytes) controller.error(new Error("connection reset (injected)"));
        else controller.enqueue(chunk);
      },
    });
    return new Response(res.body.pipeThrough(cut), res);
  };
}

// fetch would resolve the `..` before sending, so the attempt goes out raw.
function rawStatus(port: number, target: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    const socket = connect({ host: "127.0.0.1", port });
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => text += chunk);
    socket.on("error", reject);
    socket.on("close", () => resolve(text.split("\r\n")[0] ?? ""));
    socket.end(`GET ${target} HTTP/1.1\r\nHost: demo\r\nConnection: close\r\n\r\n`);
  });
}
