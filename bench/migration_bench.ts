// Copyright 2026 the aos-common authors. Apache-2.0 license.
// 200 migration steps on a database holding 100 MB of rows, by this module
// and by the sqlite3 CLI (Debian package `sqlite3`) on the same scripts, in
// the same run. Each iteration starts from a fresh, synced copy of the
// database; the copy is not timed. bench/compare/migration_vs_sqlite3.ts
// runs the same workload interleaved, which a busy machine disturbs less.
//
//   deno task bench bench/migration_bench.ts
import { hasCli, STEPS, workload } from "./_migration_fixture.ts";

const w = await workload();
const group = `${STEPS} steps on ${w.megabytes} MB`;

function bench(name: string, run: () => void | Promise<void>, cli: boolean): void {
  Deno.bench({
    name,
    group,
    baseline: name.startsWith("sqlite3 CLI, the same"),
    ignore: cli && !hasCli,
    n: 8,
    warmup: 1,
    async fn(b) {
      await w.reset();
      b.start();
      await run();
      b.end();
    },
  });
}

bench("Migration.migrateToVersion (node:sqlite)", () => w.module(), false);
bench("node:sqlite exec of the same statements, no module", () => w.rawExec(), false);
bench("sqlite3 CLI, the same statements in one transaction", () => w.cliSame(), true);
bench("sqlite3 CLI, as AosCore applies them (a commit per step)", () => w.cliAosCore(), true);

// deno bench has no after-all hook; the unload event removes the 100 MB.
globalThis.addEventListener("unload", () => {
  try {
    Deno.removeSync(w.root, { recursive: true });
  } catch {
    // already gone
  }
});
