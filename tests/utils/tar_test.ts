// Copyright 2026 the aos-common authors. Apache-2.0 license.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { closeSync, ftruncateSync, openSync, writeSync } from "node:fs";
import { mkdir, readdir, readFile, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { errorIs } from "../../utils/errors.ts";
import { getUnpackedArchiveSize, unpackTarImage } from "../../utils/tar.ts";
import { withTempDir } from "../_helpers/temp_dir.ts";

function gnuTarAvailable(): boolean {
  try {
    return execFileSync("tar", ["--version"], { encoding: "utf8" }).includes("GNU tar");
  } catch {
    return false;
  }
}
const gnuTar = gnuTarAvailable();
// deno-lint-ignore no-console
if (!gnuTar) console.warn("GNU tar not found: the archive tests are ignored");

function tar(cwd: string, ...args: string[]): void {
  execFileSync("tar", args, { cwd, stdio: "pipe" });
}

/** What `tar -tv` lists as the total size, the way AosCore sums it. */
function listedSize(archive: string, gzip: boolean): number {
  const out = execFileSync("tar", [gzip ? "-tzvf" : "-tvf", archive], { encoding: "utf8" });
  return out.split("\n").map((line) => line.split(/ +/)).filter((t) =>
    t.length > 2 && t[0]!.length === 10
  )
    .reduce((sum, t) => sum + parseInt(t[2]!, 10), 0);
}

Deno.test({
  name: "unpacked size of a tar.gz with one 22-byte file is 22, plain tar too",
  ignore: !gnuTar,
  fn: () =>
    withTempDir(async (dir) => {
      await mkdir(join(dir, "src/sub"), { recursive: true });
      await writeFile(join(dir, "src/sub/file.txt"), "This is a test content");
      await symlink("sub/file.txt", join(dir, "src/link"));
      tar(join(dir, "src"), "-czf", "../a.tar.gz", ".");
      tar(join(dir, "src"), "-cf", "../a.tar", ".");
      assert.equal(await getUnpackedArchiveSize(join(dir, "a.tar.gz")), 22);
      assert.equal(await getUnpackedArchiveSize(join(dir, "a.tar"), { gzip: false }), 22);
      await assert.rejects(
        getUnpackedArchiveSize(join(dir, "a.tar"), { gzip: true }),
        (e) => errorIs(e, "runtime"),
      );
    }),
});

Deno.test({
  name: "unpacked size counts 3000 sparse files of 100000 bytes as 300000000, and stored zeros",
  ignore: !gnuTar,
  fn: () =>
    withTempDir(async (dir) => {
      const src = join(dir, "src");
      await mkdir(src);
      for (let i = 0; i < 3000; i++) {
        const fd = openSync(join(src, `f${i}`), "w");
        ftruncateSync(fd, 100_000);
        closeSync(fd);
      }
      // Sparse entries, with GNU and with PAX sparse headers.
      const archive = join(dir, "layer.tar.gz");
      for (const format of ["gnu", "posix"]) {
        tar(src, `--format=${format}`, "-S", "-czf", archive, ".");
        assert.equal(await getUnpackedArchiveSize(archive), 300_000_000, format);
        assert.equal(listedSize(archive, true), 300_000_000, `tar -tv of ${format}`);
      }
      // Stored zeros, as in AosCore's test (300 of the files: gzip of 300 MB takes seconds).
      tar(src, "-czf", archive, ...Array.from({ length: 300 }, (_, i) => `f${i}`));
      assert.equal(await getUnpackedArchiveSize(archive), 30_000_000);
    }),
});

Deno.test({
  name: "unpacked size skips long-name and PAX records and agrees with tar -tv",
  ignore: !gnuTar,
  fn: () =>
    withTempDir(async (dir) => {
      const deep = join(dir, "src", "d".repeat(90), "e".repeat(90));
      await mkdir(deep, { recursive: true });
      await writeFile(join(deep, `${"n".repeat(120)}.bin`), new Uint8Array(70_000).fill(7));
      await writeFile(join(deep, "ü-ñame.txt"), "x".repeat(513));
      for (const format of ["gnu", "posix"]) {
        const archive = join(dir, `${format}.tar`);
        tar(join(dir, "src"), `--format=${format}`, "-cf", archive, ".");
        assert.equal(await getUnpackedArchiveSize(archive, { gzip: false }), 70_513, format);
        assert.equal(listedSize(archive, false), 70_513);
      }
    }),
});

Deno.test({
  name: "unpacked size reads old GNU sparse maps that spill into extension blocks",
  ignore: !gnuTar,
  fn: () =>
    withTempDir(async (dir) => {
      await mkdir(join(dir, "src"));
      // Twelve data regions need more map entries than the header's four.
      const fd = openSync(join(dir, "src/holes.bin"), "w");
      for (let i = 0; i < 12; i++) writeSync(fd, new Uint8Array(10).fill(1), 0, 10, i * 65536);
      ftruncateSync(fd, 12 * 65536);
      closeSync(fd);
      await writeFile(join(dir, "src/after.txt"), "after");
      const archive = join(dir, "holes.tar");
      tar(join(dir, "src"), "--format=gnu", "-S", "-cf", archive, "holes.bin", "after.txt");
      assert.equal(await getUnpackedArchiveSize(archive, { gzip: false }), 12 * 65536 + 5);
      assert.equal(listedSize(archive, false), 12 * 65536 + 5);
    }),
});

Deno.test("unpacked size rejects garbage and a missing archive", () =>
  withTempDir(async (dir) => {
    const garbage = join(dir, "garbage");
    await writeFile(garbage, new Uint8Array(4096).fill(0x41));
    await assert.rejects(
      getUnpackedArchiveSize(garbage, { gzip: false }),
      (e) => errorIs(e, "runtime") && /not a tar archive/.test((e as Error).message),
    );
    await assert.rejects(getUnpackedArchiveSize(garbage), (e) => errorIs(e, "runtime"));
    await assert.rejects(
      getUnpackedArchiveSize(join(dir, "missing.tar.gz")),
      (e) => errorIs(e, "notFound") && /archive does not exist/.test((e as Error).message),
    );
    await assert.rejects(
      getUnpackedArchiveSize(garbage, { signal: AbortSignal.abort() }),
      (e) => errorIs(e, "canceled"),
    );
  }));

Deno.test({
  name: "unpackTarImage extracts into the destination and never outside it",
  ignore: !gnuTar,
  fn: () =>
    withTempDir(async (dir) => {
      await mkdir(join(dir, "src"));
      await writeFile(join(dir, "src/file.txt"), "content");
      tar(join(dir, "src"), "-czf", "../ok.tar.gz", "file.txt");
      await mkdir(join(dir, "out"));
      await unpackTarImage(join(dir, "ok.tar.gz"), join(dir, "out"));
      assert.equal(await readFile(join(dir, "out/file.txt"), "utf8"), "content");

      // Members "/abs.txt" and "../evil.txt", kept as written with -P.
      await mkdir(join(dir, "w/inner"), { recursive: true });
      await writeFile(join(dir, "w/evil.txt"), "evil");
      await writeFile(join(dir, "abs.txt"), "abs");
      tar(join(dir, "w/inner"), "-P", "-cf", "../../abs.tar", join(dir, "abs.txt"));
      tar(join(dir, "w/inner"), "-P", "-cf", "../../evil.tar", "../evil.txt");
      const dest = join(dir, "dest/inner");
      await mkdir(dest, { recursive: true });
      await unpackTarImage(join(dir, "abs.tar"), dest);
      assert.equal(await readFile(join(dest, dir, "abs.txt"), "utf8"), "abs");
      await assert.rejects(
        unpackTarImage(join(dir, "evil.tar"), dest),
        (e) => errorIs(e, "runtime"),
      );
      assert.deepEqual(await readdir(join(dir, "dest")), ["inner"]);

      await assert.rejects(
        unpackTarImage(join(dir, "missing.tar"), dest),
        (e) => errorIs(e, "notFound") && /archive does not exist/.test((e as Error).message),
      );
      await assert.rejects(
        unpackTarImage(join(dir, "ok.tar.gz"), join(dir, "no-such-dir")),
        (e) => errorIs(e, "runtime") && /exit=2/.test((e as Error).message),
      );
    }),
});
