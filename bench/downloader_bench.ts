// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Download throughput on 64 MiB (page cache warm): file:// copies with and
// without verification beside node:fs copyFile, and HTTP from a local server.
// The side-by-side with curl and nginx on 1 GiB is bench/compare/downloader.sh.
import { randomFillSync } from "node:crypto";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HttpDownloader } from "../downloader/mod.ts";
import { digestBytes } from "../utils/digest.ts";
import { FaultServer } from "../tests/_helpers/fault_server.ts";

const dir = mkdtempSync(join(tmpdir(), "downloader-bench-"));
const source = join(dir, "blob");
const data = new Uint8Array(64 * 1024 * 1024);
for (let i = 0; i < data.length; i += 65536) randomFillSync(data, i, 65536);
writeFileSync(source, data);
const digest = digestBytes(data);
const server = await FaultServer.start();
server.set("/blob", { body: data, chunkSize: 1 << 20 });
const downloader = new HttpDownloader();
const dest = join(dir, "out");
const fresh = () => rmSync(dest, { force: true });

Deno.bench("file:// copy, verified", { group: "file", baseline: true }, async () => {
  fresh();
  await downloader.download(digest, `file://${source}`, dest);
});

Deno.bench("file:// copy, not verified", { group: "file" }, async () => {
  fresh();
  await downloader.download("key", `file://${source}`, dest);
});

Deno.bench("node:fs copyFileSync (peer)", { group: "file" }, () => {
  fresh();
  copyFileSync(source, dest);
});

Deno.bench("HTTP from a local server, verified", { group: "http" }, async () => {
  fresh();
  await downloader.download(digest, server.url("/blob"), dest);
});

globalThis.addEventListener("unload", () => {
  rmSync(dir, { recursive: true, force: true });
});
