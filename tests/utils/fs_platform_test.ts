// Copyright 2026 the aos-common authors. Apache-2.0 license.
// deno-lint-ignore-file no-console -- ignored tests print why
// The FS platform on real directories, real mounts and real tools.
import assert from "node:assert/strict";
import {
  chmod,
  link,
  lstat,
  mkdir,
  mkdtemp,
  rm,
  stat,
  symlink,
  truncate,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import {
  AosError,
  calculateSize,
  changeOwner,
  getAvailableSize,
  getBlockDevice,
  getBlockSize,
  getMountPoint,
  getTotalSize,
  LinuxFSPlatform,
  setUserQuota,
} from "../../utils/mod.ts";
import { decodeMountField, parseMountInfo, splitDev } from "../../utils/_mountinfo.ts";
import { mountTmpfs, run, tmpfsUnavailable } from "../_helpers/tmpfs.ts";

async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "fsplatform-"));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function isKind(kind: string, text?: string, errno?: number) {
  return (err: unknown): true => {
    assert.ok(err instanceof AosError, String(err));
    assert.equal(err.kind, kind, err.message);
    if (text !== undefined) assert.ok(err.message.includes(text), err.message);
    if (errno !== undefined) assert.equal(err.errno, errno, err.message);
    return true;
  };
}

async function findmnt(column: string, target: string): Promise<string> {
  // findmnt adds "[/subdir]" to the source of a bind mount; AosCore does not.
  return (await run("findmnt", ["-no", column, "--target", target])).trim().replace(/\[.*\]$/, "");
}

const isRoot = process.getuid?.() === 0;
const noTmpfs = await tmpfsUnavailable();
if (noTmpfs !== undefined) console.warn(`tmpfs tests ignored: ${noTmpfs}`);
if (isRoot) console.warn("unreadable-directory test ignored: root reads every directory");
else console.warn("changeOwner tree test ignored: changing to other ids needs root");

Deno.test("calculateSize sums regular files and follows symlinks to files only", async () => {
  await withTempDir(async (dir) => {
    await mkdir(join(dir, "a/b"), { recursive: true });
    await writeFile(join(dir, "a/one"), new Uint8Array(1000));
    await writeFile(join(dir, "a/b/two"), new Uint8Array(2000));
    await symlink(join(dir, "a/one"), join(dir, "link-to-file"));
    await symlink(join(dir, "a"), join(dir, "link-to-dir"));
    await symlink(join(dir, "missing"), join(dir, "broken"));
    assert.equal(await calculateSize(dir), 4000);
    assert.equal(await calculateSize(join(dir, "a/b/two")), 2000);
    assert.equal(
      await calculateSize(join(dir, "link-to-dir")),
      3000,
      "a given symlink is followed",
    );
    await assert.rejects(calculateSize(join(dir, "missing")), isKind("notSupported"));
    await assert.rejects(calculateSize(join(dir, "broken")), isKind("notSupported"));
  });
});

Deno.test("calculateSize of sparse files past 4 GiB does not overflow", async () => {
  await withTempDir(async (dir) => {
    for (const name of ["a", "b"]) {
      await writeFile(join(dir, name), "");
      await truncate(join(dir, name), 1_500_000_000);
    }
    await writeFile(join(dir, "c"), "");
    await truncate(join(dir, "c"), 2 ** 32 + 7);
    assert.equal(await calculateSize(dir), 3_000_000_000 + 2 ** 32 + 7);
    assert.ok(
      await calculateSize(dir, { allocated: true }) < 1024 * 1024,
      "sparse files occupy little",
    );
  });
});

Deno.test("allocated size equals du, counting hard links once", async () => {
  await withTempDir(async (dir) => {
    await mkdir(join(dir, "sub/deeper"), { recursive: true });
    await writeFile(join(dir, "small"), "x");
    await writeFile(join(dir, "sub/big"), new Uint8Array(100_000));
    await link(join(dir, "sub/big"), join(dir, "sub/deeper/hardlink"));
    await symlink("small", join(dir, "sub/symlink"));
    const du = Number((await run("du", ["-s", "--block-size=1", dir])).split("\t")[0]);
    assert.equal(await calculateSize(dir, { allocated: true }), du);
    assert.equal(await calculateSize(dir), 200_001, "apparent size counts each link");
  });
});

Deno.test("calculateSize reports unreadable directories as failed", {
  ignore: isRoot,
}, async () => {
  await withTempDir(async (dir) => {
    await mkdir(join(dir, "locked"));
    await chmod(join(dir, "locked"), 0);
    await assert.rejects(calculateSize(dir), isKind("failed", undefined, 13));
    await chmod(join(dir, "locked"), 0o700);
  });
});

