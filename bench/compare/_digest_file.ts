// Copyright 2026 the aos-common authors. Apache-2.0 license.
// deno-lint-ignore-file no-console
// Hashes one file with digestFile and prints "<digest> <milliseconds>"; run by digest.sh
// under Deno and Node.
import { digestFile } from "../../utils/digest.ts";

const path = process.argv[process.argv.length - 1]!;
const start = performance.now();
const digest = await digestFile(path);
console.log(`${digest} ${(performance.now() - start).toFixed(0)}`);
