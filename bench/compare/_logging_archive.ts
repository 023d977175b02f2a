// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Archives a log file with LogArchiver (level 9, 256 KiB parts) into a sender
// that only counts, and prints "<parts> <compressed bytes> <in-process ms>
// <RSS MiB before the archive>". The file is read into one reused buffer:
// addLines is done with a chunk before it reads the next. With --pipe, the
// file is piped from fs.createReadStream through one node:zlib level-9 gzip
// stream instead (no parts, no archiver): the plain way to gzip in a runtime.
// Usage: <runtime> bench/compare/_logging_archive.ts <file> <tempDir> [--pipe]
import fs from "node:fs";
import process from "node:process";
import zlib from "node:zlib";
import { LogArchiver } from "../../logging/mod.ts";

const [file, tempDir, mode] = process.argv.slice(2);
if (file === undefined || tempDir === undefined) {
  throw new Error("usage: _logging_archive.ts <file> <tempDir> [--pipe]");
}

function* read(path: string): Generator<Uint8Array> {
  const fd = fs.openSync(path, "r");
  const buffer = new Uint8Array(256 * 1024);
  try {
    for (;;) {
      const n = fs.readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) return;
      yield buffer.subarray(0, n);
    }
  } finally {
    fs.closeSync(fd);
  }
}

const startRss = Math.round(process.memoryUsage().rss / 1048576);
const start = performance.now();
let parts = 1;
let compressed = 0;
if (mode === "--pipe") {
  const gz = fs.createReadStream(file).pipe(zlib.createGzip({ level: 9 }));
  for await (const chunk of gz as AsyncIterable<Uint8Array>) compressed += chunk.length;
} else {
  await using archiver = new LogArchiver(
    {
      sendLog(log) {
        compressed += log.content.length;
        return Promise.resolve();
      },
    },
    { maxPartSize: 262_144, maxPartCount: 100_000 },
    { tempDir },
  );
  await archiver.addLines(read(file));
  const result = await archiver.sendLog("bench");
  if (result.compressedSize !== compressed) throw new Error("the sender did not get every byte");
  parts = result.partsCount;
}
const ms = Math.round(performance.now() - start);
process.stdout.write(`${parts} ${compressed} ${ms} ${startRss}\n`);
