// Copyright 2026 the aos-common authors. Apache-2.0 license.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  imageConfigToJSON,
  loadImageConfig,
  parseImageConfig,
  saveImageConfig,
  stringifyImageConfig,
} from "../../ocispec/image_config.ts";
import { assertOciError, keyOrder, SHA_A, SHA_B, withTempDir } from "./_helpers.ts";

Deno.test("image config reads upstream PascalCase members and writes lower camel case", () => {
  const config = parseImageConfig(
    '{"config":{"Env":["PATH=/bin"],"Cmd":["-c","true"],"Entrypoint":["/bin/sh"],' +
      '"WorkingDir":"/","ExposedPorts":{"8080/tcp":{},"53/udp":{}}}}',
  );
  assert.deepEqual(config.config, {
    exposedPorts: ["8080/tcp", "53/udp"],
    env: ["PATH=/bin"],
    entrypoint: ["/bin/sh"],
    cmd: ["-c", "true"],
    workingDir: "/",
  });
  const json = imageConfigToJSON(config);
  assert.deepEqual(Object.keys(json.config as object), [
    "exposedPorts",
    "env",
    "entrypoint",
    "cmd",
    "workingDir",
  ]);
  assert.deepEqual((json.config as Record<string, unknown>).exposedPorts, {
    "8080/tcp": {},
    "53/udp": {},
  });
});

Deno.test("image config writes timestamps with microseconds and round-trips rootfs and platform", () =>
  withTempDir(async (dir) => {
    const input = {
      created: "2024-12-31T23:59:59Z",
      author: "someone",
      architecture: "arm64",
      variant: "v8",
      os: "linux",
      osVersion: "ignored",
      "os.version": "5.15",
      "os.features": ["f1"],
      rootfs: { type: "layers", diff_ids: [SHA_A, SHA_B] },
    };
    const config = parseImageConfig(input);
    assert.equal(config.created?.toISOString(), "2024-12-31T23:59:59.000Z");
    assert.equal(config.osVersion, "5.15");
    assert.deepEqual(config.rootfs, { type: "layers", diffIds: [SHA_A, SHA_B] });
    const path = join(dir, "config.json");
    await saveImageConfig(path, config);
    const text = await readFile(path, "utf8");
    assert.deepEqual(keyOrder(text), [
      "created",
      "author",
      "architecture",
      "variant",
      "os",
      "os.version",
      "os.features",
      "rootfs",
    ]);
    const saved = JSON.parse(text);
    assert.equal(saved.created, "2024-12-31T23:59:59.000000Z");
    assert.deepEqual(saved.rootfs, { type: "layers", diff_ids: [SHA_A, SHA_B] });
    assert.deepEqual(await loadImageConfig(path), config);

    // Microseconds survive; an absent `created` is not written.
    const precise = parseImageConfig({ created: "2024-01-02T03:04:05.123456789Z" });
    assert.equal(imageConfigToJSON(precise).created, "2024-01-02T03:04:05.123456Z");
    assert.equal(stringifyImageConfig(parseImageConfig({})), '{"architecture":"","os":""}');
  }));

Deno.test("image config rejects malformed timestamps, bad diff IDs and over-long lists", () => {
  assertOciError(() => parseImageConfig({ created: "2024-13-01T00:00:00Z" }), {
    kind: "invalidArgument",
    field: "/created",
  });
  assertOciError(() => parseImageConfig({ created: "yesterday" }), {
    kind: "invalidArgument",
    field: "/created",
  });
  assertOciError(() => parseImageConfig({ rootfs: { diff_ids: ["md5:abc"] } }), {
    kind: "invalidArgument",
    field: "/rootfs/diff_ids/0",
    message: /unsupported algorithm "md5"/,
  });
  assertOciError(() => parseImageConfig({ config: { env: Array(17).fill("A=1") } }), {
    kind: "outOfRange",
    field: "/config/env",
  });
  assertOciError(() => parseImageConfig({ config: { exposedPorts: { "123456789/tcp/x": {} } } }), {
    kind: "outOfRange",
    field: "/config/exposedPorts/123456789~1tcp~1x",
  });
  assertOciError(() => parseImageConfig({ config: { cmd: ["a", null] } }), {
    kind: "invalidArgument",
    field: "/config/cmd/1",
  });
});
