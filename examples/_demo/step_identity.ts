// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Step 2: the unit's identity. Placeholder until `utils/pkcs11` and
 * `utils/crypto` land on this branch.
 *
 * @module
 */
import { SkipStep, type Step } from "./runner.ts";

/** Step 2. */
export const identityStep: Step = {
  title: "the unit's identity",
  needs: [1],
  run() {
    return Promise.reject(new SkipStep("utils/pkcs11 and utils/crypto are not on this branch yet"));
  },
};
