// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Content digests in the OCI form `<algorithm>:<lower-case hex>`: parsing and
 * validation, incremental hashing, file and stream digests and file
 * verification.
 *
 * Files are read in 4 MiB chunks into two reused buffers, the next read
 * running while the current chunk is hashed, so hashing a file runs at about
 * the speed of `openssl dgst` with flat memory.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { createHash, type Hash } from "node:crypto";
import * as fs from "node:fs";
import { checkString } from "./_argument_type.ts";
import { AosError } from "./errors.ts";
import { throwIfAborted } from "./abort.ts";
import {
  digestMismatch,
  fsCall,
  hashFile,
  normalizeDigest,
  quote,
  sizeMismatch,
} from "./_digest_io.ts";
import { toFilePath } from "./fs.ts";

/** A digest algorithm of the OCI image spec. */
export type DigestAlgorithm = "sha256" | "sha384" | "sha512";

/** Length of the hex-encoded value of each supported algorithm. */
export const DIGEST_HEX_LENGTH: Readonly<Record<DigestAlgorithm, number>> = Object.freeze({
  sha256: 64,
  sha384: 96,
  sha512: 128,
});

/** The two parts of a validated digest. */
export interface DigestParts {
  /** The algorithm, lower-cased. */
  algorithm: DigestAlgorithm;
  /** The lower-case hex value. */
  encoded: string;
}

/**
 * Splits a digest at its first `:`. Never throws: a text without `:` is all
 * algorithm, with an empty encoded part.
 *
 * @example
 * ```ts
 * import { parseDigest } from "@aoscore/common/utils";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(parseDigest("sha256:1234567890abcdef"), ["sha256", "1234567890abcdef"]);
 * assert.deepEqual(parseDigest("sha256"), ["sha256", ""]);
 * ```
 *
 * @param digest The digest text.
 * @returns The algorithm and the encoded part, as written.
 * @throws {AosError} `invalidArgument` when `digest` is not a string.
 */
export function parseDigest(digest: string): [algorithm: string, encoded: string] {
  checkString(digest, "digest", "Cannot parse digest");
  const colon = digest.indexOf(":");
  return colon < 0 ? [digest, ""] : [digest.slice(0, colon), digest.slice(colon + 1)];
}

/**
 * Checks a digest: a supported algorithm (any case, as AosCore accepts) and a
 * lower-case hex value of exactly that algorithm's length.
 *
 * @example
 * ```ts
 * import { validateDigest } from "@aoscore/common/utils";
 * import assert from "node:assert/strict";
 *
 * const d = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
 * assert.equal(validateDigest(d).algorithm, "sha256");
 * assert.throws(() => validateDigest("sha256:E3B0"), /invalid encoded length/);
 * ```
 *
 * @param digest The digest text.
 * @returns The algorithm (lower-cased) and the hex value.
 * @throws {AosError} `invalidArgument` naming the digest and what is wrong with it.
 */
export function validateDigest(digest: string): DigestParts {
  const [alg, encoded] = parseDigest(digest);
  const algorithm = alg.toLowerCase();
  if (!isAlgorithm(algorithm)) {
    throw new AosError(
      "invalidArgument",
      `Invalid digest ${quote(digest)}: unsupported algorithm ${quote(alg)}` +
        " (want sha256, sha384 or sha512)",
    );
  }
  const want = DIGEST_HEX_LENGTH[algorithm];
  if (encoded.length !== want) {
    throw new AosError(
      "invalidArgument",
      `Invalid digest ${quote(digest)}: invalid encoded length ${encoded.length}, ` +
        `${algorithm} needs ${want} hex digits`,
    );
  }
  if (!/^[0-9a-f]+$/.test(encoded)) {
    throw new AosError(
      "invalidArgument",
      `Invalid digest ${quote(digest)}: invalid encoded value, want lower-case hex digits`,
    );
  }
  return { algorithm, encoded };
}

