// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Builds the list of steps between two versions and checks it before anything
// runs: every script present and non-empty, none drifted.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { hasErrno } from "../utils/errors.ts";
import { ioError } from "./_errors.ts";
import { MigrationError } from "./migration_error.ts";
import { downScriptName, upScriptName } from "./scripts.ts";
import type { MigrationPlan, MigrationStep } from "./types.ts";

/** A plan with the text of every step's script, as read and hashed. */
export interface LoadedPlan extends MigrationPlan {
  readonly texts: readonly string[];
}

/** A checksum recorded when an up script was applied. */
export interface AppliedScript {
  version: number;
  sha256: string;
}

/**
 * Reads the scripts from `from` to `to` out of `dir`. Every missing or empty
 * script is reported at once, before any step runs.
 *
 * @param conflicts Scripts whose shipped copy differs from the merged one;
 * a step that would run one of them is refused (`undefined` skips the check).
 */
export async function loadPlan(
  dir: string,
  from: number,
  to: number,
  conflicts: ReadonlySet<string> | undefined,
): Promise<LoadedPlan> {
  const shapes: Omit<MigrationStep, "sha256">[] = [];
  if (from < to) {
    for (let v = from + 1; v <= to; v++) {
      const script = upScriptName(v);
      shapes.push({ direction: "up", from: v - 1, to: v, script, path: join(dir, script) });
    }
  } else {
    for (let v = from; v > to; v--) {
      const script = downScriptName(v);
      shapes.push({ direction: "down", from: v, to: v - 1, script, path: join(dir, script) });
    }
  }
  const bytes = await Promise.all(shapes.map((s) => readScript(s.path, s.script)));
  const missing = shapes.filter((_, i) => bytes[i] === undefined);
  if (missing.length > 0) throw missingError(dir, from, to, missing);
  const empty = shapes.filter((_, i) => bytes[i]!.length === 0);
  if (empty.length > 0) {
    throw new MigrationError(
      "failed",
      `Cannot migrate from version ${from} to ${to}: ${names(empty)} in ${dir} ` +
        `${empty.length === 1 ? "is" : "are"} empty`,
      { version: empty[0]!.to, script: empty[0]!.script },
    );
  }
  const stale = conflicts === undefined ? [] : shapes.filter((s) => conflicts.has(s.script));
  if (stale.length > 0) {
    throw new MigrationError(
      "invalidChecksum",
      `Cannot migrate from version ${from} to ${to}: ${names(stale)} in ${dir} ` +
        `${stale.length === 1 ? "differs" : "differ"} from the shipped copy and would run ` +
        `in place of it`,
      { version: stale[0]!.to, script: stale[0]!.script },
    );
  }
  const decoder = new TextDecoder();
  return {
    from,
    to,
    steps: shapes.map((s, i) => ({ ...s, sha256: sha256(bytes[i]!) })),
    texts: bytes.map((b) => decoder.decode(b!)),
  };
}

/**
 * Compares the up scripts in `dir` with the checksums recorded when they
 * were applied. A script no longer present cannot be compared and passes.
 *
 * @throws {MigrationError} `invalidChecksum` naming every changed script.
 */
export async function verifyApplied(dir: string, applied: AppliedScript[]): Promise<void> {
  const current = await Promise.all(
    applied.map(async (a) => {
      const bytes = await readScript(join(dir, upScriptName(a.version)), upScriptName(a.version));
      return bytes === undefined ? undefined : sha256(bytes);
    }),
  );
  const changed = applied.filter((a, i) => current[i] !== undefined && current[i] !== a.sha256);
  if (changed.length === 0) return;
  const first = changed[0]!;
  const firstNow = current[applied.indexOf(first)]!;
  throw new MigrationError(
    "invalidChecksum",
    `Migration ${changed.length === 1 ? "script" : "scripts"} ` +
      `${changed.map((a) => upScriptName(a.version)).join(", ")} in ${dir} changed after ` +
      `being applied: ${
        upScriptName(first.version)
      } was sha256 ${first.sha256}, is now ${firstNow}`,
    { version: first.version, script: upScriptName(first.version) },
  );
}

function missingError(
  dir: string,
  from: number,
  to: number,
  missing: Omit<MigrationStep, "sha256">[],
): MigrationError {
  const first = missing[0]!;
  const options = { version: first.to, script: first.script };
  const list = `${names(missing)} ${missing.length === 1 ? "is" : "are"} missing from ${dir}`;
  if (from > to && first.from === from) {
    return new MigrationError(
      "notFound",
      `Cannot downgrade the database from version ${from} to ${to}: ${list} ` +
        `(the database is newer than this software, and no newer release left its down scripts)`,
      options,
    );
  }
  return new MigrationError(
    "notFound",
    `Cannot migrate from version ${from} to ${to}: ${list}`,
    options,
  );
}

function names(steps: readonly { script: string }[]): string {
  return steps.map((s) => s.script).join(", ");
}

async function readScript(path: string, script: string): Promise<Uint8Array | undefined> {
  try {
    return await readFile(path);
  } catch (err) {
    if (hasErrno(err, "ENOENT")) return undefined;
    throw ioError(err, `Cannot read migration script ${path}`, script);
  }
}

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}
