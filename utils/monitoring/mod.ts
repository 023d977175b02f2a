// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Resource monitoring as AosCore does it: typed monitoring data, the moving
 * averages ({@linkcode AverageCalculator}), the threshold alert state machine
 * ({@linkcode AlertProcessor}), readers of a Linux node's usage
 * ({@linkcode NodeMonitoringProvider}: `/proc` and `statfs`) and of
 * instances' usage ({@linkcode CgroupMonitoringProvider}: cgroup v2), the
 * {@linkcode ResourceMonitor} that polls, averages, raises quota alerts and
 * sends samples, and {@linkcode CloudMonitoringSender}, which turns samples
 * and alerts into the cloud protocol's `monitoringData` and `alerts`
 * messages.
 *
 * Where AosCore's monitoring has known defects, the `compat` option picks
 * `fixed` (the default) or `reference` behaviour; see
 * {@linkcode AverageCalculatorOptions.compat} and {@linkcode ResourceMonitor}.
 *
 * On Deno, reading `/proc` and `/sys/fs/cgroup` needs `--allow-all` or
 * `--allow-ffi` (the files are then read through libc), and `statfs` needs
 * `--allow-sys`.
 *
 * @example A sample of this machine
 * ```ts
 * import { NodeMonitoringProvider } from "@aoscore/common/utils/monitoring";
 * import assert from "node:assert/strict";
 *
 * const provider = new NodeMonitoringProvider({ partitions: [{ name: "root", path: "/" }] });
 * const { cpu, ram, partitions } = await provider.getNodeMonitoringData();
 * assert.ok(cpu >= 0 && ram > 0 && partitions.length === 1);
 * ```
 *
 * @module
 */
export * from "./types.ts";
export * from "./alert_processor.ts";
export * from "./average_calculator.ts";
export * from "./node_monitoring_provider.ts";
export * from "./cgroup_monitoring_provider.ts";
export * from "./local_node_info.ts";
export * from "./resource_monitor.ts";
export * from "./cloud_monitoring_sender.ts";
