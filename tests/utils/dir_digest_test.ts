// Copyright 2026 the aos-common authors. Apache-2.0 license.
import assert from "node:assert/strict";
import { chmod, mkdir, symlink, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { calculateDirDigest } from "../../utils/dir_digest.ts";
import { errorIs } from "../../utils/errors.ts";
import { withTempDir } from "../_helpers/temp_dir.ts";

const EMPTY = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const CONTENT = "This is a test content";

async function assertDigests(dir: string, full: string, legacy: string): Promise<void> {
  assert.equal(await calculateDirDigest(dir), full, "default mode");
  assert.equal(await calculateDirDigest(dir, { legacy: true }), legacy, "legacy mode");
}

async function twoFiles(dir: string): Promise<void> {
  await writeFile(join(dir, "file1.txt"), CONTENT);
  await writeFile(join(dir, "file2.txt"), CONTENT);
}

Deno.test("directory digest of an empty directory is the empty sha256 in both modes", () =>
  withTempDir(async (dir) => {
    await mkdir(join(dir, "empty/sub"), { recursive: true });
    await assertDigests(dir, EMPTY, EMPTY);
  }));

Deno.test("directory digest matches the spec vector of two 22-byte files", () =>
  withTempDir(async (dir) => {
    await twoFiles(dir);
    await assertDigests(
      dir,
      "sha256:5edb4fedbc60d6e56341f0033e1c3fa2310f6f36b57cf5d75d2725c074a03e8d",
      "sha256:273295fdc043ab9d8b70f63fd425c156089eed03720e9dac21896ce29fe41be0",
    );
  }));

Deno.test("directory digest sorts nested files by path and accepts a file URL", () =>
  withTempDir(async (dir) => {
    await twoFiles(dir);
    await writeFile(join(dir, "a.b"), "x");
    await mkdir(join(dir, "sub"));
    await writeFile(join(dir, "sub/a.txt"), "hello\n");
    await assertDigests(
      dir,
      "sha256:d6088494fedd17db0c72d9214aa14bb7542d9e914fb3386f001cdd16b71e1f6a",
      "sha256:dd757b074c10595695d5cf76f204f3bc4d1d1bc2d03577dd3617bb29d7bfbb43",
    );
    assert.equal(
      await calculateDirDigest(new URL(`file://${dir}`)),
      "sha256:d6088494fedd17db0c72d9214aa14bb7542d9e914fb3386f001cdd16b71e1f6a",
    );
  }));

Deno.test("directory digest writes a file symlink with its target's path, as AosCore does", () =>
  withTempDir(async (dir) => {
    await twoFiles(dir);
    await symlink("file1.txt", join(dir, "link"));
    // Neither a dangling link nor a link to a directory contributes.
    await symlink("nowhere", join(dir, "dangling"));
    await mkdir(join(dir, "d"));
    await symlink("d", join(dir, "dirlink"));
    await assertDigests(
      dir,
      "sha256:5f937bcb7b51a226b56084ef21dd6370b73d9481130781c0246fca8e23553432",
      "sha256:110ceda9745d769cbc7f7f034d6f98d28743e0c145651b5d47006a6e8a804c82",
    );
  }));

Deno.test("directory digest of files over 256 bytes differs by mode as the spec's vector says", () =>
  withTempDir(async (dir) => {
    await writeFile(join(dir, "a256.bin"), "a".repeat(256));
    await writeFile(join(dir, "b300.bin"), "b".repeat(300));
    await writeFile(join(dir, "c513.bin"), "c".repeat(513));
    await assertDigests(
      dir,
      "sha256:2c591bf13f53aafbc2af4a10c54033a1eba4c449ad076289686ca8f190b9a250",
      "sha256:21f8b448b8164ef30dd282d1d2c1da53b0720f9c26b218aea6a1eb0d9e7c25de",
    );
  }));

Deno.test("directory digest ignores modification times and modes", () =>
  withTempDir(async (dir) => {
    await twoFiles(dir);
    const before = await calculateDirDigest(dir);
    await utimes(join(dir, "file1.txt"), new Date(0), new Date(0));
    await chmod(join(dir, "file2.txt"), 0o600);
    assert.equal(await calculateDirDigest(dir), before);
  }));

Deno.test("directory digest rejects a file name with a newline and a missing directory", () =>
  withTempDir(async (dir) => {
    await writeFile(join(dir, "bad\nname"), "x");
    await assert.rejects(
      calculateDirDigest(dir),
      (e) => errorIs(e, "invalidArgument") && /new lines/.test((e as Error).message),
    );
    await assert.rejects(
      calculateDirDigest(join(dir, "missing")),
      (e) => errorIs(e, "notFound") && (e as Error).message.includes("missing"),
    );
    await assert.rejects(
      calculateDirDigest(dir, { signal: AbortSignal.abort() }),
      (e) => errorIs(e, "canceled"),
    );
  }));
