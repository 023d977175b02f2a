// Copyright 2026 the aos-common authors. Apache-2.0 license.
// deno-lint-ignore-file no-console
// A FileServer in a child process, so a test can measure the server's memory
// alone. Serves argv's root on 127.0.0.1 and prints the base URL; then each
// stdin line "memory" is answered with the kernel's `{ rss, peak }` of this
// process in bytes (VmRSS, VmHWM); stdin closing stops the server.
import { readFileSync } from "node:fs";
import process from "node:process";
import { createInterface } from "node:readline";
import { FileServer } from "../../fileserver/mod.ts";

const root = process.argv[process.argv.findIndex((a) => a.endsWith("_child_server.ts")) + 1];
const server = new FileServer({
  serverURL: "http://127.0.0.1:0",
  rootDir: root!,
  listenHostname: "127.0.0.1",
});
await server.start();
console.log(server.baseURL.href);

function memory(): { rss: number; peak: number } {
  const status = readFileSync("/proc/self/status", "utf8");
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)![1]);
  return { rss: kb("VmRSS") * 1024, peak: kb("VmHWM") * 1024 };
}

const lines = createInterface({ input: process.stdin });
lines.on("line", (line) => {
  if (line.trim() === "memory") console.log(JSON.stringify(memory()));
});
lines.on("close", () => server.stop());
