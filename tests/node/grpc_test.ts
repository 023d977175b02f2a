// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The gRPC suites under Node's test runner: the same grpc-js servers and
// clients, on Node's own http2 and TLS.
import "./_deno_test_shim.ts";
import "../utils/grpc/credentials_test.ts";
import "../utils/grpc/cert_rotating_client_test.ts";
import "../utils/grpc/subscription_manager_test.ts";
