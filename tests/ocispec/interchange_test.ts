// Copyright 2026 the aos-common authors. Apache-2.0 license.
import assert from "node:assert/strict";
import { createExampleRuntimeConfig } from "../../ocispec/example_runtime_config.ts";
import { parseImageConfig, stringifyImageConfig } from "../../ocispec/image_config.ts";
import { parseImageIndex, stringifyImageIndex } from "../../ocispec/image_index.ts";
import { parseImageManifest, stringifyImageManifest } from "../../ocispec/image_manifest.ts";
import { parseItemConfig, stringifyItemConfig } from "../../ocispec/item_config.ts";
import { parseRuntimeConfig, stringifyRuntimeConfig } from "../../ocispec/runtime_config.ts";
import * as fixtures from "./testdata/aoscore_fixtures.ts";

Deno.test("documents written by AosCore are read and written back byte for byte", () => {
  const cases: [string, string, (text: string) => string][] = [
    ["index", fixtures.INDEX, (t) => stringifyImageIndex(parseImageIndex(t))],
    ["manifest", fixtures.MANIFEST, (t) => stringifyImageManifest(parseImageManifest(t))],
    ["image config", fixtures.IMAGE_CONFIG, (t) => stringifyImageConfig(parseImageConfig(t))],
    ["item config", fixtures.ITEM_CONFIG, (t) => stringifyItemConfig(parseItemConfig(t))],
    [
      "runtime config",
      fixtures.EXAMPLE_RUNTIME_CONFIG,
      (t) => stringifyRuntimeConfig(parseRuntimeConfig(t)),
    ],
    [
      "VM runtime config",
      fixtures.VM_RUNTIME_CONFIG,
      (t) => stringifyRuntimeConfig(parseRuntimeConfig(t)),
    ],
  ];
  for (const [name, text, roundTrip] of cases) assert.equal(roundTrip(text), text, name);
});

Deno.test("our example runtime config is the one AosCore writes", () => {
  assert.equal(
    stringifyRuntimeConfig(createExampleRuntimeConfig()),
    fixtures.EXAMPLE_RUNTIME_CONFIG,
  );
  assert.deepEqual(
    parseRuntimeConfig(fixtures.EXAMPLE_RUNTIME_CONFIG),
    createExampleRuntimeConfig(),
  );
});

Deno.test("AosCore documents pretty-printed or in upstream spelling read the same", () => {
  const pretty = JSON.stringify(JSON.parse(fixtures.IMAGE_CONFIG), null, 4);
  assert.deepEqual(parseImageConfig(pretty), parseImageConfig(fixtures.IMAGE_CONFIG));
  const upstream = fixtures.IMAGE_CONFIG.replace('"env"', '"Env"').replace(
    '"workingDir"',
    '"WorkingDir"',
  )
    .replace('"exposedPorts"', '"ExposedPorts"').replace('"cmd"', '"Cmd"').replace(
      '"entrypoint"',
      '"Entrypoint"',
    );
  assert.notEqual(upstream, fixtures.IMAGE_CONFIG);
  assert.equal(stringifyImageConfig(parseImageConfig(upstream)), fixtures.IMAGE_CONFIG);
});
