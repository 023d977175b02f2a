// Copyright 2026 the aos-common authors. Apache-2.0 license.
// deno-lint-ignore-file no-console
/**
 * The end-to-end device demo (`deno task demo`; `deno task compile` builds it
 * into device binaries). One step per module: typed errors and cancellation;
 * durations, timestamps, JSON, retry and an atomic write from utils; an
 * image store with a disk budget; an Aos item as an OCI layout; the
 * image-records database; the unit's status report; the archive of the
 * demo's own log; a layer published by the file server; a resumable,
 * verified download.
 *
 * @module
 */
import { AosError, delay, errorIs } from "../utils/mod.ts";
import { ocispecDemo } from "./_demo/ocispec.ts";
import { utilsDemo } from "./_demo/utils.ts";
import { spaceallocatorDemo } from "./_demo/spaceallocator.ts";
import { migrationDemo } from "./_demo/migration.ts";
import { cloudprotocolDemo } from "./_demo/cloudprotocol.ts";
import { loggingDemo } from "./_demo/logging.ts";
import { fileserverDemo } from "./_demo/fileserver.ts";
import { downloaderDemo } from "./_demo/downloader.ts";

const step = (title: string) => console.log(`\n== ${title}`);

step("utils: typed errors");
const missing = AosError.wrap(
  new AosError("notFound", "item sha256:ab12 is not installed"),
  undefined,
  "can't start instance",
);
console.log(`message:   ${missing.message}`);
console.log(`kind:      ${missing.kind} (code ${missing.code})`);
console.log(`errorInfo: ${JSON.stringify(missing.toErrorInfo())}`);

step("utils: cancellation");
const controller = new AbortController();
const waiting = delay(60_000, { signal: controller.signal });
controller.abort();
try {
  await waiting;
} catch (err) {
  console.log(`aborted wait rejected with kind "canceled": ${errorIs(err, "canceled")}`);
}

await utilsDemo();
step("spaceallocator: an image store with a disk budget");
await spaceallocatorDemo();

step("ocispec: an Aos item as an OCI image layout");
await ocispecDemo();

step("migration: the image-records database");
await migrationDemo();

step("cloudprotocol: the unit reports its status");
await cloudprotocolDemo();

step("logging: the demo archives its own log");
await loggingDemo();

step("fileserver: the CM publishes a layer, a node downloads and resumes it");
await fileserverDemo();

step("downloader: a resumable, verified download");
await downloaderDemo();

console.log("\ndemo finished");
