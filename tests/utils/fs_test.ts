// Copyright 2026 the aos-common authors. Apache-2.0 license.
import assert from "node:assert/strict";
import {
  chmod,
  lstat,
  mkdir,
  readdir,
  readFile,
  rm,
  stat,
  symlink,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import process from "node:process";
import { atomicWriteFile, joinPath, mkTmpDir, tempDir } from "../../utils/fs.ts";
import { writeJsonToFile } from "../../utils/json.ts";
import { AosError, errorIs, hasErrno } from "../../utils/errors.ts";

const systemTemp = tmpdir();

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkTmpDir(systemTemp, "fs_test");
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function* chunks(...parts: (string | Error)[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) {
    if (part instanceof Error) throw part;
    yield new TextEncoder().encode(part);
  }
}

Deno.test("atomicWriteFile writes text, bytes and streams, replacing the old content", async () => {
  await withDir(async (dir) => {
    const file = join(dir, "data");
    await atomicWriteFile(file, "first version, longer than the next");
    assert.equal(await readFile(file, "utf8"), "first version, longer than the next");
    await atomicWriteFile(file, new Uint8Array([1, 2, 3]));
    assert.deepEqual([...await readFile(file)], [1, 2, 3]);
    await atomicWriteFile(file, chunks("a", "b", "c"));
    assert.equal(await readFile(file, "utf8"), "abc");
    const stream = new Blob(["from ", "a stream"]).stream();
    await atomicWriteFile(file, stream);
    assert.equal(await readFile(file, "utf8"), "from a stream");
    assert.deepEqual(await readdir(dir), ["data"], "no temporary file is left");
  });
});

Deno.test("atomicWriteFile sets an exact mode or keeps the replaced file's mode", async () => {
  await withDir(async (dir) => {
    const file = join(dir, "secret");
    await atomicWriteFile(file, "x", { mode: 0o600 });
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    await atomicWriteFile(file, "y");
    assert.equal((await stat(file)).mode & 0o777, 0o600, "mode kept on replace");
    await atomicWriteFile(file, "z", { mode: 0o666 });
    assert.equal((await stat(file)).mode & 0o777, 0o666, "not masked by the umask");
  });
});

Deno.test("a failing stream leaves the target untouched and no temporary file", async () => {
  await withDir(async (dir) => {
    const file = join(dir, "keep");
    await writeFile(file, "old");
    await assert.rejects(
      atomicWriteFile(file, chunks("new ", new Error("source broke"))),
      (e) => e instanceof AosError && /^Cannot write ".*keep": source broke$/.test(e.message),
    );
    assert.equal(await readFile(file, "utf8"), "old");
    assert.deepEqual(await readdir(dir), ["keep"]);
  });
});

Deno.test("an aborted write rejects with canceled and leaves the target untouched", async () => {
  await withDir(async (dir) => {
    const file = join(dir, "keep");
    await writeFile(file, "old");
    const controller = new AbortController();
    async function* slow(): AsyncGenerator<Uint8Array> {
      yield new Uint8Array(10);
      controller.abort();
      yield new Uint8Array(10);
    }
    await assert.rejects(
      atomicWriteFile(file, slow(), { signal: controller.signal }),
      (e) => errorIs(e, "canceled"),
    );
    await assert.rejects(
      atomicWriteFile(file, "x", { signal: AbortSignal.abort() }),
      (e) => errorIs(e, "canceled"),
    );
    assert.equal(await readFile(file, "utf8"), "old");
    assert.deepEqual(await readdir(dir), ["keep"]);
  });
});

Deno.test("atomicWriteFile reports file-system errors with their errno", async () => {
  await withDir(async (dir) => {
    await assert.rejects(atomicWriteFile(join(dir, "missing", "f"), "x"), (e) => {
      assert.ok(e instanceof AosError);
      assert.equal(e.kind, "runtime");
      assert.ok(hasErrno(e, "ENOENT"));
      assert.match(e.message, /^Cannot write ".*missing\/f"/);
      return true;
    });
    await mkdir(join(dir, "isdir"));
    await assert.rejects(atomicWriteFile(join(dir, "isdir"), "x"), (e) => hasErrno(e, "EISDIR"));
    assert.deepEqual((await readdir(dir)).sort(), ["isdir"]);
  });
});

const isRoot = process.getuid?.() === 0;
if (isRoot) {
  // deno-lint-ignore no-console
  console.warn(
    "fs_test: running as root, which ignores directory permissions: read-only case ignored",
  );
}

Deno.test(
  "atomicWriteFile fails cleanly in a read-only directory",
  { ignore: isRoot },
  async () => {
    await withDir(async (dir) => {
      await chmod(dir, 0o500);
      try {
        await assert.rejects(atomicWriteFile(join(dir, "f"), "x"), (e) => hasErrno(e, "EACCES"));
      } finally {
        await chmod(dir, 0o700);
      }
    });
  },
);

Deno.test("atomicWriteFile replaces a symbolic link by a regular file", async () => {
  await withDir(async (dir) => {
    await writeFile(join(dir, "target"), "target");
    await symlink(join(dir, "target"), join(dir, "link"));
    await atomicWriteFile(join(dir, "link"), "new");
    assert.ok((await lstat(join(dir, "link"))).isFile());
    assert.equal(await readFile(join(dir, "target"), "utf8"), "target");
  });
});

Deno.test("writeJsonToFile writes compact JSON that reads back exactly", async () => {
  await withDir(async (dir) => {
    const file = join(dir, "obj.json");
    await writeJsonToFile(file, { key: "value", list: [1, 2] });
    assert.equal(await readFile(file, "utf8"), '{"key":"value","list":[1,2]}');
    await assert.rejects(
      writeJsonToFile(join(dir, "no", "x.json"), {}),
      (e) => hasErrno(e, "ENOENT"),
    );
    await assert.rejects(
      writeJsonToFile(join(dir, "u.json"), undefined),
      (e) => errorIs(e, "invalidArgument"),
    );
    assert.deepEqual(await readdir(dir), ["obj.json"]);
  });
});

Deno.test("mkTmpDir creates a private directory from AosCore's name patterns", async () => {
  await withDir(async (dir) => {
    const cases: [string | undefined, RegExp][] = [
      [undefined, /^tmp\.[A-Za-z0-9]{6}$/],
      ["my_temp_dir.XXXXXX", /^my_temp_dir\.[A-Za-z0-9]{6}$/],
      ["test_dir", /^test_dir\.[A-Za-z0-9]{6}$/],
      ["abcXXXXXX", /^abcXXXXXX\.[A-Za-z0-9]{6}$/],
    ];
    for (const [pattern, name] of cases) {
      const made = await mkTmpDir(dir, pattern);
      assert.equal(join(dir, basename(made)), made);
      assert.match(basename(made), name);
      const info = await stat(made);
      assert.ok(info.isDirectory());
      assert.equal(info.mode & 0o777, 0o700);
    }
    const a = await mkTmpDir(dir, "same"), b = await mkTmpDir(dir, "same");
    assert.notEqual(a, b);
    await assert.rejects(mkTmpDir(join(dir, "missing")), (e) => {
      assert.ok(errorIs(e, "failed"));
      assert.ok(hasErrno(e, "ENOENT"));
      return true;
    });
  });
});

Deno.test("mkTmpDir defaults to TMPDIR, then TMP, TEMP, TEMPDIR, then /tmp", async () => {
  const names = ["TMPDIR", "TMP", "TEMP", "TEMPDIR"];
  const saved = names.map((n) => process.env[n]);
  try {
    for (const n of names) delete process.env[n];
    assert.equal(tempDir(), "/tmp");
    process.env.TEMPDIR = "/d";
    process.env.TEMP = "/c";
    assert.equal(tempDir(), "/c");
    await withDir(async (dir) => {
      process.env.TMPDIR = dir;
      const made = await mkTmpDir();
      assert.equal(join(dir, basename(made)), made);
    });
  } finally {
    names.forEach((n, i) => {
      if (saved[i] === undefined) delete process.env[n];
      else process.env[n] = saved[i];
    });
  }
});

Deno.test("joinPath follows AosCore's joining rules", () => {
  assert.equal(joinPath("/a", "/b", "c"), "/a/b/c");
  assert.equal(joinPath("a", ""), "a/");
  assert.equal(joinPath("a/", ""), "a/");
  assert.equal(joinPath("a/", "b"), "a/b");
  assert.equal(joinPath("", "b"), "b");
  assert.equal(joinPath("/a"), "/a");
  assert.equal(joinPath("/a", "../b"), "/a/../b", "no normalisation");
  // Reference quirk: a component starting with "//" replaces the path.
  assert.equal(joinPath("/a", "//etc"), "/etc");
  assert.equal(joinPath("/a", "//etc", "passwd"), "/etc/passwd");
});

Deno.test("joinPath with confine keeps cloud-supplied names inside the base", () => {
  const confine = { confine: true };
  assert.equal(joinPath("/srv/files", "/a", "//b", confine), "/srv/files/a/b");
  assert.equal(joinPath("/srv/files/", "x/../y", confine), "/srv/files/y");
  assert.equal(joinPath("/srv", "", confine), "/srv");
  assert.equal(joinPath("rel", "a/./b", confine), "rel/a/b");
  assert.equal(joinPath("/", "../../etc", confine), "/etc", "nothing is above /");
  for (
    const [base, entry] of [["/srv", ".."], ["/srv", "a/../../etc"], ["rel", "../x"], ["", ".."], [
      "/srv",
      "a\0b",
    ]]
  ) {
    assert.throws(() => joinPath(base!, entry!, confine), (e) => {
      assert.ok(errorIs(e, "invalidArgument"));
      assert.match(String(e), /^Cannot join \[.*\] to ".*": /);
      return true;
    }, `${base} + ${entry}`);
  }
});
