// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Hashing with the algorithm names of AosCore, one-shot and incremental.
 * `node:crypto` does the work on both runtimes (WebCrypto has no incremental
 * hashing and no SHA-224, SHA-512/t or SHA-3).
 *
 * @module
 */

import { createHash as nodeCreateHash, type Hash as NodeHash } from "node:crypto";
import { AosError } from "../errors.ts";

/** A hash algorithm, named as AosCore names it. */
export type HashAlgorithm =
  | "SHA1"
  | "SHA224"
  | "SHA256"
  | "SHA384"
  | "SHA512"
  | "SHA512-224"
  | "SHA512-256"
  | "SHA3-224"
  | "SHA3-256";

const NODE_NAMES: Readonly<Record<HashAlgorithm, string>> = {
  "SHA1": "sha1",
  "SHA224": "sha224",
  "SHA256": "sha256",
  "SHA384": "sha384",
  "SHA512": "sha512",
  "SHA512-224": "sha512-224",
  "SHA512-256": "sha512-256",
  "SHA3-224": "sha3-224",
  "SHA3-256": "sha3-256",
};

/** Digest length in bytes of every algorithm. */
export const HASH_LENGTH: Readonly<Record<HashAlgorithm, number>> = Object.freeze({
  "SHA1": 20,
  "SHA224": 28,
  "SHA256": 32,
  "SHA384": 48,
  "SHA512": 64,
  "SHA512-224": 28,
  "SHA512-256": 32,
  "SHA3-224": 28,
  "SHA3-256": 32,
});

/**
 * Reports whether `name` is a {@linkcode HashAlgorithm}.
 *
 * @example
 * ```ts
 * import { digest, HASH_LENGTH, isHashAlgorithm } from "@aoscore/common/utils/crypto";
 * import assert from "node:assert/strict";
 *
 * const name: string = "SHA3-256";
 * assert.ok(isHashAlgorithm(name));
 * assert.equal(digest(name, "abc").length, HASH_LENGTH[name]);
 * assert.equal(isHashAlgorithm("sha256"), false);
 * ```
 *
 * @param name The name to test.
 * @returns `true` for the nine names of {@linkcode HashAlgorithm}.
 */
export function isHashAlgorithm(name: string): name is HashAlgorithm {
  return Object.hasOwn(NODE_NAMES, name);
}

function nodeName(algorithm: string): string {
  if (!isHashAlgorithm(algorithm)) {
    throw new AosError("invalidArgument", `Unknown hash algorithm "${algorithm}"`);
  }
  return NODE_NAMES[algorithm];
}

/** An incremental hash: {@linkcode Hash.update} any number of times, then {@linkcode Hash.digest} once. */
export interface Hash {
  /** The algorithm in use. */
  readonly algorithm: HashAlgorithm;
  /**
   * Feeds bytes (text is fed as UTF-8).
   *
   * @param data The next bytes; may be empty.
   * @returns This hash, for chaining.
   * @throws {AosError} `wrongState` after {@linkcode Hash.digest}.
   */
  update(data: Uint8Array | string): this;
  /**
   * Finishes the hash.
   *
   * @returns The digest.
   * @throws {AosError} `wrongState` when called a second time.
   */
  digest(): Uint8Array;
}

class NodeBackedHash implements Hash {
  readonly algorithm: HashAlgorithm;
  #hash: NodeHash | undefined;

  constructor(algorithm: HashAlgorithm) {
    this.#hash = nodeCreateHash(nodeName(algorithm));
    this.algorithm = algorithm;
  }

  update(data: Uint8Array | string): this {
    this.#live("update").update(data);
    return this;
  }

  digest(): Uint8Array {
    const out = new Uint8Array(this.#live("digest").digest());
    this.#hash = undefined;
    return out;
  }

  #live(what: string): NodeHash {
    if (this.#hash === undefined) {
      throw new AosError("wrongState", `Cannot ${what} a ${this.algorithm} hash after digest()`);
    }
    return this.#hash;
  }
}

/**
 * Starts an incremental hash.
 *
 * @example
 * ```ts
 * import { createHash } from "@aoscore/common/utils/crypto";
 * import { toHex } from "@aoscore/common/utils";
 * import assert from "node:assert/strict";
 *
 * const hash = createHash("SHA256").update("ab").update(new TextEncoder().encode("c"));
 * assert.equal(
 *   toHex(hash.digest()),
 *   "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
 * );
 * ```
 *
 * @param algorithm The algorithm.
 * @returns A fresh hash.
 * @throws {AosError} `invalidArgument` for an unknown algorithm (`"NONE"` included).
 */
export function createHash(algorithm: HashAlgorithm): Hash {
  return new NodeBackedHash(algorithm);
}

/**
 * Hashes bytes (or text as UTF-8) in one call.
 *
 * @example
 * ```ts
 * import { digest } from "@aoscore/common/utils/crypto";
 * import assert from "node:assert/strict";
 *
 * assert.equal(digest("SHA384", "abc").length, 48);
 * ```
 *
 * @param algorithm The algorithm.
 * @param data The bytes or text.
 * @returns The digest.
 * @throws {AosError} `invalidArgument` for an unknown algorithm.
 */
export function digest(algorithm: HashAlgorithm, data: Uint8Array | string): Uint8Array {
  return new Uint8Array(nodeCreateHash(nodeName(algorithm)).update(data).digest());
}
