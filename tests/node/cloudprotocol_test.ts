// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The portable cloudprotocol suites, run under Node's test runner.
import "./_deno_test_shim.ts";
import "../cloudprotocol/types_test.ts";
import "../cloudprotocol/error_test.ts";
