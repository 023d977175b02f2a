// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * gRPC helpers on `@grpc/grpc-js` (Deno and Node): channel and server
 * credentials ({@linkcode createChannelCredentials}: insecure, TLS or mutual
 * TLS from PEM files or an IAM certificate provider), AosCore's channel
 * options, a client whose channel is rebuilt when its certificate rotates
 * ({@linkcode CertRotatingClient}), a {@linkcode SubscriptionManager} that
 * keeps a server-streaming call open across reconnections, and service
 * definitions loaded from `.proto` files ({@linkcode loadProtoPackage}).
 *
 * `@grpc/grpc-js` and `@grpc/proto-loader` are imported on first use, so
 * importing this module costs nothing until then. On Deno, gRPC needs
 * `--allow-net` for the peers and `--allow-read` for PEM and `.proto` files.
 *
 * @example An echo round trip over a plain channel
 * ```ts
 * import {
 *   clientChannelOptions,
 *   createChannelCredentials,
 *   createServerCredentials,
 *   loadProtoPackage,
 * } from "@aoscore/common/utils/grpc";
 * import { type GrpcObject, Server, type ServiceClientConstructor } from "@grpc/grpc-js";
 * import { mkdtemp, rm, writeFile } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import assert from "node:assert/strict";
 *
 * const dir = await mkdtemp(join(tmpdir(), "proto-"));
 * await writeFile(join(dir, "echo.proto"), 'syntax = "proto3"; package echo;' +
 *   " message Msg { string text = 1; } service Echo { rpc Say (Msg) returns (Msg); }");
 * const echo = (await loadProtoPackage(join(dir, "echo.proto"))).echo as GrpcObject;
 * const Echo = echo.Echo as ServiceClientConstructor;
 *
 * const server = new Server();
 * server.addService(Echo.service, {
 *   Say: (call: { request: { text: string } }, done: (e: null, m: object) => void) =>
 *     done(null, { text: `hi ${call.request.text}` }),
 * });
 * const serverCredentials = await createServerCredentials({ security: "insecure" });
 * const port = await new Promise<number>((resolve, reject) =>
 *   server.bindAsync("127.0.0.1:0", serverCredentials, (err, port) => err ? reject(err) : resolve(port))
 * );
 * const target = `127.0.0.1:${port}`;
 * const credentials = await createChannelCredentials({ security: "insecure" });
 * const client = new Echo(target, credentials, clientChannelOptions(target));
 * const reply = await new Promise((resolve, reject) =>
 *   client.Say!({ text: "there" }, (err: Error | null, m: unknown) => err ? reject(err) : resolve(m))
 * );
 * assert.deepEqual(reply, { text: "hi there" });
 * client.close();
 * server.forceShutdown();
 * await rm(dir, { recursive: true });
 * ```
 *
 * @module
 */
export * from "./types.ts";
export * from "./channel_options.ts";
export * from "./credentials.ts";
export * from "./wait_for_channel_ready.ts";
export * from "./cert_rotating_client.ts";
export * from "./subscription_manager.ts";
export * from "./load_proto_package.ts";
