// Copyright 2026 the aos-common authors. Apache-2.0 license.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { randomFillSync } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import {
  type DigestAlgorithm,
  digestBytes,
  Digester,
  digestFile,
  digestStream,
  isValidDigest,
  parseDigest,
  validateDigest,
  verifyFile,
} from "../../utils/digest.ts";
import { DigestStream } from "../../utils/digest_stream.ts";
import { errorIs } from "../../utils/errors.ts";
import { withTempDir } from "../_helpers/temp_dir.ts";

const EMPTY = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const HELLO = "sha256:b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9";

function opensslAvailable(): boolean {
  try {
    execFileSync("openssl", ["version"], { stdio: "pipe" });
    return true;
  } catch {
    return false;
  }
}
const openssl = opensslAvailable();
// deno-lint-ignore no-console
if (!openssl) console.warn("openssl not found: the openssl comparison tests are ignored");

function opensslDigest(path: string, algorithm: DigestAlgorithm): string {
  const out = execFileSync("openssl", ["dgst", `-${algorithm}`, "-r", path], { encoding: "utf8" });
  return `${algorithm}:${out.split(" ")[0]}`;
}

Deno.test("parseDigest splits at the first colon and never throws", () => {
  assert.deepEqual(parseDigest("sha256:1234567890abcdef"), ["sha256", "1234567890abcdef"]);
  assert.deepEqual(parseDigest("sha256:ab:cd"), ["sha256", "ab:cd"]);
  assert.deepEqual(parseDigest("sha256"), ["sha256", ""]);
  assert.deepEqual(parseDigest(""), ["", ""]);
  assert.deepEqual(parseDigest(":x"), ["", "x"]);
});

Deno.test("validateDigest accepts the three algorithms and an upper-case algorithm name", () => {
  assert.deepEqual(validateDigest(EMPTY), { algorithm: "sha256", encoded: EMPTY.slice(7) });
  assert.equal(validateDigest(`SHA256:${EMPTY.slice(7)}`).algorithm, "sha256");
  assert.equal(validateDigest(`sha384:${"a".repeat(96)}`).algorithm, "sha384");
  assert.equal(validateDigest(`sha512:${"0".repeat(128)}`).algorithm, "sha512");
  assert.ok(isValidDigest(EMPTY));
});

Deno.test("validateDigest rejects bad algorithms, lengths and hex with invalidArgument", () => {
  const cases: [string, RegExp][] = [
    ["sha256:1234567890abcdef1234567890abcdef", /invalid encoded length 32, sha256 needs 64/],
    [`sha256:${EMPTY.slice(7).toUpperCase()}`, /invalid encoded value/],
    [`sha256:${"g".repeat(64)}`, /invalid encoded value/],
    [`sha384:${"a".repeat(64)}`, /invalid encoded length 64, sha384 needs 96/],
    [`md5:${"a".repeat(32)}`, /unsupported algorithm "md5"/],
    [EMPTY.slice(7), /unsupported algorithm/],
    ["", /unsupported algorithm ""/],
  ];
  for (const [digest, message] of cases) {
    assert.throws(
      () => validateDigest(digest),
      (e) => errorIs(e, "invalidArgument") && message.test((e as Error).message),
      digest,
    );
    assert.equal(isValidDigest(digest), false);
  }
});

Deno.test("Digester hashes chunks incrementally and refuses updates after digest()", () => {
  const d = new Digester();
  d.update("hello ").update(new TextEncoder().encode("world"));
  assert.equal(d.size, 11);
  assert.equal(d.digest(), HELLO);
  assert.equal(d.digest(), HELLO);
  assert.throws(() => d.update("x"), (e) => errorIs(e, "wrongState"));
  assert.equal(digestBytes(""), EMPTY);
  assert.match(digestBytes("abc", "sha512"), /^sha512:ddaf35a1/);
  assert.throws(
    () => new Digester("md5" as DigestAlgorithm),
    (e) => errorIs(e, "invalidArgument") && /"md5"/.test((e as Error).message),
  );
});

Deno.test({
  name: "digestFile matches openssl dgst for every algorithm across chunk boundaries",
  ignore: !openssl,
  fn: () =>
    withTempDir(async (dir) => {
      // 9 MiB + 123 bytes: two full 4 MiB chunks and a partial one.
      const data = randomFillSync(new Uint8Array(9 * 1024 * 1024 + 123));
      const files = { big: data, empty: new Uint8Array(0), small: data.subarray(0, 5000) };
      for (const [name, bytes] of Object.entries(files)) {
        const path = join(dir, name);
        await writeFile(path, bytes);
        for (const alg of ["sha256", "sha384", "sha512"] as const) {
          const ours = await digestFile(path, alg);
          assert.equal(ours, opensslDigest(path, alg), `${name} ${alg}`);
          assert.equal(digestBytes(bytes, alg), ours);
        }
      }
    }),
});

