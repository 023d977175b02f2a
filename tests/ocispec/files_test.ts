// Copyright 2026 the aos-common authors. Apache-2.0 license.
import assert from "node:assert/strict";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createOciSpec } from "../../ocispec/oci_spec.ts";
import { defaultItemConfig } from "../../ocispec/item_config.ts";
import { assertOciRejects, SHA_A, withTempDir } from "./_helpers.ts";

const layers = Array.from({ length: 17 }, () => ({ mediaType: "m", digest: SHA_A, size: 1 }));

Deno.test("loads name the file: missing, malformed, non-object and over-capacity", () =>
  withTempDir(async (dir) => {
    const spec = createOciSpec();
    const missing = join(dir, "missing.json");
    await assertOciRejects(spec.loadImageManifest(missing), {
      kind: "notFound",
      path: missing,
      message: /image manifest .*file not found/,
    });
    const broken = join(dir, "broken.json");
    await writeFile(broken, "{");
    await assertOciRejects(spec.loadImageIndex(broken), {
      kind: "invalidArgument",
      path: broken,
      message: /invalid JSON/,
    });
    await writeFile(broken, "[]");
    await assertOciRejects(spec.loadImageConfig(broken), { kind: "invalidArgument", path: broken });
    await writeFile(broken, '{"layers":[{"size":-1}]}');
    await assertOciRejects(spec.loadImageManifest(broken), {
      kind: "invalidArgument",
      path: broken,
      field: "/layers/0/size",
      message: /member "\/layers\/0\/size"/,
    });
    const big = join(dir, "big.json");
    await writeFile(big, JSON.stringify({ layers }));
    await assertOciRejects(spec.loadImageManifest(big), { kind: "outOfRange", path: big });
    const lenient = createOciSpec({ enforceLimits: false });
    assert.equal((await lenient.loadImageManifest(big)).layers.length, 17);
  }));

Deno.test("saves are atomic: no temp file is left behind, on success or failure", () =>
  withTempDir(async (dir) => {
    const spec = createOciSpec();
    const path = join(dir, "item.json");
    await spec.saveItemConfig(path, defaultItemConfig());
    await spec.saveItemConfig(path, { ...defaultItemConfig(), author: "second" });
    assert.deepEqual(await readdir(dir), ["item.json"]);
    assert.equal((await spec.loadItemConfig(path)).author, "second");

    const nowhere = join(dir, "no", "such", "dir", "item.json");
    await assertOciRejects(spec.saveItemConfig(nowhere, defaultItemConfig()), {
      kind: "failed",
      path: nowhere,
      message: /Cannot save item config/,
    });

    // When the final rename fails (the target is a non-empty directory), the
    // error names the file and the temp file is removed.
    const blocked = join(dir, "blocked");
    await mkdir(blocked);
    await writeFile(join(blocked, "keep"), "x");
    await assertOciRejects(spec.saveItemConfig(blocked, defaultItemConfig()), {
      kind: "failed",
      path: blocked,
    });
    assert.deepEqual((await readdir(dir)).sort(), ["blocked", "item.json"]);
    assert.match(await readFile(path, "utf8"), /"author":"second"/);
  }));
