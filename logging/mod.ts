// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Log archiving: compress log lines into size-limited gzip parts and hand
 * them to a {@linkcode LogSender} as `pushLog` messages, as AosCore's archiver
 * does; and reassemble them on the receiving side.
 *
 * @example
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
