// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Monitoring types, moving averages and the threshold alert processor.
 *
 * Not implemented yet: this module exports nothing until its issue lands.
 *
 * @module
 */
export {};
