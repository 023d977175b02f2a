// Copyright 2026 the aos-common authors. Apache-2.0 license.
// A separate process that migrates a database: argv[2] is a JSON object
// {db, src, merged, target, lockTimeout?}. Prints one JSON line per progress
// event, then {"result": steps} or {"error": kind, "message": ...}.
// deno-lint-ignore-file no-console
import process from "node:process";
import { DatabaseSync } from "node:sqlite";
import { AosError } from "../../utils/errors.ts";
import { Migration } from "../../migration/mod.ts";

const job = JSON.parse(process.argv[2]!) as {
  db: string;
  src: string;
  merged: string;
  target: number;
  lockTimeout?: number;
};
const db = new DatabaseSync(job.db, { timeout: 0 });
try {
  const migration = await Migration.create(db, {
    migrationDir: job.src,
    mergedMigrationDir: job.merged,
    ...(job.lockTimeout === undefined ? {} : { lockTimeout: job.lockTimeout }),
  });
  const result = await migration.migrateToVersion(job.target, {
    onProgress: (p) => console.log(JSON.stringify({ phase: p.phase, script: p.step.script })),
  });
  console.log(JSON.stringify({ result: result.steps.length }));
} catch (err) {
  const aos = AosError.from(err);
  console.log(JSON.stringify({ error: aos.kind, message: aos.message }));
} finally {
  db.close();
}
