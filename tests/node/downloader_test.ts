// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The portable downloader suites, run under Node's test runner.
import "./_deno_test_shim.ts";
import "../downloader/http_downloader_test.ts";
import "../downloader/resume_test.ts";
import "../downloader/partial_content_test.ts";
import "../downloader/file_url_test.ts";
import "../downloader/options_test.ts";
import "../downloader/tls_test.ts";
import "../downloader/hash_worker_test.ts";
import "../downloader/http1_codec_test.ts";
import "../downloader/node_transport_test.ts";
