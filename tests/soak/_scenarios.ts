// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Every soak scenario, run at once by main.ts.
import type { Scenario } from "./_scenario.ts";
import { downloadsScenario } from "./_downloads.ts";
import { fileServerScenario } from "./_fileserver.ts";
import { spaceAllocatorScenario } from "./_spaceallocator.ts";

export const SCENARIOS: readonly Scenario[] = [
  spaceAllocatorScenario,
  downloadsScenario,
  fileServerScenario,
];
