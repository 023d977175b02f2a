// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The portable logging suites, run under Node's test runner.
import "./_deno_test_shim.ts";
import "../logging/archiver_test.ts";
import "../logging/assembler_test.ts";
import "../logging/content_reuse_test.ts";
import "../logging/gzip_test.ts";
import "../logging/lines_test.ts";
import "../logging/push_log_test.ts";
import "../logging/roundtrip_test.ts";
import "../logging/wire_test.ts";
