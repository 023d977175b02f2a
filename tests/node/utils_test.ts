// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The portable utils suites, run under Node's test runner.
import "./_deno_test_shim.ts";
import "../utils/errors_test.ts";
import "../utils/abort_test.ts";
import "../utils/json_test.ts";
import "../utils/json_object_test.ts";
import "../utils/time_test.ts";
import "../utils/retry_test.ts";
import "../utils/fs_test.ts";
import "../utils/channel_test.ts";
import "../utils/cleanup_test.ts";
import "../utils/semver_test.ts";
import "../utils/uuid_test.ts";
import "../utils/encoding_test.ts";
import "../utils/parser_test.ts";
import "../utils/exec_test.ts";
import "../utils/timer_test.ts";
import "../utils/identifier_pool_test.ts";
import "../utils/sync_message_sender_test.ts";
import "../utils/fs_watcher_test.ts";
