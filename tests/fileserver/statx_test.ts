// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Deno only: the FFI statx must describe a file exactly as Deno.statSync
// does, or every cache hit would silently turn into a miss.
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, symlink, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { statxFunction } from "../../fileserver/_statx.ts";

const statx = statxFunction();
if (statx === undefined) {
  // deno-lint-ignore no-console
  console.warn("fileserver: statx test ignored: needs Deno on Linux with --allow-ffi");
}

function expected(path: string) {
  const info = Deno.statSync(path);
  return {
    isFile: info.isFile,
    isDirectory: info.isDirectory,
    size: info.size,
    mtimeMs: info.mtime?.getTime(),
    ctimeMs: info.ctime?.getTime(),
    dev: info.dev,
    ino: info.ino,
  };
}

Deno.test("statx gives the fields of Deno.statSync, following symlinks", {
  ignore: statx === undefined,
}, async () => {
  const dir = await mkdtemp(join(tmpdir(), "aos-statx-"));
  try {
    const file = join(dir, "file with spaces é.bin");
    await writeFile(file, new Uint8Array(12345));
    // A time with a millisecond fraction, and one before 1970.
    const past = join(dir, "past");
    await writeFile(past, "x");
    await utimes(past, new Date(-86_400_000), new Date(-86_400_000));
    await utimes(file, new Date(1_700_000_000_123), new Date(1_700_000_000_987));
    await mkdir(join(dir, "sub"));
    await symlink(file, join(dir, "link"));
    for (const path of [file, past, join(dir, "sub"), join(dir, "link"), "/dev/null"]) {
      assert.deepEqual(statx!(path), expected(path), path);
    }
  } finally {
    await rm(dir, { recursive: true });
  }
});

Deno.test("statx is undefined for paths it cannot examine", { ignore: statx === undefined }, () => {
  assert.equal(statx!("/nonexistent/aos-statx"), undefined);
  assert.equal(statx!("/tmp\0/etc/passwd"), undefined, "a NUL does not cut the path short");
  assert.equal(statx!(`/${"a".repeat(5000)}`), undefined, "longer than PATH_MAX");
});
