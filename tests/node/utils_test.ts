// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The portable utils suites, run under Node's test runner.
import "./_deno_test_shim.ts";
import "../utils/errors_test.ts";
import "../utils/abort_test.ts";
import "../utils/json_test.ts";
import "../utils/json_object_test.ts";
import "../utils/time_test.ts";
