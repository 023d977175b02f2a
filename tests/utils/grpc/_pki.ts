// Copyright 2026 the aos-common authors. Apache-2.0 license.
// PEM files for gRPC tests, made with `openssl`: a CA that issues named leaf
// certificates (P-256, valid two days), and a second, unrelated CA.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Paths of a leaf certificate and its key. */
export interface Leaf {
  cert: string;
  key: string;
}

/** A directory of test certificates; removed on dispose. */
export class TestPki implements Disposable {
  readonly dir = mkdtempSync(join(tmpdir(), "aos-grpc-pki-"));

  /** Creates a CA named `ca` (files `ca.pem`, `ca.key`). */
  ca(name = "ca"): string {
    this.#ssl(
      "req",
      "-x509",
      ...EC,
      "-keyout",
      `${name}.key`,
      "-out",
      `${name}.pem`,
      "-days",
      "2",
      "-subj",
      `/CN=${name}`,
    );
    return join(this.dir, `${name}.pem`);
  }

  /** Issues a leaf certificate with CN `name` signed by CA `ca`. */
  leaf(name: string, ca = "ca", san = "IP:127.0.0.1,DNS:localhost"): Leaf {
    writeFileSync(join(this.dir, `${name}.ext`), `subjectAltName=${san}\n`);
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
      "-days",
      "2",
      "-extfile",
      `${name}.ext`,
    );
    return { cert: join(this.dir, `${name}.pem`), key: join(this.dir, `${name}.key`) };
  }

  [Symbol.dispose](): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  #ssl(...args: string[]): void {
    execFileSync("openssl", args, { cwd: this.dir, stdio: "pipe" });
  }
}

const EC = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
