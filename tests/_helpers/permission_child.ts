// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * One module's usual work, run by tests/permissions_test.ts in a child
 * `deno run` with exactly the permissions SECURITY.md lists for it. Prints
 * `ok` when all of it worked.
 *
 * Usage: `permission_child.ts <case> [args...]`.
 *
 * @module
 */
// deno-lint-ignore-file no-console
import assert from "node:assert/strict";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import process from "node:process";
import { decodeFrame, encodeFrame, WebSocketCloudConnection } from "../../cloudprotocol/mod.ts";
import { CloudSimulator } from "../../cloudprotocol/testing.ts";
import { HttpDownloader } from "../../downloader/mod.ts";
import { FileServer } from "../../fileserver/mod.ts";
import { Migration } from "../../migration/mod.ts";
import {
  loadImageManifest,
  parseImageManifest,
  saveImageManifest,
  stringifyImageManifest,
} from "../../ocispec/mod.ts";
import { digestBytes, parseDuration } from "../../utils/mod.ts";
import { createCertificate, generatePrivateKey, parseCertificate } from "../../utils/crypto/mod.ts";
import { InterfaceManager } from "../../network/mod.ts";
import { Pkcs11Manager, Pkcs11Utils } from "../../utils/pkcs11/mod.ts";
import { parsePkcs11Uri } from "../../utils/pkcs11/uri.ts";

const MANIFEST = {
  schemaVersion: 2,
  config: {
    mediaType: "application/vnd.oci.image.config.v1+json",
    digest: `sha256:${"a".repeat(64)}`,
    size: 2,
  },
  layers: [],
};

const CASES: Record<string, (...args: string[]) => Promise<void>> = {
  /** Encoding and decoding: cloud frames, OCI documents, certificates, URIs, durations. */
  async codecs() {
    const frame = '{"header":{"version":7,"systemId":"u","txn":"t"},"data":{"messageType":"ack"}}';
    assert.equal(decodeFrame(encodeFrame(decodeFrame(frame))).data.messageType, "ack");
    stringifyImageManifest(parseImageManifest(MANIFEST));
    const key = await generatePrivateKey({ type: "ECDSA" });
    parseCertificate(await createCertificate({ subject: "CN=unit" }, { key }));
    parsePkcs11Uri("pkcs11:token=aos;object=iam");
    assert.equal(parseDuration("1m"), 60_000);
  },

  /** Serves a file of `root` and fetches it from itself. */
  async fileserver(root: string) {
    await using server = new FileServer({
      serverURL: "http://127.0.0.1:0",
      rootDir: root,
      listenHostname: "127.0.0.1",
    });
    await server.start();
    const res = await fetch(new URL("f.txt", server.baseURL));
    assert.equal(await res.text(), "served");
  },

  /** Downloads `url` into `dir` and verifies it. */
  async downloader(url: string, dir: string) {
    // Hashed on the worker thread, as large downloads are.
    await using downloader = new HttpDownloader({ hashWorkerMinBytes: 0 });
    await downloader.download(digestBytes("served"), url, join(dir, "f.txt"));
    assert.equal(await readFile(join(dir, "f.txt"), "utf8"), "served");
  },

  /** Writes and reads an OCI document in `dir`. */
  async ocispec(dir: string) {
    const path = join(dir, "manifest.json");
    await saveImageManifest(path, parseImageManifest(MANIFEST));
    assert.equal((await loadImageManifest(path)).schemaVersion, 2);
  },

  /** Migrates a database in `dir` up and down. */
  async migration(dir: string) {
    const scripts = join(dir, "scripts");
    await mkdir(scripts);
    await writeFile(join(scripts, "1_update.up.sql"), "CREATE TABLE t (x TEXT);");
    await writeFile(join(scripts, "1_update.down.sql"), "DROP TABLE t;");
    const db = new DatabaseSync(join(dir, "db.sqlite"));
    try {
      const migration = await Migration.create(db, {
        migrationDir: scripts,
        mergedMigrationDir: join(dir, "merged"),
      });
      await migration.migrateToVersion(1);
      assert.equal(await migration.getCurrentVersion(), 1);
    } finally {
      db.close();
    }
  },

  /** Connects to a simulated cloud on 127.0.0.1 and has a frame acknowledged. */
  async cloud() {
    await using cloud = await CloudSimulator.start({ systemId: "unit" });
    const conn = new WebSocketCloudConnection({
      discoveryUrl: cloud.discoveryUrl,
      systemId: "unit",
    });
    try {
      await conn.connect();
      await conn.send({ messageType: "alerts", items: [] });
    } finally {
      await conn.close();
    }
  },

  /** Lists the addresses of the host (a netlink dump). */
  network() {
    using links = new InterfaceManager();
    return links.getAddrList("lo", "inet").then((list) => {
      assert.ok(list.some((a) => a.ip === "127.0.0.1"));
    });
  },

  /** Makes a token of the SoftHSM2 module `path` (SOFTHSM2_CONF set by the parent), logs in, makes a key. */
  async pkcs11(path: string) {
    await using manager = new Pkcs11Manager();
    const library = await manager.openLibrary(path);
    const [slot] = await library.getSlotList(true);
    await library.initToken(slot!, "so-pin", "perm");
    const session = await library.openSession(await library.findSlotByTokenLabel("perm"));
    await session.login("so", "so-pin");
    await session.initPin("1234");
    await session.logout();
    await session.login("user", "1234");
    await new Pkcs11Utils(session).generateEcdsaKeyPair(new Uint8Array([1]), "k", "P-256");
  },
};

const [name = "", ...args] = process.argv.slice(2);
const run = CASES[name];
if (run === undefined) throw new Error(`unknown case "${name}"`);
await run(...args);
console.log("ok");
