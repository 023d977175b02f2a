// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The portable spaceallocator and FS platform suites, run under Node's test runner.
import "./_deno_test_shim.ts";
import "../utils/fs_platform_test.ts";
import "../spaceallocator/space_allocator_test.ts";
import "../spaceallocator/eviction_test.ts";
import "../spaceallocator/beyond_test.ts";
import "../spaceallocator/concurrency_test.ts";
import "../spaceallocator/real_fs_test.ts";
