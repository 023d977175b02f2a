// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Where SoftHSM2 is and whether the tests can load it. Kept apart from
// _softhsm.ts so that a test can ask without importing the binding.
import { existsSync } from "node:fs";

const MODULES = [
  "/usr/lib/softhsm/libsofthsm2.so",
  "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
  "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
];

/** The SoftHSM2 module, if installed. */
export const SOFTHSM_MODULE: string | undefined = MODULES.find((m) => existsSync(m));

/** Why the SoftHSM tests cannot run here, or `undefined` when they can. */
export const softhsmMissing: string | undefined = SOFTHSM_MODULE === undefined
  ? "SoftHSM2 is not installed (Debian package softhsm2)"
  : Deno.permissions.querySync({ name: "ffi" }).state !== "granted"
  ? "the tests run without --allow-ffi"
  : undefined;
if (softhsmMissing !== undefined) {
  // deno-lint-ignore no-console
  console.warn(`SoftHSM2 tests ignored: ${softhsmMissing}`);
}
