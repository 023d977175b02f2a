// Copyright 2026 the aos-common authors. Apache-2.0 license.
// deno-lint-ignore-file no-console
// A FileServer in a child process, so a test can measure the server's memory
// alone. Serves the root given as argument on 127.0.0.1 and prints one JSON
// line `{ url, rss, peak }`; on SIGTERM it stops, prints `{ rss, peak }` again
// and exits. Memory is the kernel's VmRSS and VmHWM, in bytes.
import { readFileSync } from "node:fs";
import process from "node:process";
import { FileServer } from "../../fileserver/mod.ts";

function memory(): { rss: number; peak: number } {
  const status = readFileSync("/proc/self/status", "utf8");
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)![1]);
  return { rss: kb("VmRSS") * 1024, peak: kb("VmHWM") * 1024 };
}

const root = process.argv[process.argv.length - 1]!;
const server = new FileServer({
  serverURL: "http://127.0.0.1:0",
  rootDir: root,
  listenHostname: "127.0.0.1",
});
await server.start();
console.log(JSON.stringify({ url: server.baseURL.href, ...memory() }));
process.on("SIGTERM", async () => {
  await server.stop();
  console.log(JSON.stringify(memory()));
  process.exit(0);
});
