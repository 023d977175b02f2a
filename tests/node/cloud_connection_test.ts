// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The cloud connection suites (WebSocketCloudConnection against the
// CloudSimulator), run under Node's test runner.
import "./_deno_test_shim.ts";
import "../cloudprotocol/connection_delivery_test.ts";
import "../cloudprotocol/connection_lifecycle_test.ts";
import "../cloudprotocol/connection_tls_test.ts";
import "../cloudprotocol/simulator_test.ts";
