// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Request targets and headers made of traversal pieces, sent to the reply
// core both server adapters share, over real files: every answer has a
// status the server may give, a 200 or 206 body is exactly a file (or the
// range of one) under the root, and nothing outside the root is ever served
// or listed.
import assert from "node:assert/strict";
import { mkdir, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Buffer } from "node:buffer";
import fc from "fast-check";
import { fileSystem } from "../../fileserver/_files.ts";
import { Replier, type Reply } from "../../fileserver/_reply.ts";
import { pathSegments, requestPath } from "../../fileserver/_url.ts";
import type { AosError } from "../../utils/errors.ts";
import { tempDir } from "../_helpers/temp_dir.ts";
import { testBytes } from "../_helpers/data.ts";
import { runs, tokens } from "./_fuzz.ts";

const SECRET = `secret-${crypto.randomUUID()}`;

const PIECES = [
  "/",
  "//",
  ".",
  "..",
  "%2e",
  "%2E",
  "%2f",
  "%2F",
  "%5c",
  "\\",
  "%00",
  "%",
  "%zz",
  "%c0%ae",
  "%25",
  "inside.txt",
  "sub",
  "nested.txt",
  "link",
  "up",
  "inlink",
  "big.bin",
  "empty.txt",
  "a%20b.txt",
  "a b.txt",
  "%C3%A9.txt",
  "?",
  "#",
  ";",
  "x",
  `${SECRET}.txt`,
  "download",
  "http://h",
  "HTTP://h:1",
  "*",
];

const SEGMENT = fc.constantFrom(
  ".",
  "..",
  "%2e%2e",
  "%2E",
  "..%2f..",
  "%5c..",
  "",
  "inside.txt",
  "sub",
  "nested.txt",
  "big.bin",
  "empty.txt",
  "a%20b.txt",
  "%C3%A9.txt",
  "link",
  "up",
  "inlink",
  "download",
  `${SECRET}.txt`,
);
const FILE = fc.constantFrom(
  "inside.txt",
  "sub/nested.txt",
  "big.bin",
  "empty.txt",
  "a%20b.txt",
  "%C3%A9.txt",
  "inlink",
  "link",
  "up/" + `${SECRET}.txt`,
);
/** Paths of plain and traversal segments ending at a file, in the forms a request target takes. */
const PATH = fc.tuple(
  fc.constantFrom("/", "/", "", "//", "http://h/", "HTTP://h:1/"),
  fc.array(SEGMENT, { maxLength: 3 }),
  fc.constantFrom("/", "/", "/", "//", "\\"),
  FILE,
  fc.constantFrom("", "", "/", "?q", "#f", "?/../x"),
).map(([prefix, segments, separator, file, suffix]) =>
  prefix + [...segments, file].join(separator) + suffix
);
const TARGET = fc.oneof(
  { weight: 3, arbitrary: FILE.map((file) => `/${file}`) },
  { weight: 3, arbitrary: PATH },
  tokens(PIECES).map((t) => `/${t}`),
  tokens(PIECES),
);

const RANGE_PIECES = [..."0123456789", "-", ",", "=", " ", "bytes", "bytes=", "*", "/"];
const ALL_HEADERS = fc.record({
  range: fc.oneof(
    fc.tuple(fc.nat(80_000), fc.nat(80_000)).map(([a, b]) =>
      `bytes=${Math.min(a, b)}-${Math.max(a, b)}`
    ),
    tokens(RANGE_PIECES, 8),
    fc.tuple(fc.nat(80_000), fc.nat(80_000)).map(([a, b]) => `bytes=${a}-${b}`),
    fc.nat(80_000).map((n) => `bytes=-${n}`),
  ),
  "if-range": fc.constantFrom('"x"', 'W/"x"', "Thu, 01 Jan 1970 00:00:00 GMT", "junk"),
  "if-none-match": fc.constantFrom("*", '"x"', 'W/"x", "y"'),
  "if-match": fc.constantFrom("*", '"x"'),
  "if-modified-since": fc.constantFrom(
    "Thu, 01 Jan 1970 00:00:00 GMT",
    "Fri, 01 Jan 2100 00:00:00 GMT",
    "junk",
  ),
  "if-unmodified-since": fc.constantFrom("Thu, 01 Jan 1970 00:00:00 GMT", "junk"),
}, { requiredKeys: [] });
const HEADERS = fc.oneof(
  fc.constant({}),
  ALL_HEADERS.map(({ range }) => range === undefined ? {} : { range }),
  ALL_HEADERS,
);