/**
 * Reports whether a digest passes {@linkcode validateDigest}.
 *
 * @example
 * ```ts
 * import { isValidDigest } from "@aoscore/common/utils";
 * import assert from "node:assert/strict";
 *
 * assert.equal(isValidDigest(`sha256:${"0".repeat(64)}`), true);
 * assert.equal(isValidDigest("sha256:abc"), false);
 * assert.equal(isValidDigest("md5:d41d8cd98f00b204e9800998ecf8427e"), false);
 * ```
 *
 * @param digest The digest text.
 * @returns `true` for a valid digest.
 */
export function isValidDigest(digest: string): boolean {
  try {
    validateDigest(digest);
    return true;
  } catch {
    return false;
  }
}

/**
 * An incremental hasher producing an OCI digest: feed it chunks as they
 * arrive (while writing a download, for example), then read the digest.
 *
 * @example
 * ```ts
 * import { Digester } from "@aoscore/common/utils";
 * import assert from "node:assert/strict";
 *
 * const d = new Digester();
 * d.update(new TextEncoder().encode("hello "));
 * d.update(new TextEncoder().encode("world"));
 * assert.equal(d.size, 11);
 * assert.equal(
 *   d.digest(),
 *   "sha256:b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9",
 * );
 * ```
 */
export class Digester {
  /** The algorithm in use. */
  readonly algorithm: DigestAlgorithm;
  #hash: Hash;
  #size = 0;
  #result: string | undefined;

  /**
   * Creates a hasher.
   *
   * @param algorithm The algorithm; `"sha256"` by default.
   * @throws {AosError} `invalidArgument` for an unsupported algorithm.
   */
  constructor(algorithm: DigestAlgorithm = "sha256") {
    this.algorithm = checkAlgorithm(algorithm);
    this.#hash = createHash(algorithm);
  }

  /** Number of bytes fed so far. */
  get size(): number {
    return this.#size;
  }

  /**
   * Feeds bytes. The chunk is hashed at once and may be reused afterwards.
   *
   * @param chunk The next bytes.
   * @returns This hasher, for chaining.
   * @throws {AosError} `wrongState` after {@linkcode Digester.digest}.
   */
  update(chunk: Uint8Array | string): this {
    if (this.#result !== undefined) {
      throw new AosError("wrongState", "Cannot update a digester after digest() was read");
    }
    this.#hash.update(chunk);
    this.#size += typeof chunk === "string" ? Buffer.byteLength(chunk) : chunk.byteLength;
    return this;
  }

  /**
   * Finishes the hash. Later calls return the same value.
   *
   * @returns The digest, `"<algorithm>:<hex>"`.
   */
  digest(): string {
    this.#result ??= `${this.algorithm}:${this.#hash.digest("hex")}`;
    return this.#result;
  }
}
/** Options of the file and stream digest functions. */
export interface DigestOptions {
  /** Aborts the work with a `canceled` error. */
  signal?: AbortSignal;
  /** Called after each chunk with the number of bytes hashed so far. */
  onProgress?: (bytes: number) => void;
}

/**
 * Hashes bytes or text in memory.
 *
 * @example
 * ```ts
 * import { digestBytes } from "@aoscore/common/utils";
 * import assert from "node:assert/strict";
 *
 * assert.equal(
 *   digestBytes("hello world"),
 *   "sha256:b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9",
 * );
 * assert.match(digestBytes(new Uint8Array([1, 2, 3]), "sha512"), /^sha512:[0-9a-f]{128}$/);
 * ```
 *
 * @param data The bytes, or text hashed as UTF-8.
 * @param algorithm The algorithm; `"sha256"` by default.
 * @returns The digest, `"<algorithm>:<hex>"`.
 */
export function digestBytes(data: Uint8Array | string, algorithm?: DigestAlgorithm): string {
  return new Digester(algorithm).update(data).digest();
}

/**
 * Hashes a file, reading it in large chunks with flat memory.
 *
 * @example
 * ```ts
 * import { digestFile } from "@aoscore/common/utils";
 * import { writeFile, rm } from "node:fs/promises";
 * import assert from "node:assert/strict";
 *
 * await writeFile("hello.txt", "hello world");
 * assert.equal(
 *   await digestFile("hello.txt"),
 *   "sha256:b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9",
 * );
 * await rm("hello.txt");
 * ```
 *
 * @param path The file.
 * @param algorithm The algorithm; `"sha256"` by default.
 * @param options Cancellation and progress.
 * @returns The digest, `"<algorithm>:<hex>"`.
 * @throws {AosError} `notFound` for a missing file, `canceled` on abort, `failed` on other I/O errors.
 */
