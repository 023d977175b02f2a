// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Test data: deterministic pseudo-random bytes and their digests.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";

/**
 * Deterministic pseudo-random bytes (xorshift32), so a wrong offset shows.
 *
 * @param size Length in bytes.
 * @param seed Different seeds give different content.
 * @returns The bytes.
 */
export function testBytes(size: number, seed = 1): Uint8Array {
  const out = new Uint8Array(size);
  const words = new Uint32Array(out.buffer, 0, size >>> 2);
  let x = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    words[i] = x;
  }
  for (let i = words.length * 4; i < size; i++) out[i] = i & 0xff;
  return out;
}

/**
 * The OCI digest `sha256:<hex>` of some bytes.
 *
 * @param data The bytes.
 * @returns The digest.
 */
export function sha256Digest(data: Uint8Array): string {
  return "sha256:" + createHash("sha256").update(data).digest("hex");
}

/**
 * The OCI sha256 digest of a file's content.
 *
 * @param path The file.
 * @returns The digest.
 */
export async function fileDigest(path: string): Promise<string> {
  return sha256Digest(await readFile(path));
}
