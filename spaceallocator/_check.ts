// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The dry run behind SpaceAllocator.canAllocate.

import type { Hints, OutdatedItems } from "./_outdated_items.ts";
import type { Owner } from "./_partition.ts";
import type { AllocationCheck, AllocationVerdict } from "./types.ts";

/** The numbers a reservation is checked against. */
export interface Levels {
  /** Bytes in the directory plus open reservations (0 without a budget). */
  allocated: number;
  /** Free bytes of the partition minus open reservations. */
  available: number;
  /** The allocator's budget; 0 for none. */
  sizeLimit: number;
  /** Free bytes never to be reserved. */
  margin: number;
}

const SEVERITY: readonly AllocationVerdict[] = ["fits", "afterEviction", "maybe", "no"];

function verdict(shortfall: number, candidates: boolean, hints: Hints): AllocationVerdict {
  if (shortfall <= 0) return "fits";
  if (!candidates) return "no";
  if (hints.known >= shortfall) return "afterEviction";
  return hints.unknown > 0 ? "maybe" : "no";
}

/** What `allocateSpace(charged)` would meet now, without evicting anything. */
export function checkAllocation(
  charged: number,
  levels: Levels,
  items: OutdatedItems<Owner>,
  owner: Owner,
): AllocationCheck {
  const allocatorShortfall = levels.sizeLimit > 0
    ? Math.max(0, levels.allocated + charged - levels.sizeLimit)
    : 0;
  const partitionShortfall = Math.max(0, charged - (levels.available - levels.margin));
  const own = verdict(allocatorShortfall, items.hasOwner(owner), items.hints(owner));
  const all = verdict(partitionShortfall, items.size > 0, items.hints());
  const worst = Math.max(SEVERITY.indexOf(own), SEVERITY.indexOf(all));
  return { verdict: SEVERITY[worst]!, allocatorShortfall, partitionShortfall };
}
