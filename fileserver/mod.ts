// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * A fast, safe static HTTP file server through which components hand files
 * (image layers, blobs) to each other, and the translation between local
 * paths under its root and the URLs it serves them at.
 *
 * Beyond AosCore's server (deviations, all deliberate):
 *
 * - request paths are percent-decoded, so the URLs the server generates for
 *   names with spaces, `+` or non-ASCII characters work (AosCore: 404);
 * - `..` segments (also encoded), encoded slashes, backslashes, NUL, targets
 *   not starting with `/` and symlinks leading out of the root get 404
 *   (AosCore could be walked out of its root with a raw request or a symlink);
 * - methods other than GET and HEAD get 405 with `Allow: GET, HEAD` (AosCore
 *   served the file to any method);
 * - single byte ranges (206, 416 with `Content-Range: bytes *\/size`),
 *   `Accept-Ranges`, strong `ETag`, `If-None-Match`/`If-Modified-Since` (304),
 *   `If-Match`/`If-Unmodified-Since` (412) and `If-Range`, so downloads resume;
 * - `zip`, `tar` and `gz` get their content types (AosCore's table had keys
 *   with a leading dot that never matched);
 * - `translateFilePathURL` rejects paths outside the root or equal to it with
 *   `invalidArgument` (AosCore produced `/../x` URLs);
 * - `start()` resolves once listening and rejects on a bind error (AosCore
 *   only logged it); the listen address is configurable; `stop()` drains
 *   in-flight responses for a grace period; port 0 binds a free port.
 *
 * How it is fast: files above 64 KiB stream from the open file (on Deno a
 * resource-backed body that `Deno.serve` copies without entering JS; on Node
 * two reused buffers, so no garbage); smaller ones are cached in memory (8 MiB
 * at most) with their response headers built once, and revalidated with one
 * `stat` per request, so a replaced file is seen on the next request. On Deno
 * a cache hit is answered with a clone of a `Response` prepared for the file.
 * Path lookups, `open` and `stat` are synchronous system calls, as in nginx:
 * on a local disk each takes about a microsecond, where the runtime's thread
 * pool costs ten times that.
 *
 * @example Serve a directory
 * ```ts
 * import { FileServer } from "@aoscore/common/fileserver";
 * import assert from "node:assert/strict";
 * import { mkdtemp, rm, writeFile } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 *
 * const root = await mkdtemp(join(tmpdir(), "blobs-"));
 * await writeFile(join(root, "hello.txt"), "hello");
 * const server = new FileServer({ serverURL: "localhost:0", rootDir: root, listenHostname: "127.0.0.1" });
 * await server.start();
 * try {
 *   const url = server.translateFilePathURL(join(root, "hello.txt"));
 *   const res = await fetch(url);
 *   assert.equal(res.headers.get("content-type"), "text/plain");
 *   assert.equal(await res.text(), "hello");
 *   assert.equal(server.translateURLFilePath(url), join(root, "hello.txt"));
 * } finally {
 *   await server.close();
 *   await rm(root, { recursive: true });
 * }
 * ```
 *
 * @module
 */
export * from "./file_server.ts";
export * from "./types.ts";
