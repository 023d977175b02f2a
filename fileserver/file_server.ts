// Copyright 2026 the aos-common authors. Apache-2.0 license.
// deno-lint-ignore-file no-console
import { resolve } from "node:path";
import { AosError } from "../utils/errors.ts";
import { denoRuntime } from "./_deno.ts";
import { fileSystem } from "./_files.ts";
import { Replier } from "./_reply.ts";
import { toResponse } from "./_response.ts";
import { listenDeno } from "./_serve_deno.ts";
import { type Listener, listenNode } from "./_serve_node.ts";
import { parseServerURL, pathToURL, urlToPath } from "./_url.ts";
import type { FileServerItf } from "./types.ts";

/** Options of {@linkcode FileServer}. */
export interface FileServerOptions {
  /**
   * The public URL of the server, e.g. `"localhost:8080"` or
   * `"http://cm.local:8080"`: `http://` is assumed without a scheme, an empty
   * host is `localhost`, a missing port is the scheme's well-known one (8080
   * for a scheme without one), and port 0 binds any free port. Path, query and
   * fragment are ignored. The server speaks plain HTTP whatever the scheme.
   */
  serverURL: string;
  /** The directory whose files are published; relative to the working directory. */
  rootDir: string;
  /**
   * The address to listen on.
   *
   * @default {"0.0.0.0"}
   */
  listenHostname?: string;
  /**
   * Answer single byte ranges with 206 and advertise `Accept-Ranges: bytes`.
   * `false` sends every file whole, as AosCore does.
   *
   * @default {true}
   */
  acceptRanges?: boolean;
  /**
   * Answer requests for a directory with an HTML list of its entries instead of 404.
   *
   * @default {false}
   */
  directoryListing?: boolean;
  /**
   * How long {@linkcode FileServer.stop} lets in-flight responses finish
   * before cutting them, in milliseconds.
   *
   * @default {1000}
   */
  shutdownGraceMs?: number;
  /**
   * Called with every failure answered with 500 (the client gets an empty body).
   *
   * @default {Writes the error to `console.error`.}
   */
  onError?: (error: AosError) => void;
}

/**
 * A static HTTP file server for component-to-component transfers, and the
 * translation between local paths under its root and the URLs it serves them at.
 *
 * It answers GET and HEAD (405 otherwise) for regular files under the root:
 * single byte ranges (206, 416), strong `ETag` and `Last-Modified` with
 * conditional requests (304, 412, `If-Range`), content types by extension.
 * Paths are percent-decoded; `..`, encoded slashes, backslashes, NUL and
 * symlinks leading out of the root get 404. Files are streamed from one open
 * handle, so headers and bytes describe the same file even if it is replaced
 * meanwhile. {@linkcode FileServer.handle} is a fetch-style handler that can be
 * mounted in any server; {@linkcode FileServer.start} serves it with
 * `Deno.serve` on Deno and `node:http` on Node.
 *
 * @example Publish a file and download it
 * ```ts
 * import { FileServer } from "@aoscore/common/fileserver";
 * import assert from "node:assert/strict";
 * import { mkdtemp, rm, writeFile } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 *
 * const root = await mkdtemp(join(tmpdir(), "files-"));
 * await writeFile(join(root, "layer.tar"), "layer bytes");
 * {
 *   await using server = new FileServer({
 *     serverURL: "http://localhost:0",
 *     rootDir: root,
 *     listenHostname: "127.0.0.1",
 *   });
 *   await server.start();
 *   const url = server.translateFilePathURL(join(root, "layer.tar"));
 *   const res = await fetch(url, { headers: { range: "bytes=6-" } });
 *   assert.equal(res.status, 206);
 *   assert.equal(await res.text(), "bytes");
 * }
 * await rm(root, { recursive: true });
 * ```
 */
export class FileServer implements FileServerItf, AsyncDisposable {
  #base: URL;
  #port: number;
  #rootDir: string;
  #hostname: string;
  #graceMs: number;
  #replier: Replier;
  #listener: Listener | undefined;
  #starting: Promise<void> | undefined;
  #stopping: Promise<void> | undefined;

