// Copyright 2026 the aos-common authors. Apache-2.0 license.
// LogArchiver throughput on 8 MiB of journal-style lines: one addLog call per
// line (how the service manager feeds it), addLines over 64 KiB chunks, and the
// reassembly on the receiving side. Parts of 256 KiB at level 9.
import { LogArchiver, LogAssembler } from "../logging/mod.ts";
import type { PushLog } from "../cloudprotocol/mod.ts";

const encoder = new TextEncoder();
const lines: string[] = [];
let size = 0;
for (let i = 0; size < 8 * 1024 * 1024; i++) {
  const time = new Date(Date.UTC(2026, 4, 7) + i * 173).toISOString();
  const json = i % 2 === 0
    ? ` {"instance":${i % 16},"item":"${(i * 2654435761 >>> 0).toString(16)}","progress":${
      (i % 1000) / 10
    }}`
    : "";
  const line = `${time} aos-servicemanager.service level=info msg="Instance ${i} status"${json}\n`;
  lines.push(line);
  size += line.length;
}
const text = encoder.encode(lines.join(""));
const chunks: Uint8Array[] = [];
for (let at = 0; at < text.length; at += 64 * 1024) chunks.push(text.subarray(at, at + 64 * 1024));
const config = { maxPartSize: 262_144, maxPartCount: 10_000 };
const counting = { sendLog: () => Promise.resolve() };

Deno.bench("addLog per line, 8 MiB", { group: "archive", baseline: true }, async () => {
  await using archiver = new LogArchiver(counting, config);
  for (const line of lines) await archiver.addLog(line);
  await archiver.sendLog("bench");
});

Deno.bench("addLines over 64 KiB chunks, 8 MiB", { group: "archive" }, async () => {
  await using archiver = new LogArchiver(counting, config);
  await archiver.addLines(chunks);
  await archiver.sendLog("bench");
});

const parts: PushLog[] = [];
{
  await using archiver = new LogArchiver({
    sendLog: (log) => Promise.resolve(void parts.push(log)),
  }, config);
  await archiver.addLines(chunks);
  await archiver.sendLog("bench");
}

Deno.bench("LogAssembler reassembles 8 MiB", async () => {
  const assembler = new LogAssembler();
  for (const part of parts) assembler.add(part);
  await assembler.bytes();
});
