// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * File-system helpers: atomic writes, temporary directories and AosCore's
 * path joining. They run on Deno and Node through `node:fs`.
 *
 * Deviation from AosCore: `joinPath` has an opt-in `{ confine: true }` mode
 * for names that come from the cloud, which rejects any component that would
 * leave the base directory.
 *
 * @module
 */

import { constants } from "node:fs";
import { type FileHandle, mkdtemp, open, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join, posix } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { canceledError, throwIfAborted } from "./abort.ts";
import { AosError, hasErrno } from "./errors.ts";

/**
 * The file path of a path or `file:` URL, for APIs that accept both.
 *
 * @example
 * ```ts
 * import { toFilePath } from "@aoscore/common/utils";
 * import assert from "node:assert/strict";
 *
 * assert.equal(toFilePath(new URL("file:///var/aos/a%20b")), "/var/aos/a b");
 * assert.equal(toFilePath("/var/aos/a b"), "/var/aos/a b");
 * ```
 *
 * @param path A path, or a `file:` URL.
 * @returns The path.
 */
export function toFilePath(path: string | URL): string {
  return path instanceof URL ? fileURLToPath(path) : path;
}

/** What {@linkcode atomicWriteFile} can write. */
export type FileData = string | Uint8Array | AsyncIterable<Uint8Array>;

/** Options of {@linkcode atomicWriteFile}. */
export interface AtomicWriteOptions {
  /**
   * Permission bits of the file, set exactly (not masked by the umask).
   * Without it the replaced file's mode is kept, and a new file gets 0o666
   * masked by the umask.
   */
  mode?: number;
  /** Cancels the write; the target is then left as it was. */
  signal?: AbortSignal;
}

/**
 * Replaces a file so that readers and crashes see either the old or the new
 * content, never a mix: the data goes to a temporary file in the same
 * directory, which is flushed to disk, renamed over the target, and then the
 * directory entry is flushed too. On failure or abort the temporary file is
 * removed and the target is untouched.
 *
 * A symbolic link at `path` is replaced by a regular file (the link's target
 * is not written).
 *
 * @example
 * ```ts
 * import { atomicWriteFile, mkTmpDir } from "@aoscore/common/utils";
 * import { readFile, rm } from "node:fs/promises";
 * import assert from "node:assert/strict";
 *
 * const dir = await mkTmpDir();
 * await atomicWriteFile(`${dir}/state.json`, '{"ok":true}', { mode: 0o600 });
 * assert.equal(await readFile(`${dir}/state.json`, "utf8"), '{"ok":true}');
 * await rm(dir, { recursive: true });
 * ```
 *
 * @param path The file to create or replace.
 * @param data Text (written as UTF-8), bytes, or a stream of bytes.
 * @param options The mode and an abort signal.
 * @throws {AosError} `runtime` with the errno when the file system fails; `canceled` on abort.
 */
export async function atomicWriteFile(
  path: string,
  data: FileData,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const { signal } = options;
  throwIfAborted(signal);
  const temp = join(dirname(path), `.${basename(path)}.${randomSuffix(8)}.tmp`);
  let handle: FileHandle | undefined;
  try {
    const mode = options.mode ?? await existingMode(path);
    handle = await open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o666);
    if (mode !== undefined) await handle.chmod(mode);
    await writeAll(handle, data, signal);
    await handle.sync();
    await handle.close();
    handle = undefined;
    throwIfAborted(signal);
    await rename(temp, path);
  } catch (err) {
    await handle?.close().catch(() => {});
    await rm(temp, { force: true }).catch(() => {});
    if (signal?.aborted) throw canceledError(signal);
    throw AosError.wrap(err, undefined, `Cannot write "${path}"`);
  }
  await fsyncDir(dirname(path)).catch((err) => {
    throw AosError.wrap(err, undefined, `Cannot flush directory of "${path}"`);
  });
}

async function existingMode(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).mode & 0o7777;
  } catch {
    return undefined;
  }
}

async function writeAll(handle: FileHandle, data: FileData, signal?: AbortSignal): Promise<void> {
  if (typeof data === "string") data = new TextEncoder().encode(data);
  if (data instanceof Uint8Array) return writeChunk(handle, data);
  for await (const chunk of data) {
    throwIfAborted(signal);
    await writeChunk(handle, chunk);
  }
}

async function writeChunk(handle: FileHandle, chunk: Uint8Array): Promise<void> {
  for (let offset = 0; offset < chunk.byteLength;) {
    const { bytesWritten } = await handle.write(chunk, offset, chunk.byteLength - offset);
    offset += bytesWritten;
  }
}

/**
 * Flushes a directory's entries to disk, so a rename or a new file in it
 * survives a power loss. File systems that cannot sync a directory are
 * skipped silently.
 *
 * @example
 * ```ts
 * import { atomicWriteFile, fsyncDir, mkTmpDir } from "@aoscore/common/utils";
 * import { rename, rm } from "node:fs/promises";
 * import { join } from "node:path";
 *
 * const dir = await mkTmpDir();
 * await atomicWriteFile(join(dir, "state.json.new"), "{}");
 * await rename(join(dir, "state.json.new"), join(dir, "state.json"));
 * await fsyncDir(dir); // the rename now survives a power loss
 * await rm(dir, { recursive: true });
 * ```
 *
 * @param dir The directory.
 * @returns A promise that settles once the directory is synced.
 */