  /**
   * Creates a stopped server.
   *
   * @param options The public URL, the root directory and the listen settings.
   * @throws {AosError} `invalidArgument` when the URL, its port or an option is malformed.
   */
  constructor(options: FileServerOptions) {
    const { serverURL, rootDir, listenHostname = "0.0.0.0", shutdownGraceMs = 1000 } = options;
    if (typeof serverURL !== "string") {
      throw new AosError("invalidArgument", `Invalid serverURL ${String(serverURL)}: not a string`);
    }
    if (typeof listenHostname !== "string" || listenHostname === "") {
      throw new AosError(
        "invalidArgument",
        `Invalid listenHostname "${String(listenHostname)}": must be a host name or address`,
      );
    }
    if (typeof rootDir !== "string" || rootDir === "") {
      throw new AosError(
        "invalidArgument",
        `Invalid rootDir "${String(rootDir)}": must be a non-empty path`,
      );
    }
    if (!Number.isFinite(shutdownGraceMs) || shutdownGraceMs < 0) {
      throw new AosError(
        "invalidArgument",
        `Invalid shutdownGraceMs ${shutdownGraceMs}: must be a non-negative number`,
      );
    }
    const { base, port } = parseServerURL(serverURL);
    this.#base = base;
    this.#port = port;
    this.#rootDir = resolve(rootDir);
    this.#hostname = listenHostname;
    this.#graceMs = shutdownGraceMs;
    this.#replier = new Replier({
      rootDir: this.#rootDir,
      files: fileSystem(),
      acceptRanges: options.acceptRanges ?? true,
      directoryListing: options.directoryListing ?? false,
      onError: options.onError ?? ((err) => console.error(`fileserver: ${err}`)),
    });
  }

  /**
   * The public base URL: scheme, host and port, path `/`. With port 0 it
   * carries the bound port once {@linkcode FileServer.start} resolved.
   *
   * @returns A copy; changing it changes nothing.
   */
  get baseURL(): URL {
    return new URL(this.#base);
  }

  /**
   * The absolute root directory.
   *
   * @returns The path the server publishes.
   */
  get rootDir(): string {
    return this.#rootDir;
  }

  /**
   * The URL at which a local file under the root is served. Works whether or
   * not the server runs; the file need not exist.
   *
   * @param filePath Path of the file, absolute or relative to the working directory.
   * @returns The URL, each path segment percent-encoded.
   * @throws {AosError} `invalidArgument` when the path is the root or outside it;
   * `wrongState` when port 0 was asked for and no port is bound yet.
   */
  translateFilePathURL(filePath: string): string {
    if (this.#port === 0) throw new AosError("wrongState", "server is not started");
    return pathToURL(this.#base, this.#rootDir, filePath);
  }

  /**
   * The local path a URL of this server names: the inverse of
   * {@linkcode FileServer.translateFilePathURL}. Query and fragment are ignored.
   *
   * @param url A URL with this server's scheme, host and port.
   * @returns The absolute path under the root (the file need not exist).
   * @throws {AosError} `invalidArgument` for another server's URL or a path
   * that does not name a file under the root.
   */
  translateURLFilePath(url: string | URL): string {
    return urlToPath(this.#base, this.#rootDir, url);
  }

  /**
   * Answers one request as the running server does: a fetch-style handler to
   * mount in another server. Never rejects; failures are 500 responses reported to
   * `onError`.
   *
   * @param request The request; only its method, URL and headers are read.
   * @returns The response, whose body streams the file.
   */
  async handle(request: Request): Promise<Response> {
    const head = { method: request.method, target: request.url, headers: request.headers };
    return toResponse(await this.#replier.reply(head), this.#replier, head);
  }

  /**
   * Binds the listen address and starts serving; resolves once listening.
   *
   * @throws {AosError} `failed` ("Server is already running") when started;
   * the bind error (e.g. `EADDRINUSE`) otherwise, leaving the server stopped.
   */
  async start(): Promise<void> {
    if (this.#listener !== undefined || this.#starting !== undefined) {
      throw new AosError("failed", "Server is already running");
    }
    this.#starting = this.#listen();
    try {
      await this.#starting;
    } finally {
      this.#starting = undefined;
    }
  }

  /**
   * Stops accepting connections, lets in-flight responses finish for
   * `shutdownGraceMs`, then closes the rest. Resolves when the listener is
   * closed; a no-op when not running.
   */
  async stop(): Promise<void> {
    await this.#starting?.catch(() => {});
    const listener = this.#listener;
    if (listener === undefined) return this.#stopping;
    this.#listener = undefined;
    this.#stopping = listener.close(this.#graceMs);
    try {
      await this.#stopping;
    } finally {
      this.#stopping = undefined;
    }
  }

  /**
   * Same as {@linkcode FileServer.stop}.
   *
   * @returns A promise that resolves when stopped.
   */
  close(): Promise<void> {
    return this.stop();
  }

  /**
   * Same as {@linkcode FileServer.stop}, for `await using`.
   *
   * @returns A promise that resolves when stopped.
   */
  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }

  async #listen(): Promise<void> {
    await this.#stopping;
    const where = `${this.#hostname}:${this.#port}`;
    try {
      const deno = denoRuntime();
      this.#listener = deno === undefined
        ? await listenNode(this.#replier, this.#hostname, this.#port)
        : listenDeno(deno, this.#replier, this.#hostname, this.#port);
    } catch (err) {
      throw AosError.wrap(err, undefined, `Cannot listen on ${where}`);
    }
    if (this.#port === 0) {
      // The bound port is kept for restarts, so URLs already handed out stay valid.
      this.#port = this.#listener.port;
      this.#base.port = String(this.#port);
    }
  }
}
