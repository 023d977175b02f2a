// Copyright 2026 the aos-common authors. Apache-2.0 license.
// deno-lint-ignore-file no-console
/**
 * Demo step of `logging`: the demo archives its own log. From the moment this
 * module is loaded (before the demo's first step), every line the demo prints
 * is also kept as a journal line in the service manager's format
 * (`<YYYYMMDDHHMMSSZ> <unit> <message>`). The step writes them to a file,
 * archives the file into gzip parts of 1 KiB of text, shows each `pushLog`
 * part, reassembles them as the cloud does, and shows the `error` answer
 * when the part budget is too small.
 *
 * @module
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createReadStream } from "node:fs";
import { join } from "node:path";
import type { PushLog } from "../../cloudprotocol/mod.ts";
import { errorPushLog, LogArchiver, LogAssembler } from "../../logging/mod.ts";
import { tempDir, toHex } from "../../utils/mod.ts";

const journal: string[] = [];
const print = console.log.bind(console);
console.log = (...args: unknown[]) => {
  print(...args);
  const stamp = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14) + "Z";
  for (const line of args.map(String).join(" ").split("\n")) {
    if (line !== "") journal.push(`${stamp} aos-demo.service ${line}\n`);
  }
};

/** Runs the logging demo step. */
export async function loggingDemo(): Promise<void> {
  const lines = journal.splice(0);
  console.log = print;
  const dir = await mkdtemp(join(tempDir(), "aos-demo-log-"));
  try {
    const file = join(dir, "demo.log");
    await writeFile(file, lines.join(""));
    console.log(`the demo's own log: ${lines.length} lines in ${file}`);

    const assembler = new LogAssembler();
    const sender = {
      sendLog(log: PushLog): Promise<void> {
        const head = toHex(log.content.subarray(0, 10));
        console.log(
          `pushLog part ${log.part}/${log.partsCount} ${log.status}: ` +
            `${String(log.content.length).padStart(4)} bytes gzip (${head}...)`,
        );
        assembler.add({ ...log, nodeId: "main" });
        return Promise.resolve();
      },
    };
    const config = { maxPartSize: 1024, maxPartCount: 80 };
    await using archiver = new LogArchiver(sender, config);
    await archiver.addLines(createReadStream(file));
    const result = await archiver.sendLog("8c7b6a59-4837-4261-9504-f3e2d1c0b9a8");
    console.log(
      `${result.size} bytes of text in ${result.partsCount} parts, ` +
        `${result.compressedSize} bytes compressed`,
    );
    const text = await assembler.text();
    const same = text === await readFile(file, "utf8");
    console.log(`reassembled by the receiver: ${text.length} characters, identical: ${same}`);

    await using small = new LogArchiver(sender, { maxPartSize: 1024, maxPartCount: 1 });
    try {
      await small.addLines(createReadStream(file));
    } catch (err) {
      const log = errorPushLog("c0ffee00-0000-4000-8000-000000000001", err);
      console.log(`with maxPartCount 1 the answer is: ${log.status}, ${JSON.stringify(log.error)}`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
