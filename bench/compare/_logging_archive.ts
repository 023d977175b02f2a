// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Archives a log file with LogArchiver (level 9, 256 KiB parts) into a sender
// that only counts, and prints "<parts> <compressed bytes> <in-process ms>".
// Usage: <runtime> bench/compare/_logging_archive.ts <file> [tempDir]
import fs from "node:fs";
import process from "node:process";
import { LogArchiver } from "../../logging/mod.ts";

const [file, tempDir] = process.argv.slice(2);
if (file === undefined) throw new Error("usage: _logging_archive.ts <file> [tempDir]");

let compressed = 0;
const start = performance.now();
const archiver = new LogArchiver(
  {
    sendLog(log) {
      compressed += log.content.length;
      return Promise.resolve();
    },
  },
  { maxPartSize: 262_144, maxPartCount: 100_000 },
  tempDir === undefined ? {} : { tempDir },
);
await archiver.addLines(fs.createReadStream(file, { highWaterMark: 256 * 1024 }));
const result = await archiver.sendLog("bench");
const ms = Math.round(performance.now() - start);
if (result.compressedSize !== compressed) throw new Error("the sender did not get every byte");
process.stdout.write(`${result.partsCount} ${compressed} ${ms}\n`);