Deno.test("mount point and block device match findmnt", async () => {
  await withTempDir(async (dir) => {
    const mountPoint = await getMountPoint(dir);
    assert.ok(dir.startsWith(mountPoint));
    assert.equal(mountPoint, await findmnt("TARGET", dir));
    assert.equal(await getBlockDevice(dir), await findmnt("SOURCE", dir));
    assert.equal(
      await getMountPoint(dir, { mountInfoPath: join(dir, "none") }),
      mountPoint,
      "walking up the directories finds the same mount point",
    );
    await assert.rejects(getMountPoint("/nonexistent/path"), isKind("notFound"));
    await assert.rejects(getBlockDevice("/nonexistent/path"), isKind("notFound"));
    await assert.rejects(
      getBlockDevice(dir, { mountInfoPath: join(dir, "none") }),
      isKind("notFound"),
    );
  });
});

Deno.test("partition sizes come from statfs", async () => {
  await withTempDir(async (dir) => {
    const total = await getTotalSize(dir);
    const available = await getAvailableSize(dir);
    assert.ok(available > 0 && available < total, `${available} of ${total}`);
    assert.ok([512, 1024, 2048, 4096, 8192, 16384, 65536].includes(await getBlockSize(dir)));
    await assert.rejects(getTotalSize("/nonexistent/path"), isKind("notFound"));
    await assert.rejects(getAvailableSize("/nonexistent/path"), isKind("notFound"));
  });
});

Deno.test("mount table fields decode their octal escapes", async () => {
  assert.equal(
    decodeMountField("/mnt/with\\040space\\011tab\\012nl\\134bs"),
    "/mnt/with space\ttab\nnl\\bs",
  );
  const entries = parseMountInfo(
    "36 35 98:0 / /mnt/my\\040disk rw,noatime master:1 - ext3 /dev/root\\040x rw\nbroken line\n",
  );
  assert.deepEqual(entries, [
    { major: 98, minor: 0, mountPoint: "/mnt/my disk", fsType: "ext3", source: "/dev/root x" },
  ]);
  assert.deepEqual(splitDev(0x0801n), { major: 8, minor: 1 });
  assert.deepEqual(splitDev((259n << 8n) | 5n | (0x1200n << 12n)), { major: 259, minor: 0x1205 });

  await withTempDir(async (dir) => {
    const { major, minor } = splitDev((await stat(dir, { bigint: true })).dev);
    const table = join(dir, "mountinfo");
    await writeFile(
      table,
      `1 0 ${major}:${minor} / /elsewhere\\040mounted rw - ext4 /dev/my\\040disk rw\n` +
        `2 0 ${major}:${minor} / / rw - ext4 /dev/second rw\n`,
    );
    assert.equal(await getBlockDevice(dir, { mountInfoPath: table }), "/dev/my disk");
    assert.equal(
      await getMountPoint(dir, { mountInfoPath: table }),
      "/",
      "the mount holding dir wins",
    );
    await writeFile(table, `1 0 ${major}:${minor} / /elsewhere\\040mounted rw - ext4 /dev/x rw\n`);
    assert.equal(await getMountPoint(dir, { mountInfoPath: table }), "/elsewhere mounted");
    await writeFile(table, `1 0 ${major + 1}:${minor} / /nowhere rw - ext4 /dev/x rw\n`);
    await assert.rejects(getMountPoint(dir, { mountInfoPath: table }), isKind("notFound"));
    await assert.rejects(getBlockDevice(dir, { mountInfoPath: table }), isKind("notFound"));
  });
});

Deno.test("changeOwner to the own ids succeeds and a missing path is a runtime error", async () => {
  await withTempDir(async (dir) => {
    await writeFile(join(dir, "file"), "x");
    await changeOwner(dir, process.getuid!(), process.getgid!());
    await assert.rejects(changeOwner(join(dir, "missing"), 0, 0), (err) => {
      isKind("runtime")(err);
      assert.equal((err as AosError).errno, 2);
      assert.ok((err as AosError).message.startsWith("can't change file owner"));
      return true;
    });
    await assert.rejects(changeOwner(dir, -1, 0), isKind("invalidArgument"));
  });
});

Deno.test("changeOwner changes a tree and its symlinks, never their targets", {
  ignore: !isRoot,
}, async () => {
  await withTempDir(async (outside) => {
    await withTempDir(async (dir) => {
      await writeFile(join(outside, "target"), "x");
      await mkdir(join(dir, "sub"));
      await writeFile(join(dir, "sub/file"), "x");
      await symlink(join(outside, "target"), join(dir, "sub/link"));
      await symlink(outside, join(dir, "dirlink"));
      await changeOwner(dir, 12345, 23456);
      for (const path of ["", "sub", "sub/file", "sub/link", "dirlink"]) {
        const st = await lstat(join(dir, path));
        assert.deepEqual([st.uid, st.gid], [12345, 23456], path);
      }
      const target = await stat(join(outside, "target"));
      assert.deepEqual([target.uid, target.gid], [0, 0]);
    });
  });
});

Deno.test("changeOwner without the right reports the errno", {
  ignore: isRoot && noTmpfs !== undefined,
}, async () => {
  if (!isRoot) {
    await withTempDir(async (dir) => {
      await assert.rejects(changeOwner(dir, 0, 0), isKind("runtime", "can't change file owner", 1));
    });
    return;
  }
  // As root, a read-only file system refuses instead.
  await using fs = await mountTmpfs(64 * 1024, ["ro"]);
  await assert.rejects(
    changeOwner(fs.path, 1, 1),
    isKind("runtime", "can't change file owner", 30),
  );
});

