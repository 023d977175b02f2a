// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * X.509, keys, CSRs and hashing helpers.
 *
 * Not implemented yet: this module exports nothing until its issue lands.
 *
 * @module
 */
export {};