export async function digestFile(
  path: string | URL,
  algorithm: DigestAlgorithm = "sha256",
  options: DigestOptions = {},
): Promise<string> {
  const hasher = new Digester(algorithm);
  await hashFile(toFilePath(path), (chunk) => hasher.update(chunk), Infinity, options);
  return hasher.digest();
}

/**
 * Hashes everything a stream yields, to its end.
 *
 * @example
 * ```ts
 * import { digestBytes, digestStream } from "@aoscore/common/utils";
 * import assert from "node:assert/strict";
 *
 * const body = new Response("hello world").body!;
 * const seen: number[] = [];
 * const digest = await digestStream(body, "sha256", { onProgress: (bytes) => seen.push(bytes) });
 * assert.equal(digest, digestBytes("hello world"));
 * assert.equal(seen.at(-1), 11);
 * ```
 *
 * @param stream A `ReadableStream` or any async iterable of bytes.
 * @param algorithm The algorithm; `"sha256"` by default.
 * @param options Cancellation and progress.
 * @returns The digest, `"<algorithm>:<hex>"`.
 * @throws {AosError} `canceled` on abort; errors of the stream are passed on.
 */
export async function digestStream(
  stream: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
  algorithm: DigestAlgorithm = "sha256",
  options: DigestOptions = {},
): Promise<string> {
  const { signal, onProgress } = options;
  const hasher = new Digester(algorithm);
  throwIfAborted(signal, "Digest of a stream canceled");
  for await (const chunk of stream) {
    throwIfAborted(signal, "Digest of a stream canceled");
    hasher.update(chunk);
    onProgress?.(hasher.size);
  }
  return hasher.digest();
}

/** Options of {@linkcode verifyFile}. */
export interface VerifyFileOptions extends DigestOptions {
  /** Also require this size in bytes (checked first, without reading the file). */
  size?: number;
}

/**
 * Checks that a file has the given digest (and size, when given).
 *
 * @example
 * ```ts
 * import { digestBytes, errorIs, verifyFile } from "@aoscore/common/utils";
 * import { mkdtemp, rm, writeFile } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import assert from "node:assert/strict";
 *
 * const dir = await mkdtemp(join(tmpdir(), "verify-"));
 * try {
 *   const file = join(dir, "blob");
 *   await writeFile(file, "hello world");
 *   await verifyFile(file, digestBytes("hello world"), { size: 11 });
 *   await assert.rejects(verifyFile(file, digestBytes("hello")), (err) =>
 *     errorIs(err, "invalidChecksum"));
 * } finally {
 *   await rm(dir, { recursive: true });
 * }
 * ```
 *
 * @param path The file.
 * @param digest The expected digest; its algorithm is used.
 * @param options Expected size, cancellation and progress.
 * @returns A promise that resolves when the file matches.
 * @throws {AosError} `invalidChecksum` on a mismatch, `invalidArgument` for a
 * malformed digest, `notFound` for a missing file.
 */
export async function verifyFile(
  path: string | URL,
  digest: string,
  options: VerifyFileOptions = {},
): Promise<void> {
  const { algorithm } = validateDigest(digest);
  const file = toFilePath(path);
  if (options.size !== undefined) {
    const actual = await fsCall(() => fs.promises.stat(file), `Cannot verify file "${file}"`);
    if (actual.size !== options.size) {
      throw sizeMismatch(`File "${file}"`, options.size, String(actual.size));
    }
  }
  const actual = await digestFile(file, algorithm, options);
  if (actual !== normalizeDigest(digest)) throw digestMismatch(`File "${file}"`, digest, actual);
}

function isAlgorithm(name: string): name is DigestAlgorithm {
  return Object.hasOwn(DIGEST_HEX_LENGTH, name);
}

function checkAlgorithm(name: string): DigestAlgorithm {
  if (!isAlgorithm(name)) {
    throw new AosError(
      "invalidArgument",
      `Unsupported digest algorithm ${quote(name)} (want sha256, sha384 or sha512)`,
    );
  }
  return name;
}
