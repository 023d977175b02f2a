// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The portable part of network (IP maths), run under Node's test runner.
import "./_deno_test_shim.ts";
import "../network/ip_test.ts";