export async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, constants.O_RDONLY);
  try {
    await handle.sync();
  } catch (err) {
    if (!hasErrno(err, "EINVAL") && !hasErrno(err, "ENOTSUP")) throw err;
  } finally {
    await handle.close();
  }
}

function randomSuffix(bytes: number): string {
  return Array.from(
    crypto.getRandomValues(new Uint8Array(bytes)),
    (b) => b.toString(16).padStart(2, "0"),
  )
    .join("");
}

/**
 * The system's temporary directory: the first of `TMPDIR`, `TMP`, `TEMP`,
 * `TEMPDIR` that is set, else `/tmp` (also when the environment may not be read).
 *
 * @example
 * ```ts
 * import { tempDir } from "@aoscore/common/utils";
 * import { stat } from "node:fs/promises";
 * import assert from "node:assert/strict";
 *
 * assert.ok((await stat(tempDir())).isDirectory());
 * ```
 *
 * @returns The directory path.
 */
export function tempDir(): string {
  try {
    for (const name of ["TMPDIR", "TMP", "TEMP", "TEMPDIR"]) {
      const value = process.env[name];
      if (value) return value;
    }
  } catch {
    // Deno without --allow-env: fall through to the default.
  }
  return "/tmp";
}

/**
 * Creates a new directory with a unique name and mode 0700, as AosCore's
 * `MkTmpDir`: the pattern's trailing `XXXXXX` become random letters and
 * digits; a pattern that does not end in `.XXXXXX` gets it appended
 * (`"test_dir"` gives `test_dir.a1B2c3`).
 *
 * @example
 * ```ts
 * import { mkTmpDir, tempDir } from "@aoscore/common/utils";
 * import { rm, stat } from "node:fs/promises";
 * import { basename, dirname } from "node:path";
 * import assert from "node:assert/strict";
 *
 * const dir = await mkTmpDir(tempDir(), "download");
 * assert.equal(dirname(dir), tempDir());
 * assert.match(basename(dir), /^download\.[0-9A-Za-z]{6}$/);
 * assert.equal((await stat(dir)).mode & 0o777, 0o700);
 * await rm(dir, { recursive: true });
 * ```
 *
 * @param dir Where to create it; {@linkcode tempDir} when left out.
 * @param pattern The name pattern; `"tmp.XXXXXX"` when left out.
 * @returns The full path of the new directory.
 * @throws {AosError} `failed` with the errno when it cannot be created.
 */
export async function mkTmpDir(dir: string = tempDir(), pattern = "tmp.XXXXXX"): Promise<string> {
  const name = pattern.endsWith(".XXXXXX") ? pattern : `${pattern}.XXXXXX`;
  try {
    return await mkdtemp(join(dir, name.slice(0, -6)));
  } catch (err) {
    throw AosError.wrap(err, "failed", `Cannot create a temporary directory in "${dir}"`);
  }
}

/** Options of {@linkcode joinPath}. */
export interface JoinPathOptions {
  /**
   * Treats every component as relative (all leading `/` removed), resolves
   * `.` and `..`, and rejects a result outside `base`. Use it for names that
   * come from outside (the cloud, an archive).
   * @default {false}
   */
  confine: boolean;
}

/**
 * Joins path components as AosCore does: each component loses one leading
 * `/`; an empty component adds a trailing `/` (`joinPath("a", "")` is
 * `"a/"`); a component that still starts with `/` (it began with `//`)
 * replaces everything before it; `..` is kept as is.
 *
 * With `{ confine: true }` as the last argument, components cannot leave
 * `base` (see {@linkcode JoinPathOptions.confine}).
 *
 * @example
 * ```ts
 * import { joinPath } from "@aoscore/common/utils";
 * import assert from "node:assert/strict";
 *
 * assert.equal(joinPath("/a", "/b", "c"), "/a/b/c");
 * assert.equal(joinPath("/srv", "x/../y", { confine: true }), "/srv/y");
 * assert.throws(() => joinPath("/srv", "../etc", { confine: true }));
 * ```
 *
 * @param base The first component.
 * @param rest The other components, then optionally the options.
 * @returns The joined path.
 * @throws {AosError} `invalidArgument` in confined mode for a path that leaves `base` or holds a NUL.
 */
export function joinPath(base: string, ...rest: [...string[], JoinPathOptions] | string[]): string {
  const last = rest.at(-1);
  const confine = typeof last === "object" && last.confine;
  const entries = (typeof last === "object" ? rest.slice(0, -1) : rest) as string[];
  if (confine) return joinConfined(base, entries);
  let out = base;
  for (const entry of entries) {
    const part = entry.startsWith("/") ? entry.slice(1) : entry;
    if (part.startsWith("/")) out = part;
    else if (out === "") out = part;
    else out = out.endsWith("/") ? out + part : `${out}/${part}`;
  }
  return out;
}

function joinConfined(base: string, entries: string[]): string {
  const fail = (why: string) =>
    new AosError("invalidArgument", `Cannot join ${JSON.stringify(entries)} to "${base}": ${why}`);
  if (entries.some((e) => e.includes("\0"))) throw fail("a component holds a NUL byte");
  let root = posix.normalize(base === "" ? "." : base);
  if (root.length > 1 && root.endsWith("/")) root = root.slice(0, -1);
  const joined = posix.join(root, ...entries.map((e) => e.replace(/^\/+/, "")));
  const inside = root === "/" ||
    (root === "." ? joined !== ".." && !joined.startsWith("../") : joined === root ||
      joined.startsWith(`${root}/`));
  if (!inside) throw fail("the path leaves the base directory");
  return joined;
}
