// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Packs the package with `deno pack`, installs the tarball into a fresh Node
// project and imports every portable module from it, as a Node user would.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname!, "../..");
// Every module that runs on Node; network needs Deno FFI. utils/pkcs11 imports
// on Node (its URI helpers run there), its Cryptoki binding needs Deno.
const PORTABLE = [
  ".",
  "./cloudprotocol",
  "./cloudprotocol/testing",
  "./downloader",
  "./ocispec",
  "./spaceallocator",
  "./migration",
  "./logging",
  "./fileserver",
  "./utils",
  "./utils/crypto",
  "./utils/pkcs11",
  "./utils/monitoring",
  "./utils/iam",
  "./utils/grpc",
];

test("the deno pack tarball installs into a Node project and imports", async () => {
  const dir = await mkdtemp(join(tmpdir(), "aos-pack-"));
  try {
    const tarball = join(dir, "aoscore-common.tgz");
    execFileSync(process.env.DENO ?? "deno", ["pack", "--allow-dirty", "-o", tarball], {
      cwd: root,
      stdio: "pipe",
    });
    const project = join(dir, "project");
    execFileSync("mkdir", [project]);
    await writeFile(
      join(project, "package.json"),
      JSON.stringify({ name: "smoke", private: true, type: "module" }),
    );
    // The package's npm dependencies (ws, grpc-js, pkijs, asn1js, @noble/curves) come from
    // the npm cache when there, else from the registry.
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", tarball], {
      cwd: project,
      stdio: "pipe",
    });
    const script = `
      const specs = ${JSON.stringify(PORTABLE.map((p) => p.replace(".", "@aoscore/common")))};
      for (const s of specs) await import(s);
      const { AosError, errorIs, parseDuration } = await import("@aoscore/common/utils");
      const err = new AosError("notFound", "gone");
      const ms = parseDuration("1h30m");
      // A verified download on the hash worker: the built package must ship
      // the worker's .js file and start it.
      const { writeFile, readFile } = await import("node:fs/promises");
      const { createHash } = await import("node:crypto");
      const { pathToFileURL } = await import("node:url");
      const { HttpDownloader } = await import("@aoscore/common/downloader");
      const data = new Uint8Array(3 << 20).fill(7);
      await writeFile("source.bin", data);
      const digest = "sha256:" + createHash("sha256").update(data).digest("hex");
      const downloader = new HttpDownloader({ hashWorkerMinBytes: 0 });
      try {
        await downloader.download(digest, pathToFileURL("source.bin").href, "copy.bin");
      } finally {
        await downloader.close();
      }
      const copied = (await readFile("copy.bin")).length;
      // A frame to the simulated cloud and its ack: ws came with the package.
      const { WebSocketCloudConnection } = await import("@aoscore/common/cloudprotocol");
      const { CloudSimulator } = await import("@aoscore/common/cloudprotocol/testing");
      const cloud = await CloudSimulator.start();
      const conn = new WebSocketCloudConnection({ discoveryUrl: cloud.discoveryUrl, systemId: "u" });
      await conn.connect();
      await conn.send({ messageType: "alerts", items: [] });
      await conn.close();
      await cloud.close();
      const alerts = cloud.messages("alerts").length;
      // grpc-js, loaded on first use from the package's dependencies.
      const { createChannelCredentials } = await import("@aoscore/common/utils/grpc");
      const { ChannelCredentials } = await import("@grpc/grpc-js");
      const grpc = await createChannelCredentials({ security: "insecure" }) instanceof ChannelCredentials;
      console.log(JSON.stringify({ code: err.code, is: errorIs(err, "notFound"), ms, copied, alerts, grpc }));
    `;
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
      cwd: project,
      encoding: "utf8",
    });
    assert.deepEqual(JSON.parse(out), {
      code: 5,
      is: true,
      ms: 5_400_000,
      copied: 3 << 20,
      alerts: 1,
      grpc: true,
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
