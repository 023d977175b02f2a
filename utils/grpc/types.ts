// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * The `@grpc/grpc-js` types this module's functions take and return, under
 * grpc-js' names (type aliases: nothing is loaded).
 *
 * @module
 */

import type * as grpc from "@grpc/grpc-js";

/** grpc-js' channel credentials: pass them to a client constructor. */
export type ChannelCredentials = grpc.ChannelCredentials;
/** grpc-js' server credentials: pass them to `Server.bindAsync`. */
export type ServerCredentials = grpc.ServerCredentials;
/** grpc-js' channel options (`grpc.keepalive_time_ms`, ...). */
export type ChannelOptions = grpc.ChannelOptions;
/** A grpc-js client (the base class of generated and loaded service clients). */
export type Client = grpc.Client;
/** Packages loaded from `.proto` files: nested objects of service client classes. */
export type GrpcObject = grpc.GrpcObject;
