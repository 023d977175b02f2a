// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Step 8: the cloud asks for the unit's log (`requestLog`). The unit's log
 * is what the demo printed so far, as journal lines; the unit writes it to
 * its log file and archives it (`logging`) into gzip parts of at most 4 KiB
 * of text, each sent as a `pushLog`. The cloud puts the parts back together
 * with a `LogAssembler`, which checks their numbering and content, and
 * compares the text with the unit's file.
 *
 * @module
 */
import { createReadStream } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { LogArchiver, LogAssembler } from "../../logging/mod.ts";
import { uuidV4 } from "../../utils/mod.ts";
import type { DemoContext } from "./context.ts";
import type { Step } from "./runner.ts";
import { detail, formatBytes, journalLines } from "./ui.ts";

/** Step 8. */
export const logStep: Step = {
  title: "the cloud fetches the unit's log",
  needs: [1],
  async run(ctx: DemoContext, signal: AbortSignal) {
    const logFile = join(ctx.workDir, "unit", "log", "aos-demo.log");
    const correlationId = uuidV4();

    // The unit: answers requestLog with its log file, archived into pushLog parts.
    const sent = Promise.withResolvers<{ parts: number; size: number; compressed: number }>();
    using _unit = ctx.conn.subscribe("requestLog", async (request) => {
      try {
        await mkdir(join(logFile, ".."), { recursive: true });
        await writeFile(logFile, journalLines().join(""));
        await using archiver = new LogArchiver({
          sendLog: (log) => ctx.conn.send({ ...log, nodeId: ctx.nodeId }),
        }, { maxPartSize: 4096, maxPartCount: 80 });
        await archiver.addLines(createReadStream(logFile), { signal });
        const result = await archiver.sendLog(request.correlationId ?? "", { signal });
        sent.resolve({
          parts: result.partsCount,
          size: result.size,
          compressed: result.compressedSize,
        });
      } catch (err) {
        sent.reject(err);
      }
    });

    // The cloud: collects the parts and checks them.
    const assembler = new LogAssembler();
    const complete = Promise.withResolvers<void>();
    using _cloud = ctx.cloud.handle("pushLog", (log) => {
      try {
        if (assembler.add(log)) complete.resolve();
      } catch (err) {
        complete.reject(err);
      }
    });
    await ctx.cloud.push({
      messageType: "requestLog",
      correlationId,
      logType: "systemLog",
      filter: { nodeIds: [ctx.nodeId] },
    });
    const { parts, size, compressed } = await sent.promise;
    detail(
      `unit: ${journalLines().length} lines, ${formatBytes(size)} of text in ${parts} ` +
        `pushLog parts, ${formatBytes(compressed)} gzip`,
    );
    await complete.promise;
    const text = await assembler.text();
    if (text !== await readFile(logFile, "utf8")) throw new Error("the reassembled log differs");
    detail(`cloud: ${assembler.status}, the log begins "${text.slice(0, 36)}..."`);
    return { summary: `${parts} parts reassembled by the cloud: identical to the unit's log` };
  },
};
