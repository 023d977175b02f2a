// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Blob URLs: the unit asks where to download blobs (`requestBlobUrls`) and
 * the cloud answers with URLs, checksums and crypto data (`blobUrls`, same
 * `correlationId`).
 *
 * @module
 */

import { arrayOf, type Codecs, optional, required, struct, withDefault } from "./_codec.ts";
import { messageRows } from "./_common.ts";
import { LIMITS } from "./_limits.ts";
import { base64, hex } from "./_binary.ts";
import { str, timestamp, u64 } from "./_scalars.ts";
import type { MessageBase } from "./types.ts";

/** How to decrypt a blob. */
export interface DecryptInfo {
  /** `AES128|AES192|AES256/<mode>/<padding>`, e.g. `AES256/CBC/pkcs7` (≤ 64 bytes). */
  blockAlg: string;
  /** Initialisation vector (≤ 16 bytes). */
  blockIv: Uint8Array;
  /** Symmetric session key (≤ 64 bytes). */
  blockKey: Uint8Array;
}

/** How to verify a blob's signature. */
export interface SignInfo {
  /** A `certificateChains[].name` of the desired status (≤ 64 bytes). */
  chainName: string;
  /** Signature algorithm, e.g. `RSA/SHA256` (≤ 64 bytes). */
  alg: string;
  /** The signature (≤ 512 bytes). */
  value: Uint8Array;
  /** When the blob was signed. */
  trustedTimestamp: Date;
  /** OCSP responses (≤ 4 of ≤ 64 bytes). */
  ocspValues: string[];
}

/** Where and how to download one blob. */
export interface BlobInfo {
  /** Blob digest (≤ 136 bytes). */
  digest: string;
  /** Alternative download URLs (≤ 8 of ≤ 4096 bytes). */
  urls: string[];
  /** SHA-256 of the downloaded (possibly encrypted) file. */
  sha256: Uint8Array;
  /** Size of the downloaded file, bytes. */
  size: number;
  /** Present when the blob is encrypted. */
  decryptInfo?: DecryptInfo;
  /** Present when the blob is signed. */
  signInfo?: SignInfo;
}

/** `requestBlobUrls` (unit → cloud): asks for the URLs of blobs. */
export interface RequestBlobUrls extends MessageBase<"requestBlobUrls"> {
  /** OCI digests of the blobs (≤ 16 of ≤ 136 bytes). */
  digests: string[];
}

/** `blobUrls` (cloud → unit): the answer to `requestBlobUrls`. */
export interface BlobUrls extends MessageBase<"blobUrls"> {
  /** The blobs (≤ 16). */
  items: BlobInfo[];
}

const DIGEST = str(LIMITS.digest);
const NAME = str(LIMITS.algorithm);

const DECRYPT_INFO = struct<DecryptInfo>("DecryptInfo", [
  withDefault("blockAlg", "blockAlg", NAME),
  withDefault("blockIv", "blockIv", base64(LIMITS.iv)),
  withDefault("blockKey", "blockKey", base64(LIMITS.key)),
]);

const SIGN_INFO = struct<SignInfo>("SignInfo", [
  withDefault("chainName", "chainName", str(LIMITS.chainName)),
  withDefault("alg", "alg", NAME),
  withDefault("value", "value", base64(LIMITS.signature)),
  required("trustedTimestamp", "trustedTimestamp", timestamp),
  withDefault("ocspValues", "ocspValues", arrayOf(str(LIMITS.ocspValue), LIMITS.ocspValues)),
]);

const BLOB_INFO = struct<BlobInfo>("BlobInfo", [
  withDefault("digest", "digest", DIGEST),
  withDefault("urls", "urls", arrayOf(str(LIMITS.url), LIMITS.urls)),
  withDefault("sha256", "sha256", hex(LIMITS.checksum)),
  withDefault("size", "size", u64),
  optional("decryptInfo", "decryptInfo", DECRYPT_INFO),
  optional("signInfo", "signInfo", SIGN_INFO),
]);

/** Codecs of this family. */
export const BLOBS_CODECS: Codecs<"requestBlobUrls" | "blobUrls"> = {
  requestBlobUrls: struct<RequestBlobUrls>("requestBlobUrls", [
    ...messageRows("requestBlobUrls"),
    required("digests", "digests", arrayOf(DIGEST, LIMITS.blobs)),
  ]),
  blobUrls: struct<BlobUrls>("blobUrls", [
    ...messageRows("blobUrls"),
    withDefault("items", "items", arrayOf(BLOB_INFO, LIMITS.blobs)),
  ]),
};
