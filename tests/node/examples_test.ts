// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The device demo under Node 24 (every step but the Deno-only network step).
import "./_deno_test_shim.ts";
import "../examples/device_demo_test.ts";
