// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Throw-away certificates for TLS tests: a CA, a server certificate for
 * 127.0.0.1 and a client certificate, made with the `openssl` command.
 *
 * @module
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** PEM strings of a test PKI. */
export interface TestPki {
  /** The CA certificate that signed both leaf certificates. */
  ca: string;
  /** Server certificate for IP 127.0.0.1 and DNS localhost. */
  serverCert: string;
  /** Its private key. */
  serverKey: string;
  /** Client certificate (extended key usage clientAuth). */
  clientCert: string;
  /** Its private key. */
  clientKey: string;
}

/**
 * Whether the `openssl` command can be run.
 *
 * @returns `true` when it is installed.
 */
export function hasOpenssl(): boolean {
  try {
    execFileSync("openssl", ["version"], { stdio: "pipe" });
    return true;
  } catch {
    return false;
  }
}

/**
 * Creates a fresh CA and two leaf certificates (P-256 keys, valid two days).
 *
 * @returns The PEM strings.
 */
export function makeTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), "aos-pki-"));
  const at = (name: string) => join(dir, name);
  const ssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  try {
    ssl(
      "req",
      "-x509",
      ...ec,
      "-keyout",
      "ca.key",
      "-out",
      "ca.pem",
      "-days",
      "2",
      "-subj",
      "/CN=aos test CA",
    );
    writeFileSync(at("server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
    writeFileSync(at("client.ext"), "basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n");
    for (const leaf of ["server", "client"]) {
      ssl("req", ...ec, "-keyout", `${leaf}.key`, "-out", `${leaf}.csr`, "-subj", `/CN=${leaf}`);
      ssl(
        "x509",
        "-req",
        "-in",
        `${leaf}.csr`,
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        `${leaf}.pem`,
        "-days",
        "2",
        "-extfile",
        `${leaf}.ext`,
      );
    }
    const read = (name: string) => readFileSync(at(name), "utf8");
    return {
      ca: read("ca.pem"),
      serverCert: read("server.pem"),
      serverKey: read("server.key"),
      clientCert: read("client.pem"),
      clientKey: read("client.key"),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
