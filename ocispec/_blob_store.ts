// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The `blobs/<algorithm>/<hex>` store of an image layout: locating, reading,
// verifying and writing blobs, with errors that name the referring file and
// member.
import { mkdir, open, readFile, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { throwIfAborted } from "../utils/abort.ts";
import { digestBytes, Digester, validateDigest, verifyFile } from "../utils/digest.ts";
import type { ErrorKind } from "../utils/errors.ts";
import { atomicWriteFile } from "../utils/fs.ts";
import { OciError } from "./errors.ts";
import type { ContentDescriptor } from "./types.ts";
import type { WriteBlobStreamOptions } from "./layout_types.ts";

/** A reference to a blob, and where it was found, for messages. */
export interface BlobRef {
  descriptor: ContentDescriptor;
  /** The file holding the reference (`index.json`, a manifest blob). */
  file: string;
  /** JSON pointer of the reference in that file. */
  field: string;
}

export class BlobStore {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
  }

  path(digest: string): string {
    let parts;
    try {
      parts = validateDigest(digest);
    } catch (err) {
      throw new OciError("invalidArgument", `Cannot locate blob in "${this.dir}"`, { cause: err });
    }
    return join(this.dir, "blobs", parts.algorithm, parts.encoded);
  }

  fail(kind: ErrorKind, ref: Pick<BlobRef, "file" | "field">, problem: string): never {
    const { file, field } = ref;
    throw new OciError(
      kind,
      `Image layout "${this.dir}": "${file}" member "${field}": ${problem}`,
      {
        path: file,
        field,
      },
    );
  }

  checkMediaType(ref: BlobRef, allowed: readonly string[]): void {
    const type = ref.descriptor.mediaType;
    if (!allowed.includes(type)) {
      this.fail(
        "notSupported",
        { ...ref, field: `${ref.field}/mediaType` },
        `unsupported media type "${type}"`,
      );
    }
  }

  /** The blob's path once its digest is valid and the file has the right size. */
  async locate(ref: BlobRef): Promise<string> {
    const { digest, size } = ref.descriptor;
    let path: string;
    try {
      path = this.path(digest);
    } catch (err) {
      return this.fail(
        "invalidArgument",
        { ...ref, field: `${ref.field}/digest` },
        (err as Error).message,
      );
    }
    const info = await stat(path).catch(() => undefined);
    if (info === undefined || !info.isFile()) {
      this.fail("notFound", ref, `blob ${digest} is missing (${path})`);
    }
    if (info.size !== size) {
      this.fail("invalidChecksum", ref, `blob "${path}" is ${info.size} bytes, want ${size}`);
    }
    return path;
  }

  /** Reads a (document) blob whole and checks its digest. */
  async read(ref: BlobRef): Promise<Uint8Array> {
    const path = await this.locate(ref);
    const bytes = await io(`Cannot read blob "${path}"`, path, () => readFile(path));
    const actual = digestBytes(bytes, validateDigest(ref.descriptor.digest).algorithm);
    if (actual !== ref.descriptor.digest) {
      this.fail(
        "invalidChecksum",
        ref,
        `blob "${path}" has digest ${actual}, want ${ref.descriptor.digest}`,
      );
    }
    return bytes;
  }

  /** Hashes a (layer) blob from disk. */
  async check(ref: BlobRef, signal: AbortSignal | undefined): Promise<void> {
    const path = await this.locate(ref);
    try {
      await verifyFile(path, ref.descriptor.digest, signal === undefined ? {} : { signal });
    } catch (err) {
      if ((err as OciError).kind !== "invalidChecksum") throw err;
      this.fail("invalidChecksum", ref, (err as Error).message);
    }
  }

  async write(bytes: Uint8Array, mediaType: string): Promise<ContentDescriptor> {
    const digest = digestBytes(bytes);
    const path = this.path(digest);
    const size = bytes.byteLength;
    const intact = await verifyFile(path, digest, { size }).then(() => true, () => false);
    if (!intact) {
      await io(`Cannot write blob "${path}"`, path, async () => {
        await mkdir(join(path, ".."), { recursive: true });
        await atomicWriteFile(path, bytes);
      });
    }
    return { mediaType, digest, size };
  }

  async writeStream(
    source: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
    mediaType: string,
    options: WriteBlobStreamOptions,
  ): Promise<ContentDescriptor> {
    const { signal, expected } = options;
    throwIfAborted(signal, `Write of a blob into "${this.dir}" canceled`);
    const algorithm = expected === undefined ? "sha256" : validateDigest(expected.digest).algorithm;
    const digester = new Digester(algorithm);
    const dir = join(this.dir, "blobs", algorithm);
    await io(`Cannot write blob in "${dir}"`, dir, () => mkdir(dir, { recursive: true }));
    const temp = join(dir, `.incoming.${crypto.randomUUID()}.tmp`);
    const mismatch = (size: string, digest = "") =>
      new OciError(
        "invalidChecksum",
        `Blob written to "${this.dir}" does not match ${expected?.digest} (${expected?.size} bytes): ` +
          `got ${size} bytes${digest === "" ? "" : ` with digest ${digest}`}`,
      );
    try {
      const handle = await io(`Cannot write blob "${temp}"`, temp, () => open(temp, "wx", 0o644));
      try {
        for await (const chunk of source) {
          throwIfAborted(signal, `Write of a blob into "${this.dir}" canceled`);
          digester.update(chunk);
          if (expected !== undefined && digester.size > expected.size) {
            throw mismatch(`more than ${expected.size}`);
          }
          await handle.write(chunk);
        }
        await handle.sync();
      } finally {
        await handle.close();
      }
      const digest = digester.digest();
      if (
        expected !== undefined && (digest !== expected.digest || digester.size !== expected.size)
      ) {
        throw mismatch(String(digester.size), digest);
      }
      const path = this.path(digest);
      await io(`Cannot write blob "${path}"`, path, () => rename(temp, path));
      return { mediaType, digest, size: digester.size };
    } finally {
      await rm(temp, { force: true });
    }
  }
}

export async function io<T>(message: string, path: string, op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    if (err instanceof OciError) throw err;
    const missing = (err as { code?: unknown }).code === "ENOENT";
    throw new OciError(missing ? "notFound" : "failed", message, { cause: err, path });
  }
}