const STATUSES = new Set([200, 206, 304, 400, 404, 405, 412, 416]);

/** The body of a reply; a streamed file is read (which closes it). */
function bodyOf(reply: Reply): Uint8Array {
  if (reply.file !== undefined) return reply.file.read(reply.start!, reply.length!);
  if (typeof reply.body === "string") return new TextEncoder().encode(reply.body);
  return reply.body ?? new Uint8Array();
}

Deno.test("random request targets and headers never leave the root, and bodies are exact", async () => {
  await using dir = await tempDir();
  const root = dir.join("download");
  await mkdir(join(root, "sub"), { recursive: true });
  await writeFile(dir.join(`${SECRET}.txt`), SECRET);
  const files: Record<string, Uint8Array> = {
    "inside.txt": new TextEncoder().encode("inside"),
    "sub/nested.txt": new TextEncoder().encode("nested"),
    "a b.txt": new TextEncoder().encode("spaced"),
    "é.txt": new TextEncoder().encode("accented"),
    "big.bin": testBytes(70_000, 7),
    "empty.txt": new Uint8Array(),
  };
  for (const [name, bytes] of Object.entries(files)) await writeFile(join(root, name), bytes);
  await symlink(dir.join(`${SECRET}.txt`), join(root, "link"));
  await symlink(dir.path, join(root, "up"));
  await symlink(join(root, "inside.txt"), join(root, "inlink"));
  const contents = Object.values(files);

  const errors: AosError[] = [];
  const repliers = [false, true].map((directoryListing) =>
    new Replier({
      rootDir: root,
      files: fileSystem(),
      acceptRanges: true,
      directoryListing,
      onError: (err) => errors.push(err),
    })
  );

  await fc.assert(
    fc.asyncProperty(
      TARGET,
      HEADERS,
      fc.constantFrom("GET", "GET", "GET", "GET", "HEAD", "POST", "get"),
      fc.nat(1),
      async (target, fields, method, which) => {
        const reply = await repliers[which]!.reply({
          method,
          target,
          headers: new Headers(fields),
        });
        const shown = `${method} ${JSON.stringify(target)} ${JSON.stringify(fields)}`;
        assert.ok(STATUSES.has(reply.status), `${reply.status} for ${shown}`);
        const body = bodyOf(reply);
        assert.ok(!new TextDecoder().decode(body).includes(SECRET), `leak for ${shown}`);
        if (method === "HEAD" || (reply.status !== 200 && reply.status !== 206)) {
          assert.equal(body.length, 0, shown);
          return;
        }
        assert.equal(reply.headers["content-length"], String(body.length), shown);
        if (reply.headers["content-type"] === "text/html; charset=utf-8") {
          assert.equal(which, 1, `a listing without the option: ${shown}`);
          return;
        }
        if (reply.status === 200) {
          assert.ok(contents.some((c) => Buffer.compare(c, body) === 0), `not a file: ${shown}`);
          return;
        }
        const [, start, end, size] = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(
          reply.headers["content-range"]!,
        )!.map(Number);
        assert.ok(
          contents.some((c) =>
            c.length === size && Buffer.compare(c.subarray(start, end! + 1), body) === 0
          ),
          `not a range of a file: ${shown}`,
        );
      },
    ),
    runs(200),
  );
  assert.deepEqual(errors, []);
});

Deno.test("request paths split into plain names that cannot leave a directory", () => {
  fc.assert(
    fc.property(TARGET, (target) => {
      const path = requestPath(target);
      if (path === undefined) return;
      assert.ok(path.startsWith("/"), target);
      const split = pathSegments(path);
      if (typeof split === "number") {
        assert.ok(split === 400 || split === 404, target);
        return;
      }
      for (const name of split.segments) {
        assert.ok(name !== "" && name !== "." && name !== "..", target);
        assert.ok(!/[/\\\0]/.test(name), target);
      }
    }),
    runs(1000),
  );
});
