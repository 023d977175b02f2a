// Copyright 2026 the aos-common authors. Apache-2.0 license.
// @grpc/grpc-js and @grpc/proto-loader, loaded on first use: importing them
// costs about 100 ms and 50 ms, which a program that imports the collection
// without using gRPC should not pay.

/** The @grpc/grpc-js module. */
export type GrpcJs = typeof import("@grpc/grpc-js");

let grpc: Promise<GrpcJs> | undefined;
let protoLoader: Promise<typeof import("@grpc/proto-loader")> | undefined;

/** @grpc/grpc-js, imported on the first call. */
export function grpcJs(): Promise<GrpcJs> {
  return grpc ??= import("@grpc/grpc-js");
}

/** @grpc/proto-loader, imported on the first call. */
export function grpcProtoLoader(): Promise<typeof import("@grpc/proto-loader")> {
  return protoLoader ??= import("@grpc/proto-loader");
}
