// Copyright 2026 the aos-common authors. Apache-2.0 license.
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  imageIndexToJSON,
  loadImageIndex,
  parseImageIndex,
  saveImageIndex,
  stringifyImageIndex,
} from "../../ocispec/image_index.ts";
import { MediaTypes } from "../../ocispec/constants.ts";
import type { ImageIndex } from "../../ocispec/types.ts";
import { assertOciError, keyOrder, SHA_A, withTempDir } from "./_helpers.ts";

const DIGEST = "sha256:129abeb509f55870ec19f24eba0caecccee3f0e055c467e1df8513bdcddc746f";

const INDEX = {
  schemaVersion: 2,
  mediaType: MediaTypes.imageIndex,
  manifests: [{
    mediaType: MediaTypes.imageManifest,
    digest: DIGEST,
    size: 1018,
    platform: {
      architecture: "amd64",
      variant: "6",
      os: "linux",
      "os.version": "6.0.8",
      "os.features": ["feature1", "feature2"],
    },
  }],
};

Deno.test("image index round-trips through a file with AosCore's key order", () =>
  withTempDir(async (dir) => {
    const path = join(dir, "index.json");
    await writeFile(path, JSON.stringify(INDEX, null, 2));
    const index = await loadImageIndex(path);
    assert.deepEqual(index, {
      schemaVersion: 2,
      mediaType: MediaTypes.imageIndex,
      manifests: [{
        mediaType: MediaTypes.imageManifest,
        digest: DIGEST,
        size: 1018,
        platform: {
          architecture: "amd64",
          variant: "6",
          os: "linux",
          osVersion: "6.0.8",
          osFeatures: ["feature1", "feature2"],
        },
      }],
    });
    await saveImageIndex(path, index);
    const text = await readFile(path, "utf8");
    assert.equal(text, JSON.stringify(INDEX), "compact, in AosCore's order");
    assert.deepEqual(keyOrder(text), ["schemaVersion", "mediaType", "manifests"]);
    assert.deepEqual(Object.keys(JSON.parse(text).manifests[0]), [
      "mediaType",
      "digest",
      "size",
      "platform",
    ]);
    assert.deepEqual(await loadImageIndex(path), index);
  }));

Deno.test("image index omits empty members but always writes mediaType", () => {
  const empty: ImageIndex = { schemaVersion: 2, mediaType: "", manifests: [] };
  assert.equal(stringifyImageIndex(empty), '{"schemaVersion":2,"mediaType":""}');
  const withArtifact: ImageIndex = { ...empty, artifactType: "application/x" };
  assert.deepEqual(imageIndexToJSON(withArtifact), {
    schemaVersion: 2,
    mediaType: "",
    artifactType: "application/x",
  });
  const bare = { architecture: "arm64", os: "linux", variant: "", osFeatures: [] };
  const index = {
    ...empty,
    manifests: [{ mediaType: "m", digest: SHA_A, size: 1, platform: bare }],
  };
  assert.deepEqual((imageIndexToJSON(index).manifests as unknown[])[0], {
    mediaType: "m",
    digest: SHA_A,
    size: 1,
    platform: { architecture: "arm64", os: "linux" },
  });
});

Deno.test("image index reader matches keys in any case and treats null as absent", () => {
  assert.deepEqual(parseImageIndex('{"SCHEMAVERSION":2,"MediaType":"x"}'), {
    schemaVersion: 2,
    mediaType: "x",
    manifests: [],
  });
  assert.deepEqual(
    parseImageIndex({ schemaVersion: 2, artifactType: null, manifests: null, unknown: [1] }),
    { schemaVersion: 2, mediaType: "", manifests: [] },
  );
  const index = parseImageIndex(
    new TextEncoder().encode('{"Manifests":[{"Digest":"' + SHA_A + '"}]}'),
  );
  assert.deepEqual(index.manifests, [{ mediaType: "", digest: SHA_A, size: 0 }]);
  // `osVersion` is not an alias of `os.version`.
  const p = parseImageIndex({ manifests: [{ platform: { osVersion: "1", OS: "linux" } }] });
  assert.deepEqual(p.manifests[0]?.platform, { architecture: "", os: "linux" });
});

Deno.test("image index rejects bad JSON, bad types and bad digests naming the member", () => {
  assertOciError(() => parseImageIndex("{"), { kind: "invalidArgument", message: /invalid JSON/ });
  assertOciError(() => parseImageIndex("[]"), { kind: "invalidArgument", message: /JSON object/ });
  assertOciError(() => parseImageIndex({ schemaVersion: "two" }), {
    kind: "invalidArgument",
    field: "/schemaVersion",
  });
  assertOciError(() => parseImageIndex({ manifests: {} }), {
    kind: "invalidArgument",
    field: "/manifests",
  });
  assertOciError(() => parseImageIndex({ manifests: [null] }), {
    kind: "invalidArgument",
    field: "/manifests/0",
  });
  assertOciError(() => parseImageIndex({ manifests: [{ size: 1.5 }] }), {
    kind: "invalidArgument",
    field: "/manifests/0/size",
  });
  assertOciError(() => parseImageIndex({ mediaType: { a: 1 } }), {
    kind: "invalidArgument",
    field: "/mediaType",
  });
  assertOciError(() => parseImageIndex({ manifests: [{ digest: SHA_A.toUpperCase() }] }), {
    kind: "invalidArgument",
    field: "/manifests/0/digest",
    message: /unsupported algorithm "SHA256"|invalid encoded value/,
  });
  assertOciError(() => parseImageIndex({ manifests: [{ digest: `sha256:${"A".repeat(64)}` }] }), {
    kind: "invalidArgument",
    field: "/manifests/0/digest",
    message: /lower-case hex/,
  });
  assertOciError(() => parseImageIndex({ manifests: [{ digest: "sha256:abc" }] }), {
    kind: "invalidArgument",
    field: "/manifests/0/digest",
    message: /invalid encoded length 3/,
  });
});

Deno.test("image index enforces AosCore's capacities unless told not to", () => {
  const manifests = Array.from({ length: 9 }, () => ({ digest: SHA_A }));
  assertOciError(() => parseImageIndex({ manifests }), {
    kind: "outOfRange",
    field: "/manifests",
    message: /has 9 entries, at most 8/,
  });
  assert.equal(parseImageIndex({ manifests }, { enforceLimits: false }).manifests.length, 9);
  assert.equal(parseImageIndex({ manifests }, { limits: { manifests: 10 } }).manifests.length, 9);
  assertOciError(() => parseImageIndex({ mediaType: "x".repeat(65) }), {
    kind: "outOfRange",
    field: "/mediaType",
    message: /65 bytes long, at most 64/,
  });
  // Capacities count UTF-8 bytes: 22 three-byte characters are 66 bytes.
  assertOciError(() => parseImageIndex({ mediaType: "€".repeat(22) }), {
    kind: "outOfRange",
    field: "/mediaType",
  });
});
