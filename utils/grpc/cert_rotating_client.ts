// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * A gRPC client whose channel is rebuilt when its certificate rotates, as
 * AosCore's certificate listener does it: when IAM reports a new certificate
 * of the client's type, a one-shot timer (10 s by default) starts; when it
 * fires, credentials are made from the new certificate and a new client
 * replaces the old one, which is closed. A failure is reported and retried
 * after the same delay.
 *
 * @module
 */

import type { ChannelCredentials, Client } from "./types.ts";
import { canceledError } from "../abort.ts";
import { AosError } from "../errors.ts";
import type { CertInfo, CertProvider } from "../iam/types.ts";
import { Timer } from "../timer.ts";
import { createChannelCredentials } from "./credentials.ts";

/** Options of {@linkcode CertRotatingClient.create}. */
export interface CertRotatingClientOptions<C extends Client> {
  /** Reports the client's certificate and its changes. */
  certProvider: CertProvider;
  /** The certificate type (`sm`, `cm`, ...). */
  certType: string;
  /** PEM file of the root certificates the server's chain must lead to. */
  rootCertPath: string;
  /**
   * Creates a client on new credentials, such as
   * `(credentials) => new Service(target, credentials, clientChannelOptions(target))`.
   *
   * @param credentials Mutual-TLS credentials with the current certificate.
   * @returns The client.
   */
  create(credentials: ChannelCredentials): C;
  /**
   * Told after a new client replaced the old one (to resubscribe streams on it, say).
   *
   * @param client The new client.
   */
  onReconnect?: (client: C) => void | Promise<void>;
  /**
   * Delay between a certificate change and the rebuild, and between failed rebuilds, in ms.
   *
   * @default {10000}
   */
  reconnectDelayMs?: number;
  /**
   * Receives failed rebuilds (each is retried).
   * @default {Drops them.}
   */
  onError?: (err: unknown) => void;
  /** Closes the client when aborted. */
  signal?: AbortSignal;
}

/**
 * Holds a mutual-TLS client and replaces it when the certificate rotates.
 * Read {@linkcode CertRotatingClient.client} for each call: it is the newest.
 *
 * @example
 * ```ts ignore
 * import { CertRotatingClient, clientChannelOptions, loadProtoPackage } from "@aoscore/common/utils/grpc";
 *
 * const { iamanager } = await loadProtoPackage("iamanager.proto");
 * const target = "10.0.0.1:8089";
 * await using iamClient = await CertRotatingClient.create({
 *   certProvider: iam.certProvider,
 *   certType: "sm",
 *   rootCertPath: "/etc/aos/rootCA.pem",
 *   create: (credentials) => new iamanager.IAMPublicService(target, credentials, clientChannelOptions(target)),
 * });
 * iamClient.client.GetNodeInfo({}, (err, info) => {});
 * ```
 *
 * @typeParam C The client class.
 */
export class CertRotatingClient<C extends Client> implements AsyncDisposable {
  readonly #options: CertRotatingClientOptions<C>;
  readonly #timer = new Timer();
  readonly #onError: (err: unknown) => void;
  readonly #listener = { onCertChanged: (_info: CertInfo): void => this.#schedule() };
  #client: C;
  #closed = false;
  #rebuilding: Promise<void> | undefined;
  #onAbort = (): void => void this.close();

  private constructor(options: CertRotatingClientOptions<C>, client: C) {
    this.#options = options;
    this.#client = client;
    this.#onError = options.onError ?? (() => {});
  }

  /**
   * Creates the client with the current certificate and starts listening for
   * new ones.
   *
   * @param options Certificate source, root certificates, client factory, delay, callbacks.
   * @returns The holder.
   * @throws {AosError} What {@linkcode createChannelCredentials} throws; `canceled` when the
   *   signal is aborted.
   */
  static async create<C extends Client>(
    options: CertRotatingClientOptions<C>,
  ): Promise<CertRotatingClient<C>> {
    const delayMs = options.reconnectDelayMs ?? 10_000;
    if (!(delayMs > 0.5) || !Number.isFinite(delayMs)) {
      throw new AosError(
        "invalidArgument",
        `Cannot create client: invalid reconnect delay ${delayMs} ms`,
      );
    }
    if (options.signal?.aborted) throw canceledError(options.signal);
    const holder = new CertRotatingClient(options, options.create(await credentialsOf(options)));
    options.certProvider.subscribeListener(options.certType, holder.#listener);
    options.signal?.addEventListener("abort", holder.#onAbort, { once: true });
    return holder;
  }

  /** The current client. */
  get client(): C {
    return this.#client;
  }

  /**
   * Stops listening, cancels a pending rebuild and closes the client; idempotent.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#timer.stop();
    this.#options.signal?.removeEventListener("abort", this.#onAbort);
    this.#options.certProvider.unsubscribeListener(this.#listener);
    await this.#rebuilding;
    this.#client.close();
  }

  /** Closes the client. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #schedule(): void {
    if (this.#closed) return;
    this.#timer.start(this.#options.reconnectDelayMs ?? 10_000, () => {
      this.#rebuilding = this.#rebuild();
      return this.#rebuilding;
    });
  }

  async #rebuild(): Promise<void> {
    let client: C;
    try {
      client = this.#options.create(await credentialsOf(this.#options));
    } catch (err) {
      this.#onError(AosError.wrap(err, undefined, "can't rebuild the gRPC channel"));
      this.#schedule();
      return;
    }
    if (this.#closed) {
      client.close();
      return;
    }
    const old = this.#client;
    this.#client = client;
    old.close();
    try {
      await this.#options.onReconnect?.(client);
    } catch (err) {
      this.#onError(err);
    }
  }
}

function credentialsOf(
  options: Pick<CertRotatingClientOptions<Client>, "certProvider" | "certType" | "rootCertPath">,
): Promise<ChannelCredentials> {
  return createChannelCredentials({
    security: "mtls",
    rootCertPath: options.rootCertPath,
    certProvider: options.certProvider,
    certType: options.certType,
  });
}
