// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The monitoring and IAM suites, run under Node's test runner: the same real
// /proc, statfs and cgroup reads (Node reads /proc without FFI).
import "./_deno_test_shim.ts";
import "../utils/monitoring/alert_processor_test.ts";
import "../utils/monitoring/average_calculator_test.ts";
import "../utils/monitoring/proc_test.ts";
import "../utils/monitoring/resource_monitor_test.ts";
import "../utils/monitoring/cloud_monitoring_sender_test.ts";
import "../utils/monitoring/node_monitoring_provider_test.ts";
import "../utils/monitoring/cgroup_monitoring_provider_test.ts";
import "../utils/iam/in_memory_iam_provider_test.ts";
