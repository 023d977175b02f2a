// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The portable ocispec suites, run under Node's test runner.
import "./_deno_test_shim.ts";
import "../ocispec/files_test.ts";
import "../ocispec/image_config_test.ts";
import "../ocispec/image_index_test.ts";
import "../ocispec/image_layout_test.ts";
import "../ocispec/image_manifest_test.ts";
import "../ocispec/interchange_test.ts";
import "../ocispec/item_config_test.ts";
import "../ocispec/runtime_config_test.ts";
