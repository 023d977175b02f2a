// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Frames that exercise every table on its good and bad paths: each fixture,
// and each fixture with one member two levels deep removed or of the wrong
// type. `outcome` records what the codec made of each one.
import { readdirSync, readFileSync } from "node:fs";
import { CloudProtocolError, decodeFrame, encodeFrame } from "../../cloudprotocol/mod.ts";

/** A named frame text. */
export interface Case {
  name: string;
  text: string;
}

const TESTDATA = new URL("./testdata/", import.meta.url);

/** Every fixture, and its variants with one member removed or set to `true`. */
export function cases(): Case[] {
  const out: Case[] = [];
  for (const dir of ["frames", "edges"]) {
    for (const file of readdirSync(new URL(`${dir}/`, TESTDATA)).sort()) {
      const text = readFileSync(new URL(`${dir}/${file}`, TESTDATA), "utf8");
      out.push({ name: `${dir}/${file}`, text });
      for (const [where, variant] of variants(JSON.parse(text))) {
        out.push({ name: `${dir}/${file} ${where}`, text: JSON.stringify(variant) });
      }
    }
  }
  return out;
}

type Json = Record<string, unknown>;

function* variants(frame: { data: Json }): Generator<[string, unknown]> {
  for (const [key, value] of Object.entries(frame.data)) {
    if (key === "messageType") continue;
    yield* changed(frame, [key]);
    const inner = Array.isArray(value) ? value[0] : value;
    if (typeof inner !== "object" || inner === null) continue;
    const path = Array.isArray(value) ? [key, "0"] : [key];
    for (const innerKey of Object.keys(inner)) yield* changed(frame, [...path, innerKey]);
  }
}

function* changed(frame: { data: Json }, path: string[]): Generator<[string, unknown]> {
  for (const [what, change] of [["without", undefined], ["true at", true]] as const) {
    const copy = structuredClone(frame);
    let parent: Json = copy.data;
    for (const key of path.slice(0, -1)) parent = parent[key] as Json;
    if (change === undefined) delete parent[path.at(-1)!];
    else parent[path.at(-1)!] = change;
    yield [`${what} /data/${path.join("/")}`, copy];
  }
}

/** The compact text the codec writes back, or the kind, path and message of its error. */
export function outcome(text: string): string {
  try {
    return new TextDecoder().decode(encodeFrame(decodeFrame(text)));
  } catch (err) {
    if (!(err instanceof CloudProtocolError)) throw err;
    return `${err.kind} ${err.path}: ${err.message}`;
  }
}
