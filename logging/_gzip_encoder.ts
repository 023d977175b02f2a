// Copyright 2026 the aos-common authors. Apache-2.0 license.
// One part's text as one gzip member, with AosCore's parameters: level 9,
// 15-bit window, memLevel 8, default strategy (zlib's defaults besides the
// level), and zlib's own header: no name, mtime 0, XFL 2, OS 3.
//
// `gzipSync` is node:zlib's public one-shot call, the same in Deno and Node:
// it deflates on the calling thread, as the stream API does in Deno. A part
// is at most `maxPartSize` bytes (256 KiB by default) plus, rarely, one
// longer message, so holding its text until it is complete costs little.

import { gzipSync } from "node:zlib";

const MIN_CHUNK_SIZE = 16 * 1024;

/** `text` as one gzip member, byte for byte what zlib writes at level 9. */
export function gzipMember(text: Uint8Array): Uint8Array {
  // The output buffer holds an eighth of the text: a text log compresses to
  // about a tenth, so its member fits one buffer and that buffer is all the
  // garbage a part leaves (more output takes more buffers and a copy).
  const chunkSize = Math.max(MIN_CHUNK_SIZE, text.length >>> 3);
  return gzipSync(text, { level: 9, chunkSize });
}
