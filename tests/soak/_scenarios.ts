// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Every soak scenario, run at once by main.ts.
import type { Scenario } from "./_scenario.ts";
import { cloudConnectionScenario } from "./_cloud_connection.ts";
import { downloadsScenario } from "./_downloads.ts";
import { fileServerScenario } from "./_fileserver.ts";
import { migrationScenario } from "./_migration.ts";
import { spaceAllocatorScenario } from "./_spaceallocator.ts";

export const SCENARIOS: readonly Scenario[] = [
  downloadsScenario,
  fileServerScenario,
  cloudConnectionScenario,
  migrationScenario,
  spaceAllocatorScenario,
];
