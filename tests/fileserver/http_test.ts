// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The HTTP rules, with real requests to a running server (Deno.serve on Deno,
// node:http on Node) and through the mountable handler.
import assert from "node:assert/strict";
import { closeSync, openSync } from "node:fs";
import { chmod, readFile, stat, symlink, utimes } from "node:fs/promises";
import { dirname, join } from "node:path";
import process from "node:process";
import { rawGet } from "../_helpers/raw_http.ts";
import { bytesOf, withServer } from "./_fixture.ts";

const CONTENT = "This is a test file content for download";
const LARGE = 300 * 1024; // above the in-memory limit: streamed from the file

Deno.test("GET serves a file with type, length, Last-Modified and ETag", async () => {
  await withServer(async ({ put, url }) => {
    const file = await put("test_file.txt", CONTENT);
    const res = await fetch(url("/test_file.txt"));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "text/plain");
    assert.equal(res.headers.get("content-length"), "40");
    assert.equal(res.headers.get("accept-ranges"), "bytes");
    // Inode, creation time, size and modification time.
    assert.match(res.headers.get("etag") ?? "", /^"[0-9a-f]+-[0-9a-f]+-[0-9a-f]+-[0-9a-f]+"$/);
    const mtime = (await stat(file)).mtime;
    assert.equal(res.headers.get("last-modified"), mtime.toUTCString());
    assert.equal(
      Date.parse(res.headers.get("last-modified")!),
      Math.floor(mtime.getTime() / 1000) * 1000,
    );
    assert.equal(await res.text(), CONTENT);
  });
});

Deno.test("a large file streams whole and exact", async () => {
  await withServer(async ({ put, url }) => {
    const data = bytesOf(LARGE, 7);
    await put("blobs/sha256/abcd", data);
    const res = await fetch(url("/blobs/sha256/abcd"));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "application/octet-stream");
    assert.equal(res.headers.get("content-length"), String(LARGE));
    assert.deepEqual(new Uint8Array(await res.arrayBuffer()), data);
  });
});

Deno.test("content types come from the case-sensitive extension", async () => {
  await withServer(async ({ put, url }) => {
    const cases: [string, string][] = [
      ["a.html", "text/html"],
      ["a.htm", "text/html"],
      ["a.css", "text/css"],
      ["a.js", "application/javascript"],
      ["a.json", "application/json"],
      ["a.xml", "application/xml"],
      ["a.txt", "text/plain"],
      ["a.jpg", "image/jpeg"],
      ["a.jpeg", "image/jpeg"],
      ["a.png", "image/png"],
      ["a.gif", "image/gif"],
      ["a.svg", "image/svg+xml"],
      ["a.ico", "image/x-icon"],
      ["a.pdf", "application/pdf"],
      // AosCore's table never matched these three (keys with a leading dot).
      ["a.zip", "application/zip"],
      ["a.tar", "application/x-tar"],
      ["layer.tar.gz", "application/gzip"],
      ["noext", "application/octet-stream"],
      ["a.TXT", "application/octet-stream"],
      ["a.toString", "application/octet-stream"],
      ["a.constructor", "application/octet-stream"],
      [".bashrc", "application/octet-stream"],
    ];
    for (const [name] of cases) await put(name, "x");
    for (const [name, type] of cases) {
      const res = await fetch(url(`/${name}`));
      await res.body?.cancel();
      assert.equal(res.headers.get("content-type"), type, name);
    }
  });
});

Deno.test("missing files, directories and the root are 404 with an empty body", async () => {
  await withServer(async ({ put, url }) => {
    await put("blobs/x", "x");
    await put("test_file.txt", "x");
    // A trailing slash names a directory, which a file never is (cached or not).
    assert.equal(await (await fetch(url("/test_file.txt"))).text(), "x");
    const paths = ["/non_existent_file.dat", "/blobs", "/blobs/", "/", "/x/y/z", "/test_file.txt/"];
    for (const path of paths) {
      const res = await fetch(url(path));
      assert.equal(res.status, 404, path);
      assert.equal(await res.text(), "", path);
    }
  });
});

