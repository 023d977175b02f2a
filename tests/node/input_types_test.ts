// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The wrong-input-type suite of every exported parser, run under Node's test runner.
import "./_deno_test_shim.ts";
import "../input_types_test.ts";
