// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The portable downloader suites, run under Node's test runner.
import "./_deno_test_shim.ts";
import "../downloader/http_downloader_test.ts";
