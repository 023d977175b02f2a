// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The Deno permissions of SECURITY.md, proven: each module's usual work runs
// in a child `deno run` granted exactly the permissions listed for it, and
// every module imports with none (nothing is opened or read at import).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import process from "node:process";
import config from "../deno.json" with { type: "json" };
import { childDone } from "./_helpers/child_runtime.ts";
import { tempDir } from "./_helpers/temp_dir.ts";

const CHILD = new URL("./_helpers/permission_child.ts", import.meta.url).pathname;
const deno = process.versions.deno !== undefined;

/** Runs `args` of the child script under exactly `flags`; returns what it printed. */
async function runWith(flags: string[], args: string[], env: Record<string, string> = {}) {
  const child = spawn(
    process.execPath,
    ["run", "--quiet", "--no-prompt", ...flags, CHILD, ...args],
    {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, NO_COLOR: "1", ...env },
    },
  );
  const result = await childDone(child);
  assert.equal(result.stdout.trim(), "ok", `${flags.join(" ")}: ${result.stderr}`);
  return result;
}

Deno.test({ name: "every module imports with no permission at all", ignore: !deno }, async () => {
  await using dir = await tempDir();
  const script = dir.join("import_all.ts");
  const modules = Object.values(config.exports).map((file) =>
    new URL(`../${file}`, import.meta.url).href
  );
  await writeFile(
    script,
    modules.map((m) => `import ${JSON.stringify(m)};`).join("\n") + '\nconsole.log("ok");\n',
  );
  const child = spawn(
    process.execPath,
    [
      "run",
      "--quiet",
      "--no-prompt",
      `--config=${new URL("../deno.json", import.meta.url).pathname}`,
      script,
    ],
    { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } },
  );
  const result = await childDone(child);
  assert.equal(result.stdout.trim(), "ok", result.stderr);
});

Deno.test({ name: "the codecs and parsers need no permission", ignore: !deno }, async () => {
  await runWith([], ["codecs"]);
});

Deno.test(
  { name: "the file server needs only net and read of its root", ignore: !deno },
  async () => {
    await using dir = await tempDir();
    await writeFile(dir.join("f.txt"), "served");
    await runWith(["--allow-net=127.0.0.1", `--allow-read=${dir.path}`], ["fileserver", dir.path]);
  },
);

Deno.test({
  name: "the downloader needs only net to the host and read and write of the destination",
  ignore: !deno,
}, async () => {
  await using dir = await tempDir();
  await using server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () => new Response("served"),
  );
  const { port } = server.addr;
  await runWith(
    [`--allow-net=127.0.0.1:${port}`, `--allow-read=${dir.path}`, `--allow-write=${dir.path}`],
    ["downloader", `http://127.0.0.1:${port}/f.txt`, dir.path],
  );
});

Deno.test(
  { name: "OCI document files need only read and write of their directory", ignore: !deno },
  async () => {
    await using dir = await tempDir();
    await runWith([`--allow-read=${dir.path}`, `--allow-write=${dir.path}`], ["ocispec", dir.path]);
  },
);

Deno.test({
  name: "migrations need only read and write of the scripts and the database",
  ignore: !deno,
}, async () => {
  await using dir = await tempDir();
  await runWith([`--allow-read=${dir.path}`, `--allow-write=${dir.path}`], ["migration", dir.path]);
});

Deno.test({
  name: "the cloud connection needs only net and the two environment variables of ws",
  ignore: !deno,
}, async () => {
  await runWith(["--allow-net=127.0.0.1", "--allow-env=WS_NO_BUFFER_UTIL,WS_NO_UTF_8_VALIDATE"], [
    "cloud",
  ]);
});

const SOFTHSM = "/usr/lib/softhsm/libsofthsm2.so";
const root = process.getuid?.() === 0;
const hasSoftHsm = existsSync(SOFTHSM);
if (!root) {
  // deno-lint-ignore no-console
  console.warn("permissions_test: the netlink case needs root; ignored");
}
if (!hasSoftHsm) {
  // deno-lint-ignore no-console
  console.warn(`permissions_test: the PKCS#11 case needs ${SOFTHSM} (softhsm2); ignored`);
}

Deno.test({ name: "netlink needs ffi", ignore: !deno || !root }, async () => {
  await runWith(["--allow-ffi"], ["network"]);
});

Deno.test({ name: "PKCS#11 needs ffi", ignore: !deno || !hasSoftHsm }, async () => {
  await using dir = await tempDir();
  const conf = dir.join("softhsm2.conf");
  await mkdir(dir.join("tokens"));
  await writeFile(conf, `directories.tokendir = ${dir.join("tokens")}\n`);
  await runWith(["--allow-ffi"], ["pkcs11", SOFTHSM], { SOFTHSM2_CONF: conf });
});
