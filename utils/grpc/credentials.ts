// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Channel and server credentials as AosCore's components set them up:
 * insecure, TLS (the server proves itself) and mutual TLS (both do), from PEM
 * files or from the certificate an IAM {@linkcode CertProvider} reports.
 *
 * Clients verify the server's chain against the root certificates but not
 * the server's name (AosCore turns the host name check off: nodes reach each
 * other by address). Mutual-TLS servers require a client certificate that
 * chains to the root certificates.
 *
 * @module
 */

import type { ChannelCredentials, ServerCredentials } from "./types.ts";
import type { Buffer } from "node:buffer";
import { readFile } from "node:fs/promises";
import { AosError } from "../errors.ts";
import type { CertProvider } from "../iam/types.ts";
import { grpcJs } from "./_grpc_js.ts";

/** How a channel is secured. */
export type ChannelSecurity = "insecure" | "tls" | "mtls";

/** Where an identity (certificate chain and private key) comes from. */
export type IdentitySource =
  | {
    /** PEM file of the certificate chain, leaf first. */
    certChainPath: string;
    /** PEM file of the private key. */
    keyPath: string;
  }
  | {
    /** Reports the certificate; its `certUrl` and `keyUrl` must be `file:` URLs of PEM files. */
    certProvider: CertProvider;
    /** The certificate type (`sm`, `iam`, ...): the one with the latest `notAfter` is used. */
    certType: string;
  };

/** Options of {@linkcode createChannelCredentials}. */
export type ChannelCredentialsOptions =
  | { security: "insecure" }
  | {
    security: "tls";
    /** PEM file of the root certificates the server's chain must lead to. */
    rootCertPath: string;
  }
  | ({
    security: "mtls";
    /** PEM file of the root certificates the server's chain must lead to. */
    rootCertPath: string;
  } & IdentitySource);

/** Options of {@linkcode createServerCredentials}. */
export type ServerCredentialsOptions =
  | { security: "insecure" }
  | ({ security: "tls" } & IdentitySource)
  | ({
    security: "mtls";
    /** PEM file of the root certificates a client's chain must lead to. */
    rootCertPath: string;
  } & IdentitySource);

/**
 * Creates the credentials of a client channel.
 *
 * @example Mutual TLS with the certificate IAM reports
 * ```ts ignore
 * import { clientChannelOptions, createChannelCredentials, loadProtoPackage } from "@aoscore/common/utils/grpc";
 *
 * const credentials = await createChannelCredentials({
 *   security: "mtls",
 *   rootCertPath: "/etc/aos/rootCA.pem",
 *   certProvider: iam.certProvider,
 *   certType: "sm",
 * });
 * const { iamanager } = await loadProtoPackage("iamanager.proto");
 * const client = new iamanager.IAMPublicService("10.0.0.1:8090", credentials, clientChannelOptions("10.0.0.1:8090"));
 * ```
 *
 * @param options Insecure, TLS or mutual TLS, with the root certificates and identity.
 * @returns The credentials.
 * @throws {AosError} `notFound` "failed to open root certificate file" or a missing
 *   identity file or certificate; `invalidArgument` "root certificate file is empty";
 *   `notSupported` for an identity that is not in `file:` PEM files (a `pkcs11:` key).
 */
export async function createChannelCredentials(
  options: ChannelCredentialsOptions,
): Promise<ChannelCredentials> {
  const grpc = await grpcJs();
  if (options.security === "insecure") return grpc.credentials.createInsecure();
  const root = await readRootCerts(options.rootCertPath);
  // No host name check: the chain is verified, the name is not.
  const verify = { checkServerIdentity: () => undefined };
  if (options.security === "tls") return grpc.credentials.createSsl(root, null, null, verify);
  const identity = await readIdentity(options);
  return grpc.credentials.createSsl(root, identity.key, identity.certChain, verify);
}

/**
 * Creates the credentials of a server.
 *
 * @example
 * ```ts ignore
 * import { createServerCredentials, SERVER_OPTIONS } from "@aoscore/common/utils/grpc";
 * import { Server } from "@grpc/grpc-js";
 *
 * const server = new Server(SERVER_OPTIONS);
 * const credentials = await createServerCredentials({
 *   security: "mtls",
 *   rootCertPath: "/etc/aos/rootCA.pem",
 *   certChainPath: "/var/aos/iam.pem",
 *   keyPath: "/var/aos/iam.key",
 * });
 * server.bindAsync("0.0.0.0:8089", credentials, () => {});
 * ```
 *
 * @param options Insecure, TLS (no client certificate) or mutual TLS (a client certificate
 *   that chains to the root certificates is required), with the identity.
 * @returns The credentials.
 * @throws {AosError} As {@linkcode createChannelCredentials}.
 */
export async function createServerCredentials(
  options: ServerCredentialsOptions,
): Promise<ServerCredentials> {
  const grpc = await grpcJs();
  if (options.security === "insecure") return grpc.ServerCredentials.createInsecure();
  const { certChain, key } = await readIdentity(options);
  const pair = [{ cert_chain: certChain, private_key: key }];
  if (options.security === "tls") {
    // No client certificate is asked for, so the CA list is never used; but
    // without one grpc-js passes the system roots, and Deno's TLS server then
    // answers in plain text. The server's own chain is a harmless stand-in.
    return grpc.ServerCredentials.createSsl(certChain, pair, false);
  }
  return grpc.ServerCredentials.createSsl(await readRootCerts(options.rootCertPath), pair, true);
}

async function readRootCerts(path: string): Promise<Buffer> {
  let pem: Buffer;
  try {
    pem = await readFile(path);
  } catch (err) {
    throw AosError.wrap(err, "notFound", `failed to open root certificate file "${path}"`);
  }
  if (pem.length === 0) {
    throw new AosError("invalidArgument", `root certificate file "${path}" is empty`);
  }
  return pem;
}

async function readIdentity(source: IdentitySource): Promise<{ certChain: Buffer; key: Buffer }> {
  let certPath: string;
  let keyPath: string;
  if ("certProvider" in source) {
    const cert = await source.certProvider.getCert(source.certType);
    certPath = fileUrlPath(cert.certUrl, "certificate");
    keyPath = fileUrlPath(cert.keyUrl, "key");
  } else {
    certPath = source.certChainPath;
    keyPath = source.keyPath;
  }
  const read = async (path: string, what: string) => {
    try {
      return await readFile(path);
    } catch (err) {
      throw AosError.wrap(err, "notFound", `failed to read ${what} "${path}"`);
    }
  };
  return {
    certChain: await read(certPath, "certificate chain"),
    key: await read(keyPath, "private key"),
  };
}

/** The path of a `file:` URL, as AosCore reads it (everything after `file:`). */
function fileUrlPath(url: string, what: string): string {
  if (url.startsWith("file:")) return url.slice("file:".length);
  const scheme = url.includes(":") ? url.slice(0, url.indexOf(":")) : url;
  throw new AosError(
    "notSupported",
    `Cannot use ${what} URL scheme "${scheme}": gRPC needs ${what}s in file: PEM files`,
  );
}