Deno.test("digestFile accepts file URLs, reports progress and maps errors", () =>
  withTempDir(async (dir) => {
    const path = join(dir, "hello.txt");
    await writeFile(path, "hello world");
    const seen: number[] = [];
    assert.equal(
      await digestFile(pathToFileURL(path), "sha256", { onProgress: (n) => seen.push(n) }),
      HELLO,
    );
    assert.deepEqual(seen, [11]);
    await assert.rejects(
      digestFile(join(dir, "missing")),
      (e) => errorIs(e, "notFound") && (e as Error).message.includes("missing"),
    );
    await assert.rejects(
      digestFile(path, "sha256", { signal: AbortSignal.abort() }),
      (e) => errorIs(e, "canceled"),
    );
  }));

Deno.test("digestFile stops between chunks when aborted mid-file", () =>
  withTempDir(async (dir) => {
    const path = join(dir, "big");
    await writeFile(path, new Uint8Array(12 * 1024 * 1024));
    const controller = new AbortController();
    await assert.rejects(
      digestFile(path, "sha256", {
        signal: controller.signal,
        onProgress: () => controller.abort(),
      }),
      (e) => errorIs(e, "canceled"),
    );
  }));

Deno.test("digestStream hashes a ReadableStream and an async iterable", async () => {
  assert.equal(await digestStream(new Blob(["hello ", "world"]).stream()), HELLO);
  async function* parts() {
    yield new TextEncoder().encode("hello");
    yield new TextEncoder().encode(" world");
  }
  assert.equal(await digestStream(parts()), HELLO);
  await assert.rejects(
    digestStream(parts(), "sha256", { signal: AbortSignal.abort() }),
    (e) => errorIs(e, "canceled"),
  );
});

Deno.test("DigestStream passes bytes through unchanged and resolves the digest", async () => {
  const hashing = new DigestStream({ expected: HELLO, expectedSize: 11 });
  const text = await new Response(new Blob(["hello world"]).stream().pipeThrough(hashing)).text();
  assert.equal(text, "hello world");
  assert.equal(await hashing.digest, HELLO);
});

Deno.test("DigestStream fails with invalidChecksum on a wrong digest or size", async () => {
  const wrong = new DigestStream({ expected: EMPTY });
  await assert.rejects(
    new Blob(["hello world"]).stream().pipeThrough(wrong).pipeTo(new WritableStream()),
    (e) => errorIs(e, "invalidChecksum") && (e as Error).message.includes(HELLO),
  );
  await assert.rejects(wrong.digest, (e) => errorIs(e, "invalidChecksum"));

  // The overrun is caught at the first chunk past the size, before the end.
  let pulled = 0;
  const endless = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulled++;
      if (pulled > 1000) throw new Error("read past the size limit");
      controller.enqueue(new Uint8Array(10));
    },
  });
  await assert.rejects(
    endless.pipeThrough(new DigestStream({ expectedSize: 15 })).pipeTo(new WritableStream()),
    (e) => errorIs(e, "invalidChecksum") && /more than 15/.test((e as Error).message),
  );
  assert.ok(pulled < 1000);

  await assert.rejects(
    new Blob(["short"]).stream().pipeThrough(new DigestStream({ expectedSize: 6 })).pipeTo(
      new WritableStream(),
    ),
    (e) => errorIs(e, "invalidChecksum") && /size is 5 bytes, want 6/.test((e as Error).message),
  );
  assert.throws(
    () => new DigestStream({ expected: "sha256:abc" }),
    (e) => errorIs(e, "invalidArgument"),
  );
});

Deno.test("verifyFile resolves on a match and rejects mismatches with invalidChecksum", () =>
  withTempDir(async (dir) => {
    const path = join(dir, "blob");
    await writeFile(path, "hello world");
    await verifyFile(path, HELLO);
    await verifyFile(path, HELLO.replace("sha256", "SHA256"), { size: 11 });
    await assert.rejects(
      verifyFile(path, EMPTY),
      (e) =>
        errorIs(e, "invalidChecksum") && (e as Error).message.includes(path) &&
        (e as Error).message.includes(HELLO),
    );
    await assert.rejects(
      verifyFile(path, HELLO, { size: 12 }),
      (e) =>
        errorIs(e, "invalidChecksum") && /size is 11 bytes, want 12/.test((e as Error).message),
    );
    await assert.rejects(verifyFile(path, "sha256:ABC"), (e) => errorIs(e, "invalidArgument"));
    await assert.rejects(verifyFile(join(dir, "nope"), HELLO), (e) => errorIs(e, "notFound"));
    await assert.rejects(
      verifyFile(join(dir, "nope"), HELLO, { size: 1 }),
      (e) => errorIs(e, "notFound"),
    );
  }));
