// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Log archiving: {@linkcode LogArchiver} compresses log lines into
 * size-limited gzip parts and hands them to a {@linkcode LogSender} as
 * `pushLog` messages, as AosCore's archiver does; {@linkcode LogAssembler}
 * is the receiving side; {@linkcode absentPushLog} and
 * {@linkcode errorPushLog} are the status answers of a log provider.
 *
 * What matches AosCore, on the wire:
 *
 * - Each part is one complete gzip member made with AosCore's zlib parameters
 *   (level 9, 15-bit window, memLevel 8, default strategy), so the same
 *   10-byte header `1f8b0800000000000203`. A part that received no data has
 *   no bytes at all, not an empty gzip member.
 * - `maxPartSize` counts uncompressed UTF-8 bytes; exactly `maxPartSize`
 *   fit; a message (line) is never split, so one larger than a part gets a
 *   part of its own, and when that is the first message, part 1 is empty.
 * - The part-count check comes first, so an archive holds `maxPartCount + 1`
 *   parts and the next message fails with `tooManyParts` even if it would
 *   fit; the parts so far can still be sent.
 * - Nothing added: one `empty` message, part 1 of 1. Parts are sent in order,
 *   each after the previous send settled; `nodeId` is left for the transport.
 *   `errorPushLog` reports every failure with `aosCode` 1 (`failed`).
 *
 * Where this module deliberately differs from AosCore:
 *
 * - A sender rejection stops the archive and `sendLog` rejects with it
 *   (AosCore ignores the sender's result). `ignoreSendErrors` restores
 *   AosCore's behaviour and returns the rejections instead.
 * - Too large parts (over {@linkcode MAX_LOG_CONTENT_SIZE} compressed) are
 *   found before the first part is sent, so the receiver never gets a partial
 *   log followed by an error (AosCore sends the parts before the bad one).
 * - Memory is bounded: lines are compressed as they come, through one zlib
 *   state that is reset between parts and fixed, reused buffers, and
 *   compressed parts beyond `memoryLimit` wait in an unlinked temporary file
 *   (AosCore keeps every part in memory).
 * - The archiver is single use: calls after `sendLog` fail with `wrongState`
 *   (undefined behaviour in AosCore). A correlation id over 37 bytes is
 *   refused with `invalidArgument`. Calls that are not awaited run in call
 *   order. `AbortSignal` and progress callbacks on the long calls.
 * - Compressed bytes equal AosCore's only as far as the zlib builds agree
 *   (Deno's and Node's zlib encode longer inputs differently from the
 *   system's); every part is standard gzip, so receivers compare text.
 *
 * @example Archive lines and reassemble them
 * ```ts
 * import { LogArchiver, LogAssembler, type LogSender } from "@aoscore/common/logging";
 * import assert from "node:assert/strict";
 *
 * const assembler = new LogAssembler();
 * const sender: LogSender = { sendLog: async (log) => void assembler.add(log) };
 * await using archiver = new LogArchiver(sender, { maxPartSize: 64, maxPartCount: 10 });
 * for (let i = 1; i <= 5; i++) await archiver.addLog(`20260507061000Z aos-sm line ${i}\n`);
 * const result = await archiver.sendLog("8c7b6a59-4837-4261-9504-f3e2d1c0b9a8");
 * assert.equal(result.partsCount, 3);
 * assert.match(await assembler.text(), /line 1\n.*line 5\n$/s);
 * ```
 *
 * @module
 */
export * from "./archiver.ts";
export * from "./assembler.ts";
export * from "./config.ts";
export * from "./errors.ts";
export * from "./push_log.ts";
export type * from "./types.ts";
