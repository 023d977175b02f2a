// Copyright 2026 the aos-common authors. Apache-2.0 license.
// deno-lint-ignore-file no-console
// Serves a directory with our FileServer for bench/compare/fileserver.sh, on
// Deno or Node: prints the base URL, stops on SIGTERM or SIGINT.
import process from "node:process";
import { FileServer } from "../../fileserver/mod.ts";

const [root, port = "0"] = process.argv.slice(process.argv[1]?.endsWith(".ts") ? 2 : 1);
if (root === undefined) throw new Error("usage: _fileserver_serve.ts <root> [port]");
const server = new FileServer({
  serverURL: `http://127.0.0.1:${port}`,
  rootDir: root,
  listenHostname: "127.0.0.1",
});
await server.start();
console.log(server.baseURL.href);
const stop = () => server.stop().then(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
