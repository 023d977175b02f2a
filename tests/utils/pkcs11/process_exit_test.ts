// Copyright 2026 the aos-common authors. Apache-2.0 license.
// A process that signed through worker threads and then ends by itself must
// exit cleanly. Before the binding asked OpenSSL for no exit handler, about
// one to three in a hundred such processes died after their work (the exit
// handler and the exiting worker threads freed the same OpenSSL state), so
// the test runs enough of them to see it.
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
// Only the lookup of SoftHSM2, not the binding: with the binding loaded in
// this process the children were seen to crash far more rarely.
import { softhsmMissing } from "./_softhsm_module.ts";

const RUNS = 300;
const AT_ONCE = 2;
// A path, not a URL: started from a file: URL the child never showed the crash.
const child = fileURLToPath(new URL("./_exit_child.ts", import.meta.url));

Deno.test({
  name: "processes that signed off the main thread exit cleanly",
  ignore: softhsmMissing !== undefined,
}, async () => {
  const failures: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < RUNS) {
      next++;
      const { code, signal, stderr } = await new Deno.Command(Deno.execPath(), {
        args: ["run", "--allow-ffi", "--allow-read", "--allow-write", "--allow-env", child],
        stdout: "null",
        stderr: "piped",
      }).output();
      if (code !== 0) {
        failures.push(`exit ${code} ${signal ?? ""}: ${new TextDecoder().decode(stderr).trim()}`);
      }
    }
  };
  await Promise.all(Array.from({ length: AT_ONCE }, worker));
  assert.deepEqual(failures, [], `${failures.length} of ${RUNS} children failed`);
});
