// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * OCI image index, manifest, config, Aos item config and runtime config.
 *
 * Not implemented yet: this module exports nothing until its issue lands.
 *
 * @module
 */
export {};