Deno.test("the query and fragment are ignored", async () => {
  await withServer(async ({ put, port }) => {
    await put("test.json", "{}");
    const res = await rawGet(port, "/test.json?x=1&y=2#frag");
    assert.equal(res.status, 200);
    assert.equal(new TextDecoder().decode(res.body), "{}");
  });
});

Deno.test("HEAD sends the GET headers without a body", async () => {
  await withServer(async ({ put, url, port }) => {
    await put("test_file.txt", CONTENT);
    await put("large.bin", bytesOf(LARGE));
    for (const path of ["/test_file.txt", "/large.bin"]) {
      const get = await fetch(url(path));
      await get.body?.cancel();
      const head = await fetch(url(path), { method: "HEAD" });
      assert.equal(head.status, 200);
      for (const name of ["content-type", "content-length", "last-modified", "etag"]) {
        assert.equal(head.headers.get(name), get.headers.get(name), name);
      }
      assert.equal((await head.arrayBuffer()).byteLength, 0);
      // On the wire: the length is announced and no byte follows the headers.
      const raw = await rawGet(port, path, "HEAD");
      assert.equal(raw.headers.get("content-length"), get.headers.get("content-length"));
      assert.equal(raw.body.byteLength, 0);
    }
  });
});

Deno.test("percent-encoded names are decoded, so translated URLs work", async () => {
  await withServer(async ({ server, put }) => {
    const file = await put("my file+v1#.txt", "special");
    const url = server.translateFilePathURL(file);
    assert.match(url, /%20/);
    assert.match(url, /%2B/);
    assert.match(url, /%23/);
    const res = await fetch(url);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), "special");
    const unicode = await put("größe.txt", "ü");
    assert.equal(await (await fetch(server.translateFilePathURL(unicode))).text(), "ü");
  });
});

Deno.test("a malformed percent escape is 400", async () => {
  await withServer(async ({ port }) => {
    for (const target of ["/%zz", "/a%", "/%E0%A4%A", "/%C0%AE"]) {
      const res = await rawGet(port, target);
      assert.equal(res.status, 400, target);
      assert.equal(res.body.byteLength, 0, target);
    }
  });
});

Deno.test("other methods are 405 with Allow and change nothing", async () => {
  await withServer(async ({ put, url }) => {
    const file = await put("test_file.txt", CONTENT);
    for (const method of ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"]) {
      const res = await fetch(url("/test_file.txt"), {
        method,
        body: method === "OPTIONS" ? null : "overwrite",
      });
      assert.equal(res.status, 405, method);
      assert.equal(res.headers.get("allow"), "GET, HEAD");
      assert.equal(await res.text(), "");
    }
    assert.equal(await readFile(file, "utf8"), CONTENT);
  });
});

Deno.test("symlinks inside the root are served, symlinks leading out are 404", async () => {
  await withServer(async ({ put, root, dir, url }) => {
    await put("real.txt", "inside");
    await put("../secret.txt", "outside");
    await symlink(join(root, "real.txt"), join(root, "inner-link"));
    await symlink("/etc/hostname", join(root, "link"));
    await symlink(join(dir, "secret.txt"), join(root, "secret-link"));
    await symlink(dir, join(root, "up"));
    const inner = await fetch(url("/inner-link"));
    assert.equal(inner.status, 200);
    assert.equal(await inner.text(), "inside");
    for (const path of ["/link", "/secret-link", "/up/secret.txt", "/up"]) {
      const res = await fetch(url(path));
      assert.equal(res.status, 404, path);
      assert.equal(await res.text(), "", path);
    }
  });
});

