// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The portable cloudprotocol suites, run under Node's test runner.
import "./_deno_test_shim.ts";
import "../cloudprotocol/types_test.ts";
import "../cloudprotocol/error_test.ts";
import "../cloudprotocol/frame_test.ts";
import "../cloudprotocol/message_test.ts";
import "../cloudprotocol/rules_test.ts";
import "../cloudprotocol/required_test.ts";
import "../cloudprotocol/scalars_test.ts";
import "../cloudprotocol/coercion_test.ts";
import "../cloudprotocol/unit_status_test.ts";
import "../cloudprotocol/alerts_test.ts";
import "../cloudprotocol/discovery_test.ts";
import "../cloudprotocol/property_test.ts";
import "../cloudprotocol/interpreted_test.ts";
import "../cloudprotocol/import_test.ts";
