// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The request handler without sockets: what one request costs in our code.
// The server beside nginx and http-server is in bench/compare/fileserver.sh.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FileServer } from "../fileserver/mod.ts";

const root = join(mkdtempSync(join(tmpdir(), "aos-bench-fileserver-")), "download");
mkdirSync(join(root, "blobs"), { recursive: true });
writeFileSync(join(root, "small.bin"), new Uint8Array(4096).fill(1));
writeFileSync(join(root, "blobs", "large.bin"), new Uint8Array(1024 * 1024).fill(2));
const server = new FileServer({ serverURL: "http://127.0.0.1:8080", rootDir: root });
const small = new Request("http://127.0.0.1:8080/small.bin");
const large = new Request("http://127.0.0.1:8080/blobs/large.bin", {
  headers: { range: "bytes=1000-" },
});
const conditional = new Request("http://127.0.0.1:8080/small.bin", {
  headers: { "if-none-match": (await server.handle(small)).headers.get("etag")! },
});
const traversal = new Request("http://127.0.0.1:8080/a/..%2f..%2fetc/passwd");

Deno.bench("GET 4 KiB file (cached, revalidated by stat)", { group: "handle" }, async () => {
  await (await server.handle(small)).arrayBuffer();
});
Deno.bench("GET 4 KiB file with a matching If-None-Match (304)", { group: "handle" }, async () => {
  await server.handle(conditional);
});
Deno.bench("GET range of a 1 MiB file (open, stream set-up)", { group: "handle" }, async () => {
  await (await server.handle(large)).body?.cancel();
});
Deno.bench("GET traversal attempt (404)", { group: "handle" }, async () => {
  await server.handle(traversal);
});
