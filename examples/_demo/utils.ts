// Copyright 2026 the aos-common authors. Apache-2.0 license.
// deno-lint-ignore-file no-console
/**
 * Demo step of `utils`: the duration syntaxes of AosCore's configuration,
 * protocol timestamps, case-insensitive JSON, retry with backoff, and an
 * atomic write.
 *
 * @module
 */
import { readFile, rm } from "node:fs/promises";
import {
  AosError,
  atomicWriteFile,
  CaseInsensitiveObject,
  errorIs,
  formatDuration,
  formatTimestamp,
  mkTmpDir,
  parseDuration,
  parseJson,
  parseTimestamp,
  retry,
} from "../../utils/mod.ts";

/** Runs the utils demo step. */
export async function utilsDemo(): Promise<void> {
  console.log("\n== utils: durations (ISO 8601, Go-like, plain seconds)");
  for (const text of ["P1DT2H", "1h30m", "90", "1.5s", "PT0.5S", "250us"]) {
    const ms = parseDuration(text);
    console.log(`${text.padEnd(8)} -> ${String(ms).padEnd(10)} ms -> ${formatDuration(ms)}`);
  }
  try {
    parseDuration("1x");
  } catch (err) {
    console.log(`bad input: ${(err as AosError).kind}: ${(err as AosError).message}`);
  }

  console.log("\n== utils: protocol timestamps");
  const time = parseTimestamp("2024-01-31T14:00:00.123456+02:00");
  console.log(`"2024-01-31T14:00:00.123456+02:00" -> ${formatTimestamp(time)}`);

  console.log("\n== utils: case-insensitive JSON");
  const msg = new CaseInsensitiveObject(parseJson('{"MessageType": "alerts", "Items": [1, 2]}'));
  console.log(
    `messageType = ${msg.getString("messageType")}, items = ${msg.getArray("items").length}`,
  );

  console.log("\n== utils: retry with backoff");
  let calls = 0;
  const answer = await retry(() => {
    if (++calls < 3) throw new AosError("timeout", `server busy (call ${calls})`);
    return "connected";
  }, {
    delayMs: 10,
    maxDelayMs: 40,
    onRetry: (attempt, delayMs, err) =>
      console.log(`attempt ${attempt} failed (${err.message}), retrying in ${delayMs} ms`),
  });
  console.log(`result after ${calls} calls: ${answer}`);
  const controller = new AbortController();
  const endless = retry(() => Promise.reject(new Error("down")), {
    maxTries: 0,
    delayMs: 60_000,
    signal: controller.signal,
    onRetry: () => controller.abort(),
  });
  await endless.catch((err) =>
    console.log(`unlimited retry aborted: canceled = ${errorIs(err, "canceled")}`)
  );

  console.log("\n== utils: atomic write");
  const dir = await mkTmpDir(undefined, "aos-demo");
  try {
    await atomicWriteFile(`${dir}/state.json`, '{"version":1}', { mode: 0o600 });
    console.log(`wrote ${dir}/state.json: ${await readFile(`${dir}/state.json`, "utf8")}`);
  } finally {
    await rm(dir, { recursive: true });
  }
}