// A file whose open fails: mode 000 for a normal user; for root (who reads
// anything) a write-only sysfs attribute, which the kernel refuses to open for
// reading whoever asks (EACCES), and which Deno refuses without --allow-all.
const SYSFS_WRITE_ONLY = "/sys/bus/pci/rescan";
function sysfsRefusesReading(): boolean {
  try {
    closeSync(openSync(SYSFS_WRITE_ONLY, "r"));
    return false;
  } catch (err) {
    const { code, name } = err as { code?: string; name?: string };
    return code === "EACCES" || name === "NotCapable";
  }
}
const asRoot = process.getuid?.() === 0;
const canRefuse = !asRoot || sysfsRefusesReading();
if (!canRefuse) {
  // deno-lint-ignore no-console
  console.warn(
    `fileserver: unreadable-file test ignored: running as root and ${SYSFS_WRITE_ONLY} is readable or missing`,
  );
}

Deno.test("an unreadable file is 500 with an empty body and the error reported", {
  ignore: !canRefuse,
}, async () => {
  if (asRoot) {
    await withServer(async ({ url, errors }) => {
      const res = await fetch(url("/rescan"));
      assert.equal(res.status, 500);
      assert.equal(await res.text(), "");
      assert.equal(errors.length, 1);
      assert.match(errors[0]!.message, /rescan/);
    }, { rootDir: dirname(SYSFS_WRITE_ONLY) });
    return;
  }
  await withServer(async ({ put, url, errors }) => {
    const file = await put("locked.bin", "x");
    await chmod(file, 0o000);
    const res = await fetch(url("/locked.bin"));
    assert.equal(res.status, 500);
    assert.equal(await res.text(), "");
    assert.equal(errors.length, 1);
    assert.match(errors[0]!.message, /locked\.bin/);
  });
});

Deno.test("files changed on disk are served fresh, cached or not", async () => {
  await withServer(async ({ put, url }) => {
    for (const size of [16, LARGE]) {
      const name = `/changing-${size}`;
      const file = await put(name, bytesOf(size, 1));
      const first = await fetch(url(name));
      assert.deepEqual(new Uint8Array(await first.arrayBuffer()), bytesOf(size, 1));
      // Same size, rewritten in place; a distinct mtime stands for "later".
      await put(name, bytesOf(size, 2));
      const later = new Date(Date.now() + 5000);
      await utimes(file, later, later);
      const second = await fetch(url(name));
      assert.deepEqual(new Uint8Array(await second.arrayBuffer()), bytesOf(size, 2));
      assert.notEqual(second.headers.get("etag"), first.headers.get("etag"));
    }
  });
});

Deno.test("directories are listed only when the option enables it", async () => {
  await withServer(async ({ put, url }) => {
    await put("blobs/a&b.txt", "x");
    await put("blobs/sub/c", "x");
    const res = await fetch(url("/blobs/"));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "text/html; charset=utf-8");
    const page = await res.text();
    assert.match(page, /<a href="\/blobs\/a%26b\.txt">a&amp;b\.txt<\/a>/);
    assert.match(page, /<a href="\/blobs\/sub\/">sub\/<\/a>/);
    const top = await fetch(url("/"));
    assert.match(await top.text(), /href="\/blobs\/"/);
    const head = await fetch(url("/blobs"), { method: "HEAD" });
    assert.equal(head.status, 200);
    assert.equal(Number(head.headers.get("content-length")), new TextEncoder().encode(page).length);
  }, { directoryListing: true });
});

Deno.test("handle() answers without a listener, for mounting in another server", async () => {
  await withServer(async ({ server, put }) => {
    await put("test_file.txt", CONTENT);
    await put("large.bin", bytesOf(LARGE, 3));
    const small = await server.handle(new Request("http://any.host/test_file.txt"));
    assert.equal(small.status, 200);
    assert.equal(await small.text(), CONTENT);
    const large = await server.handle(
      new Request("http://any.host/large.bin", { headers: { range: "bytes=1000-" } }),
    );
    assert.equal(large.status, 206);
    assert.deepEqual(new Uint8Array(await large.arrayBuffer()), bytesOf(LARGE, 3).subarray(1000));
    const post = await server.handle(new Request("http://any.host/x", { method: "POST" }));
    assert.equal(post.status, 405);
    const missing = await server.handle(new Request("http://any.host/none"));
    assert.equal(missing.status, 404);
  }, { start: false });
});
