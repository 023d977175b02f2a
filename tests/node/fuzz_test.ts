// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The portable fuzz suites, run under Node's test runner (FUZZ_RUNS works here too).
import "./_deno_test_shim.ts";
import "../fuzz/cloud_frames_test.ts";
import "../fuzz/crypto_test.ts";
import "../fuzz/fileserver_paths_test.ts";
import "../fuzz/http1_reader_test.ts";
import "../fuzz/ip_test.ts";
import "../fuzz/netlink_test.ts";
import "../fuzz/oci_documents_test.ts";
import "../fuzz/pkcs11_uri_test.ts";
import "../fuzz/range_headers_test.ts";
import "../fuzz/semver_test.ts";
import "../fuzz/text_parsers_test.ts";
import "../fuzz/time_test.ts";
