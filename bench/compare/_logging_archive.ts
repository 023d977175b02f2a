// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Archives a log file with LogArchiver (level 9, 256 KiB parts) into a sender
// that only counts, and prints "<parts> <compressed bytes> <in-process ms>
// <RSS MiB before the archive> <peak RSS MiB before the first send>". The file is read into one reused buffer:
// addLines is done with a chunk before it reads the next. With --reuse, the
// archiver has reuseContent set (the sender is done with a part at once).
// With --pipe, the file is piped from fs.createReadStream through one
// node:zlib level-9 gzip stream instead (no parts, no archiver): the plain way
// to gzip in a runtime. With --floor, the smallest program doing the
// archiver's zlib work: the same gzip call on every 256 KiB read (no line
// logic), members in an unlinked file, then each read into a fresh buffer and
// handed to the counting sender.
// Usage: <runtime> bench/compare/_logging_archive.ts <file> <tempDir> [--reuse|--pipe|--floor]
import fs from "node:fs";
import path from "node:path";
import process from "node:process";
import zlib from "node:zlib";
import { LogArchiver } from "../../logging/mod.ts";
import { gzipMember } from "../../logging/_gzip_encoder.ts";

const args = process.argv.slice(2);
if (args.length < 2) {
  throw new Error("usage: _logging_archive.ts <file> <tempDir> [--reuse|--pipe|--floor]");
}
const [file, tempDir, mode] = args as [string, string, string?];
const PART_SIZE = 262_144;

function* read(path: string, size: number): Generator<Uint8Array> {
  const fd = fs.openSync(path, "r");
  const buffer = new Uint8Array(size);
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

/** The process's peak RSS so far in MiB (getrusage). */
function peakRss(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

const sender = {
  bytes: 0,
  sendLog(log: { content: Uint8Array }): Promise<void> {
    this.bytes += log.content.length;
    return Promise.resolve();
  },
};

async function archive(): Promise<[number, number]> {
  await using archiver = new LogArchiver(sender, {
    maxPartSize: PART_SIZE,
    maxPartCount: 100_000,
  }, { tempDir, reuseContent: mode === "--reuse" });
  await archiver.addLines(read(file, 256 * 1024));
  const compressing = peakRss();
  const result = await archiver.sendLog("bench");
  if (result.compressedSize !== sender.bytes) throw new Error("the sender did not get every byte");
  return [result.partsCount, compressing];
}

async function floor(): Promise<[number, number]> {
  const spoolPath = path.join(tempDir, "floor.spool");
  const spool = fs.openSync(spoolPath, "w+");
  fs.unlinkSync(spoolPath);
  const members: [offset: number, length: number][] = [];
  let written = 0;
  for (const chunk of read(file, PART_SIZE)) {
    const member = gzipMember(chunk);
    members.push([written, member.length]);
    written += fs.writeSync(spool, member, 0, member.length, written);
  }
  const compressing = peakRss();
  for (const [offset, length] of members) {
    const content = new Uint8Array(length);
    fs.readSync(spool, content, 0, length, offset);
    await sender.sendLog({ content });
  }
  fs.closeSync(spool);
  return [members.length, compressing];
}

async function pipe(): Promise<[number, number]> {
  const gz = fs.createReadStream(file).pipe(zlib.createGzip({ level: 9 }));
  for await (const chunk of gz as AsyncIterable<Uint8Array>) sender.bytes += chunk.length;
  return [1, peakRss()];
}

const startRss = Math.round(process.memoryUsage().rss / 1048576);
const start = performance.now();
const [parts, compressing] =
  await (mode === "--pipe" ? pipe() : mode === "--floor" ? floor() : archive());
const ms = Math.round(performance.now() - start);
process.stdout.write(`${parts} ${sender.bytes} ${ms} ${startRss} ${compressing}\n`);
