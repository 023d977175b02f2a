// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The portable migration suites, run under Node's test runner.
import "./_deno_test_shim.ts";
import "../migration/_sql_test.ts";
import "../migration/checksum_test.ts";
import "../migration/foreign_keys_test.ts";
import "../migration/interop_test.ts";
import "../migration/merge_test.ts";
import "../migration/migration_test.ts";
import "../migration/process_test.ts";
import "../migration/scripts_test.ts";
import "../migration/sqlite_executor_test.ts";
import "../migration/transaction_test.ts";
