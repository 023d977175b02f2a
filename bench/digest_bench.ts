// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Digest throughput on a 64 MiB file (page cache warm). The side-by-side with
// `openssl dgst` on 1 GiB is bench/compare/digest.sh.
import { randomFillSync } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Digester, digestFile } from "../utils/digest.ts";
import { calculateDirDigest } from "../utils/dir_digest.ts";

const dir = mkdtempSync(join(tmpdir(), "digest-bench-"));
const path = join(dir, "blob");
const data = new Uint8Array(64 * 1024 * 1024);
for (let i = 0; i < data.length; i += 65536) randomFillSync(data, i, 65536);
writeFileSync(path, data);
readFileSync(path);
const tree = join(dir, "tree");
for (let i = 0; i < 500; i++) {
  const sub = join(tree, `d${i % 20}`);
  if (i < 20) Deno.mkdirSync(sub, { recursive: true });
  writeFileSync(join(sub, `f${i}`), data.subarray(i * 1000, i * 1000 + 4000));
}

Deno.bench("digestFile sha256, 64 MiB file", { group: "file", baseline: true }, async () => {
  await digestFile(path);
});

Deno.bench("digestFile sha512, 64 MiB file", { group: "file" }, async () => {
  await digestFile(path, "sha512");
});

Deno.bench("Digester sha256, 64 MiB in 64 KiB chunks from memory", { group: "file" }, () => {
  const d = new Digester();
  for (let i = 0; i < data.length; i += 65536) d.update(data.subarray(i, i + 65536));
  d.digest();
});

Deno.bench("calculateDirDigest, 500 files of 4 KB in 20 directories", async () => {
  await calculateDirDigest(tree);
});

globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
