// Copyright 2026 the aos-common authors. Apache-2.0 license.
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import process from "node:process";
import { FileServer } from "../../fileserver/mod.ts";
import { AosError } from "../../utils/errors.ts";

/** A server (not started) over `<tmp>/download`, given as a path relative to the CWD. */
async function withRoot(
  serverURL: string,
  fn: (server: FileServer, root: string, dir: string) => void | Promise<void>,
): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "aos-fileserver-url-"));
  const root = join(dir, "download");
  await mkdir(root);
  try {
    await fn(new FileServer({ serverURL, rootDir: relative(process.cwd(), root) }), root, dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function throwsKind(fn: () => unknown, kind: string, message?: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof AosError, `expected AosError, got ${err}`);
    assert.equal(err.kind, kind);
    if (message !== undefined) assert.match(err.message, message);
    return true;
  });
}

Deno.test("translates a file under a CWD-relative root to its URL", async () => {
  await withRoot("http://localhost:8000", (server, root) => {
    const rel = relative(process.cwd(), join(root, "test_file.dat"));
    assert.equal(server.translateFilePathURL(rel), "http://localhost:8000/test_file.dat");
  });
});

Deno.test("translates nested and absolute paths to the same URL", async () => {
  await withRoot("http://localhost:8000", (server, root) => {
    const file = join(root, "blobs", "sha256", "ab12");
    const url = "http://localhost:8000/blobs/sha256/ab12";
    assert.equal(server.translateFilePathURL(relative(process.cwd(), file)), url);
    assert.equal(server.translateFilePathURL(file), url);
  });
});

Deno.test("normalises the server URL as AosCore does", () => {
  const base = (serverURL: string) =>
    new FileServer({ serverURL, rootDir: "download" }).baseURL.href;
  assert.equal(base("localhost:8080"), "http://localhost:8080/");
  assert.equal(base("http://localhost"), "http://localhost/");
  assert.equal(base("http://localhost:80"), "http://localhost/");
  assert.equal(base("https://Host.Example:8443/x?y#z"), "https://host.example:8443/");
  assert.equal(base("https://host.example"), "https://host.example/");
  assert.equal(base(":9000"), "http://localhost:9000/");
  assert.equal(base("http://"), "http://localhost/");
  assert.equal(base("http://:9000"), "http://localhost:9000/");
  assert.equal(base("HTTP://CM.Local:8081"), "http://cm.local:8081/");
  assert.equal(base("http://[::1]:8080"), "http://[::1]:8080/");
  // A scheme without a well-known port gets AosCore's default 8080.
  assert.equal(base("aos://Node1"), "aos://node1:8080/");
});

Deno.test("rejects malformed server URLs and options with invalidArgument", () => {
  for (const serverURL of ["http://h:99999", "http://h:abc", "http://h:-1", "://", "http://a b"]) {
    throwsKind(() => new FileServer({ serverURL, rootDir: "download" }), "invalidArgument");
  }
  throwsKind(
    () => new FileServer({ serverURL: "localhost:1", rootDir: "" }),
    "invalidArgument",
    /Invalid rootDir "": must be a non-empty path/,
  );
  throwsKind(
    () => new FileServer({ serverURL: "localhost:1", rootDir: "d", listenHostname: "" }),
    "invalidArgument",
  );
  throwsKind(
    () => new FileServer({ serverURL: "localhost:1", rootDir: "d", shutdownGraceMs: -1 }),
    "invalidArgument",
  );
});

Deno.test("omits the well-known port from generated URLs", async () => {
  await withRoot("http://localhost", (server, root) => {
    assert.equal(server.translateFilePathURL(join(root, "a.txt")), "http://localhost/a.txt");
  });
  await withRoot("https://cm:443/ignored", (server, root) => {
    assert.equal(server.translateFilePathURL(join(root, "a.txt")), "https://cm/a.txt");
  });
});

