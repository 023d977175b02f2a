// Copyright 2026 the aos-common authors. Apache-2.0 license.
// deno-lint-ignore-file no-console
// Downloads one URL with HttpDownloader and prints the milliseconds it took;
// run by downloader.sh under Deno and Node. Arguments: <url> <dest> <digest>
// (a full OCI digest turns verification on, any other key leaves it off).
import { rm } from "node:fs/promises";
import { HttpDownloader } from "../../downloader/mod.ts";

const [url, dest, digest] = process.argv.slice(-3) as [string, string, string];
await rm(dest, { force: true });
await rm(`${dest}.meta.json`, { force: true });
const start = performance.now();
await using downloader = new HttpDownloader();
await downloader.download(digest, url, dest);
console.log((performance.now() - start).toFixed(0));