Deno.test("tmpfs sizes are exact", { ignore: noTmpfs !== undefined }, async () => {
  await using fs = await mountTmpfs(1024 * 1024);
  const platform = new LinuxFSPlatform();
  assert.equal(await platform.getMountPoint(fs.path), fs.path);
  assert.equal(await platform.getBlockDevice(fs.path), "tmpfs");
  assert.equal(await platform.getTotalSize(fs.path), 1024 * 1024);
  assert.equal(await platform.getAvailableSize(fs.path), 1024 * 1024);
  await writeFile(join(fs.path, "data"), new Uint8Array(10_000));
  assert.equal(await platform.getAvailableSize(fs.path), 1024 * 1024 - 12_288);
  assert.equal(await platform.getDirSize(fs.path), 10_000);
  assert.equal(await platform.getDirSize(fs.path, { allocated: true }), 12_288);
});

Deno.test("setUserQuota runs setquota with whole KiB and reports its failures", async () => {
  await withTempDir(async (dir) => {
    const log = join(dir, "args");
    const fake = join(dir, "setquota");
    await writeFile(fake, `#!/bin/sh\necho "$@" > "${log}"\n`, { mode: 0o755 });
    await setUserQuota(dir, 1000, 1025, { setquota: fake });
    const mountPoint = await getMountPoint(dir);
    assert.equal((await run("cat", [log])).trim(), `-u 1000 0 2 0 0 ${mountPoint}`);

    await rm(log);
    await setUserQuota(dir, 1000, 0, { setquota: fake });
    await assert.rejects(stat(log), /ENOENT/, "0 leaves the quota alone");

    const failing = join(dir, "failing");
    await writeFile(failing, "#!/bin/sh\necho 'no quota here' >&2\nexit 1\n", { mode: 0o755 });
    await assert.rejects(setUserQuota(dir, 1000, 1, { setquota: failing }), (err) => {
      isKind("failed")(err);
      assert.match((err as Error).message, /: exit=1: no quota here\n$/);
      return true;
    });
    await assert.rejects(
      setUserQuota(dir, 1000, 1, { setquota: join(dir, "absent") }),
      isKind("notSupported", 'Debian package "quota"'),
    );
    await assert.rejects(setUserQuota(dir, 1000, -1), isKind("invalidArgument"));
  });
});

const quotaMissing = await (async () => {
  if (!isRoot) return "needs root";
  try {
    await run("setquota", ["--version"]);
  } catch {
    return "setquota is not installed (Debian package quota)";
  }
  const img = await mkdtemp(join(tmpdir(), "quota-"));
  try {
    await run("truncate", ["-s", "16M", join(img, "img")]);
    await run("mkfs.ext4", ["-q", "-O", "quota", "-E", "quotatype=usrquota", join(img, "img")]);
    await mkdir(join(img, "mnt"));
    await run("mount", ["-o", "loop,usrquota", join(img, "img"), join(img, "mnt")]);
    await run("umount", [join(img, "mnt")]);
    return undefined;
  } catch (err) {
    return `cannot mount ext4 with user quotas (kernel needs CONFIG_QFMT_V2): ${
      (err as Error).message.split("\n")[0]
    }`;
  } finally {
    await rm(img, { recursive: true, force: true });
  }
})();
if (quotaMissing !== undefined) console.warn(`user quota test ignored: ${quotaMissing}`);

Deno.test("setUserQuota sets the block hard limit on ext4", {
  ignore: quotaMissing !== undefined,
}, async () => {
  await withTempDir(async (dir) => {
    await run("truncate", ["-s", "16M", join(dir, "img")]);
    await run("mkfs.ext4", ["-q", "-O", "quota", "-E", "quotatype=usrquota", join(dir, "img")]);
    await mkdir(join(dir, "mnt"));
    await run("mount", ["-o", "loop,usrquota", join(dir, "img"), join(dir, "mnt")]);
    try {
      await new LinuxFSPlatform().setUserQuota(join(dir, "mnt"), 4242, 3 * 1024 * 1024 + 1);
      const report = await run("repquota", ["-u", "-n", join(dir, "mnt")]);
      const line = report.split("\n").find((l) => l.startsWith("#4242"));
      assert.ok(line !== undefined, report);
      assert.deepEqual(line.split(/\s+/).slice(3, 5), ["0", "3073"]);
    } finally {
      await run("umount", [join(dir, "mnt")]);
    }
  });
});

Deno.test("setquota fails cleanly on a file system without quotas", async () => {
  try {
    await run("setquota", ["--version"]);
  } catch {
    console.warn(
      "setquota is not installed (Debian package quota): only the missing-tool path ran",
    );
    await assert.rejects(setUserQuota(tmpdir(), 4242, 1024), isKind("notSupported"));
    return;
  }
  await assert.rejects(
    setUserQuota(tmpdir(), 4242, 1024),
    isKind("failed", "Cannot set user quota"),
  );
});
