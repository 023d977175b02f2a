// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The only place the file server touches the `Deno` namespace. It is reached
// through `globalThis` with the few members we use declared here, so the
// module type-checks without `lib.deno.ns` and runs on Node, where
// `denoRuntime()` is `undefined`.

/** The subset of `Deno.FileInfo` the server reads. */
export interface DenoFileInfo {
  isFile: boolean;
  isDirectory: boolean;
  size: number;
  mtime: Date | null;
  ctime: Date | null;
  birthtime: Date | null;
  dev: number;
  ino: number | null;
}

/** The subset of `Deno.FsFile` the server uses. */
export interface DenoFsFile {
  readonly readable: ReadableStream<Uint8Array<ArrayBuffer>>;
  statSync(): DenoFileInfo;
  seekSync(offset: number, whence: 0): number;
  readSync(buffer: Uint8Array): number | null;
  read(buffer: Uint8Array): Promise<number | null>;
  close(): void;
}

/** The subset of `Deno.ServeHandlerInfo` the server uses. */
export interface DenoServeInfo {
  completed: Promise<void>;
}

/** The subset of `Deno.HttpServer` the server uses. */
export interface DenoHttpServer {
  readonly addr: { port: number };
  readonly finished: Promise<void>;
}

/** The subset of `Deno.ServeTcpOptions` the server passes. */
export interface DenoServeOptions {
  port: number;
  hostname: string;
  signal: AbortSignal;
  onListen(): void;
  onError(error: unknown): Response;
}

/** The members of the `Deno` namespace the server uses. */
export interface DenoRuntime {
  openSync(path: string): DenoFsFile;
  realPathSync(path: string): string;
  statSync(path: string): DenoFileInfo;
  serve(
    options: DenoServeOptions,
    handler: (request: Request, info: DenoServeInfo) => Response | Promise<Response>,
  ): DenoHttpServer;
}

/**
 * The `Deno` namespace when running on Deno. The Node test shim defines a
 * `Deno` global holding only `test`, hence the check for the members we call.
 */
export function denoRuntime(): DenoRuntime | undefined {
  const deno = (globalThis as { Deno?: Partial<DenoRuntime> }).Deno;
  return typeof deno?.serve === "function" && typeof deno.openSync === "function"
    ? deno as DenoRuntime
    : undefined;
}
