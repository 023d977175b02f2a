// Copyright 2026 the aos-common authors. Apache-2.0 license.
// deno-lint-ignore-file no-console
// Run with code generation from strings disallowed: prints whether code
// generation works, then the outcome of every case as one JSON line each.
import { cases, outcome } from "./_codec_cases.ts";

let generates = true;
try {
  new Function("return 0");
} catch {
  generates = false;
}
console.log(JSON.stringify({ generates }));
for (const { name, text } of cases()) console.log(JSON.stringify({ name, outcome: outcome(text) }));