Deno.test("percent-encodes special characters in each path segment", async () => {
  await withRoot("http://localhost:8000", (server, root) => {
    const url = server.translateFilePathURL(join(root, "dir one", "my file+v1#.txt"));
    assert.equal(url, "http://localhost:8000/dir%20one/my%20file%2Bv1%23.txt");
    const unicode = server.translateFilePathURL(join(root, "größe?.bin"));
    assert.equal(unicode, "http://localhost:8000/gr%C3%B6%C3%9Fe%3F.bin");
    assert.equal(decodeURIComponent(new URL(unicode).pathname), "/größe?.bin");
  });
});

Deno.test("refuses paths outside the root or equal to it", async () => {
  await withRoot("http://localhost:8000", (server, root, dir) => {
    throwsKind(
      () => server.translateFilePathURL(join(dir, "other", "x.dat")),
      "invalidArgument",
      /path is outside root directory/,
    );
    throwsKind(
      () => server.translateFilePathURL(relative(process.cwd(), join(root, "..", "x.dat"))),
      "invalidArgument",
      /path is outside root directory/,
    );
    throwsKind(() => server.translateFilePathURL(join(dir, "download-x", "a")), "invalidArgument");
    throwsKind(() => server.translateFilePathURL(root), "invalidArgument", /root directory/);
    throwsKind(() => server.translateFilePathURL(`${root}/`), "invalidArgument");
  });
});

Deno.test("translates a file that does not exist yet", async () => {
  await withRoot("http://localhost:8000", (server, root) => {
    assert.equal(
      server.translateFilePathURL(join(root, "later", "blob")),
      "http://localhost:8000/later/blob",
    );
  });
});

Deno.test("translates through a symlinked root like AosCore's weakly canonical paths", async () => {
  await withRoot("http://localhost:8000", async (_server, root, dir) => {
    const link = join(dir, "link-to-download");
    await symlink(root, link);
    const server = new FileServer({ serverURL: "http://localhost:8000", rootDir: link });
    assert.equal(server.translateFilePathURL(join(root, "a.bin")), "http://localhost:8000/a.bin");
    assert.equal(server.translateFilePathURL(join(link, "b.bin")), "http://localhost:8000/b.bin");
  });
});

Deno.test("translateURLFilePath inverts translateFilePathURL", async () => {
  await withRoot("http://localhost:8000", (server, root) => {
    for (const name of ["test_file.dat", join("blobs", "sha256", "ab12"), "my file+v1#.txt"]) {
      const path = join(root, name);
      const url = server.translateFilePathURL(path);
      assert.equal(server.translateURLFilePath(url), path);
      assert.equal(server.translateURLFilePath(new URL(`${url}?q=1#f`)), path);
    }
  });
});

Deno.test("translateURLFilePath refuses other servers and paths leaving the root", async () => {
  await withRoot("http://localhost:8000", (server) => {
    for (
      const url of [
        "http://localhost:8001/a",
        "https://localhost:8000/a",
        "http://otherhost:8000/a",
        "http://localhost:8000/",
        "http://localhost:8000/a%2Fb",
        "http://localhost:8000/a%5Cb",
        "http://localhost:8000/a%00b",
        "http://localhost:8000/%E0%A4%A",
        "not a url",
      ]
    ) {
      throwsKind(() => server.translateURLFilePath(url), "invalidArgument");
    }
  });
});

Deno.test("translateURLFilePath keeps dot segments inside the root, as URL parsing does", async () => {
  await withRoot("http://localhost:8000", (server, root) => {
    const url = "http://localhost:8000/a/%2e%2e/%2e%2e/etc/passwd";
    assert.equal(server.translateURLFilePath(url), join(root, "etc", "passwd"));
  });
});

Deno.test("port 0 has no URLs until started, then the bound port", async () => {
  await withRoot("http://127.0.0.1:0", async (_server, root) => {
    await using server = new FileServer({
      serverURL: "http://127.0.0.1:0",
      rootDir: root,
      listenHostname: "127.0.0.1",
    });
    throwsKind(() => server.translateFilePathURL(join(root, "a")), "wrongState", /not started/);
    await server.start();
    const port = Number(server.baseURL.port);
    assert.ok(port > 0);
    assert.equal(server.translateFilePathURL(join(root, "a")), `http://127.0.0.1:${port}/a`);
    // baseURL is a copy: changing it changes nothing.
    server.baseURL.port = "1";
    assert.equal(server.baseURL.port, String(port));
  });
});
