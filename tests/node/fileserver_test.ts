// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The portable fileserver suites, run under Node's test runner (the server on
// node:http instead of Deno.serve).
import "./_deno_test_shim.ts";
import "../fileserver/url_test.ts";
import "../fileserver/http_test.ts";
import "../fileserver/range_test.ts";
import "../fileserver/conditional_test.ts";
import "../fileserver/cache_test.ts";
import "../fileserver/security_test.ts";
import "../fileserver/lifecycle_test.ts";
import "../fileserver/large_test.ts";
import "../fileserver/download_resume_test.ts";
