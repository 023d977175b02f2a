// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * A pass-through stream that hashes and verifies the bytes flowing through it.
 *
 * @module
 */

import { type DigestAlgorithm, Digester, validateDigest } from "./digest.ts";
import { digestMismatch, normalizeDigest, sizeMismatch } from "./_digest_io.ts";
import type { AosError } from "./errors.ts";

/** Options of {@linkcode DigestStream}. */
export interface DigestStreamOptions {
  /**
   * The algorithm, when no `expected` digest names it.
   *
   * @default {"sha256"}
   */
  algorithm?: DigestAlgorithm;
  /** Fail the stream with `invalidChecksum` at its end unless the bytes have this digest. */
  expected?: string;
  /** Fail the stream with `invalidChecksum` as soon as the byte count differs from this size. */
  expectedSize?: number;
}

/**
 * A pass-through `TransformStream` that hashes what flows through it, and
 * optionally verifies digest and size, so a blob is checked while it is
 * downloaded or unpacked rather than read twice.
 *
 * @example
 * ```ts
 * import { DigestStream } from "@aoscore/common/utils";
 * import assert from "node:assert/strict";
 *
 * const hashing = new DigestStream();
 * await new Blob(["hello world"]).stream().pipeThrough(hashing).pipeTo(new WritableStream());
 * assert.equal(
 *   await hashing.digest,
 *   "sha256:b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9",
 * );
 * ```
 */
export class DigestStream extends TransformStream<Uint8Array, Uint8Array> {
  /** Resolves to the digest of everything that passed, when the stream ends. */
  readonly digest: Promise<string>;

  /**
   * Creates the stream.
   *
   * @param options The algorithm and what to verify.
   * @throws {AosError} `invalidArgument` for a malformed `expected` digest.
   */
  constructor(options: DigestStreamOptions = {}) {
    const { expected, expectedSize } = options;
    const algorithm = expected === undefined
      ? options.algorithm ?? "sha256"
      : validateDigest(expected).algorithm;
    const hasher = new Digester(algorithm);
    let settle!: (value: string) => void;
    let fail!: (reason: unknown) => void;
    const digest = new Promise<string>((resolve, reject) => {
      settle = resolve;
      fail = reject;
    });
    // A stream that errors without anyone awaiting `digest` must not leave an unhandled rejection.
    digest.catch(() => {});
    const reject = (err: AosError): never => {
      fail(err);
      throw err;
    };
    super({
      transform(chunk, controller) {
        hasher.update(chunk);
        if (expectedSize !== undefined && hasher.size > expectedSize) {
          reject(sizeMismatch("Stream", expectedSize, `more than ${expectedSize}`));
        }
        controller.enqueue(chunk);
      },
      flush() {
        if (expectedSize !== undefined && hasher.size !== expectedSize) {
          reject(sizeMismatch("Stream", expectedSize, String(hasher.size)));
        }
        const actual = hasher.digest();
        if (expected !== undefined && actual !== normalizeDigest(expected)) {
          reject(digestMismatch("Stream", expected, actual));
        }
        settle(actual);
      },
    });
    this.digest = digest;
  }
}
