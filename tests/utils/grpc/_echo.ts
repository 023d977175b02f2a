// Copyright 2026 the aos-common authors. Apache-2.0 license.
// A real grpc-js Echo server on 127.0.0.1 and a typed client for it.
import {
  type ChannelCredentials,
  type Client,
  type ClientReadableStream,
  type GrpcObject,
  type sendUnaryData,
  Server,
  type ServerCredentials,
  type ServerUnaryCall,
  type ServerWritableStream,
  type ServiceClientConstructor,
} from "@grpc/grpc-js";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadProtoPackage } from "../../../utils/grpc/load_proto_package.ts";
import { clientChannelOptions, SERVER_OPTIONS } from "../../../utils/grpc/channel_options.ts";
import {
  type ChannelCredentialsOptions,
  createChannelCredentials,
  createServerCredentials,
} from "../../../utils/grpc/credentials.ts";
import type { CertDir } from "../../_helpers/certs.ts";

export interface Msg {
  text: string;
  count: number;
}

/** The Echo client as the test uses it. */
export interface EchoClient extends Client {
  Say(request: Partial<Msg>, callback: (err: Error | null, reply?: Msg) => void): void;
  Watch(request: Partial<Msg>): ClientReadableStream<Msg>;
}

const proto = fileURLToPath(new URL("./testdata/echo.proto", import.meta.url));
/** The Echo service, loaded from testdata/echo.proto. */
const Echo = ((await loadProtoPackage(proto)).echo as GrpcObject).Echo as ServiceClientConstructor;

/** An Echo client of the server on 127.0.0.1:`port`, with AosCore's channel options. */
export function echoClient(port: number, credentials: ChannelCredentials): EchoClient {
  const target = `127.0.0.1:${port}`;
  return new Echo(target, credentials, clientChannelOptions(target)) as unknown as EchoClient;
}

/** Calls Say and returns the reply text, or throws the call's error. */
export function say(client: EchoClient, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    client.Say({ text }, (err, reply) => err ? reject(err) : resolve(reply!.text));
  });
}

/** A running Echo server. */
export class EchoServer implements AsyncDisposable {
  readonly server: Server;
  readonly port: number;
  /** Watch calls the server saw cancelled by the client. */
  cancelled = 0;
  readonly #timers = new Set<ReturnType<typeof setInterval>>();

  private constructor(server: Server, port: number) {
    this.server = server;
    this.port = port;
  }

  /**
   * Starts a server.
   *
   * @param credentials Server credentials.
   * @param tag Prefix of streamed texts, to tell servers apart.
   * @param port 0 for any; a fixed port is retried while the old listener goes away.
   */
  static async start(credentials: ServerCredentials, tag = "s", port = 0): Promise<EchoServer> {
    const server = new Server(SERVER_OPTIONS);
    let self: EchoServer | undefined;
    server.addService(Echo.service, {
      Say(call: ServerUnaryCall<Msg, Msg>, done: sendUnaryData<Msg>) {
        const cn = call.getAuthContext()?.sslPeerCertificate?.subject?.CN ?? "-";
        done(null, { text: `${cn}:${call.request.text}`, count: 0 });
      },
      Watch(call: ServerWritableStream<Msg, Msg>) {
        let count = 0;
        const timer = setInterval(() => call.write({ text: `${tag}${++count}`, count }), 10);
        self!.#timers.add(timer);
        const stop = () => {
          clearInterval(timer);
          self!.#timers.delete(timer);
        };
        call.on("cancelled", () => {
          self!.cancelled++;
          stop();
        });
        call.on("close", stop);
      },
    });
    for (let attempt = 0;; attempt++) {
      try {
        const bound = await new Promise<number>((resolve, reject) =>
          server.bindAsync(
            `127.0.0.1:${port}`,
            credentials,
            (err, p) => err ? reject(err) : resolve(p),
          )
        );
        self = new EchoServer(server, bound);
        return self;
      } catch (err) {
        if (port === 0 || attempt === 50) {
          server.forceShutdown();
          throw err;
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  }

  /** Stops at once: open calls fail on the client side. */
  stop(): void {
    for (const timer of this.#timers) clearInterval(timer);
    this.#timers.clear();
    this.server.forceShutdown();
  }

  [Symbol.asyncDispose](): Promise<void> {
    this.stop();
    return Promise.resolve();
  }
}

/**
 * Starts a TLS or mutual-TLS Echo server with a new certificate `server`
 * signed by the directory's CA `ca`.
 *
 * @param san The server certificate's subjectAltName.
 */
export async function startSecureServer(
  certs: CertDir,
  security: "tls" | "mtls",
  san = "IP:127.0.0.1,DNS:localhost",
): Promise<EchoServer> {
  const leaf = certs.leaf("server", { ext: `subjectAltName=${san}` });
  const identity = { certChainPath: leaf.cert, keyPath: leaf.key };
  return await EchoServer.start(
    await createServerCredentials(
      security === "tls"
        ? { security, ...identity }
        : { security, rootCertPath: join(certs.dir, "ca.pem"), ...identity },
    ),
  );
}

/** One Say call on a new client with these credentials; the client is closed after. */
export async function sayOnce(
  port: number,
  options: ChannelCredentialsOptions,
  text: string,
): Promise<string> {
  const client = echoClient(port, await createChannelCredentials(options));
  try {
    return await say(client, text);
  } finally {
    client.close();
  }
}
