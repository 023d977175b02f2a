// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Requests crafted to leave the root, sent raw over TCP (fetch would resolve
// `..` and escapes before sending). None may return a byte from outside.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { symlink } from "node:fs/promises";
import { join } from "node:path";
import { rawGet, type RawResponse } from "../_helpers/raw_http.ts";
import { withServer } from "./_fixture.ts";

const SECRET = `TOP-SECRET-${crypto.randomUUID()}`;

// Request targets aimed at `<dir>/secret.txt` (next to the root) and at
// /etc/passwd. The root holds `inside.txt`, a symlink `link` to
// /etc/passwd, `outlink` to the secret and `up` to the root's parent.
const CORPUS = [
  "/../secret.txt",
  "/../../../../../../etc/passwd",
  "../secret.txt",
  "../../../../../../etc/passwd",
  "/%2e%2e/secret.txt",
  "/%2E%2E/secret.txt",
  "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
  "/.%2e/secret.txt",
  "/%2e./secret.txt",
  "/a/..%2f..%2fsecret.txt",
  "/..%2fsecret.txt",
  "/..%2Fsecret.txt",
  "/a/..%2f..%2f..%2f..%2f..%2f..%2fetc/passwd",
  "/..%5csecret.txt",
  "/..\\secret.txt",
  "/\\..\\secret.txt",
  "/%5c..%5csecret.txt",
  "/./../secret.txt",
  "/inside.txt/../../secret.txt",
  "/x/../../secret.txt",
  "//etc/passwd",
  "/%2fetc%2fpasswd",
  "/%2Fetc/passwd",
  "/inside.txt%00/../../secret.txt",
  "/..%00/secret.txt",
  "/%00",
  "/inside.txt%00.png",
  "/link",
  "/outlink",
  "/up/secret.txt",
  "/up/%2e%2e/secret.txt",
  "/up/../secret.txt",
  "http://127.0.0.1/../secret.txt",
  "http://127.0.0.1/%2e%2e/secret.txt",
  "http://127.0.0.1/..%2fsecret.txt",
  "file:///etc/passwd",
  "/%252e%252e/secret.txt",
  "/..;/secret.txt",
  "/.../secret.txt",
  "/%c0%ae%c0%ae/secret.txt",
  "/..%c0%afsecret.txt",
  "/%u002e%u002e/secret.txt",
  "/%20/../secret.txt",
  "/proc/self/root/etc/passwd",
  "*",
  "/?/../secret.txt",
  "/#/../secret.txt",
];

function leaks(res: RawResponse, passwd: string): string | undefined {
  const text = new TextDecoder("latin1").decode(res.raw);
  if (text.includes(SECRET)) return "the secret";
  if (passwd !== "" && text.includes(passwd.slice(0, 40))) return "/etc/passwd";
  return undefined;
}

Deno.test("a corpus of traversal requests sent raw over TCP never leaves the root", async () => {
  let passwd = "";
  try {
    passwd = readFileSync("/etc/passwd", "utf8");
  } catch {
    // Without /etc/passwd only the secret is looked for.
  }
  await withServer(async ({ put, root, dir, port }) => {
    await put("inside.txt", "inside");
    await put("../secret.txt", SECRET);
    await symlink("/etc/passwd", join(root, "link"));
    await symlink(join(dir, "secret.txt"), join(root, "outlink"));
    await symlink(dir, join(root, "up"));
    assert.ok(CORPUS.length >= 30);
    for (const target of CORPUS) {
      const res = await rawGet(port, target);
      assert.equal(leaks(res, passwd), undefined, `${target} leaked`);
      assert.ok([400, 403, 404].includes(res.status), `${target}: status ${res.status}`);
      assert.equal(res.headers.get("content-length") ?? "0", "0", target);
    }
    // The same server still serves what is inside.
    const inside = await rawGet(port, "/inside.txt");
    assert.equal(inside.status, 200);
    assert.equal(new TextDecoder().decode(inside.body), "inside");
  });
});

Deno.test("the corpus through handle() never leaves the root either", async () => {
  await withServer(async ({ server, put, root, dir }) => {
    await put("../secret.txt", SECRET);
    await symlink(join(dir, "secret.txt"), join(root, "outlink"));
    await symlink(dir, join(root, "up"));
    for (const target of CORPUS) {
      let request: Request;
      try {
        request = new Request(new URL(target, "http://127.0.0.1/"));
      } catch {
        continue; // not a URL a fetch-style server could be handed
      }
      const res = await server.handle(request);
      const body = await res.text();
      assert.ok(!body.includes(SECRET), `${target} leaked`);
      assert.ok([400, 403, 404].includes(res.status), `${target}: status ${res.status}`);
    }
  }, { start: false });
});

Deno.test("a FIFO in the root is 404 at once instead of blocking the server", async () => {
  await withServer(async ({ root, port }) => {
    execFileSync("mkfifo", [join(root, "fifo")]);
    const res = await rawGet(port, "/fifo");
    assert.equal(res.status, 404);
  });
});
