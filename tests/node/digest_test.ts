// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The portable digest and layer archive suites, run under Node's test runner.
import "./_deno_test_shim.ts";
import "../utils/digest_test.ts";
import "../utils/dir_digest_test.ts";
import "../utils/tar_test.ts";
import "../utils/hash_thread_test.ts";
