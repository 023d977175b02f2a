// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Soak: space allocators under random concurrent load never over-commit.
 *
 * Three allocators share one 32 MiB partition (two with budgets of 40 % and
 * 30 %, one bounded only by free space). The partition is modelled by a
 * platform whose free space is 32 MiB minus the real files under the
 * scenario's directory, so reservations, writes and evictions act on real
 * files. Eight workers reserve random sizes, write and accept or release,
 * mark items outdated and restore some; removers fail now and then (the
 * injected fault). After every step the scenario checks, synchronously, that
 * accepted bytes plus open reservations fit the partition and each budget.
 *
 * @module
 */
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { AosError } from "../../utils/errors.ts";
import { calculateSize } from "../../utils/calculate_size.ts";
import type { FSPlatform } from "../../utils/fs_platform.ts";
import { PartitionRegistry, type Space, SpaceAllocator } from "../../spaceallocator/mod.ts";
import {
  count,
  emptyTally,
  lost,
  type Scenario,
  type SoakContext,
  type Tally,
} from "./_scenario.ts";

const TOTAL = 32 << 20;
const WORKERS = 8;
const REMOVER_FAILURE = 0.05;
const MAX_ITEM = 2 << 20;
// One buffer for every write: the scenario should not churn native memory
// that the RSS verdict would then blame on the library.
const CONTENT = new Uint8Array(MAX_ITEM);

/** A partition of `TOTAL` bytes whose used space is the real files under `root`. */
function modelledPartition(root: string): FSPlatform {
  return {
    getMountPoint: () => Promise.resolve(root),
    getTotalSize: () => Promise.resolve(TOTAL),
    getDirSize: (path) => calculateSize(path),
    getAvailableSize: async () => TOTAL - await calculateSize(root),
    getBlockDevice: () => Promise.resolve("soak"),
    setUserQuota: () => Promise.resolve(),
    changeOwner: () => Promise.resolve(),
  };
}

interface Budget {
  name: string;
  allocator: SpaceAllocator;
  limit: number;
  /** Bytes of accepted files, by item id. */
  items: Map<string, number>;
  /** Ids of accepted items not marked outdated: their owner may delete them. */
  inUse: Set<string>;
  /** Bytes of open reservations. */
  open: number;
}

async function run(context: SoakContext): Promise<Tally> {
  const tally = emptyTally();
  const { random } = context;
  const fs = modelledPartition(context.dir);
  const registry = new PartitionRegistry();
  const budgets: Budget[] = [];
  let nextId = 0;

  const check = (when: string) => {
    let used = 0;
    for (const budget of budgets) {
      const own = budget.open + [...budget.items.values()].reduce((a, b) => a + b, 0);
      used += own;
      if (budget.limit > 0 && own > budget.limit) {
        lost(tally, `${budget.name} over its budget after ${when}: ${own} > ${budget.limit}`);
      }
    }
    if (used > TOTAL) lost(tally, `partition over-committed after ${when}: ${used} > ${TOTAL}`);
  };

  // Deletes an item's file and returns the bytes freed. The model forgets it
  // first, so a file on its way out is never counted twice, and a second
  // deleter (a restored item being evicted while its owner deletes it)
  // frees nothing.
  const forget = async (budget: Budget, id: string): Promise<number> => {
    const size = budget.items.get(id) ?? 0;
    budget.items.delete(id);
    budget.inUse.delete(id);
    await rm(join(budget.allocator.path, id), { force: true });
    return size;
  };

  for (const [name, limitPercent] of [["a", 40], ["b", 30], ["c", 0]] as const) {
    const path = join(context.dir, name);
    const budget: Budget = {
      name,
      limit: Math.floor(TOTAL * limitPercent / 100),
      items: new Map(),
      inUse: new Set(),
      open: 0,
      allocator: await SpaceAllocator.create({
        path,
        platformFS: fs,
        registry,
        limitPercent,
        remover: {
          async removeItem(id) {
            if (random.chance(REMOVER_FAILURE)) {
              tally.faultsInjected++;
              count(tally, "remover failures injected");
              throw new AosError("failed", `soak: remover refuses ${id}`);
            }
            const size = await forget(budget, id);
            count(tally, "items evicted");
            return size;
          },
        },
      }),
    };
    budgets.push(budget);
  }

  // The owner of an item in use deletes it (an uninstalled service) through
  // its allocator, so that no reservation measures the directory meanwhile.
  const deleteOne = async (budget: Budget) => {
    const id = random.pick([...budget.inUse]);
    await budget.allocator.freeSpaceAfter(() => forget(budget, id));
    count(tally, "deleted by owner");
  };

  const step = async () => {
    const budget = random.pick(budgets);
    if (budget.inUse.size > 0 && random.chance(0.3)) {
      await deleteOne(budget);
      tally.operations++;
      return;
    }
    const size = random.int(1, MAX_ITEM >> 10) * 1024;
    let space: Space;
    try {
      space = await budget.allocator.allocateSpace(size);
    } catch (error) {
      tally.operations++;
      if (error instanceof AosError && error.kind === "noMemory") count(tally, "refused (full)");
      else if (error instanceof AosError) count(tally, `refused (${error.kind})`);
      else lost(tally, `allocateSpace threw a non-AosError: ${error}`);
      return;
    }
    budget.open += size;
    check(`reserving ${size} in ${budget.name}`);
    const id = `item-${nextId++}`;
    if (random.chance(0.7)) {
      await writeFile(join(budget.allocator.path, id), CONTENT.subarray(0, size));
      budget.open -= size;
      budget.items.set(id, size);
      space.accept();
      count(tally, "accepted");
      if (random.chance(0.5)) {
        await budget.allocator.addOutdatedItem(id, "1", new Date(), size);
        if (random.chance(0.1)) {
          budget.allocator.restoreOutdatedItem(id, "1");
          budget.inUse.add(id);
        }
      } else {
        budget.inUse.add(id);
      }
    } else {
      budget.open -= size;
      space.release();
      count(tally, "released");
    }
    check(`finishing ${id}`);
    tally.operations++;
    if (tally.dataLost === 0) tally.faultsSurvived = tally.faultsInjected;
  };

  try {
    await Promise.all(Array.from({ length: WORKERS }, async () => {
      while (performance.now() < context.until && !context.signal.aborted) await step();
    }));
  } finally {
    for (const budget of budgets) await budget.allocator.close();
  }
  context.log(`${tally.operations} reservations`);
  return tally;
}

/** The space allocator scenario. */
export const spaceAllocatorScenario: Scenario = { name: "spaceallocator", run };
