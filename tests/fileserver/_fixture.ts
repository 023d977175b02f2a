// Copyright 2026 the aos-common authors. Apache-2.0 license.
// A started FileServer over a fresh temporary `download` root, for the
// fileserver suites. Portable.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { FileServer, type FileServerOptions } from "../../fileserver/mod.ts";
import type { AosError } from "../../utils/errors.ts";

/** What a test gets: the running server, its root and helpers. */
export interface Fixture {
  server: FileServer;
  /** The temporary directory holding `download/` (the root) and files outside it. */
  dir: string;
  /** The root, `<dir>/download`. */
  root: string;
  /** The bound port. */
  port: number;
  /** Errors reported to `onError`. */
  errors: AosError[];
  /** `http://127.0.0.1:<port><path>`. */
  url(path: string): string;
  /** Writes a file under the root, creating directories. */
  put(path: string, content: string | Uint8Array): Promise<string>;
}

/** Options of {@linkcode withServer}: server options, and `start: false` for an idle one. */
export type FixtureOptions = Partial<FileServerOptions> & { start?: boolean };

/** Runs `fn` with a started server on 127.0.0.1, then stops it and removes the files. */
export async function withServer(
  fn: (fixture: Fixture) => Promise<void>,
  options: FixtureOptions = {},
): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "aos-fileserver-"));
  const root = join(dir, "download");
  await mkdir(root);
  const errors: AosError[] = [];
  const { start = true, ...serverOptions } = options;
  const server = new FileServer({
    serverURL: "http://127.0.0.1:0",
    rootDir: root,
    listenHostname: "127.0.0.1",
    onError: (err) => errors.push(err),
    ...serverOptions,
  });
  try {
    if (start) await server.start();
    const port = start ? Number(server.baseURL.port) : 0;
    await fn({
      server,
      dir,
      root,
      port,
      errors,
      url: (path) => `http://127.0.0.1:${port}${path}`,
      async put(path, content) {
        const file = join(root, path);
        await mkdir(dirname(file), { recursive: true });
        await writeFile(file, content);
        return file;
      },
    });
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** `length` pseudo-random bytes, the same for the same seed. */
export function bytesOf(length: number, seed = 1): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}
