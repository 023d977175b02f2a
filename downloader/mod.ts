// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Downloads of blobs by digest over HTTP(S) and from `file://` URLs: bounded
 * retries with exponential back-off, resume with `Range` / `If-Range`,
 * streaming digest verification, progress alerts (`downloadProgressAlert`)
 * and a progress callback, cancellation by digest or `AbortSignal`.
 *
 * {@linkcode HttpDownloader} implements the {@linkcode Downloader} interface
 * of AosCore's downloader. It streams end to end (memory stays flat whatever
 * the file size) and runs on Deno and Node 24.
 *
 * On by default, beyond AosCore:
 * - the content is verified against the digest while it is written, when the
 *   digest is a full OCI digest; a mismatch deletes the file (`invalidChecksum`).
 *   From 64 MiB on (`hashWorkerMinBytes`) the hash runs on a worker thread
 *   that reads the file back behind the writer, so it uses a second core
 *   instead of taking turns with the transfer;
 * - resume sends `If-Range` with the ETag (or `Last-Modified`) saved in
 *   `<path>.meta.json`, so a changed resource restarts instead of being
 *   appended to, and needs no HEAD probe;
 * - a transfer with fewer than 1 KiB in 60 s fails as stalled (`timeout`);
 * - HTTP 4xx other than 408 and 429, unsupported schemes, refused redirects
 *   and an unopenable destination are not retried; `Retry-After` is honoured.
 *
 * Options: atomic completion (`<path>.part`, fsync, verify, rename), a
 * concurrency cap with a FIFO queue, attaching a duplicate digest to the
 * running download, parallel ranged segments for large blobs, bandwidth
 * limits (per download and shared, adjustable while running), CA and client
 * certificates.
 *
 * Deviations from AosCore, fixed here:
 * - no sleep after the final failed attempt;
 * - cancellation (cancel, abort, close) always rejects with `canceled`,
 *   never with the transfer's error;
 * - `Accept-Ranges` is not probed (see `If-Range` above); a server that
 *   ignores `Range` gets its full `200` body written from offset 0; a `206`
 *   for the wrong range restarts; a `206` shorter than the rest of the file
 *   (RFC 9110 allows it; some CDNs cap ranges) is complete when the last byte
 *   of its `Content-Range` arrives, and the rest comes with a new request
 *   that spends no retry; `416` counts as complete only when its
 *   `Content-Range: bytes *\/<size>` equals the local size;
 * - redirects are followed (at most 20; never from https to http, never to
 *   another scheme) and a final 3xx is a failure, not the file's content;
 * - `totalBytes` in alerts is the size of the whole blob, not of the current
 *   response;
 * - a progress check runs at least every second, so a stalled transfer
 *   still reports;
 * - `file://name` keeps the case of `name`; a failing copy rejects;
 * - a malformed URL rejects at once with `invalidArgument`;
 * - `close()` also aborts running transfers.
 *
 * @example Download a file with progress
 * ```ts
 * import { HttpDownloader } from "@aoscore/common/downloader";
 * import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import assert from "node:assert/strict";
 *
 * const dir = await mkdtemp(join(tmpdir(), "dl-"));
 * await writeFile(join(dir, "blob"), "hello world");
 * const seen: number[] = [];
 * await using downloader = new HttpDownloader();
 * await downloader.download(
 *   "sha256:b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9",
 *   `file://${join(dir, "blob")}`,
 *   join(dir, "copy"),
 *   { onProgress: (p) => seen.push(p.downloadedBytes) },
 * );
 * assert.equal(await readFile(join(dir, "copy"), "utf8"), "hello world");
 * assert.equal(seen.at(-1), 11);
 * await rm(dir, { recursive: true });
 * ```
 *
 * @module
 */
export * from "./types.ts";
export * from "./http_downloader.ts";
