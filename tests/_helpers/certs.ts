// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Throw-away certificates for TLS tests, made with the `openssl` command: a
 * directory of CAs and the leaf certificates they sign, and a ready PKI of a
 * CA, a server certificate for 127.0.0.1 and a client certificate.
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

/** Paths of a leaf certificate and its key. */
export interface Leaf {
  /** The certificate, PEM. */
  cert: string;
  /** Its private key, PEM. */
  key: string;
}

/**
 * A directory of throw-away certificates (P-256 keys, valid two days) made
 * with `openssl`: CAs, and leaf certificates they sign. Removed on dispose.
 */
export class CertDir implements Disposable {
  /** Where the PEM files are. */
  readonly dir: string = mkdtempSync(join(tmpdir(), "aos-pki-"));

  /**
   * Creates a self-signed CA (`<name>.pem`, `<name>.key`).
   *
   * @param name File name and CN.
   * @returns The path of its certificate.
   */
  ca(name = "ca"): string {
    this.#ssl(
      "req",
      "-x509",
      ...EC,
      "-keyout",
      `${name}.key`,
      "-out",
      `${name}.pem`,
      ...VALID,
      "-subj",
      `/CN=${name}`,
    );
    return join(this.dir, `${name}.pem`);
  }

  /**
   * Issues a leaf certificate with CN `name`.
   *
   * @param name File name and CN.
   * @param options The signing CA and the extensions (OpenSSL `-extfile` lines).
   * @returns The paths of the certificate and key.
   */
  leaf(name: string, options: { ca?: string; ext?: string } = {}): Leaf {
    const { ca = "ca", ext = "subjectAltName=IP:127.0.0.1,DNS:localhost" } = options;
    writeFileSync(join(this.dir, `${name}.ext`), `${ext}\n`);
    this.#ssl(
      "req",
      ...EC,
      "-keyout",
      `${name}.key`,
      "-out",
      `${name}.csr`,
      "-subj",
      `/CN=${name}`,
    );
    this.#ssl(
      "x509",
      "-req",
      "-in",
      `${name}.csr`,
      "-CA",
      `${ca}.pem`,
      "-CAkey",
      `${ca}.key`,
      "-CAcreateserial",
      "-out",
      `${name}.pem`,
      ...VALID,
      "-extfile",
      `${name}.ext`,
    );
    return { cert: join(this.dir, `${name}.pem`), key: join(this.dir, `${name}.key`) };
  }

  /** Removes the directory. */
  [Symbol.dispose](): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  #ssl(...args: string[]): void {
    execFileSync("openssl", args, { cwd: this.dir, stdio: "pipe" });
  }
}

const EC = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
const VALID = ["-days", "2"];

/**
 * Creates a fresh CA and two leaf certificates (P-256 keys, valid two days).
 *
 * @returns The PEM strings.
 */
export function makeTestPki(): TestPki {
  using certs = new CertDir();
  certs.ca();
  const server = certs.leaf("server");
  const client = certs.leaf("client", {
    ext: "basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth",
  });
  const read = (path: string) => readFileSync(path, "utf8");
  return {
    ca: read(join(certs.dir, "ca.pem")),
    serverCert: read(server.cert),
    serverKey: read(server.key),
    clientCert: read(client.cert),
    clientKey: read(client.key),
  };
}
