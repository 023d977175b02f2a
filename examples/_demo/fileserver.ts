// Copyright 2026 the aos-common authors. Apache-2.0 license.
// deno-lint-ignore-file no-console
/**
 * Demo step: the CM publishes an image layer with the file server; a node
 * downloads it, resumes an interrupted transfer with a byte range,
 * revalidates with its ETag, and a path-traversal attempt gets nothing.
 *
 * @module
 */
import { createHash, randomFillSync } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
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

  // The first attempt is dropped after 512 KiB; the node resumes from there.
  const first = await fetch(url);
  const etag = first.headers.get("etag")!;
  const hash = createHash("sha256");
  let received = 0;
  const reader = first.body!.getReader();
  while (received < 512 * 1024) {
    const { value } = await reader.read();
    hash.update(value!);
    received += value!.byteLength;
  }
  await reader.cancel();
  console.log(`connection dropped after ${received} of ${layer.byteLength} bytes`);
  const rest = await fetch(url, { headers: { range: `bytes=${received}-`, "if-range": etag } });
  console.log(`resume: ${rest.status} ${rest.headers.get("content-range")}`);
  const whole = hash.update(new Uint8Array(await rest.arrayBuffer())).digest("hex");
  console.log(`downloaded digest matches the layer: ${whole === digest}`);

  const again = await fetch(url, { headers: { "if-none-match": etag } });
  console.log(`revalidation with ETag ${etag}: ${again.status}`);
  await again.body?.cancel();

  const escape = await rawStatus(Number(server.baseURL.port), "/%2e%2e/secret.txt");
  console.log(`GET /%2e%2e/secret.txt: ${escape}`);
  await server.stop();
  await rm(dir, { recursive: true, force: true });
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
