// Copyright 2026 the aos-common authors. Apache-2.0 license.
// deno-lint-ignore-file no-console
// Downloads one URL with HttpDownloader and prints the milliseconds it took;
// run by downloader.sh under Deno and Node. Arguments: <url> <dest> <digest>
// [inline] (a full OCI digest turns verification on, any other key leaves it
// off; "inline" hashes on the event loop instead of the hash worker).
import { rm } from "node:fs/promises";
import { HttpDownloader } from "../../downloader/mod.ts";

const [url, dest, digest, hashing] = process.argv.slice(2) as [string, string, string, string?];
await rm(dest, { force: true });
await rm(`${dest}.meta.json`, { force: true });
const start = performance.now();
await using downloader = new HttpDownloader(
  hashing === "inline" ? { hashWorkerMinBytes: Infinity } : {},
);
await downloader.download(digest, url, dest);
console.log((performance.now() - start).toFixed(0));
